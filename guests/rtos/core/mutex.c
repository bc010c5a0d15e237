/* Mutex with priority inheritance.
 *
 * An owner runs at least at the priority of the most urgent task waiting for
 * any mutex it holds; the boost follows the chain when that owner is itself
 * waiting for another mutex.  On unlock the owner drops back to what its
 * remaining mutexes justify, and the mutex passes directly to its most
 * urgent waiter, which therefore never has to compete for it again.
 */
#include <rtos/kernel.h>

static void held_push(struct task *t, struct mutex *m)
{
	m->next_held = t->held;
	t->held = m;
}

static void held_remove(struct task *t, struct mutex *m)
{
	for (struct mutex **pp = &t->held; *pp; pp = &(*pp)->next_held)
		if (*pp == m) {
			*pp = m->next_held;
			break;
		}
	m->next_held = NULL;
}

/* The priority t is entitled to: its own, or its most urgent waiter's. */
static unsigned entitled_prio(const struct task *t)
{
	unsigned p = t->base_prio;

	for (const struct mutex *m = t->held; m; m = m->next_held)
		if (m->wq.head && m->wq.head->prio > p)
			p = m->wq.head->prio;
	return p;
}

static void propagate(struct kernel *k, struct task *owner, unsigned prio)
{
	while (owner && owner->prio < prio) {
		k_set_prio(k, owner, prio);
		owner = owner->blocked_on ? owner->blocked_on->owner : NULL;
	}
}

void k_mutex_init(struct mutex *m)
{
	m->owner = NULL;
	m->wq.head = NULL;
	m->next_held = NULL;
}

int k_mutex_lock(struct kernel *k, struct mutex *m)
{
	struct task *self = k->current;

	if (!m->owner) {
		m->owner = self;
		held_push(self, m);
		return K_OK;
	}
	/* Waiting would never end if the owners' chain leads back to us. */
	for (struct task *o = m->owner; o; o = o->blocked_on ? o->blocked_on->owner : NULL)
		if (o == self)
			return K_DEADLOCK;
	self->blocked_on = m;
	k_block(k, &m->wq, K_FOREVER);
	propagate(k, m->owner, self->prio);
	return K_BLOCKED;
}

int k_mutex_unlock(struct kernel *k, struct mutex *m)
{
	struct task *self = k->current, *heir = m->wq.head;

	if (m->owner != self)
		return K_NOTOWNER;
	held_remove(self, m);
	if (heir) {
		k_wake(k, heir, K_OK);
		heir->blocked_on = NULL;
		m->owner = heir;
		held_push(heir, m);
		/* Those still waiting now wait for the heir. */
		k_set_prio(k, heir, entitled_prio(heir));
	} else {
		m->owner = NULL;
	}
	k_set_prio(k, self, entitled_prio(self));
	return K_OK;
}
