/* Kernel entry from EL0: system calls (fast path first), faults and
 * interrupts. Whatever a task does ends in an error code, a fault report
 * or the task being stopped; never in a kernel panic. */
#include <kernel/kernel.h>
#include <kernel/irq.h>
#include <kernel/vcpu.h>
#include <arch/sysreg.h>
#include "fastpath.h"

void fp_switch(struct thread *t);

static const char *fault_name(u64 ec)
{
	switch (ec) {
	case EC_IABT_LOW: return "instruction abort";
	case EC_DABT_LOW: return "data abort";
	case EC_UNKNOWN: return "undefined instruction";
	case EC_PC_ALIGN: return "PC alignment fault";
	case EC_SP_ALIGN: return "SP alignment fault";
	case EC_BRK: return "breakpoint";
	case EC_SYSREG: return "system register access";
	case EC_ILLEGAL: return "illegal execution state";
	}
	return "exception";
}

static void user_fault(struct thread *t, u64 esr)
{
	u64 far = read_sysreg(far_el2);
	t->last_esr = esr;
	if (t->fault_ep) {
		ipc_send_fault(t, esr, far);
		return;
	}
	thread_stop(t, fault_name(esr >> 26));
}

/* First stop of every synchronous exception from EL0 (entry.S). */
struct thread *fastpath(struct thread *t)
{
	if (unlikely((read_sysreg(esr_el2) >> 26) != EC_SVC64))
		return NULL;
	u64 nr = t->ctx.x[8];
	if (nr == BW_SYS_CALL)
		return fastpath_call(t);
	if (nr == BW_SYS_REPLY_RECV)
		return fastpath_reply_recv(t);
	return NULL;
}

struct thread *handle_el0_sync(struct thread *t)
{
	BENCH_PASS_BEGIN();
	u64 esr = read_sysreg(esr_el2);
	u64 ec = esr >> 26;
	if (t->vcpu) {
		vcpu_exit(t, esr);
	} else if (likely(ec == EC_SVC64)) {
		u64 nr = t->ctx.x[8];
		u64 r = nr < BW_SYS_COUNT ? syscall_slow(t, nr) : BW_E_NOSYS;
		if (r == RET_RESTART)
			t->ctx.pc -= 4; /* back to the svc */
		else if (r != RET_BLOCKED)
			t->ctx.x[0] = r;
	} else if (ec == EC_FP) {
		fp_switch(t);
	} else if (ec == EC_WFX) {
		t->ctx.pc += 4;
		sched_yield();
	} else {
		user_fault(t, esr);
	}
	struct thread *next = schedule();
	BENCH_PASS_END();
	return next;
}

/* Take every pending interrupt; also the idle loop's work. */
void handle_pending_irqs(void)
{
	for (;;) {
		u32 id = irq_acknowledge();
		if (id >= IRQ_SPURIOUS)
			return;
		if (id == IRQ_TIMER) {
			timer_rearm();
			sched_tick();
			vcpu_tick();
		} else if (id == VCPU_VTIMER_PPI) {
			if (vcpu_timer_irq()) {
				/* Hardware-linked into the guest: its EOI deactivates it. */
				irq_drop_priority(id);
				continue;
			}
		} else if (!vcpu_irq(id)) {
			device_irq(id);
		}
		irq_eoi(id);
	}
}

struct thread *handle_el0_irq(struct thread *t)
{
	(void)t;
	handle_pending_irqs();
	return schedule();
}

struct thread *handle_el0_serror(struct thread *t)
{
	user_fault(t, read_sysreg(esr_el2));
	return schedule();
}
