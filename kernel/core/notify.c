/* Notifications: a word of signal bits and a queue of waiters. Signal ORs
 * the handle's badge into the word (or wakes one waiter with it); wait
 * takes and clears the word, or blocks. IRQs reach drivers this way. */
#include <kernel/kernel.h>

void notify_signal(struct notification *n, u64 bits)
{
	if (!list_empty(&n->waiters)) {
		struct thread *w = container_of(n->waiters.next, struct thread, wait_link);
		list_del(&w->wait_link);
		w->ctx.x[1] = n->word | bits;
		n->word = 0;
		thread_wake_result(w, BW_OK);
		return;
	}
	n->word |= bits;
}

void notify_destroy(struct notification *n)
{
	while (!list_empty(&n->waiters)) {
		struct thread *w = container_of(n->waiters.next, struct thread, wait_link);
		list_del(&w->wait_link);
		thread_wake_result(w, BW_E_CLOSED);
	}
}

/* A policy change withdrew waiter w's wait (security.c's scan): it stops
 * waiting, refused as its wait would be now. */
void notify_waiter_revoke(struct thread *w)
{
	list_del(&w->wait_link);
	thread_wake_result(w, BW_E_DENIED);
}

u64 sys_notify(struct thread *t, u64 nr)
{
	struct handle_entry *e;
	u8 right = nr == BW_SYS_SIGNAL ? BW_R_SEND : BW_R_RECV;
	u32 err = ht_lookup(&t->task->ht, (u32)t->ctx.x[0], KOBJ_NOTIFY, right, &e);
	if (err)
		return err;
	struct notification *n = container_of(e->obj, struct notification, obj);
	u32 perm = nr == BW_SYS_SIGNAL ? P_NOTIFICATION_SIGNAL : P_NOTIFICATION_WAIT;
	u64 deny = check(t->task->obj.sid, n->obj.sid, SC_NOTIFICATION, perm);
	if (deny)
		return deny;
	if (nr == BW_SYS_SIGNAL) {
		/* An unbadged handle still signals something. */
		notify_signal(n, e->badge ? e->badge : 1);
		return BW_OK;
	}
	if (n->word || nr == BW_SYS_POLL) {
		t->ctx.x[1] = n->word;
		n->word = 0;
		return BW_OK;
	}
	t->state = TS_BLOCKED_NOTIFY;
	t->waiting_on = &n->obj;
	list_add_tail(&n->waiters, &t->wait_link);
	return RET_BLOCKED;
}
