/* Threads and the scheduler: fixed priorities, preemptive, round-robin
 * with time slices within a priority. The running thread is not in the run
 * queue; every kernel exit goes through schedule(), which keeps it running
 * unless something of higher priority is ready or its slice ran out. */
#include <kernel/kernel.h>
#include <kernel/irq.h>
#include <kernel/security.h>
#include <kernel/vcpu.h>
#include <arch/sysreg.h>

#define SLICE_TICKS 5 /* default quantum: 5 ms */

static u32 next_tid = 1;

struct thread *thread_create(struct task *tk, u64 entry, u64 sp, u8 prio, u64 arg, u32 *err)
{
	struct thread *t = kpage_alloc(tk, sizeof(struct thread) / PAGE_SIZE + 1);
	if (!t) {
		*err = BW_E_NOMEM;
		return NULL;
	}
	t->obj.type = KOBJ_THREAD;
	t->obj.refs = 1; /* its life; handles add theirs */
	t->obj.sid = tk->obj.sid;
	t->task = tk;
	obj_get(&tk->obj);
	tk->threads++;
	t->tid = next_tid++;
	t->sn.prio = prio;
	t->max_prio = prio;
	t->slice_ticks = SLICE_TICKS;
	t->slice_left = SLICE_TICKS;
	list_init(&t->wait_link);
	list_init(&t->timed_link);
	t->ctx.pc = entry;
	t->ctx.sp = sp;
	t->ctx.spsr = SPSR_EL0T;
	t->ctx.x[0] = arg;
	t->fp.fpcr = 0;
	thread_wake(t);
	*err = BW_OK;
	return t;
}

void thread_wake(struct thread *t)
{
	t->state = TS_RUNNABLE;
	t->waiting_on = NULL;
	if (t != current())
		runq_add(&this_cpu()->rq, &t->sn);
}

void thread_wake_result(struct thread *t, u64 err)
{
	t->ctx.x[0] = err;
	thread_wake(t);
}

static void leave_cpu(struct thread *t)
{
	if (t->restart_obj) { /* a preempted call that will never resume */
		obj_put(t->restart_obj);
		t->restart_obj = NULL;
	}
	t->restart_close = false;
	runq_remove(&this_cpu()->rq, &t->sn);
	if (this_cpu()->fp_owner == t)
		this_cpu()->fp_owner = NULL;
}

/* A thread that goes away answers its pending caller with BW_E_CLOSED; a
 * caller waiting for its fault to be handled (a vCPU's VM exit) cannot be
 * resumed without the handler's answer: it stops. */
static void drop_caller(struct thread *t)
{
	struct thread *c = t->caller;
	if (!c)
		return;
	t->caller = NULL;
	if (c->fault_pending) {
		c->fault_pending = false;
		thread_fault_abandoned(c, "its fault handler went away");
	} else {
		thread_wake_result(c, BW_E_CLOSED);
	}
}

void thread_exit(struct thread *t)
{
	leave_cpu(t);
	drop_caller(t);
	t->state = TS_EXITED;
	t->task->threads--;
	if (t->fault_ep) {
		obj_put(&t->fault_ep->obj);
		t->fault_ep = NULL;
	}
	if (t == current())
		this_cpu()->current = NULL;
	obj_put(&t->obj);
}

void thread_stop(struct thread *t, const char *why)
{
	static u32 reports;
	leave_cpu(t);
	drop_caller(t);
	t->state = TS_STOPPED;
	if (t == current())
		this_cpu()->current = NULL;
	/* A fuzzer can stop threads by the thousand: the console must not. */
	if (++reports <= 32)
		kprintf("[kernel] task %s thread %u stopped: %s (esr %lx pc %lx)\n", t->task->name, t->tid,
			why, t->last_esr, t->ctx.pc);
	else if (reports == 33)
		kprintf("[kernel] further stop reports suppressed\n");
}

void thread_fault_abandoned(struct thread *t, const char *why)
{
	if (t->exiting)
		thread_exit(t);
	else
		thread_stop(t, why);
}

void thread_unreferenced(struct thread *t)
{
	if (t->state != TS_STOPPED)
		return; /* it runs on, or waits, unobserved: its life is its own */
	t->state = TS_EXITED;
	t->task->threads--;
	if (t->fault_ep) {
		obj_put(&t->fault_ep->obj);
		t->fault_ep = NULL;
	}
	obj_put(&t->obj);
}

void thread_set_prio(struct thread *t, u8 prio)
{
	struct runq *rq = &this_cpu()->rq;
	bool queued = t->sn.queued;
	runq_remove(rq, &t->sn);
	t->sn.prio = prio;
	if (queued)
		runq_add(rq, &t->sn);
}

/* Give up the rest of the slice: to the back of the priority's queue. */
void sched_yield(void)
{
	struct thread *t = current();
	if (t)
		t->slice_left = t->slice_ticks;
	this_cpu()->slice_expired = true;
}

void sched_tick(void)
{
	struct thread *t = current();
	this_cpu()->ticks++;
	security_tick();
	notify_tick();
	if (t && --t->slice_left == 0) {
		t->slice_left = t->slice_ticks;
		this_cpu()->slice_expired = true;
	}
}

/* Switch the CPU's user context to `next`: address space, TPIDR_EL0, and
 * the FP trap (lazy FP: the registers are switched only when the new
 * thread touches them). */
static void switch_to(struct thread *prev, struct thread *next)
{
	struct percpu *cpu = this_cpu();
	if (prev)
		prev->tpidr = read_sysreg(tpidr_el0);
	write_sysreg(tpidr_el0, next->tpidr);
	task_load_space(next->task);
	vcpu_switch(next);
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | (1ull << 8) | (1ull << 12) | (cpu->fp_owner == next ? 0 : CPTR_TFP));
	cpu->current = next;
}

static void idle(void)
{
	extern void handle_pending_irqs(void);
	while (!this_cpu()->rq.bitmap) {
		if (reap_pending()) {
			reap_continue(); /* returns at a pending interrupt */
			handle_pending_irqs();
			continue;
		}
		/* Interrupts stay masked in the kernel: wfi still wakes on a
		 * pending one, which is then handled by polling. */
		__asm__ volatile("dsb sy\n wfi" ::: "memory");
		handle_pending_irqs();
	}
}

struct thread *schedule(void)
{
	struct percpu *cpu = this_cpu();
	struct thread *cur = cpu->current;
	if (unlikely(reap_pending()))
		reap_continue();
	if (cur && cur->state == TS_RUNNABLE) {
		int top = runq_top_prio(&cpu->rq);
		bool expired = cpu->slice_expired;
		cpu->slice_expired = false;
		if (top < cur->sn.prio || (top == cur->sn.prio && !expired))
			return cur;
		if (expired)
			runq_add(&cpu->rq, &cur->sn);
		else
			runq_add_head(&cpu->rq, &cur->sn); /* preempted: keeps its turn */
	}
	cpu->slice_expired = false;
	if (!cpu->rq.bitmap) {
		cpu->current = NULL;
		idle();
	}
	struct sched_node *n = runq_peek(&cpu->rq);
	runq_remove(&cpu->rq, n);
	struct thread *next = container_of(n, struct thread, sn);
	if (next != cur)
		switch_to(cur, next);
	else
		cpu->current = next;
	return next;
}

/* First use of FP/SIMD by a thread that does not own the registers. */
void fp_switch(struct thread *t)
{
	extern void fp_save(struct fpstate *), fp_restore(struct fpstate *);
	struct percpu *cpu = this_cpu();
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | (1ull << 8) | (1ull << 12));
	isb();
	if (cpu->fp_owner)
		fp_save(&cpu->fp_owner->fp);
	fp_restore(&t->fp);
	cpu->fp_owner = t;
}
