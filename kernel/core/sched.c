#include <kernel/sched.h>

void runq_init(struct runq *rq)
{
	rq->bitmap = 0;
	for (int p = 0; p < SCHED_PRIOS; p++)
		list_init(&rq->queue[p]);
}

void runq_add(struct runq *rq, struct sched_node *n)
{
	if (n->queued)
		return;
	list_add_tail(&rq->queue[n->prio], &n->link);
	rq->bitmap |= 1ull << n->prio;
	n->queued = true;
}

void runq_add_head(struct runq *rq, struct sched_node *n)
{
	if (n->queued)
		return;
	struct list *q = &rq->queue[n->prio];
	/* Inserting after the sentinel is inserting at the head. */
	n->link.next = q->next;
	n->link.prev = q;
	q->next->prev = &n->link;
	q->next = &n->link;
	rq->bitmap |= 1ull << n->prio;
	n->queued = true;
}

void runq_remove(struct runq *rq, struct sched_node *n)
{
	if (!n->queued)
		return;
	list_del(&n->link);
	if (list_empty(&rq->queue[n->prio]))
		rq->bitmap &= ~(1ull << n->prio);
	n->queued = false;
}

struct sched_node *runq_peek(const struct runq *rq)
{
	int p = runq_top_prio(rq);
	if (p < 0)
		return NULL;
	return container_of(rq->queue[p].next, struct sched_node, link);
}
