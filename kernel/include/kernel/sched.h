/* Fixed-priority run queue: one FIFO per priority and a bitmap of the
 * non-empty ones, so picking the next thread is a count-leading-zeros and
 * round-robin within a priority is "take the head, append at the tail".
 * Pure logic (no hardware, no locking): one queue per CPU. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <bulwark/syscall.h>
#include <kernel/list.h>

#define SCHED_PRIOS (BW_PRIO_MAX + 1)

struct sched_node {
	struct list link;
	u8 prio;
	bool queued;
};

struct runq {
	u64 bitmap; /* bit p set <=> queue[p] non-empty */
	struct list queue[SCHED_PRIOS];
};

void runq_init(struct runq *rq);
void runq_add(struct runq *rq, struct sched_node *n);       /* at the tail */
void runq_add_head(struct runq *rq, struct sched_node *n);  /* preempted: keeps its turn */
void runq_remove(struct runq *rq, struct sched_node *n);
/* Highest-priority queued node (left queued), or NULL. */
struct sched_node *runq_peek(const struct runq *rq);

static inline int runq_top_prio(const struct runq *rq)
{
	return rq->bitmap ? 63 - __builtin_clzll(rq->bitmap) : -1;
}

#endif
