/* The RTOS's task-level API.  Every call is for tasks; none may be made
 * from an interrupt handler. */
#ifndef RTOS_RTOS_H
#define RTOS_RTOS_H

#include <rtos/kernel.h>
#include <stddef.h>
#include <stdint.h>

#define RTOS_TICK_HZ 1000

/* Creates a ready task running entry(arg) on the given stack. */
void rtos_task_create(struct task *t, const char *name, unsigned prio,
		      void (*entry)(void *), void *arg, void *stack, size_t stack_size);
/* Starts scheduling; does not return. */
void rtos_start(void) __attribute__((noreturn));
/* True once tasks run (blocking calls are allowed from then on). */
bool rtos_running(void);

uint64_t rtos_ticks(void);
uint64_t rtos_counter(void);      /* CNTVCT: the virtual counter */
uint64_t rtos_counter_hz(void);
/* The counter value at which the given tick was due. */
uint64_t rtos_tick_time(uint64_t tick);

int rtos_sleep_until(uint64_t tick);
void rtos_yield(void);

int rtos_sem_take(struct sem *s, uint64_t timeout);
void rtos_sem_give(struct sem *s);
int rtos_mutex_lock(struct mutex *m);
int rtos_mutex_unlock(struct mutex *m);
int rtos_msgq_send(struct msgq *q, const void *msg, uint64_t timeout);
int rtos_msgq_recv(struct msgq *q, void *msg, uint64_t timeout);

/* Binds a shared peripheral interrupt (32..95) to handler, which runs in
 * interrupt context (IRQs masked; it may only call *_from_irq functions)
 * before the scheduler decides who runs. */
void rtos_irq_attach(unsigned intid, uint8_t priority, bool edge, void (*handler)(void *arg), void *arg);
void rtos_sem_give_from_irq(struct sem *s);
/* Reads a device register that may not exist (e.g. a VMM's device when
 * the RTOS runs natively): false if the read aborted. */
bool rtos_probe_read32(uintptr_t addr, uint32_t *value);

/* Stops the machine through PSCI SYSTEM_OFF. */
void rtos_poweroff(void) __attribute__((noreturn));

#endif
