/* Notifications: a word of signal bits and a queue of waiters. Signal ORs
 * the handle's badge into the word (or wakes one waiter with it); wait
 * takes and clears the word, or blocks -- for ever, or until a timeout.
 * IRQs reach drivers this way; a wait on no notification is a sleep. */
#include <kernel/kernel.h>
#include <kernel/irq.h>

/* Timed waiters, earliest first: the tick looks at the head only. */
static struct list sleepers = {&sleepers, &sleepers};

/* Every way out of a wait: signalled, timed out, refused or closed. */
static void wake_waiter(struct thread *w, u64 err)
{
	if (!list_empty(&w->timed_link))
		list_del(&w->timed_link);
	thread_wake_result(w, err);
}

void notify_signal(struct notification *n, u64 bits)
{
	if (!list_empty(&n->waiters)) {
		struct thread *w = container_of(n->waiters.next, struct thread, wait_link);
		list_del(&w->wait_link);
		w->ctx.x[1] = n->word | bits;
		n->word = 0;
		wake_waiter(w, BW_OK);
		return;
	}
	n->word |= bits;
}

void notify_destroy(struct notification *n)
{
	while (!list_empty(&n->waiters)) {
		struct thread *w = container_of(n->waiters.next, struct thread, wait_link);
		list_del(&w->wait_link);
		wake_waiter(w, BW_E_CLOSED);
	}
}

/* A policy change withdrew waiter w's wait (security.c's scan): it stops
 * waiting, refused as its wait would be now. */
void notify_waiter_revoke(struct thread *w)
{
	list_del(&w->wait_link);
	wake_waiter(w, BW_E_DENIED);
}

void notify_tick(void)
{
	u64 now = this_cpu()->ticks;
	while (!list_empty(&sleepers)) {
		struct thread *w = container_of(sleepers.next, struct thread, timed_link);
		if (w->wake_tick > now)
			return;
		list_del(&w->wait_link); /* a no-op for a plain sleep */
		w->ctx.x[1] = 0;
		wake_waiter(w, BW_E_TIMEOUT);
	}
}

/* Microseconds to ticks, rounded up so a timeout never comes early. */
static void sleep_until(struct thread *t, u64 us)
{
	u64 per_tick = 1000000 / TICK_HZ;
	u64 ticks = us / per_tick + (us % per_tick != 0);
	t->wake_tick = this_cpu()->ticks + ticks + 1; /* +1: the current tick is partly gone */
	struct list *l = sleepers.next;
	while (l != &sleepers && container_of(l, struct thread, timed_link)->wake_tick <= t->wake_tick)
		l = l->next;
	list_add_tail(l, &t->timed_link); /* before l: keeps the order */
}

/* The largest timeout: about 30 years, so that deadlines never wrap. */
#define TIMEOUT_MAX_US (1ull << 50)

u64 sys_notify(struct thread *t, u64 nr)
{
	u64 timeout = nr == BW_SYS_WAIT ? t->ctx.x[1] : 0;
	if (timeout > TIMEOUT_MAX_US)
		return BW_E_RANGE;
	/* A sleep needs no authority: it only gives time away. */
	if (nr == BW_SYS_WAIT && !t->ctx.x[0] && timeout) {
		t->state = TS_BLOCKED_NOTIFY;
		t->waiting_on = NULL;
		sleep_until(t, timeout);
		return RET_BLOCKED;
	}
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
	if (timeout)
		sleep_until(t, timeout);
	return RET_BLOCKED;
}
