/* ktest: time and death -- timed waits and sleeps (BW_SYS_WAIT with a
 * timeout), the exit report a fault handler receives (BW_EXIT_LABEL, also
 * for an entry function bw_thread_start ran that returns), a
 * stopped thread whose last handle goes away giving its memory back, and
 * what SHM_MAP says of a region's physical address. */
#include <bw/lib.h>

#define LC_STACK 8192

static _Alignas(16) uint8_t helper_stack[LC_STACK];
static void (*check)(const char *, int);

static uint64_t now_us(void)
{
	uint64_t c, f;
	__asm__ volatile("isb\n mrs %0, cntpct_el0" : "=r"(c));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return c / (f / 1000000);
}

static uint64_t quota_left(void)
{
	struct bw_regs r;
	bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
	return r.x[2];
}

static uint64_t state_of(bw_handle th)
{
	struct bw_regs r;
	return bw_sys(BW_SYS_THREAD_STATE, th, 0, 0, 0, 0, &r) == BW_OK ? r.x[1] : 0;
}

static bw_handle start(void (*fn)(uint64_t), uint64_t prio, uint64_t arg)
{
	bw_handle th = 0;
	if (bw_thread_create(0, fn, helper_stack + LC_STACK, prio, arg, &th) != BW_OK)
		return 0;
	return th;
}

static void signaller(uint64_t n)
{
	bw_signal((bw_handle)n);
	bw_thread_exit();
}

static void test_timed_waits(uint64_t prio)
{
	uint64_t bits = 99, t0 = now_us();
	bw_sleep_us(3000);
	check("sleep: at least its time", now_us() - t0 >= 3000);

	struct bw_regs r;
	bw_handle n = 0;
	if (bw_sys(BW_SYS_NOTIFY_CREATE, 0, 0, 0, 0, 0, &r) == BW_OK)
		n = (bw_handle)r.x[1];
	t0 = now_us();
	check("timed wait: nothing signalled", bw_wait_timeout(n, 2000, &bits) == BW_E_TIMEOUT && bits == 0);
	check("timed wait: not before its time", now_us() - t0 >= 2000);

	/* Signalled before the timeout: the wait ends at once, and the timeout
	 * it had is forgotten -- the next, longer wait runs its own. */
	bw_handle th = start(signaller, prio - 1, n); /* runs once we wait */
	t0 = now_us();
	check("timed wait: signalled", bw_wait_timeout(n, 5000, &bits) == BW_OK && bits == 1);
	check("timed wait: woken by the signal, not the clock", now_us() - t0 < 5000);
	bw_close(th);
	t0 = now_us();
	check("timed wait: a stale timeout does not end the next wait",
	      bw_wait_timeout(n, 12000, &bits) == BW_E_TIMEOUT && now_us() - t0 >= 12000);

	check("timed wait: a word already set returns at once", bw_signal(n) == BW_OK &&
		      bw_wait_timeout(n, 1000000, &bits) == BW_OK && bits == 1);
	check("timed wait: absurd timeout refused", bw_sys3(BW_SYS_WAIT, n, ~0ull, 0, NULL) == BW_E_RANGE);
	check("wait: no notification and no timeout", bw_sys3(BW_SYS_WAIT, 0, 0, 0, NULL) == BW_E_BADHANDLE);
	check("poll: no notification", bw_sys3(BW_SYS_POLL, 0, 1000, 0, NULL) == BW_E_BADHANDLE);
	bw_close(n);
}

static void exiter(uint64_t status)
{
	struct bw_regs r = {{status}};
	bw_syscall(BW_SYS_THREAD_EXIT, &r);
	for (;;)
		;
}

static void returner(uint64_t arg)
{
	(void)arg; /* and returns: bw_thread_start's trampoline ends it */
}

static void faulter(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("udf #1");
	for (;;)
		;
}

static void test_exit_reports(uint64_t prio)
{
	struct bw_regs r;
	bw_handle ep = 0;
	if (bw_sys(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, &r) == BW_OK)
		ep = (bw_handle)r.x[1];

	/* Below us: it cannot exit before its handler is set. */
	bw_handle th = start(exiter, prio - 1, 7);
	bw_sys3(BW_SYS_THREAD_SET_FAULT, th, ep, 0, NULL);
	struct bw_msg m = {0};
	check("exit report received", bw_recv(ep, &m) == BW_OK && (m.info & BW_INFO_FAULT) &&
					      bw_info_label(m.info) == BW_EXIT_LABEL);
	check("exit report: no exception, the status", m.mr[0] == 0 && m.mr[1] == 7);
	check("exit report: the thread waits for the answer", state_of(th) == BW_THREAD_BLOCKED);
	m.info = bw_info(BW_FAULT_RESUME, 0, 0); /* even "resume" cannot bring it back */
	check("exit report answered: the thread is gone", bw_reply(&m) == BW_OK && state_of(th) == BW_THREAD_EXITED);
	bw_close(th);

	/* An entry function that returns, started by bw_thread_start: an exit
	 * with status 0, not a jump to address 0. */
	th = 0;
	check("thread start: refuses an unaligned stack",
	      bw_thread_start(returner, helper_stack + LC_STACK - 8, prio - 1, 0, &th) == BW_E_INVAL);
	check("thread start: started", bw_thread_start(returner, helper_stack + LC_STACK, prio - 1, 5, &th) == BW_OK);
	bw_sys3(BW_SYS_THREAD_SET_FAULT, th, ep, 0, NULL);
	m = (struct bw_msg){0};
	check("thread start: returning is an exit, status 0",
	      bw_recv(ep, &m) == BW_OK && bw_info_label(m.info) == BW_EXIT_LABEL && m.mr[1] == 0);
	m.info = bw_info(0, 0, 0);
	bw_reply(&m);
	bw_close(th);

	th = start(faulter, prio - 1, 0);
	bw_sys3(BW_SYS_THREAD_SET_FAULT, th, ep, 0, NULL);
	m = (struct bw_msg){0};
	check("a fault is still a fault", bw_recv(ep, &m) == BW_OK && bw_info_label(m.info) == BW_FAULT_LABEL);
	m.info = bw_info(0, 0, 0);
	bw_reply(&m);
	bw_close(th);
	bw_close(ep);

	/* A stopped thread nobody can see any more gives its memory back (a
	 * supervisor restarting a crashing driver must not run out). */
	uint64_t before = quota_left();
	th = start(faulter, prio, 0);
	bw_yield();
	check("stopped thread: stopped", state_of(th) == BW_THREAD_STOPPED);
	bw_close(th);
	check("stopped thread: its last handle closed, its memory refunded", quota_left() == before);
}

static void test_shm_phys(void)
{
	struct bw_regs r;
	bw_handle s = 0;
	if (bw_sys(BW_SYS_SHM_CREATE, 0, 4096, 0, 0, 0, &r) == BW_OK)
		s = (bw_handle)r.x[1];
	struct bw_regs a = {{s, 0, 0x48000000ul, BW_R_READ}};
	check("shm map: x1 is 0 for a region the kernel placed", bw_syscall(BW_SYS_SHM_MAP, &a) == BW_OK && a.x[1] == 0);
	bw_sys3(BW_SYS_UNMAP, 0, 0x48000000ul, 4096, NULL);
	bw_close(s);
}

void test_lifecycle(void (*expect)(const char *, int), uint64_t prio)
{
	check = expect;
	test_timed_waits(prio);
	test_exit_reports(prio);
	test_shm_phys();
}
