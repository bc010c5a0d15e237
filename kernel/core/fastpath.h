/* IPC fast paths: call and reply-receive in a straight line for the common
 * case (register-only message, peer already waiting, peer may run now).
 * Any other case returns NULL before changing anything, and the general
 * path in ipc.c handles it with identical results: the fast path only
 * skips work, never meaning. Included only by trap.c, so the compiler
 * folds it into the exception handler (no calls, no extra frames). */
#ifndef CORE_FASTPATH_H
#define CORE_FASTPATH_H

#include <kernel/kernel.h>
#include <arch/sysreg.h>

/* Anything but a label needs the general path: a buffer (whose pages it
 * validates), a handle transfer, non-blocking mode, a call made as a VM. */
#define FAST_INFO_REJECT \
	(BW_INFO_LEN_MASK | BW_INFO_CAP_MASK | BW_INFO_XFER | BW_INFO_NONBLOCK | BW_INFO_FAULT | BW_INFO_AS_VM)

/* The fast path does not renew VMIDs: a space whose VMID a rollover
 * retired takes the general path once. */
static inline bool fast_space_ok(const struct thread *prev, const struct thread *next)
{
	return next->task == prev->task || next->task->vmid.gen == vmids.gen;
}

static inline void fast_switch(struct percpu *cpu, struct thread *prev, struct thread *next)
{
	prev->tpidr = read_sysreg(tpidr_el0);
	write_sysreg(tpidr_el0, next->tpidr);
	u64 vttbr = next->task->s2.vttbr;
	if (vttbr != cpu->vttbr) {
		cpu->vttbr = vttbr;
		arch_load_space(vttbr);
	}
	/* Lazy FP: trap unless next owns the registers. The trap can only
	 * change if prev or next owns them (invariant: trapped iff the running
	 * thread is not the owner), so that is all we test. */
	u64 cptr = CPTR_EL2_RES1 | (1ull << 8) | (1ull << 12) | (cpu->fp_owner == next ? 0 : CPTR_TFP);
	if (unlikely(cpu->fp_owner == prev || cpu->fp_owner == next))
		write_sysreg(cptr_el2, cptr);
	cpu->current = next;
}

static inline void copy_mrs(struct regs *to, const struct regs *from, u64 info, u64 badge)
{
	to->x[0] = BW_OK;
	to->x[1] = info & ~((1ull << BW_INFO_LABEL_SHIFT) - 1);
	to->x[2] = from->x[2];
	to->x[3] = from->x[3];
	to->x[4] = from->x[4];
	to->x[5] = from->x[5];
	to->x[6] = badge;
}

static inline struct thread *fastpath_call(struct thread *t)
{
	BENCH_STAMP(stamp_call_start);
	u64 info = t->ctx.x[1];
	if (unlikely(info & FAST_INFO_REJECT))
		return NULL;
	struct handle_entry *e = ht_get(&t->task->ht, (u32)t->ctx.x[0], KOBJ_ENDPOINT, BW_R_SEND);
	if (unlikely(!e))
		return NULL;
	struct endpoint *ep = container_of(e->obj, struct endpoint, obj);
	if (unlikely(ep->qstate != EPQ_RECV))
		return NULL;
	struct thread *r = container_of(ep->queue.next, struct thread, wait_link);
	struct percpu *cpu = this_cpu();
	if (unlikely((int)r->sn.prio < runq_top_prio(&cpu->rq) || r->caller || !fast_space_ok(t, r)))
		return NULL;
	/* Only a cache hit stays on the fast path; the general path audits,
	 * asks policyd or denies. */
	if (unlikely(!avc_hit(&avc, t->task->obj.sid, ep->obj.sid, SC_IPC, P_IPC_CALL)))
		return NULL;

	list_del(&r->wait_link);
	if (list_empty(&ep->queue))
		ep->qstate = EPQ_IDLE;
	r->waiting_on = NULL;
	copy_mrs(&r->ctx, &t->ctx, info, e->badge);
	r->caller = t;
	r->state = TS_RUNNABLE;
	t->state = TS_BLOCKED_REPLY;
	fast_switch(cpu, t, r);
	BENCH_STAMP(stamp_call_end);
	return r;
}

static inline struct thread *fastpath_reply_recv(struct thread *t)
{
	BENCH_STAMP(stamp_rr_start);
	u64 info = t->ctx.x[1];
	struct thread *c = t->caller;
	if (unlikely((info & FAST_INFO_REJECT) || !c || c->fault_pending))
		return NULL;
	struct handle_entry *e = ht_get(&t->task->ht, (u32)t->ctx.x[0], KOBJ_ENDPOINT, BW_R_RECV);
	if (unlikely(!e))
		return NULL;
	struct endpoint *ep = container_of(e->obj, struct endpoint, obj);
	struct percpu *cpu = this_cpu();
	if (unlikely(ep->qstate == EPQ_SEND || ep->upcall || (int)c->sn.prio < runq_top_prio(&cpu->rq) ||
		     !fast_space_ok(t, c)))
		return NULL;
	if (unlikely(!avc_hit(&avc, t->task->obj.sid, ep->obj.sid, SC_IPC, P_IPC_RECEIVE)))
		return NULL;

	t->caller = NULL;
	list_add_tail(&ep->queue, &t->wait_link);
	ep->qstate = EPQ_RECV;
	t->state = TS_BLOCKED_RECV;
	t->waiting_on = &ep->obj;
	copy_mrs(&c->ctx, &t->ctx, info, 0);
	c->state = TS_RUNNABLE;
	fast_switch(cpu, t, c);
	BENCH_STAMP(stamp_rr_end);
	return c;
}

#endif
