/* The RTOS's scheduling core: tasks, ready queue, wait queues, sleeping and
 * the synchronisation objects built on them.
 *
 * Pure logic with no hardware access, so the host unit tests run exactly the
 * code the target runs.  Every function here expects to be called with
 * interrupts masked (the port does that); none of them switches context.  A
 * function that has to wait returns K_BLOCKED after moving the current task
 * off the ready queue; the port then switches to k_pick()'s choice and, when
 * the task runs again, finds the outcome in its wait_result.
 *
 * Priorities: 0 (idle) .. RTOS_PRIOS-1 (most urgent).  Equal priorities run
 * in FIFO order; a running task is only preempted by a higher priority.
 */
#ifndef RTOS_KERNEL_H
#define RTOS_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTOS_PRIOS 32

/* Timeouts are in ticks. */
#define K_FOREVER UINT64_MAX
#define K_NOWAIT 0

enum k_result {
	K_OK = 0,
	K_BLOCKED = 1,     /* internal: the caller must switch away */
	K_TIMEOUT = -1,
	K_WOULDBLOCK = -2, /* K_NOWAIT and the object was not available */
	K_DEADLOCK = -3,   /* the mutex chain leads back to the caller */
	K_NOTOWNER = -4,   /* unlocking a mutex someone else holds */
};

enum task_state { TASK_READY, TASK_BLOCKED, TASK_DEAD };

struct mutex;
struct waitq;

struct task {
	void *sp; /* saved context; the port's assembly relies on offset 0 */
	const char *name;
	uint8_t base_prio;
	uint8_t prio; /* effective: base raised by priority inheritance */
	uint8_t state;
	struct task *next, *prev;  /* ready list or wait queue */
	struct waitq *wq;          /* the queue it waits in, if any */
	struct mutex *blocked_on;  /* for inheritance chains */
	struct mutex *held;        /* mutexes it owns (linked via next_held) */
	struct task *sleep_next;   /* timeout list, sorted by wake_tick */
	uint64_t wake_tick;        /* K_FOREVER when not on the timeout list */
	int wait_result;
	union {                    /* message queue transfers */
		const void *send;
		void *recv;
	} msg;
	uint64_t *stack_limit;     /* the port's overflow canary; unused by the core */
};

struct task_list {
	struct task *head, *tail;
};

struct readyq {
	uint32_t bitmap; /* bit p set iff lists[p] is not empty */
	struct task_list lists[RTOS_PRIOS];
};

/* Ordered by effective priority, FIFO among equals. */
struct waitq {
	struct task *head;
};

struct kernel {
	struct readyq rq;
	struct task *current;
	struct task *sleepers;
	uint64_t tick;
};

/* The absolute tick a relative timeout ends at, saturating at K_FOREVER. */
static inline uint64_t k_deadline(const struct kernel *k, uint64_t timeout)
{
	return timeout >= K_FOREVER - k->tick ? K_FOREVER : k->tick + timeout;
}

/* Ready queue (readyq.c). */
void rq_init(struct readyq *rq);
void rq_push_back(struct readyq *rq, struct task *t);
void rq_push_front(struct readyq *rq, struct task *t);
void rq_remove(struct readyq *rq, struct task *t);
struct task *rq_highest(const struct readyq *rq);

/* Wait queues (waitq.c). */
void wq_insert(struct waitq *wq, struct task *t);
void wq_remove(struct waitq *wq, struct task *t);

/* Scheduler (sched.c). */
void k_init(struct kernel *k);
void k_task_init(struct kernel *k, struct task *t, const char *name, unsigned prio);
struct task *k_pick(struct kernel *k);
bool k_preempt_needed(const struct kernel *k);
void k_yield(struct kernel *k);
void k_block(struct kernel *k, struct waitq *wq, uint64_t timeout);
void k_wake(struct kernel *k, struct task *t, int result);
int k_sleep_until(struct kernel *k, uint64_t tick);
void k_tick(struct kernel *k);
void k_set_prio(struct kernel *k, struct task *t, unsigned prio);
void k_exit(struct kernel *k);

/* Counting semaphore (sem.c). */
struct sem {
	unsigned count;
	struct waitq wq;
};
void k_sem_init(struct sem *s, unsigned count);
int k_sem_take(struct kernel *k, struct sem *s, uint64_t timeout);
void k_sem_give(struct kernel *k, struct sem *s);

/* Mutex with priority inheritance (mutex.c).  Not recursive, no timeout: a
 * waiter only leaves the queue by getting the mutex, which keeps the
 * inheritance bookkeeping exact. */
struct mutex {
	struct task *owner;
	struct waitq wq;
	struct mutex *next_held;
};
void k_mutex_init(struct mutex *m);
int k_mutex_lock(struct kernel *k, struct mutex *m);
int k_mutex_unlock(struct kernel *k, struct mutex *m);

/* Message queue of fixed-size messages (msgq.c). */
struct msgq {
	unsigned char *buf;
	size_t msg_size, capacity, head, count;
	struct waitq senders, receivers;
};
int k_msgq_init(struct msgq *q, void *buf, size_t msg_size, size_t capacity);
int k_msgq_send(struct kernel *k, struct msgq *q, const void *msg, uint64_t timeout);
int k_msgq_recv(struct kernel *k, struct msgq *q, void *msg, uint64_t timeout);

#endif
