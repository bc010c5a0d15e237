/* Counting semaphore.  A give with waiters hands the unit straight to the
 * most urgent one, so a later taker cannot steal it before the waiter runs. */
#include <rtos/kernel.h>

void k_sem_init(struct sem *s, unsigned count)
{
	s->count = count;
	s->wq.head = NULL;
}

int k_sem_take(struct kernel *k, struct sem *s, uint64_t timeout)
{
	if (s->count > 0) {
		s->count--;
		return K_OK;
	}
	if (timeout == K_NOWAIT)
		return K_WOULDBLOCK;
	k_block(k, &s->wq, k_deadline(k, timeout));
	return K_BLOCKED;
}

void k_sem_give(struct kernel *k, struct sem *s)
{
	if (s->wq.head)
		k_wake(k, s->wq.head, K_OK);
	else
		s->count++;
}
