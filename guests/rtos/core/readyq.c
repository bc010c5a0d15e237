/* The ready queue: one FIFO list per priority and a bitmap of the non-empty
 * ones, so finding the most urgent task is one count-leading-zeros
 * instruction however many tasks exist. */
#include <rtos/kernel.h>

void rq_init(struct readyq *rq)
{
	rq->bitmap = 0;
	for (unsigned p = 0; p < RTOS_PRIOS; p++)
		rq->lists[p].head = rq->lists[p].tail = NULL;
}

void rq_push_back(struct readyq *rq, struct task *t)
{
	struct task_list *l = &rq->lists[t->prio];

	t->next = NULL;
	t->prev = l->tail;
	if (l->tail)
		l->tail->next = t;
	else
		l->head = t;
	l->tail = t;
	rq->bitmap |= UINT32_C(1) << t->prio;
}

void rq_push_front(struct readyq *rq, struct task *t)
{
	struct task_list *l = &rq->lists[t->prio];

	t->prev = NULL;
	t->next = l->head;
	if (l->head)
		l->head->prev = t;
	else
		l->tail = t;
	l->head = t;
	rq->bitmap |= UINT32_C(1) << t->prio;
}

void rq_remove(struct readyq *rq, struct task *t)
{
	struct task_list *l = &rq->lists[t->prio];

	if (t->prev)
		t->prev->next = t->next;
	else
		l->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		l->tail = t->prev;
	t->next = t->prev = NULL;
	if (!l->head)
		rq->bitmap &= ~(UINT32_C(1) << t->prio);
}

struct task *rq_highest(const struct readyq *rq)
{
	if (!rq->bitmap)
		return NULL;
	return rq->lists[31 - __builtin_clz(rq->bitmap)].head;
}
