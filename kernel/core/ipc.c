/* Synchronous IPC endpoints: call, reply, send, receive, reply-receive.
 *
 * An endpoint holds one queue, of blocked senders or of blocked receivers
 * (never both). A message is four registers, plus optionally up to
 * BW_MSG_BUF_MAX bytes copied between the two address spaces and one
 * transferred handle; it stays in the blocked sender's saved registers
 * until a receiver takes it, so blocking costs no kernel memory. A call
 * leaves the caller blocked for the reply and records it in the callee's
 * single reply slot (t->caller). The fast paths for call and reply-receive
 * are in fastpath.h; everything here is the general ("slow") path. */
#include <kernel/vcpu.h>
#include <kernel/kernel.h>
#include <kernel/security.h>

static struct thread *queue_pop(struct endpoint *ep)
{
	struct thread *t = container_of(ep->queue.next, struct thread, wait_link);
	list_del(&t->wait_link);
	if (list_empty(&ep->queue))
		ep->qstate = EPQ_IDLE;
	t->waiting_on = NULL;
	return t;
}

static void queue_push(struct endpoint *ep, struct thread *t, u8 qstate, u8 tstate)
{
	list_add_tail(&ep->queue, &t->wait_link);
	ep->qstate = qstate;
	t->state = tstate;
	t->waiting_on = &ep->obj;
}

/* Copy the handle named by the sender's x6 into the receiver's table. */
static u32 transfer_handle(struct thread *s, struct thread *r)
{
	struct handle_entry *e;
	if (ht_lookup(&s->task->ht, (u32)s->ctx.x[6], KOBJ_NONE, BW_R_GRANT, &e) != BW_OK)
		return 0;
	if (!check_noblock(s->task->obj.sid, e->obj->sid, SC_HANDLE, P_HANDLE_TRANSFER))
		return 0;
	u32 h = ht_insert(&r->task->ht, e->obj, e->rights, e->badge);
	if (h)
		obj_get(e->obj);
	return h;
}

/* Deliver s's message to r, which is waiting to receive (or for a reply). */
static void transfer(struct thread *s, struct thread *r, u64 badge)
{
	struct regs *sr = &s->ctx, *rr = &r->ctx;
	u64 err = BW_OK;
	if (s->fault_pending) {
		rr->x[1] = bw_info(s->exiting ? BW_EXIT_LABEL : BW_FAULT_LABEL, 0, 0) | BW_INFO_FAULT;
		rr->x[2] = s->last_esr;
		rr->x[3] = s->fault_far;
		rr->x[4] = sr->pc;
		rr->x[5] = s->vcpu ? vcpu_fault_mr3(s) : s->tid; /* a VM exit: bulwark/vcpu.h */
	} else {
		u64 info = sr->x[1];
		u64 out = info & ~((1ull << BW_INFO_LABEL_SHIFT) - 1); /* the label */
		u64 len = bw_info_len(info);
		if (len) {
			u64 cap = bw_info_cap(rr->x[1]);
			if (len > cap)
				len = cap;
			if (!copy_user_to_user(r->task, rr->x[7], s->task, sr->x[7], len)) {
				err = BW_E_FAULT;
				len = 0;
			}
		}
		if (info & BW_INFO_XFER) {
			u32 h = transfer_handle(s, r);
			if (h) {
				rr->x[7] = h;
				out |= BW_INFO_XFER;
			}
		}
		rr->x[1] = out | len;
		rr->x[2] = sr->x[2];
		rr->x[3] = sr->x[3];
		rr->x[4] = sr->x[4];
		rr->x[5] = sr->x[5];
	}
	rr->x[6] = badge;
	rr->x[0] = err;
}

/* The receiver r now owes s a reply; a previous caller it never answered
 * is released with an error (one reply slot per thread). */
static void set_caller(struct thread *r, struct thread *s)
{
	if (r->caller)
		thread_wake_result(r->caller, BW_E_CLOSED);
	r->caller = s;
	s->state = TS_BLOCKED_REPLY;
}

static u64 validate_message(struct thread *t, u64 info)
{
	u64 len = bw_info_len(info), cap = bw_info_cap(info);
	if (len > BW_MSG_BUF_MAX || cap > BW_MSG_BUF_MAX)
		return BW_E_MSGSIZE;
	/* A bad buffer found now is the caller's error, not a surprise for
	 * the receiver later. */
	if (len && !user_range_ok(t->task, t->ctx.x[7], len, PT_R))
		return BW_E_FAULT;
	if (cap && !user_range_ok(t->task, t->ctx.x[7], cap, PT_W))
		return BW_E_FAULT;
	if (info & BW_INFO_XFER) {
		struct handle_entry *e;
		u32 err = ht_lookup(&t->task->ht, (u32)t->ctx.x[6], KOBJ_NONE, BW_R_GRANT, &e);
		if (err)
			return err;
		/* Asked again at delivery, which may be much later. */
		u64 deny = check(t->task->obj.sid, e->obj->sid, SC_HANDLE, P_HANDLE_TRANSFER);
		if (deny)
			return deny;
	}
	return BW_OK;
}

/* BW_INFO_AS_VM: a VMM speaks for the VM it runs (x0's upper half), so a
 * server that decides by its caller's label (policyd) judges the guest,
 * not the VMM.  Running the VM is the authority asked for: a VMM that
 * runs its guest already makes it do whatever it likes, so speaking for it
 * adds nothing.  The VM's SID is kept for BW_SEC_CALLER while the call is
 * outstanding (x1 keeps the flag until the reply overwrites it). */
static u64 vm_subject(struct thread *t, bool call, u32 *sid)
{
	struct handle_entry *e;
	if (!call)
		return BW_E_INVAL; /* a send leaves nobody to ask who sent it */
	u64 err = ht_lookup(&t->task->ht, (u32)(t->ctx.x[0] >> 32), KOBJ_TASK, BW_R_MANAGE, &e);
	if (err)
		return err;
	struct task *vm = container_of(e->obj, struct task, obj);
	if (!vm->vm)
		return BW_E_INVAL;
	u64 deny = check(t->task->obj.sid, vm->obj.sid, SC_VM, P_VM_RUN);
	if (deny)
		return deny;
	*sid = t->as_sid = vm->obj.sid;
	return BW_OK;
}

static u64 do_send(struct thread *t, bool call)
{
	struct handle_entry *e;
	u64 err = ht_lookup(&t->task->ht, (u32)t->ctx.x[0], KOBJ_ENDPOINT, BW_R_SEND, &e);
	if (err)
		return err;
	u64 info = t->ctx.x[1];
	if ((err = validate_message(t, info)))
		return err;
	u32 subject = t->task->obj.sid;
	if ((info & BW_INFO_AS_VM) && (err = vm_subject(t, call, &subject)))
		return err;
	struct endpoint *ep = container_of(e->obj, struct endpoint, obj);
	u64 deny = check(subject, ep->obj.sid, SC_IPC, call ? P_IPC_CALL : P_IPC_SEND);
	if (deny)
		return deny;
	if (ep->qstate == EPQ_RECV) {
		struct thread *r = queue_pop(ep);
		transfer(t, r, e->badge);
		thread_wake(r);
		if (!call)
			return BW_OK;
		set_caller(r, t);
		return RET_BLOCKED;
	}
	if (info & BW_INFO_NONBLOCK)
		return BW_E_AGAIN;
	t->is_call = call;
	t->send_badge = e->badge;
	queue_push(ep, t, EPQ_SEND, TS_BLOCKED_SEND);
	return RET_BLOCKED;
}

static u64 do_recv(struct thread *t)
{
	struct handle_entry *e;
	u32 err = ht_lookup(&t->task->ht, (u32)t->ctx.x[0], KOBJ_ENDPOINT, BW_R_RECV, &e);
	if (err)
		return err;
	u64 info = t->ctx.x[1];
	if (bw_info_cap(info) > BW_MSG_BUF_MAX)
		return BW_E_MSGSIZE;
	if (bw_info_cap(info) && !user_range_ok(t->task, t->ctx.x[7], bw_info_cap(info), PT_W))
		return BW_E_FAULT;
	struct endpoint *ep = container_of(e->obj, struct endpoint, obj);
	u64 deny = check(t->task->obj.sid, ep->obj.sid, SC_IPC, P_IPC_RECEIVE);
	if (deny)
		return deny;
	/* policyd's upcall endpoint: the kernel's queries come first. */
	if (unlikely(ep->upcall) && security_deliver(t))
		return RET_BLOCKED; /* the registers hold the message */
	if (ep->qstate == EPQ_SEND) {
		struct thread *s = queue_pop(ep);
		transfer(s, t, s->send_badge);
		if (s->is_call)
			set_caller(t, s);
		else
			thread_wake_result(s, BW_OK);
		return RET_BLOCKED; /* transfer() wrote the results */
	}
	if (info & BW_INFO_NONBLOCK)
		return BW_E_AGAIN;
	queue_push(ep, t, EPQ_RECV, TS_BLOCKED_RECV);
	return RET_BLOCKED;
}

static u64 do_reply(struct thread *t)
{
	struct thread *c = t->caller;
	if (!c)
		return BW_E_STATE;
	u64 info = t->ctx.x[1];
	u64 err;
	if (c->fault_pending) {
		t->caller = NULL;
		c->fault_pending = false;
		if (c->exiting) {
			thread_exit(c); /* it asked to go: the answer only says it was heard */
		} else if (bw_info_label(info) == BW_FAULT_RESUME) {
			if (c->vcpu)
				vcpu_reply(c, t->ctx.x[2], t->ctx.x[3]);
			thread_wake(c);
		}
		else
			thread_stop(c, "fault handler refused to resume it");
		return BW_OK;
	}
	if ((err = validate_message(t, info)))
		return err;
	t->caller = NULL;
	transfer(t, c, 0);
	thread_wake(c);
	return BW_OK;
}

u64 sys_ipc(struct thread *t, u64 nr)
{
	u64 r;
	switch (nr) {
	case BW_SYS_CALL:
		return do_send(t, true);
	case BW_SYS_SEND:
		return do_send(t, false);
	case BW_SYS_RECV:
		return do_recv(t);
	case BW_SYS_REPLY:
		return do_reply(t);
	case BW_SYS_REPLY_RECV:
		if (t->caller && (r = do_reply(t)) != BW_OK)
			return r;
		return do_recv(t);
	}
	return BW_E_NOSYS;
}

/* A fault is a call the thread makes involuntarily: the message (ESR, FAR,
 * PC, thread id) is built by the kernel, the handler's reply decides.  A
 * decision not yet cached parks t; the answer calls this again. */
void ipc_send_fault(struct thread *t, u64 esr, u64 far)
{
	struct endpoint *ep = t->fault_ep;
	t->last_esr = esr;
	t->fault_far = far;
	u64 deny = ep ? check_fault(t, t->task->obj.sid, ep->obj.sid, SC_IPC, P_IPC_CALL) : BW_E_DENIED;
	if (deny == RET_BLOCKED)
		return;
	if (deny) {
		thread_fault_abandoned(t, ep ? "fault report denied by policy" : "fault with no handler");
		return;
	}
	t->fault_pending = true;
	if (ep->qstate == EPQ_RECV) {
		struct thread *r = queue_pop(ep);
		transfer(t, r, t->fault_badge);
		thread_wake(r);
		set_caller(r, t);
		return;
	}
	t->is_call = true;
	t->send_badge = t->fault_badge;
	queue_push(ep, t, EPQ_SEND, TS_BLOCKED_SEND);
}

/* A policy change withdrew what queued thread t exercises on ep
 * (security.c's scan): it leaves the queue refused, as its system call
 * would be now; a queued fault report is refused as a fresh one would be. */
void ipc_waiter_revoke(struct endpoint *ep, struct thread *t)
{
	list_del(&t->wait_link);
	if (list_empty(&ep->queue))
		ep->qstate = EPQ_IDLE;
	t->waiting_on = NULL;
	if (t->fault_pending) {
		t->fault_pending = false;
		thread_fault_abandoned(t, "fault report denied by policy");
		return;
	}
	thread_wake_result(t, BW_E_DENIED);
}

void ipc_endpoint_destroy(struct endpoint *ep)
{
	while (!list_empty(&ep->queue)) {
		struct thread *t = queue_pop(ep);
		if (t->fault_pending) {
			t->fault_pending = false;
			thread_fault_abandoned(t, "fault endpoint destroyed");
		} else {
			thread_wake_result(t, BW_E_CLOSED);
		}
	}
}
