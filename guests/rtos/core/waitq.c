/* Wait queues hand objects to the most urgent waiter first; equal
 * priorities keep arrival order so no waiter starves among its peers. */
#include <rtos/kernel.h>

void wq_insert(struct waitq *wq, struct task *t)
{
	struct task *prev = NULL, *cur = wq->head;

	while (cur && cur->prio >= t->prio) {
		prev = cur;
		cur = cur->next;
	}
	t->prev = prev;
	t->next = cur;
	if (prev)
		prev->next = t;
	else
		wq->head = t;
	if (cur)
		cur->prev = t;
	t->wq = wq;
}

void wq_remove(struct waitq *wq, struct task *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		wq->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
	t->wq = NULL;
}
