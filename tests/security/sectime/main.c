/* sectime: the timing half of the security scenario (tests/security/timing,
 * run under -icount so that time is instructions and deterministic).
 *
 * In this image policyd runs at a LOW priority (10), below a busy thread of
 * this task (30), and this task's main thread is high (40):
 *  - priority lending: a decision the high thread misses is answered
 *    although the busy thread never blocks, because the waiting thread
 *    lends policyd its priority (without lending: denied after 100 ms);
 *  - the bound on a silent policyd: while policyd is alive but busy
 *    (PD_TEST_STALL), a miss is denied after 100 ms, not later, and the
 *    denial is audited (tests/security/timing checks the line).
 * Each miss uses an object created at run time, so no boot scan cached it.
 * Closes with "N passed, N failed". */
#include <bw/lib.h>
#include <policyd/proto.h>

#define H_CON BW_BOOT_HANDLE(0)
#define H_PD  BW_BOOT_HANDLE(1)
#define H_SELF_THREAD ((1u << 10) | 2u) /* slot 2: the task's first thread */
#define BOUND_INSNS 100000000ull   /* the kernel's 100 ms, at 1 ns each */
#define STALL_ITERATIONS 75000000ull /* 150 ms of policyd doing nothing useful */

static unsigned passed, failed;
static volatile uint64_t busy_loops;
static volatile bool busy_stop;

/* Results are printed only once the busy thread has stopped: the console
 * runs below it, so printing while it spins would wait forever. */
static const char *steps[16];
static bool step_ok[16];

static void step(const char *what, bool ok)
{
	if (passed + failed < 16) {
		steps[passed + failed] = what;
		step_ok[passed + failed] = ok;
	}
	if (ok)
		passed++;
	else
		failed++;
}

static void report(void)
{
	for (unsigned i = 0; i < passed + failed && i < 16; i++)
		bw_printf("%s: %s\n", step_ok[i] ? "ok" : "FAIL", steps[i]);
}

static uint64_t pd_call(uint64_t label, uint64_t arg)
{
	struct bw_msg m = {.info = bw_info(label, 0, 0), .mr = {arg}};
	uint64_t e = bw_call(H_PD, &m);
	return e != BW_OK ? e : m.mr[0];
}

static void busy(uint64_t arg)
{
	(void)arg;
	while (!busy_stop)
		busy_loops = busy_loops + 1;
	bw_thread_exit();
}

int main(void)
{
	static uint64_t stack[512] __attribute__((aligned(16)));
	/* Step aside until policyd (priority 10) has booted and waits for
	 * work: before that, every decision fails closed. */
	bw_sys3(BW_SYS_THREAD_SET_PRIO, H_SELF_THREAD, 5, 0, NULL);
	bw_sys3(BW_SYS_THREAD_SET_PRIO, H_SELF_THREAD, 40, 0, NULL);
	bw_console_set(H_CON);
	step("policyd is up", pd_call(PD_STATUS, 0) == BW_OK);

	bw_handle th;
	step("the busy thread starts (a miss answered while nothing competes)",
	     bw_thread_create(0, busy, stack + 512, 30, 0, &th) == BW_OK);

	uint64_t n = 0;
	bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &n);
	uint64_t t0 = bw_insns();
	uint64_t e = bw_signal((bw_handle)n);
	uint64_t lent = bw_insns() - t0;
	busy_stop = true;
	step("priority lending: the miss is answered although a busy thread outranks policyd", e == BW_OK);
	step("... well within the bound", lent < BOUND_INSNS / 10);

	uint64_t ep = 0;
	step("an endpoint is created (its label asked of policyd)",
	     bw_sys3(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, &ep) == BW_OK);
	step("policyd stalls on request", pd_call(PD_TEST_STALL, STALL_ITERATIONS) == BW_OK);
	struct bw_msg m = {.info = bw_info(1, 0, 0) | BW_INFO_NONBLOCK};
	t0 = bw_insns();
	e = bw_send((bw_handle)ep, &m);
	uint64_t waited = bw_insns() - t0;
	step("silent policyd: the miss is denied (fail closed)", e == BW_E_DENIED);
	step("... after the 100 ms bound", waited >= BOUND_INSNS);
	step("... and not much later", waited < BOUND_INSNS + BOUND_INSNS / 10);
	/* Served once policyd is back: its audit drain comes first. */
	step("policyd answers again", pd_call(PD_STATUS, 0) == BW_OK);
	report();
	bw_printf("miss with a busy thread above policyd: %lu ns\n", (unsigned long)lent);
	bw_printf("miss while policyd is silent: %lu ns\n", (unsigned long)waited);
	bw_printf("busy thread loops: %lu\n", (unsigned long)busy_loops);
	bw_printf("%u passed, %u failed\n", passed, failed);
	struct bw_msg never = {0};
	for (;;)
		bw_recv((bw_handle)ep, &never); /* block: the console runs below us */
}
