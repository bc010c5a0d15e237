/* kfuzz: the system-call fuzzer. Random call numbers and arguments from a
 * seeded generator (reproducible), at least FUZZ_CALLS calls, while the
 * test suite runs beside it. It must never block (blocking calls are made
 * non-blocking) and never destroy what it needs to report (its console
 * and completion handles are kept out of the argument pool); everything
 * else is fair game. The kernel must answer every call with a result. */
#include <bw/lib.h>

#define H_CON  BW_BOOT_HANDLE(0)
#define H_DONE BW_BOOT_HANDLE(1)
#define FUZZ_CALLS 120000u
#define FUZZ_SEED 0x5eed2026u
#define POOL 32

static uint64_t rng_state = FUZZ_SEED;

static uint64_t rnd(void)
{
	/* xorshift64*: good enough, tiny, deterministic. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t pool[POOL];

static void fuzz_thread(uint64_t arg)
{
	(void)arg;
	bw_thread_exit();
}

static uint64_t any_handle(void)
{
	switch (rnd() % 4) {
	case 0:
		return pool[rnd() % POOL];
	case 1:
		return rnd(); /* garbage: never a boot handle with generation 1 below slot 5 */
	case 2:
		return ((rnd() % 8 + 2) << 10) | (rnd() % 140);
	default:
		return pool[rnd() % POOL];
	}
}

static uint64_t any_addr(void)
{
	switch (rnd() % 6) {
	case 0:
		return 0x20000000ul + (rnd() % 64) * 4096; /* free user range, page-aligned */
	case 1:
		return 0x20000000ul + rnd() % 0x100000;   /* unaligned */
	case 2:
		return 0xffff000040000000ul + (rnd() % 64) * 4096; /* kernel-looking */
	case 3:
		return 0x40200000ul; /* the kernel's physical address */
	case 4:
		return BW_USER_END - 4096 * (rnd() % 4);
	default:
		return rnd();
	}
}

static uint64_t any_size(void)
{
	static const uint64_t edges[] = {~0ul, ~0ul - 4095, ~0ul - 8191, 1ul << 63, 1ul << 32, 4096};
	switch (rnd() % 5) {
	case 4:
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	case 0:
		return 4096 * (rnd() % 8 + 1);
	case 1:
		return rnd() % 70000;
	case 2:
		return 0;
	default:
		return rnd();
	}
}

static bool is_reserved(uint64_t h)
{
	uint64_t idx = h & 1023;
	return (h >> 10) == 1 && idx >= 3 && idx <= 4;
}

int main(void)
{
	bw_console_set(H_CON);
	bw_printf("seed %x, %u calls\n", FUZZ_SEED, FUZZ_CALLS);
	uint32_t ok = 0, errors = 0, bad_result = 0;
	static const uint32_t calls[] = {
		BW_SYS_CALL, BW_SYS_REPLY_RECV, BW_SYS_SEND, BW_SYS_RECV, BW_SYS_REPLY, BW_SYS_SIGNAL,
		BW_SYS_POLL, BW_SYS_YIELD, BW_SYS_THREAD_CREATE, BW_SYS_THREAD_SET_PRIO,
		BW_SYS_THREAD_STATE, BW_SYS_THREAD_SET_FAULT, BW_SYS_ENDPOINT_CREATE,
		BW_SYS_NOTIFY_CREATE, BW_SYS_SHM_CREATE, BW_SYS_TASK_CREATE, BW_SYS_HANDLE_CLOSE,
		BW_SYS_HANDLE_MINT, BW_SYS_HANDLE_GRANT, BW_SYS_SHM_MAP, BW_SYS_UNMAP, BW_SYS_DEV_MAP,
		BW_SYS_IRQ_BIND, BW_SYS_IRQ_ACK, BW_SYS_DEBUG_PUTS, BW_SYS_TASK_INFO, 28, 999, ~0u,
	};
	for (uint32_t i = 0; i < FUZZ_CALLS; i++) {
		uint32_t nr = calls[rnd() % (sizeof(calls) / sizeof(calls[0]))];
		struct bw_regs r;
		for (int k = 0; k < 8; k++)
			r.x[k] = rnd() % 3 ? any_handle() : rnd();
		r.x[1] = rnd() % 2 ? any_size() : rnd();
		r.x[2] = any_addr();
		r.x[3] = rnd() % 2 ? rnd() % 0x80 : rnd();
		r.x[7] = any_addr();
		switch (nr) {
		case BW_SYS_CALL:
		case BW_SYS_SEND:
		case BW_SYS_RECV:
		case BW_SYS_REPLY_RECV:
			r.x[1] |= BW_INFO_NONBLOCK; /* never block */
			break;
		case BW_SYS_THREAD_CREATE:
			if (rnd() % 2) {
				r.x[1] = (uint64_t)(uintptr_t)fuzz_thread;
				r.x[2] = 0x20000000ul; /* no stack needed: it exits at once */
			}
			r.x[3] = rnd() % 32;
			break;
		case BW_SYS_DEBUG_PUTS:
			if (rnd() % 2)
				r.x[1] = 257 + rnd() % 1000; /* too long */
			else
				r.x[0] = any_addr() | 0xffff000000000000ul; /* unreadable */
			break;
		case BW_SYS_SHM_CREATE:
			r.x[1] = rnd() % 2 ? 4096 * (rnd() % 16 + 1) : any_size();
			break;
		case BW_SYS_TASK_CREATE:
			r.x[1] = rnd() % 2 ? 4096 * (rnd() % 16) : any_size();
			break;
		case BW_SYS_SHM_MAP:
			r.x[1] = rnd() % 4 ? 0 : any_handle();
			r.x[3] = rnd() % 32;
			break;
		case BW_SYS_UNMAP:
			r.x[0] = rnd() % 4 ? 0 : any_handle();
			break;
		}
		/* What the fuzzer needs to report stays out of reach. */
		if (is_reserved(r.x[0]) || is_reserved(r.x[1]) || is_reserved(r.x[6]))
			continue;
		uint64_t e = bw_syscall(nr, &r);
		if (e == BW_OK)
			ok++;
		else if (e <= BW_E_FULL)
			errors++;
		else
			bad_result++;
		/* Keep what creation calls return, so later calls hit real objects. */
		if (e == BW_OK && (nr == BW_SYS_ENDPOINT_CREATE || nr == BW_SYS_NOTIFY_CREATE ||
				   nr == BW_SYS_SHM_CREATE || nr == BW_SYS_TASK_CREATE ||
				   nr == BW_SYS_HANDLE_MINT || nr == BW_SYS_THREAD_CREATE))
			pool[rnd() % POOL] = (uint32_t)r.x[1];
	}
	bw_printf("%u calls: %u succeeded, %u refused, %u unexpected results\n", ok + errors + bad_result, ok,
		  errors, bad_result);
	if (bad_result == 0)
		bw_signal(H_DONE);
	return 0;
}
