/* ktest: the in-QEMU kernel test suite. Every system call on its success
 * and its error paths, IPC across address spaces with kpeer, fault
 * containment (kfault and faulting threads of its own), and the fuzzer's
 * completion. Prints one line per failure and a closing "N passed, N failed". */
#include <bw/lib.h>
#include "../proto.h"

#define H_CON    BW_BOOT_HANDLE(0)
#define H_PEER   BW_BOOT_HANDLE(1)
#define H_KFAULT BW_BOOT_HANDLE(2)
#define H_FDONE  BW_BOOT_HANDLE(3)
#define H_PSHM   BW_BOOT_HANDLE(4)

#define MY_PRIO 20
#define SCRATCH_VA 0x40000000ul
#define KERNEL_VA 0xffff000000001000ul

static unsigned passed, failed;

static void expect(const char *name, int ok)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		bw_printf("FAIL %s\n", name);
	}
}

static uint64_t sys(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t *out1)
{
	struct bw_regs r;
	uint64_t e = bw_sys(nr, a0, a1, a2, a3, a4, &r);
	if (out1)
		*out1 = r.x[1];
	return e;
}

static bw_handle create(uint64_t nr, uint64_t arg)
{
	uint64_t h = 0;
	if (sys(nr, 0, arg, 0, 0, 0, &h) != BW_OK)
		return 0;
	return (bw_handle)h;
}

static bw_handle mint(bw_handle h, uint64_t rights, uint64_t badge)
{
	uint64_t n = 0;
	if (sys(BW_SYS_HANDLE_MINT, h, rights, badge, 0, 0, &n) != BW_OK)
		return 0;
	return (bw_handle)n;
}

static uint64_t thread_state(bw_handle th, uint64_t *esr)
{
	struct bw_regs r;
	if (bw_sys(BW_SYS_THREAD_STATE, th, 0, 0, 0, 0, &r) != BW_OK)
		return 0;
	if (esr)
		*esr = r.x[2];
	return r.x[1];
}

static uint8_t stacks[8][8192] __attribute__((aligned(16)));
#define STACK(i) ((void *)(stacks[i] + sizeof(stacks[i])))

static bw_handle spawn(int stack, void (*fn)(uint64_t), uint64_t prio, uint64_t arg)
{
	bw_handle th = 0;
	if (bw_thread_create(0, fn, STACK(stack), prio, arg, &th) != BW_OK)
		return 0;
	return th;
}

/* ---- IPC with kpeer (another address space) ---------------------------- */

static void test_ipc_peer(void)
{
	struct bw_msg m = {.info = bw_info(PEER_ECHO, 0, 0), .mr = {0, 41, 0, 7}};
	expect("call: success", bw_call(H_PEER, &m) == BW_OK);
	expect("call: badge reaches the server", m.mr[0] == 0x1234);
	expect("call: message registers both ways", m.mr[1] == 42 && m.mr[3] == 7);
	expect("call: label returned", bw_info_label(m.info) == PEER_ECHO);

	static char out[300], back[300];
	for (int i = 0; i < 300; i++)
		out[i] = (char)i;
	memcpy(back, out, sizeof(back));
	m = (struct bw_msg){.info = bw_info(PEER_BUF, 300, 300), .buf = back};
	expect("call with buffer: success", bw_call(H_PEER, &m) == BW_OK);
	int reversed = bw_info_len(m.info) == 300 && m.mr[0] == 300;
	for (int i = 0; i < 300 && reversed; i++)
		reversed = back[i] == out[299 - i];
	expect("call with buffer: reply buffer", reversed);

	m = (struct bw_msg){.info = bw_info(PEER_BUF, 300, 16), .buf = back};
	expect("call: reply truncated to capacity", bw_call(H_PEER, &m) == BW_OK && bw_info_len(m.info) == 16);

	m = (struct bw_msg){.info = bw_info(PEER_BUF, 0, 0) | (BW_MSG_BUF_MAX + 1), .buf = back};
	expect("call: oversize message", bw_call(H_PEER, &m) == BW_E_MSGSIZE);
	m = (struct bw_msg){.info = bw_info(PEER_BUF, 8, 0), .buf = (void *)KERNEL_VA};
	expect("call: kernel buffer address", bw_call(H_PEER, &m) == BW_E_FAULT);
	m = (struct bw_msg){.info = bw_info(PEER_BUF, 8, 0), .buf = (void *)0x7000000ul};
	expect("call: unmapped buffer", bw_call(H_PEER, &m) == BW_E_FAULT);
	m = (struct bw_msg){.info = bw_info(PEER_BUF, 8, 8), .buf = (void *)0x401000ul};
	expect("call: read-only reply buffer", bw_call(H_PEER, &m) == BW_E_FAULT);

	m = (struct bw_msg){.info = bw_info(PEER_ECHO, 0, 0)};
	expect("call: handle 0", bw_call(0, &m) == BW_E_BADHANDLE);
	expect("call: forged handle", bw_call(0x12345, &m) == BW_E_BADHANDLE);
	expect("call: index beyond the table", bw_call((1u << 10) | 1000, &m) == BW_E_BADHANDLE);
	bw_handle copy = mint(H_PEER, BW_R_SEND, 0);
	expect("mint: copy of an endpoint handle", copy != 0);
	expect("close: copy", bw_close(copy) == BW_OK);
	expect("call: stale handle", bw_call(copy, &m) == BW_E_BADHANDLE);
	expect("close: stale handle", bw_close(copy) == BW_E_BADHANDLE);
	expect("call: wrong object type", bw_call(H_FDONE, &m) == BW_E_TYPE);
	bw_handle norights = mint(H_PEER, BW_R_GRANT, 0);
	expect("call: handle without send right", bw_call(norights, &m) == BW_E_RIGHTS);
	bw_close(norights);
	expect("recv: handle without receive right", bw_recv(H_PEER, &m) == BW_E_RIGHTS);
	expect("reply: no caller", bw_reply(&m) == BW_E_STATE);
	expect("mint: a badge cannot be re-badged", mint(H_PEER, BW_R_SEND, 99) == 0);

	m = (struct bw_msg){.info = bw_info(PEER_SEND, 0, 0)};
	expect("send: one-way message", bw_send(H_PEER, &m) == BW_OK);
	m = (struct bw_msg){.info = bw_info(PEER_ECHO, 0, 0)};
	expect("send: server saw it", bw_call(H_PEER, &m) == BW_OK && m.mr[2] == 1);

	/* Handle transfer: kpeer signals the notification it receives. */
	bw_handle n = create(BW_SYS_NOTIFY_CREATE, 0);
	m = (struct bw_msg){.info = bw_info(PEER_XFER, 0, 0) | BW_INFO_XFER, .handle = n};
	expect("call with handle transfer", bw_call(H_PEER, &m) == BW_OK && m.mr[0] == 1 && m.mr[1] == BW_OK);
	uint64_t bits = 0;
	expect("transferred handle works in the other task", bw_poll(n, &bits) == BW_OK && bits == 1);
	bw_handle nogrant = mint(n, BW_R_SEND, 0);
	m = (struct bw_msg){.info = bw_info(PEER_XFER, 0, 0) | BW_INFO_XFER, .handle = nogrant};
	expect("transfer: handle without grant right", bw_call(H_PEER, &m) == BW_E_RIGHTS);
	bw_close(nogrant);
	bw_close(n);

	/* Shared memory between two address spaces. */
	expect("shm map (boot region)", sys(BW_SYS_SHM_MAP, H_PSHM, 0, PEER_SHM_VA, BW_R_READ | BW_R_WRITE, 0, NULL) == BW_OK);
	volatile uint64_t *w = (volatile uint64_t *)PEER_SHM_VA;
	w[0] = 41;
	m = (struct bw_msg){.info = bw_info(PEER_SHM, 0, 0), .mr = {0, 42}};
	expect("shm: peer reads our store", bw_call(H_PEER, &m) == BW_OK && m.mr[1] == 1 && m.mr[0] == 41);
	expect("shm: we read the peer's store", w[0] == 42);
}

/* ---- IPC inside the task, between threads ----------------------------- */

static bw_handle local_ep;

static void echo_server(uint64_t arg)
{
	(void)arg;
	struct bw_msg m = {0};
	uint64_t e = bw_recv(local_ep, &m);
	while (e == BW_OK) {
		m.mr[0] += 100;
		m.mr[1] = m.badge;
		m.info = bw_info(bw_info_label(m.info), 0, 0);
		e = bw_reply_recv(local_ep, &m);
	}
	bw_thread_exit(); /* the endpoint was closed under us */
}

static void test_ipc_local(void)
{
	local_ep = create(BW_SYS_ENDPOINT_CREATE, 0);
	expect("endpoint create", local_ep != 0);
	struct bw_msg m = {.info = bw_info(0, 0, 0) | BW_INFO_NONBLOCK};
	expect("recv non-blocking: nothing there", bw_recv(local_ep, &m) == BW_E_AGAIN);
	m.info = BW_INFO_NONBLOCK;
	expect("send non-blocking: nobody waiting", bw_send(local_ep, &m) == BW_E_AGAIN);
	m.info = bw_info(0, 0, 2000);
	expect("recv: oversize capacity", bw_recv(local_ep, &m) == BW_E_MSGSIZE);
	bw_handle server = spawn(0, echo_server, MY_PRIO, 0);
	expect("thread create", server != 0);
	bw_yield(); /* let it block in recv */
	bw_handle badged = mint(local_ep, BW_R_SEND, 0xbadc0de);
	expect("mint with badge", badged != 0);
	int ok = 1;
	for (int i = 0; i < 50 && ok; i++) {
		m = (struct bw_msg){.info = bw_info(3, 0, 0), .mr = {(uint64_t)i}};
		ok = bw_call(badged, &m) == BW_OK && m.mr[0] == (uint64_t)i + 100 && m.mr[1] == 0xbadc0de;
	}
	expect("call/reply-recv between threads, badged, 50 times", ok);
	bw_close(badged);
	expect("close endpoint with a waiting receiver", bw_close(local_ep) == BW_OK);
	bw_yield();
	expect("waiting receiver released (thread exited)", thread_state(server, NULL) == BW_THREAD_EXITED);
	bw_close(server);
}

/* ---- IPC partners that go away ---------------------------------------- */

static bw_handle gone_ep;
static volatile uint64_t gone_result;

static void blocked_sender(uint64_t arg)
{
	(void)arg;
	struct bw_msg m = {.info = bw_info(1, 0, 0)};
	gone_result = bw_send(gone_ep, &m);
	bw_thread_exit();
}

static void blocked_caller(uint64_t arg)
{
	(void)arg;
	struct bw_msg m = {.info = bw_info(1, 0, 0)};
	gone_result = bw_call(gone_ep, &m);
	bw_thread_exit();
}

static void server_that_exits(uint64_t arg)
{
	(void)arg;
	struct bw_msg m = {0};
	bw_recv(gone_ep, &m); /* takes the call, never replies */
	bw_thread_exit();
}

static void test_ipc_partners_gone(void)
{
	gone_ep = create(BW_SYS_ENDPOINT_CREATE, 0);
	gone_result = 99;
	bw_handle th = spawn(5, blocked_sender, MY_PRIO, 0);
	bw_yield();
	expect("sender blocks while nobody receives", gone_result == 99 && thread_state(th, NULL) == BW_THREAD_BLOCKED);
	bw_close(gone_ep);
	bw_yield();
	expect("blocked sender released when the endpoint goes", gone_result == BW_E_CLOSED);
	bw_close(th);

	gone_ep = create(BW_SYS_ENDPOINT_CREATE, 0);
	gone_result = 99;
	bw_handle caller = spawn(5, blocked_caller, MY_PRIO, 0);
	bw_yield();
	bw_handle server = spawn(6, server_that_exits, MY_PRIO, 0);
	bw_yield();
	bw_yield();
	expect("caller released when its server exits without replying", gone_result == BW_E_CLOSED);
	bw_close(caller);
	bw_close(server);
	bw_close(gone_ep);
}

/* ---- notifications --------------------------------------------------- */

static bw_handle wake_notify;
static volatile int low_ran;

static void signaller(uint64_t arg)
{
	low_ran = 1;
	bw_signal((bw_handle)arg);
	bw_thread_exit();
}

static void test_notify(void)
{
	bw_handle n = create(BW_SYS_NOTIFY_CREATE, 0);
	expect("notification create", n != 0);
	uint64_t bits = 99;
	expect("poll: empty", bw_poll(n, &bits) == BW_OK && bits == 0);
	expect("signal", bw_signal(n) == BW_OK);
	expect("poll: unbadged signal is bit 0", bw_poll(n, &bits) == BW_OK && bits == 1);
	bw_handle b1 = mint(n, BW_R_SEND, 0x10), b2 = mint(n, BW_R_SEND, 0x200);
	bw_signal(b1);
	bw_signal(b2);
	expect("wait: badges accumulate", bw_wait(n, &bits) == BW_OK && bits == 0x210);
	expect("wait: wrong object type", bw_wait(H_PEER, &bits) == BW_E_TYPE);
	expect("wait: handle without receive right", bw_wait(b1, &bits) == BW_E_RIGHTS);
	bw_handle recv_only = mint(n, BW_R_RECV, 0);
	expect("signal: handle without send right", bw_signal(recv_only) == BW_E_RIGHTS);

	/* Strict priorities: a lower-priority thread runs only once we block. */
	wake_notify = n;
	low_ran = 0;
	bw_handle low = spawn(1, signaller, MY_PRIO - 5, b1);
	expect("lower priority thread created", low != 0);
	bw_yield();
	expect("lower priority does not run while we are ready", low_ran == 0);
	expect("wait blocks, signal wakes", bw_wait(n, &bits) == BW_OK && bits == 0x10 && low_ran == 1);
	bw_close(low);
	bw_close(b1);
	bw_close(b2);
	bw_close(recv_only);
	bw_close(n);
}

/* ---- threads and scheduling ------------------------------------------ */

static volatile uint64_t spin_count;
static volatile int stop_spin;

static void spinner(uint64_t arg)
{
	(void)arg;
	while (!stop_spin)
		spin_count++;
	bw_thread_exit();
}

static void test_threads(void)
{
	bw_handle th = 0;
	expect("thread create: priority above own", bw_thread_create(0, spinner, STACK(2), MY_PRIO + 1, 0, &th) == BW_E_RANGE);
	expect("thread create: out-of-range priority", bw_thread_create(0, spinner, STACK(2), 64, 0, &th) == BW_E_RANGE);
	expect("thread create: entry 0", bw_thread_create(0, 0, STACK(2), 1, 0, &th) == BW_E_INVAL);
	expect("thread create: kernel entry", bw_thread_create(0, (void (*)(uint64_t))KERNEL_VA, STACK(2), 1, 0, &th) == BW_E_INVAL);
	expect("thread create: unaligned entry", bw_thread_create(0, (void (*)(uint64_t))0x400002ul, STACK(2), 1, 0, &th) == BW_E_INVAL);
	expect("thread create: unaligned stack", bw_thread_create(0, spinner, (char *)STACK(2) - 8, 1, 0, &th) == BW_E_INVAL);
	expect("thread create: bad task handle", bw_thread_create(H_PEER, spinner, STACK(2), 1, 0, &th) == BW_E_TYPE);

	/* Round-robin with time slices: a same-priority spinner that never
	 * yields still gets the CPU, and so do we. */
	stop_spin = 0;
	spin_count = 0;
	th = spawn(2, spinner, MY_PRIO, 0);
	expect("spinner created", th != 0);
	uint64_t start = bw_insns(), mine = 0;
	while (spin_count == 0 && mine < 200000000ull)
		mine++;
	expect("time slice preempts a spinning thread", spin_count != 0);
	(void)start;
	expect("thread state: runnable", thread_state(th, NULL) == BW_THREAD_RUNNABLE);
	expect("set priority above own", sys(BW_SYS_THREAD_SET_PRIO, th, MY_PRIO + 1, 0, 0, 0, NULL) == BW_E_RANGE);
	expect("set priority lower", sys(BW_SYS_THREAD_SET_PRIO, th, 3, 0, 0, 0, NULL) == BW_OK);
	uint64_t before = spin_count;
	for (volatile int i = 0; i < 3000000; i++)
		;
	expect("lower priority thread no longer runs", spin_count == before);
	stop_spin = 1;
	sys(BW_SYS_THREAD_SET_PRIO, th, MY_PRIO, 0, 0, 0, NULL);
	bw_yield();
	expect("thread state: exited", thread_state(th, NULL) == BW_THREAD_EXITED);
	expect("thread state: wrong type", sys(BW_SYS_THREAD_STATE, H_PEER, 0, 0, 0, 0, NULL) == BW_E_TYPE);
	bw_close(th);
	expect("yield", bw_yield() == BW_OK);
}

/* ---- FP/SIMD and TPIDR_EL0 are per thread ----------------------------- */

static volatile int fp_ok;

static void fp_thread(uint64_t arg)
{
	double v = (double)arg;
	__asm__ volatile("fmov d8, %d0" ::"w"(v));
	__asm__ volatile("msr tpidr_el0, %0" ::"r"(arg));
	for (int i = 0; i < 5; i++)
		bw_yield();
	double got;
	uint64_t tp;
	__asm__ volatile("fmov %d0, d8" : "=w"(got));
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	fp_ok = got == v && tp == arg;
	bw_thread_exit();
}

static void test_fp(void)
{
	double mine = 2.5, got;
	__asm__ volatile("fmov d8, %d0" ::"w"(mine));
	__asm__ volatile("msr tpidr_el0, %0" ::"r"(77ul));
	fp_ok = 0;
	bw_handle th = spawn(3, fp_thread, MY_PRIO, 3);
	for (int i = 0; i < 10; i++)
		bw_yield();
	uint64_t tp;
	__asm__ volatile("fmov %d0, d8" : "=w"(got));
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	expect("FP registers are per thread (lazy switch)", fp_ok && got == mine);
	expect("TPIDR_EL0 is per thread", tp == 77);
	bw_close(th);
}

/* ---- faults ---------------------------------------------------------- */

static void do_udf(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("udf #0");
	bw_thread_exit();
}

#define PAGER_VA 0x50000000ul

static void touch_unmapped(uint64_t arg)
{
	*(volatile uint64_t *)PAGER_VA = arg;
	bw_thread_exit();
}

static void test_faults(void)
{
	uint64_t esr = 0;
	expect("faulting task is stopped", thread_state(H_KFAULT, &esr) == BW_THREAD_STOPPED);
	expect("fault reported as a data abort", (esr >> 26) == 0x24);

	bw_handle th = spawn(4, do_udf, MY_PRIO, 0);
	bw_yield();
	expect("undefined instruction: thread stopped", thread_state(th, &esr) == BW_THREAD_STOPPED && (esr >> 26) == 0);
	bw_close(th);

	/* With a fault handler: the fault arrives as a message. */
	bw_handle ep = create(BW_SYS_ENDPOINT_CREATE, 0);
	th = spawn(4, do_udf, MY_PRIO, 0);
	expect("set fault handler: wrong type", sys(BW_SYS_THREAD_SET_FAULT, th, H_FDONE, 0, 0, 0, NULL) == BW_E_TYPE);
	expect("set fault handler", sys(BW_SYS_THREAD_SET_FAULT, th, ep, 0, 0, 0, NULL) == BW_OK);
	struct bw_msg m = {0};
	expect("fault message received", bw_recv(ep, &m) == BW_OK && (m.info & BW_INFO_FAULT) &&
						 bw_info_label(m.info) == BW_FAULT_LABEL);
	uint64_t fn = (uint64_t)(uintptr_t)do_udf;
	expect("fault message: ESR and PC", (m.mr[0] >> 26) == 0 && m.mr[2] >= fn && m.mr[2] < fn + 16);
	m.info = bw_info(0, 0, 0);
	expect("fault reply: stop", bw_reply(&m) == BW_OK && thread_state(th, NULL) == BW_THREAD_STOPPED);
	bw_close(th);

	/* A user-level pager: map memory at the faulting address, resume. */
	th = spawn(4, touch_unmapped, MY_PRIO, 0xfeed);
	sys(BW_SYS_THREAD_SET_FAULT, th, ep, 0, 0, 0, NULL);
	m = (struct bw_msg){0};
	int got = bw_recv(ep, &m) == BW_OK && (m.mr[0] >> 26) == 0x24 && m.mr[1] == PAGER_VA;
	expect("page fault reported with its address", got);
	bw_handle page = create(BW_SYS_SHM_CREATE, 4096);
	expect("pager maps the page", sys(BW_SYS_SHM_MAP, page, 0, PAGER_VA, BW_R_READ | BW_R_WRITE, 0, NULL) == BW_OK);
	m.info = bw_info(BW_FAULT_RESUME, 0, 0);
	bw_reply(&m);
	/* Its handler hears of its exit too (lifecycle.c). */
	m = (struct bw_msg){0};
	got = bw_recv(ep, &m) == BW_OK && bw_info_label(m.info) == BW_EXIT_LABEL;
	m.info = bw_info(0, 0, 0);
	bw_reply(&m);
	expect("resumed thread completed its store", got && *(volatile uint64_t *)PAGER_VA == 0xfeed &&
							 thread_state(th, NULL) == BW_THREAD_EXITED);
	bw_close(th);
	sys(BW_SYS_UNMAP, 0, PAGER_VA, 0, 0, 0, NULL);
	bw_close(page);
	bw_close(ep);
}

/* ---- memory: shared regions, W^X, quotas, tasks ------------------------ */

static void test_memory(void)
{
	expect("shm create: size 0", create(BW_SYS_SHM_CREATE, 0) == 0);
	expect("shm create: unaligned size", sys(BW_SYS_SHM_CREATE, 0, 100, 0, 0, 0, NULL) == BW_E_INVAL);
	expect("shm create: too large", sys(BW_SYS_SHM_CREATE, 0, 64ul << 20, 0, 0, 0, NULL) == BW_E_RANGE);
	bw_handle s = create(BW_SYS_SHM_CREATE, 8192);
	expect("shm create", s != 0);
	uint64_t rw = BW_R_READ | BW_R_WRITE;
	expect("map", sys(BW_SYS_SHM_MAP, s, 0, SCRATCH_VA, rw, 0, NULL) == BW_OK);
	volatile uint64_t *p = (volatile uint64_t *)SCRATCH_VA;
	p[1000] = 5;
	expect("mapped memory is zeroed and usable", p[0] == 0 && p[1000] == 5);
	expect("map: overlapping", sys(BW_SYS_SHM_MAP, s, 0, SCRATCH_VA + 4096, rw, 0, NULL) == BW_E_EXISTS);
	expect("map: over own code", sys(BW_SYS_SHM_MAP, s, 0, 0x400000, rw, 0, NULL) == BW_E_EXISTS);
	expect("map: writable and executable (W^X)", sys(BW_SYS_SHM_MAP, s, 0, SCRATCH_VA + 0x100000, rw | BW_R_EXEC, 0, NULL) == BW_E_INVAL);
	expect("map: unaligned address", sys(BW_SYS_SHM_MAP, s, 0, SCRATCH_VA + 0x100010, rw, 0, NULL) == BW_E_INVAL);
	expect("map: kernel address", sys(BW_SYS_SHM_MAP, s, 0, KERNEL_VA, rw, 0, NULL) == BW_E_INVAL);
	expect("map: page 0", sys(BW_SYS_SHM_MAP, s, 0, 0, rw, 0, NULL) == BW_E_INVAL);
	expect("map: no rights asked", sys(BW_SYS_SHM_MAP, s, 0, SCRATCH_VA + 0x100000, 0, 0, NULL) == BW_E_INVAL);
	bw_handle ro = mint(s, BW_R_READ, 0);
	expect("map: more rights than the handle", sys(BW_SYS_SHM_MAP, ro, 0, SCRATCH_VA + 0x100000, rw, 0, NULL) == BW_E_RIGHTS);
	expect("map: read-only through a read-only handle", sys(BW_SYS_SHM_MAP, ro, 0, SCRATCH_VA + 0x100000, BW_R_READ, 0, NULL) == BW_OK);
	expect("read-only view sees the data", ((volatile uint64_t *)(SCRATCH_VA + 0x100000))[1000] == 5);
	expect("unmap: wrong size", sys(BW_SYS_UNMAP, 0, SCRATCH_VA, 4096, 0, 0, NULL) == BW_E_INVAL);
	expect("unmap", sys(BW_SYS_UNMAP, 0, SCRATCH_VA + 0x100000, 0, 0, 0, NULL) == BW_OK);
	expect("unmap: nothing there", sys(BW_SYS_UNMAP, 0, SCRATCH_VA + 0x100000, 0, 0, 0, NULL) == BW_E_INVAL);

	/* Code through shared memory: written via a RW view, run via an RX view. */
	static const uint32_t ret42[] = {0xd2800540 /* mov x0, #42 */, 0xd65f03c0 /* ret */};
	memcpy((void *)SCRATCH_VA, ret42, sizeof(ret42));
	expect("map executable", sys(BW_SYS_SHM_MAP, s, 0, SCRATCH_VA + 0x200000, BW_R_EXEC, 0, NULL) == BW_OK);
	uint64_t (*fn)(void) = (uint64_t(*)(void))(SCRATCH_VA + 0x200000);
	expect("execute from an executable mapping", fn() == 42);
	sys(BW_SYS_UNMAP, 0, SCRATCH_VA + 0x200000, 0, 0, 0, NULL);
	bw_close(ro);

	/* Quotas: kernel memory comes from ours and goes back on close. */
	struct bw_regs r;
	bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
	uint64_t quota = r.x[2];
	static bw_handle chunks[16];
	int n = 0;
	uint64_t err = BW_OK;
	while (n < 16 && (err = sys(BW_SYS_SHM_CREATE, 0, 4ul << 20, 0, 0, 0, &r.x[1])) == BW_OK)
		chunks[n++] = (bw_handle)r.x[1];
	expect("shm create: until the quota runs out", n > 0 && n < 16 && err == BW_E_NOMEM);
	for (int i = 0; i < n; i++)
		bw_close(chunks[i]);
	bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
	expect("quota refunded on close", r.x[2] == quota);
	expect("task create: quota beyond own", sys(BW_SYS_TASK_CREATE, 0, quota * 2, 0, 0, 0, NULL) == BW_E_NOMEM);
	expect("task create: quota that would wrap", sys(BW_SYS_TASK_CREATE, 0, ~0ul - 100, 0, 0, 0, NULL) == BW_E_NOMEM);

	/* A new address space built from user level: code and stack via shm. */
	bw_handle task = create(BW_SYS_TASK_CREATE, 64 * 1024);
	expect("task create", task != 0);
	static const uint32_t exit_code[] = {0xd2800148 /* mov x8, #10 */, 0xd4000001 /* svc #0 */, 0x14000000};
	memcpy((void *)SCRATCH_VA, exit_code, sizeof(exit_code));
	expect("map code into the new task", sys(BW_SYS_SHM_MAP, s, task, 0x400000, BW_R_EXEC, 0, NULL) == BW_OK);
	expect("map into a task without a manage right", sys(BW_SYS_SHM_MAP, s, H_PEER, 0x400000, BW_R_READ, 0, NULL) == BW_E_TYPE);
	bw_handle th = 0;
	expect("thread in the new task", bw_thread_create(task, (void (*)(uint64_t))0x400000ul, (void *)0x800000ul, MY_PRIO, 0, &th) == BW_OK);
	bw_yield();
	expect("thread in the new task ran and exited", thread_state(th, NULL) == BW_THREAD_EXITED);
	uint64_t granted = 0;
	expect("grant a handle into the new task", sys(BW_SYS_HANDLE_GRANT, s, task, BW_R_READ, 0, 0, &granted) == BW_OK && granted != 0);
	bw_handle nogrant = mint(s, BW_R_READ, 0);
	expect("grant without the grant right", sys(BW_SYS_HANDLE_GRANT, nogrant, task, BW_R_READ, 0, 0, NULL) == BW_E_RIGHTS);
	bw_close(nogrant);
	bw_close(th);
	bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
	uint64_t with_task = r.x[2];
	bw_close(task);
	bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
	expect("task destroyed, its quota refunded", r.x[2] > with_task);
	sys(BW_SYS_UNMAP, 0, SCRATCH_VA, 0, 0, 0, NULL);
	bw_close(s);
}

/* ---- preemption points ---------------------------------------------- */

static uint64_t restarts_so_far(void)
{
	struct bw_regs r;
	bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
	return r.x[3];
}

/* Whether an interrupt arrives during one clearing depends on the host's
 * timing (no -icount here), so a few attempts are allowed. */
static void test_preemption_point(void)
{
	int created = 1, preempted = 0, zero = 1;
	for (int attempt = 0; attempt < 8 && created && !preempted; attempt++) {
		uint64_t before = restarts_so_far();
		bw_handle big = create(BW_SYS_SHM_CREATE, 16ul << 20);
		created = big != 0;
		preempted = restarts_so_far() > before;
		if (created && sys(BW_SYS_SHM_MAP, big, 0, SCRATCH_VA, BW_R_READ, 0, NULL) == BW_OK) {
			for (uint64_t off = 0; off < (16ul << 20); off += 1ul << 20)
				zero &= *(volatile uint64_t *)(SCRATCH_VA + off + 4088) == 0;
			sys(BW_SYS_UNMAP, 0, SCRATCH_VA, 0, 0, 0, NULL);
		} else {
			zero = 0;
		}
		bw_close(big);
	}
	expect("largest shared region (16 MiB) created", created);
	expect("its clearing was preempted and resumed", preempted);
	expect("resumed clearing left it all zero", zero);
}

/* A chain of tasks, each holding the only handle to the previous one:
 * closing the last destroys all of them, without recursing in the kernel. */
static void test_task_chain(void)
{
	int built = 1, destroyed = 1, refunded = 1, preempted = 0;
	for (int attempt = 0; attempt < 4 && !preempted; attempt++) {
		struct bw_regs r;
		bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
		uint64_t quota = r.x[2];
		bw_handle prev = 0;
		int made = 0, ok = 1;
		for (int i = 0; i < 1000 && ok; i++) {
			bw_handle t = create(BW_SYS_TASK_CREATE, 4096);
			if (!t)
				break;
			if (prev)
				ok = sys(BW_SYS_HANDLE_GRANT, prev, t, BW_R_ALL, 0, 0, NULL) == BW_OK && bw_close(prev) == BW_OK;
			prev = t;
			made++;
		}
		built &= ok && made == 1000;
		uint64_t before = restarts_so_far();
		destroyed &= bw_close(prev) == BW_OK;
		preempted = restarts_so_far() > before;
		bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r);
		refunded &= r.x[2] == quota;
	}
	expect("chain of 1000 tasks built", built);
	expect("closing its head destroys the chain", destroyed);
	expect("all their memory came back", refunded);
	expect("the teardown was preempted and resumed", preempted);
}

/* More address spaces than VMIDs (255): running them all in turn forces
 * VMID rollovers; everything must keep working across them. */
static void test_vmid_rollover(void)
{
	static const uint32_t exit_code[] = {0xd2800148 /* mov x8, #10 */, 0xd4000001 /* svc #0 */, 0x14000000};
	bw_handle code = create(BW_SYS_SHM_CREATE, 4096);
	sys(BW_SYS_SHM_MAP, code, 0, SCRATCH_VA, BW_R_READ | BW_R_WRITE, 0, NULL);
	memcpy((void *)SCRATCH_VA, exit_code, sizeof(exit_code));
	int ran = 0;
	for (int i = 0; i < 300; i++) {
		bw_handle task = create(BW_SYS_TASK_CREATE, 16384);
		bw_handle th = 0;
		if (task && sys(BW_SYS_SHM_MAP, code, task, 0x400000, BW_R_EXEC, 0, NULL) == BW_OK &&
		    bw_thread_create(task, (void (*)(uint64_t))0x400000ul, (void *)0x800000ul, MY_PRIO, 0, &th) == BW_OK) {
			bw_yield();
			ran += thread_state(th, NULL) == BW_THREAD_EXITED;
		}
		bw_close(th);
		bw_close(task);
	}
	expect("300 address spaces ran in turn (VMID rollover)", ran == 300);
	struct bw_msg m = {.info = bw_info(PEER_ECHO, 0, 0), .mr = {0, 5}};
	expect("IPC across spaces after rollover", bw_call(H_PEER, &m) == BW_OK && m.mr[1] == 6);
	sys(BW_SYS_UNMAP, 0, SCRATCH_VA, 0, 0, 0, NULL);
	bw_close(code);
}

/* ---- handles, devices, misc ------------------------------------------ */

static void test_misc(void)
{
	expect("unknown system call", sys(BW_SYS_COUNT, 0, 0, 0, 0, 0, NULL) == BW_E_NOSYS);
	expect("huge system call number", sys(~0ul, 0, 0, 0, 0, 0, NULL) == BW_E_NOSYS);
	expect("close: handle 0", bw_close(0) == BW_E_BADHANDLE);
	expect("device map: not a device", sys(BW_SYS_DEV_MAP, H_PEER, SCRATCH_VA, 0, 0, 0, NULL) == BW_E_TYPE);
	expect("irq bind: not a device", sys(BW_SYS_IRQ_BIND, H_FDONE, 0, 0, 0, 0, NULL) == BW_E_TYPE);
	expect("irq ack: not a device", sys(BW_SYS_IRQ_ACK, H_PEER, 0, 0, 0, 0, NULL) == BW_E_TYPE);
	expect("debug output: too long", bw_debug_puts("x", 257) == BW_E_MSGSIZE);
	expect("debug output: kernel address", bw_debug_puts((const char *)KERNEL_VA, 4) == BW_E_FAULT);

	struct bw_msg m = {.info = bw_info(BW_CONSOLE_IRQ_TEST, 0, 0)};
	expect("device IRQ reaches its driver as a notification, acked", bw_call(H_CON, &m) == BW_OK && m.mr[0] == 1);

	bw_handle n = create(BW_SYS_NOTIFY_CREATE, 0);
	static bw_handle many[200];
	int count = 0;
	while (count < 200 && (many[count] = mint(n, BW_R_SEND, 0)) != 0)
		count++;
	expect("handle table fills up with an error", count > 50 && count < 200 &&
							 sys(BW_SYS_HANDLE_MINT, n, BW_R_SEND, 0, 0, 0, NULL) == BW_E_FULL);
	for (int i = 0; i < count; i++)
		bw_close(many[i]);
	expect("handles usable again after closing", mint(n, BW_R_SEND, 0) != 0);
	bw_close(n);
}

void test_ipc_as_vm(void (*check)(const char *, int), uint64_t prio); /* as_vm.c */
void test_lifecycle(void (*check)(const char *, int), uint64_t prio); /* lifecycle.c */

int main(void)
{
	bw_console_set(H_CON);
	bw_printf("kernel test suite starting\n");
	test_ipc_peer();
	test_ipc_local();
	test_ipc_partners_gone();
	test_notify();
	test_threads();
	test_fp();
	test_faults();
	test_memory();
	test_preemption_point();
	test_task_chain();
	test_vmid_rollover();
	test_misc();
	test_ipc_as_vm(expect, MY_PRIO);
	test_lifecycle(expect, MY_PRIO);
	uint64_t bits = 0;
	expect("fuzzer finished with every call answered", bw_wait(H_FDONE, &bits) == BW_OK && bits == 1);
	expect("IPC still works after the fuzzer", ({
		       struct bw_msg m = {.info = bw_info(PEER_ECHO, 0, 0), .mr = {0, 1}};
		       bw_call(H_PEER, &m) == BW_OK && m.mr[1] == 2;
	       }));
	bw_printf("%u passed, %u failed\n", passed, failed);
	return 0;
}
