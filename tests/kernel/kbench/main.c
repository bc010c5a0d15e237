/* kbench: instruction counts of the kernel's hot paths, read from the PMU
 * (INST_RETIRED, EL0 and EL2 counted) under QEMU -icount shift=0. Each
 * figure is the median of ITER warm iterations, with the cost of reading
 * the counter subtracted.
 *   ipc_call_reply_insns: from the client's svc (call) to the instruction
 *     after it, through kbsrv's reply-receive in another address space.
 *   notify_wake_insns: from a signal's svc to the first instruction of the
 *     higher-priority thread waiting on the notification.
 *   thread_switch_insns: from one thread's yield svc to the first
 *     instruction of the same-priority thread it switches to. */
#include <bw/lib.h>

#define H_CON BW_BOOT_HANDLE(0)
#define H_EP  BW_BOOT_HANDLE(1)
#define ITER 1000
#define WARM 100
#define SERVER_LOOP_INSNS 4 /* kbsrv: mov, mov, svc, b */

static uint64_t samples[ITER];

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) /* insertion sort: n is small */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static inline uint64_t counter(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, pmevcntr0_el0" : "=r"(v)::"memory");
	return v;
}

static uint64_t read_cost(void)
{
	for (int i = 0; i < ITER; i++) {
		uint64_t a = counter();
		uint64_t b = counter();
		samples[i] = b - a;
	}
	return median(samples, ITER);
}

/* One call with a 4-register message; returns the instruction delta. */
static inline uint64_t timed_call(void)
{
	register uint64_t x0 __asm__("x0") = H_EP;
	register uint64_t x1 __asm__("x1") = bw_info(1, 0, 0);
	register uint64_t x2 __asm__("x2") = 1, x3 __asm__("x3") = 2, x4 __asm__("x4") = 3,
				      x5 __asm__("x5") = 4;
	register uint64_t x8 __asm__("x8") = BW_SYS_CALL;
	uint64_t t0, t1;
	__asm__ volatile("mrs %[t0], pmevcntr0_el0\n"
			 "svc #0\n"
			 "mrs %[t1], pmevcntr0_el0\n"
			 : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			   "+r"(x5)
			 : "r"(x8)
			 : "x6", "x7", "memory");
	return t1 - t0;
}

static void bench_ipc(uint64_t cost)
{
	for (int i = 0; i < WARM; i++)
		timed_call();
	for (int i = 0; i < ITER; i++)
		samples[i] = timed_call() - cost;
	bw_printf("BENCH ipc_call_reply_insns %lu instructions, call+reply-recv round trip, 4-word message, "
		  "two address spaces, median of %d\n", median(samples, ITER), ITER);
}

/* The split needs the stamps and the client's own counter reads of the same
 * iteration, so it is measured in its own loop. */
static void bench_ipc_split(uint64_t cost)
{
	static uint64_t e[ITER], l[ITER], x[ITER];
	int have = 0;
	for (int i = 0; i < ITER; i++) {
		register uint64_t x0 __asm__("x0") = H_EP;
		register uint64_t x1 __asm__("x1") = bw_info(1, 0, 0);
		register uint64_t x8 __asm__("x8") = BW_SYS_CALL;
		uint64_t t0, t1;
		__asm__ volatile("mrs %[t0], pmevcntr0_el0\n"
				 "svc #0\n"
				 "mrs %[t1], pmevcntr0_el0\n"
				 : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x1)
				 : "r"(x8)
				 : "x2", "x3", "x4", "x5", "x6", "x7", "memory");
		struct bw_regs r;
		bw_sys(BW_SYS_BENCH_STAMPS, 0, 0, 0, 0, 0, &r);
		uint64_t cs = r.x[1], ce = r.x[2], rs = r.x[3], re = r.x[4];
		if (!cs)
			return; /* not the bench-split kernel */
		have = 1;
		uint64_t entry_call = cs - t0 - cost / 2;
		uint64_t middle = rs - ce; /* exit(call) + server loop + entry(reply-recv) */
		uint64_t entry_rr = entry_call; /* same vector, save and dispatch path */
		e[i] = entry_call + entry_rr;
		l[i] = (ce - cs) + (re - rs);
		x[i] = (middle - SERVER_LOOP_INSNS - entry_rr) + (t1 - re - cost / 2);
	}
	if (!have)
		return;
	bw_printf("BENCH ipc_entry_insns %lu kernel entry, call + reply-recv (bench-split kernel)\n", median(e, ITER));
	bw_printf("BENCH ipc_logic_insns %lu fast-path logic, call + reply-recv (bench-split kernel, incl. stamps)\n",
		  median(l, ITER));
	bw_printf("BENCH ipc_exit_insns %lu kernel exit, call + reply-recv (bench-split kernel)\n", median(x, ITER));
}

static bw_handle note;
static volatile uint64_t woke_at;
static uint8_t stack_a[8192] __attribute__((aligned(16)));
static uint8_t stack_b[8192] __attribute__((aligned(16)));

static void waiter(uint64_t arg)
{
	(void)arg;
	for (;;) {
		register uint64_t x0 __asm__("x0") = note;
		register uint64_t x8 __asm__("x8") = BW_SYS_WAIT;
		uint64_t t;
		__asm__ volatile("svc #0\n"
				 "mrs %[t], pmevcntr0_el0\n"
				 : [t] "=r"(t), "+r"(x0)
				 : "r"(x8)
				 : "x1", "memory");
		woke_at = t;
	}
}

static void bench_notify(uint64_t cost)
{
	note = (bw_handle)({
		uint64_t h = 0;
		bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &h);
		h;
	});
	bw_handle th;
	bw_thread_create(0, waiter, stack_a + sizeof(stack_a), 21, 0, &th);
	for (int i = 0; i < WARM + ITER; i++) {
		register uint64_t x0 __asm__("x0") = note;
		register uint64_t x8 __asm__("x8") = BW_SYS_SIGNAL;
		uint64_t t0;
		__asm__ volatile("mrs %[t0], pmevcntr0_el0\n"
				 "svc #0\n"
				 : [t0] "=&r"(t0), "+r"(x0)
				 : "r"(x8)
				 : "x1", "memory");
		if (i >= WARM)
			samples[i - WARM] = woke_at - t0 - cost;
	}
	bw_printf("BENCH notify_wake_insns %lu instructions, signal svc to the waiting thread's wake-up, median of %d\n",
		  median(samples, ITER), ITER);

	/* Split (bench-split kernel): the signal's pass is two passes before
	 * the stamps query (the waiter's next wait is in between). */
	static uint64_t e[ITER], l[ITER], x[ITER];
	for (int i = 0; i < ITER; i++) {
		register uint64_t x0 __asm__("x0") = note;
		register uint64_t x8 __asm__("x8") = BW_SYS_SIGNAL;
		uint64_t t0;
		__asm__ volatile("mrs %[t0], pmevcntr0_el0\n"
				 "svc #0\n"
				 : [t0] "=&r"(t0), "+r"(x0)
				 : "r"(x8)
				 : "x1", "memory");
		struct bw_regs r;
		bw_sys(BW_SYS_BENCH_STAMPS, 1, 0, 0, 0, 0, &r);
		if (!r.x[1])
			return;
		e[i] = r.x[1] - t0 - cost / 2;
		l[i] = r.x[2] - r.x[1];
		x[i] = woke_at - r.x[2] - cost / 2;
	}
	bw_printf("BENCH notify_entry_insns %lu (bench-split kernel)\n", median(e, ITER));
	bw_printf("BENCH notify_logic_insns %lu (bench-split kernel, incl. stamps)\n", median(l, ITER));
	bw_printf("BENCH notify_exit_insns %lu (bench-split kernel)\n", median(x, ITER));
}

static volatile uint64_t yielded_at;
static volatile int switches;

static void yielder(uint64_t arg)
{
	(void)arg;
	for (;;) {
		register uint64_t x8 __asm__("x8") = BW_SYS_YIELD;
		register uint64_t x0 __asm__("x0");
		uint64_t t0, t1;
		__asm__ volatile("mrs %[t0], pmevcntr0_el0\n"
				 "str %[t0], [%[slot]]\n"
				 "svc #0\n"
				 "mrs %[t1], pmevcntr0_el0\n"
				 : [t0] "=&r"(t0), [t1] "=r"(t1), "=r"(x0)
				 : "r"(x8), [slot] "r"(&yielded_at)
				 : "x1", "memory");
		(void)t1;
	}
}

static void bench_switch(uint64_t cost)
{
	bw_handle th;
	bw_thread_create(0, yielder, stack_b + sizeof(stack_b), 20, 0, &th);
	for (int i = 0; i < WARM + ITER; i++) {
		register uint64_t x8 __asm__("x8") = BW_SYS_YIELD;
		register uint64_t x0 __asm__("x0");
		uint64_t t1;
		/* Our yield lets the other thread run; its yield brings us back
		 * here: t1 - its stamp is one switch. */
		__asm__ volatile("svc #0\n"
				 "mrs %[t1], pmevcntr0_el0\n"
				 : [t1] "=r"(t1), "=r"(x0)
				 : "r"(x8)
				 : "x1", "memory");
		if (i >= WARM)
			samples[i - WARM] = t1 - yielded_at - cost;
	}
	bw_printf("BENCH thread_switch_insns %lu instructions, yield svc to the next same-priority thread, median of %d\n",
		  median(samples, ITER), ITER);

	/* Split (bench-split kernel): the other thread's yield is the pass
	 * just before the stamps query. */
	static uint64_t e[ITER], l[ITER], x[ITER];
	for (int i = 0; i < ITER; i++) {
		register uint64_t x8 __asm__("x8") = BW_SYS_YIELD;
		register uint64_t x0 __asm__("x0");
		uint64_t t1;
		__asm__ volatile("svc #0\n"
				 "mrs %[t1], pmevcntr0_el0\n"
				 : [t1] "=r"(t1), "=r"(x0)
				 : "r"(x8)
				 : "x1", "memory");
		struct bw_regs r;
		bw_sys(BW_SYS_BENCH_STAMPS, 1, 0, 0, 0, 0, &r);
		if (!r.x[3])
			return;
		e[i] = r.x[3] - yielded_at - cost / 2;
		l[i] = r.x[4] - r.x[3];
		x[i] = t1 - r.x[4] - cost / 2;
	}
	bw_printf("BENCH thread_switch_entry_insns %lu (bench-split kernel)\n", median(e, ITER));
	bw_printf("BENCH thread_switch_logic_insns %lu (bench-split kernel, incl. stamps)\n", median(l, ITER));
	bw_printf("BENCH thread_switch_exit_insns %lu (bench-split kernel)\n", median(x, ITER));
}

int main(void)
{
	bw_console_set(H_CON);
	uint64_t cost = read_cost();
	bw_printf("counter read costs %lu\n", cost);
	/* Leave one priority above us for the notification waiter. */
	bw_sys3(BW_SYS_THREAD_SET_PRIO, BW_HANDLE_SELF_THREAD, 20, 0, NULL);
	bench_ipc(cost);
	bench_ipc_split(cost);
	bench_notify(cost);
	bench_switch(cost);
	bw_printf("kbench done\n");
	return 0;
}
