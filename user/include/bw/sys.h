/* System-call stubs for Bulwark user programs (ABI: include/bulwark/syscall.h). */
#ifndef BW_SYS_H
#define BW_SYS_H

#include <bulwark/errors.h>
#include <bulwark/syscall.h>
#include <stdint.h>
#include <stddef.h>

typedef uint32_t bw_handle;

/* Handles every boot task starts with; the description's follow from 3. */
#define BW_HANDLE_SELF_TASK   ((1u << 10) | 1u)
#define BW_HANDLE_SELF_THREAD ((1u << 10) | 2u)
#define BW_BOOT_HANDLE(i)     ((1u << 10) | (3u + (i)))

/* x0..x7 in, x0..x7 out. */
struct bw_regs {
	uint64_t x[8];
};

static inline uint64_t bw_syscall(uint64_t nr, struct bw_regs *r)
{
	register uint64_t x0 __asm__("x0") = r->x[0];
	register uint64_t x1 __asm__("x1") = r->x[1];
	register uint64_t x2 __asm__("x2") = r->x[2];
	register uint64_t x3 __asm__("x3") = r->x[3];
	register uint64_t x4 __asm__("x4") = r->x[4];
	register uint64_t x5 __asm__("x5") = r->x[5];
	register uint64_t x6 __asm__("x6") = r->x[6];
	register uint64_t x7 __asm__("x7") = r->x[7];
	register uint64_t x8 __asm__("x8") = nr;
	__asm__ volatile("svc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
			 : "r"(x8)
			 : "memory");
	r->x[0] = x0;
	r->x[1] = x1;
	r->x[2] = x2;
	r->x[3] = x3;
	r->x[4] = x4;
	r->x[5] = x5;
	r->x[6] = x6;
	r->x[7] = x7;
	return x0;
}

static inline uint64_t bw_sys3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *out1)
{
	struct bw_regs r = {{a0, a1, a2, 0, 0, 0, 0, 0}};
	uint64_t e = bw_syscall(nr, &r);
	if (out1)
		*out1 = r.x[1];
	return e;
}

static inline uint64_t bw_sys(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
				struct bw_regs *out)
{
	struct bw_regs r = {{a0, a1, a2, a3, a4, 0, 0, 0}};
	uint64_t e = bw_syscall(nr, &r);
	if (out)
		*out = r;
	return e;
}

/* An IPC message as user code sees it. */
struct bw_msg {
	uint64_t info;      /* label, lengths, flags (bw_info()) */
	uint64_t mr[BW_MSG_REGS];
	uint64_t badge;     /* out: the sender's badge */
	uint64_t handle;    /* in: handle to transfer (BW_INFO_XFER); out: received one */
	void *buf;          /* optional buffer (see BW_INFO_LEN/CAP) */
};

static inline uint64_t bw_ipc(uint64_t nr, bw_handle h, struct bw_msg *m)
{
	struct bw_regs r = {{h, m->info, m->mr[0], m->mr[1], m->mr[2], m->mr[3], m->handle,
			     (uint64_t)(uintptr_t)m->buf}};
	uint64_t e = bw_syscall(nr, &r);
	if (nr != BW_SYS_SEND && nr != BW_SYS_REPLY && e == BW_OK) {
		m->info = r.x[1];
		for (int i = 0; i < BW_MSG_REGS; i++)
			m->mr[i] = r.x[2 + i];
		m->badge = r.x[6];
		if (m->info & BW_INFO_XFER)
			m->handle = r.x[7];
	}
	return e;
}

static inline uint64_t bw_call(bw_handle h, struct bw_msg *m) { return bw_ipc(BW_SYS_CALL, h, m); }
static inline uint64_t bw_send(bw_handle h, struct bw_msg *m) { return bw_ipc(BW_SYS_SEND, h, m); }
static inline uint64_t bw_recv(bw_handle h, struct bw_msg *m) { return bw_ipc(BW_SYS_RECV, h, m); }
static inline uint64_t bw_reply(struct bw_msg *m) { return bw_ipc(BW_SYS_REPLY, 0, m); }
static inline uint64_t bw_reply_recv(bw_handle h, struct bw_msg *m) { return bw_ipc(BW_SYS_REPLY_RECV, h, m); }

static inline uint64_t bw_signal(bw_handle h) { return bw_sys3(BW_SYS_SIGNAL, h, 0, 0, NULL); }
static inline uint64_t bw_wait(bw_handle h, uint64_t *bits) { return bw_sys3(BW_SYS_WAIT, h, 0, 0, bits); }
/* Waits at most us microseconds (rounded up to the kernel's 1 ms tick):
 * BW_E_TIMEOUT if nothing was signalled by then. */
static inline uint64_t bw_wait_timeout(bw_handle h, uint64_t us, uint64_t *bits)
{
	return bw_sys3(BW_SYS_WAIT, h, us ? us : 1, 0, bits);
}
/* Gives the CPU away for us microseconds (at least one tick). */
static inline void bw_sleep_us(uint64_t us) { bw_wait_timeout(0, us, NULL); }
static inline uint64_t bw_poll(bw_handle h, uint64_t *bits) { return bw_sys3(BW_SYS_POLL, h, 0, 0, bits); }
static inline uint64_t bw_yield(void) { return bw_sys3(BW_SYS_YIELD, 0, 0, 0, NULL); }
static inline uint64_t bw_close(bw_handle h) { return bw_sys3(BW_SYS_HANDLE_CLOSE, h, 0, 0, NULL); }

static inline uint64_t bw_thread_create(bw_handle task, void (*entry)(uint64_t), void *stack_top,
					uint64_t prio, uint64_t arg, bw_handle *out)
{
	struct bw_regs r = {{task, (uint64_t)(uintptr_t)entry, (uint64_t)(uintptr_t)stack_top, prio, arg, 0, 0, 0}};
	uint64_t e = bw_syscall(BW_SYS_THREAD_CREATE, &r);
	if (e == BW_OK && out)
		*out = (bw_handle)r.x[1];
	return e;
}

_Noreturn static inline void bw_thread_exit(void)
{
	struct bw_regs r = {{0}};
	bw_syscall(BW_SYS_THREAD_EXIT, &r);
	for (;;)
		;
}

static inline uint64_t bw_debug_puts(const char *s, size_t n)
{
	return bw_sys3(BW_SYS_DEBUG_PUTS, (uint64_t)(uintptr_t)s, n, 0, NULL);
}

/* The PMU's retired-instruction counter (readable at EL0 on Bulwark). */
static inline uint64_t bw_insns(void)
{
	uint64_t v;
	__asm__ volatile("isb\n mrs %0, pmevcntr0_el0" : "=r"(v));
	return v;
}

#endif
