/* Interrupt controller and timer interface used by the generic kernel. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <kernel/types.h>

#define IRQ_LINES 256
#define IRQ_SPURIOUS 1023
#define IRQ_TIMER 26 /* EL2 physical timer (CNTHP) PPI */

void gic_init(void);
bool irq_valid(u32 intid);
void irq_enable(u32 intid);
void irq_disable(u32 intid);
u32 irq_acknowledge(void);
/* The kernel's own interrupt is handled: drop the priority and deactivate. */
void irq_eoi(u32 intid);
/* Handed to a guest hardware-linked: drop the priority only; the guest's
 * EOI of the virtual interrupt deactivates the physical one. */
void irq_drop_priority(u32 intid);
void irq_set_active(u32 intid, bool active);
/* An interrupt is pending: a preemption point should yield. */
bool irq_pending(void);

void timer_init(void);
void timer_rearm(void);
u64 timer_now(void);
#define TICK_HZ 1000

#endif
