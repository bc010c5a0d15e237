/* Task states, the timeout list and the tick.  The running task stays at the
 * head of its ready list, so "who runs" is always rq_highest() and
 * preemption is a comparison, not a bookkeeping step. */
#include <rtos/kernel.h>

void k_init(struct kernel *k)
{
	rq_init(&k->rq);
	k->current = NULL;
	k->sleepers = NULL;
	k->tick = 0;
}

void k_task_init(struct kernel *k, struct task *t, const char *name, unsigned prio)
{
	if (prio >= RTOS_PRIOS)
		prio = RTOS_PRIOS - 1;
	*t = (struct task){ .name = name, .base_prio = (uint8_t)prio, .prio = (uint8_t)prio,
			    .state = TASK_READY, .wake_tick = K_FOREVER };
	rq_push_back(&k->rq, t);
}

struct task *k_pick(struct kernel *k)
{
	k->current = rq_highest(&k->rq);
	return k->current;
}

bool k_preempt_needed(const struct kernel *k)
{
	const struct task *best = rq_highest(&k->rq);

	return best && best != k->current &&
	       (k->current->state != TASK_READY || best->prio > k->current->prio);
}

void k_yield(struct kernel *k)
{
	rq_remove(&k->rq, k->current);
	rq_push_back(&k->rq, k->current);
}

static void sleepers_insert(struct kernel *k, struct task *t)
{
	struct task **pp = &k->sleepers;

	while (*pp && (*pp)->wake_tick <= t->wake_tick)
		pp = &(*pp)->sleep_next;
	t->sleep_next = *pp;
	*pp = t;
}

static void sleepers_remove(struct kernel *k, struct task *t)
{
	for (struct task **pp = &k->sleepers; *pp; pp = &(*pp)->sleep_next)
		if (*pp == t) {
			*pp = t->sleep_next;
			break;
		}
	t->sleep_next = NULL;
	t->wake_tick = K_FOREVER;
}

void k_block(struct kernel *k, struct waitq *wq, uint64_t wake_tick)
{
	struct task *t = k->current;

	rq_remove(&k->rq, t);
	t->state = TASK_BLOCKED;
	t->wait_result = K_TIMEOUT;
	if (wq)
		wq_insert(wq, t);
	t->wake_tick = wake_tick;
	if (wake_tick != K_FOREVER)
		sleepers_insert(k, t);
}

void k_wake(struct kernel *k, struct task *t, int result)
{
	if (t->wq)
		wq_remove(t->wq, t);
	if (t->wake_tick != K_FOREVER)
		sleepers_remove(k, t);
	t->state = TASK_READY;
	t->wait_result = result;
	rq_push_back(&k->rq, t);
}

int k_sleep_until(struct kernel *k, uint64_t tick)
{
	if (tick <= k->tick)
		return K_OK;
	k_block(k, NULL, tick);
	return K_BLOCKED;
}

void k_tick(struct kernel *k)
{
	k->tick++;
	while (k->sleepers && k->sleepers->wake_tick <= k->tick) {
		struct task *t = k->sleepers;
		/* A plain sleep ends as planned; a wait on an object timed out. */
		k_wake(k, t, t->wq ? K_TIMEOUT : K_OK);
	}
}

void k_set_prio(struct kernel *k, struct task *t, unsigned prio)
{
	if (t->prio == prio)
		return;
	if (t->state == TASK_READY) {
		rq_remove(&k->rq, t);
		t->prio = (uint8_t)prio;
		/* The running task keeps the CPU until something more urgent
		 * appears, even when it loses an inherited priority. */
		if (t == k->current)
			rq_push_front(&k->rq, t);
		else
			rq_push_back(&k->rq, t);
	} else if (t->wq) {
		struct waitq *wq = t->wq;

		wq_remove(wq, t);
		t->prio = (uint8_t)prio;
		wq_insert(wq, t);
	} else {
		t->prio = (uint8_t)prio;
	}
}

void k_exit(struct kernel *k)
{
	rq_remove(&k->rq, k->current);
	k->current->state = TASK_DEAD;
}
