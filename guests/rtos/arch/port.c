/* The port: binds the pure scheduling core to the CPU.  Core calls run with
 * IRQs masked; when one blocks or readies a more urgent task, the caller
 * traps with SVC and the exception path (vectors.S) switches stacks. */
#include <rtos/rtos.h>

#include "gic.h"
#include "mmu.h"
#include "platform.h"
#include "sysreg.h"
#include "uart.h"

#include <stdio.h>
#include <string.h>

/* Mirrors vectors.S. */
struct frame {
	uint64_t x[31];
	uint64_t elr, spsr;
	uint32_t fpcr, fpsr;
	__uint128_t q[32];
};
_Static_assert(sizeof(struct frame) == 784, "frame layout must match vectors.S");

#define SPSR_EL1H 0x5
/* Written at the lowest word of every task stack; checked at every switch. */
#define STACK_CANARY 0x5354414b43414e59ull
#define ESR_EC_SVC64 0x15
#define ESR_EC_DABT_CUR 0x25
#define MAX_INTID 96 /* the SPIs a VM's distributor has: 32..95 */
#define PSCI_SYSTEM_OFF 0x84000008u

void rtos_resume(struct frame *f) __attribute__((noreturn));
void rtos_main(unsigned entry_el);
extern void app_main(void);

static struct kernel k;
static uint64_t tick_interval, tick0;
static unsigned psci_use_smc;

/* Device interrupts bound by rtos_irq_attach: run in IRQ context. */
static struct {
	void (*handler)(void *arg);
	void *arg;
} irq_handlers[MAX_INTID];

/* rtos_probe_read32: a data abort while set is the probe's answer. */
static volatile bool probe_active, probe_faulted;

static struct task idle_task;
static uint64_t idle_stack[512] __attribute__((aligned(16)));

static void idle(void *arg)
{
	(void)arg;
	for (;;)
		__asm__ volatile("wfi");
}

static void task_exit(void)
{
	irq_save();
	k_exit(&k);
	__asm__ volatile("svc #0");
	for (;;)
		; /* never resumed */
}

void rtos_task_create(struct task *t, const char *name, unsigned prio,
		      void (*entry)(void *), void *arg, void *stack, size_t stack_size)
{
	uintptr_t top = ((uintptr_t)stack + stack_size) & ~(uintptr_t)15;
	struct frame *f = (struct frame *)(top - sizeof(struct frame));
	uint64_t flags = irq_save();

	memset(f, 0, sizeof *f);
	f->x[0] = (uintptr_t)arg;
	f->x[30] = (uintptr_t)task_exit;
	f->elr = (uintptr_t)entry;
	f->spsr = SPSR_EL1H; /* IRQs unmasked */
	k_task_init(&k, t, name, prio);
	t->sp = f;
	t->stack_limit = (uint64_t *)(((uintptr_t)stack + 7) & ~(uintptr_t)7);
	*t->stack_limit = STACK_CANARY;
	irq_restore(flags);
}

/* Finishes a core call: switch away if it blocked (and report how the wait
 * ended once resumed), or if it readied someone more urgent. */
static int settle(int result)
{
	if (result == K_BLOCKED) {
		__asm__ volatile("svc #0" ::: "memory");
		return k.current->wait_result;
	}
	if (k_preempt_needed(&k))
		__asm__ volatile("svc #0" ::: "memory");
	return result;
}

#define CORE_CALL(expr)                          \
	({                                       \
		uint64_t flags_ = irq_save();    \
		int r_ = settle(expr);           \
		irq_restore(flags_);             \
		r_;                              \
	})

int rtos_sleep_until(uint64_t tick) { return CORE_CALL(k_sleep_until(&k, tick)); }
int rtos_sem_take(struct sem *s, uint64_t timeout) { return CORE_CALL(k_sem_take(&k, s, timeout)); }
void rtos_sem_give(struct sem *s) { (void)CORE_CALL((k_sem_give(&k, s), K_OK)); }
int rtos_mutex_lock(struct mutex *m) { return CORE_CALL(k_mutex_lock(&k, m)); }
int rtos_mutex_unlock(struct mutex *m) { return CORE_CALL(k_mutex_unlock(&k, m)); }
void rtos_yield(void) { (void)CORE_CALL((k_yield(&k), K_OK)); }

int rtos_msgq_send(struct msgq *q, const void *msg, uint64_t timeout)
{
	return CORE_CALL(k_msgq_send(&k, q, msg, timeout));
}

int rtos_msgq_recv(struct msgq *q, void *msg, uint64_t timeout)
{
	return CORE_CALL(k_msgq_recv(&k, q, msg, timeout));
}

bool rtos_running(void)
{
	return k.current != NULL;
}

uint64_t rtos_ticks(void)
{
	return k.tick;
}

uint64_t rtos_counter(void)
{
	isb(); /* the counter read must not be hoisted above earlier work */
	return read_sysreg(cntvct_el0);
}

uint64_t rtos_counter_hz(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t rtos_tick_time(uint64_t tick)
{
	return tick0 + tick * tick_interval;
}

/* The tick is programmed as an absolute compare value, one interval after
 * the last one, so latency in handling a tick never accumulates as drift. */
static void timer_arm(uint64_t tick)
{
	write_sysreg(cntv_cval_el0, rtos_tick_time(tick));
	write_sysreg(cntv_ctl_el0, 1); /* enabled, not masked */
	isb();
}

static void report_fault(const char *what, const struct frame *f)
{
	char line[160];
	int n = snprintf(line, sizeof line,
			 "rtos: PANIC: %s in task %s: ESR=%#llx ELR=%#llx FAR=%#llx\n", what,
			 k.current ? k.current->name : "(boot)",
			 (unsigned long long)read_sysreg(esr_el1), (unsigned long long)f->elr,
			 (unsigned long long)read_sysreg(far_el1));

	uart_write(line, n > 0 ? (size_t)n : 0);
	rtos_poweroff();
}

/* Saves the interrupted task's frame and picks who runs next.  A task that
 * overran its stack has already corrupted memory, so this can only stop the
 * machine and say which task it was. */
static struct frame *switch_from(struct frame *f)
{
	if (k.current->stack_limit && *k.current->stack_limit != STACK_CANARY)
		report_fault("stack overflow", f);
	k.current->sp = f;
	return k_pick(&k)->sp;
}

struct frame *rtos_sync(struct frame *f)
{
	if (probe_active && (read_sysreg(esr_el1) >> 26) == ESR_EC_DABT_CUR) {
		probe_faulted = true;
		f->elr += 4;
		return f;
	}
	if ((read_sysreg(esr_el1) >> 26) != ESR_EC_SVC64)
		report_fault("synchronous exception", f);
	return switch_from(f);
}

struct frame *rtos_irq(struct frame *f)
{
	unsigned intid = gic_ack();

	if (intid == GIC_SPURIOUS)
		return f;
	if (intid == VTIMER_INTID) {
		k_tick(&k);
		timer_arm(k.tick + 1);
	} else if (intid < MAX_INTID && irq_handlers[intid].handler) {
		irq_handlers[intid].handler(irq_handlers[intid].arg);
	}
	gic_eoi(intid);
	if (!k_preempt_needed(&k))
		return f;
	return switch_from(f);
}

void rtos_unexpected(struct frame *f)
{
	report_fault("unexpected exception", f);
}

void rtos_irq_attach(unsigned intid, uint8_t priority, bool edge, void (*handler)(void *arg), void *arg)
{
	if (intid < 32 || intid >= MAX_INTID)
		return;
	uint64_t flags = irq_save();
	irq_handlers[intid].handler = handler;
	irq_handlers[intid].arg = arg;
	gic_enable_spi(intid, priority, edge);
	irq_restore(flags);
}

void rtos_sem_give_from_irq(struct sem *s)
{
	k_sem_give(&k, s); /* rtos_irq switches afterwards if it must */
}

bool rtos_probe_read32(uintptr_t addr, uint32_t *value)
{
	uint64_t flags = irq_save();
	probe_faulted = false;
	probe_active = true;
	uint32_t v = *(volatile uint32_t *)addr;
	probe_active = false;
	bool ok = !probe_faulted;
	irq_restore(flags);
	*value = ok ? v : 0;
	return ok;
}

void rtos_poweroff(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (psci_use_smc)
		__asm__ volatile("smc #0" : "+r"(x0)::"memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0)::"memory");
	for (;;)
		__asm__ volatile("wfi");
}

void rtos_start(void)
{
	struct task *first;

	irq_save();
	rtos_task_create(&idle_task, "idle", 0, idle, NULL, idle_stack, sizeof idle_stack);
	gic_enable_ppi(VTIMER_INTID, 0x80);
	tick_interval = rtos_counter_hz() / RTOS_TICK_HZ;
	tick0 = rtos_counter();
	timer_arm(1);
	first = k_pick(&k);
	rtos_resume(first->sp);
}

void rtos_main(unsigned entry_el)
{
	/* Entered at EL2, PSCI is the firmware's (SMC); entered at EL1, it is the
	 * hypervisor's (HVC), which is what a VMM emulates. */
	psci_use_smc = entry_el == 2;
	mmu_init();
	k_init(&k);
	gic_init();
	app_main();
	rtos_start();
}
