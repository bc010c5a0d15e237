/* The in-tree test guest: EL1 code that exercises what a VM exit and the
 * virtual GIC/timer must do, and reports every check to its VMM through
 * the test device (../testdev.h).  MMU off: every access is Device memory,
 * so the code is built with -mstrict-align. */
#include <stdint.h>
#include "../testdev.h"
#include "../mmio_fast_dev.h"

void guest_mmio_fast(void); /* mmio_fast.c */

#define PL011_DR 0x09000000ul
#define GICD_BASE 0x08000000ul
#define GICR_BASE 0x080a0000ul
#define SYSREG(name) ({ uint64_t v__; __asm__ volatile("mrs %0, " #name : "=r"(v__)); v__; })
#define SET_SYSREG(name, v) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(v)))

static volatile uint32_t timer_irqs, spi_irqs, other_irqs;
static uint32_t timer_goal;
/* The hardware-linked timer checks (see guest_irq). */
enum timer_mode { TIMER_PERIODIC, TIMER_LEVEL, TIMER_HOLD };
static volatile enum timer_mode timer_mode;
static volatile uint32_t level_irqs, held_irqs, imask_seen;

static void mmio_write64(uint64_t addr, uint64_t v) { *(volatile uint64_t *)addr = v; }
static void mmio_write32(uint64_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }

static void puts(const char *s)
{
	while (*s)
		mmio_write32(PL011_DR, (uint8_t)*s++);
}

static void report(unsigned n, int ok)
{
	mmio_write64(TESTDEV_BASE + TESTDEV_RESULT, ((uint64_t)n << 1) | (ok ? 1 : 0));
}

static uint64_t hvc(uint64_t fn, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1)::"x2", "x3", "memory");
	return x0;
}

static void arm_timer(uint64_t ticks)
{
	SET_SYSREG(cntv_tval_el0, ticks);
	SET_SYSREG(cntv_ctl_el0, 1);
	__asm__ volatile("isb");
}

static uint64_t counter(void)
{
	__asm__ volatile("isb");
	return SYSREG(cntvct_el0);
}

/* Longer than the kernel's 5 ms time slice: the vCPU is descheduled (the
 * VMM's ticker thread shares its priority) with the interrupt active. */
static void hold_active(void)
{
	uint64_t end = counter() + SYSREG(cntfrq_el0) / 1000 * 12;
	while (counter() < end)
		;
}

void guest_irq(void)
{
	uint64_t iar = SYSREG(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
	uint32_t id = (uint32_t)iar & 0xffffff;
	if (id == 27 && timer_mode == TIMER_HOLD) {
		/* Never deactivated: this vCPU keeps its timer interrupt
		 * active for good, and other vCPUs' timers must still work. */
		held_irqs++;
		return;
	}
	if (id == 27 && timer_mode == TIMER_LEVEL) {
		/* The timer is left asserted: the kernel must not have masked
		 * it at the source, and this EOI must deactivate the physical
		 * interrupt so that it fires again by itself. */
		imask_seen |= (uint32_t)SYSREG(cntv_ctl_el0) & 2;
		if (++level_irqs == 1) {
			mmio_write64(TESTDEV_BASE + TESTDEV_TICKER, 1);
			hold_active();
		} else {
			SET_SYSREG(cntv_ctl_el0, 0);
		}
	} else if (id == 27) {
		if (++timer_irqs < timer_goal)
			arm_timer(20000);
		else
			SET_SYSREG(cntv_ctl_el0, 0);
	} else if (id >= GUEST_SPI_FIRST && id < GUEST_SPI_FIRST + 16) {
		spi_irqs++;
	} else if (id < 1020) {
		other_irqs++;
	}
	if (id < 1020)
		SET_SYSREG(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1 */
}

void guest_bad_exception(uint64_t esr, uint64_t elr)
{
	mmio_write64(TESTDEV_BASE + TESTDEV_COUNT, esr);
	mmio_write64(TESTDEV_BASE + TESTDEV_COUNT, elr);
	report(99, 0);
	mmio_write64(TESTDEV_BASE + TESTDEV_DONE, 1);
}

static void wait_irqs(volatile uint32_t *count, uint32_t goal)
{
	for (uint64_t spins = 0; *count < goal && spins < 3000; spins++)
		__asm__ volatile("wfi");
}

static void spin(void)
{
	for (uint64_t n = 0;; n++)
		mmio_write64(TESTDEV_BASE + TESTDEV_COUNT, n);
}

void guest_main(uint64_t scenario)
{
	if (scenario == SCENARIO_SPIN)
		spin();
	if (scenario == SCENARIO_MMIO_FAST)
		guest_mmio_fast();
	if (scenario == SCENARIO_HOLD_TIMER) {
		/* Take a timer interrupt and never end it, then spin. */
		SET_SYSREG(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
		SET_SYSREG(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
		timer_mode = TIMER_HOLD;
		arm_timer(10);
		__asm__ volatile("msr daifclr, #2");
		wait_irqs(&held_irqs, 1);
		spin();
	}
	puts("guest: hello from EL1\n");
	report(1, 1);

	/* Loads of each width, zero- and sign-extended, from the VMM. */
	uint64_t v64 = *(volatile uint64_t *)(TESTDEV_BASE + TESTDEV_PATTERN);
	report(2, v64 == TESTDEV_PATTERN_VALUE);
	int64_t s32;
	__asm__ volatile("ldrsw %0, [%1]" : "=r"(s32) : "r"(TESTDEV_BASE + TESTDEV_PATTERN + 4));
	report(3, s32 == (int32_t)(uint32_t)(TESTDEV_PATTERN_VALUE >> 32));
	uint8_t b = *(volatile uint8_t *)(TESTDEV_BASE + TESTDEV_PATTERN);
	report(4, b == (TESTDEV_PATTERN_VALUE & 0xff));

	/* PSCI through HVC: the VMM answers. */
	report(5, hvc(PSCI_VERSION, 0) == 0x10001);

	/* ID registers: features the kernel does not switch are hidden. */
	uint64_t pfr0 = SYSREG(id_aa64pfr0_el1), isar1 = SYSREG(id_aa64isar1_el1);
	report(6, ((pfr0 >> 32) & 0xf) == 0 && (isar1 & 0xff000ff0) == 0);

	/* FP/SIMD state survives an exit to the VMM. */
	uint64_t fp_in = 0x0123456789abcdefull, fp_out;
	__asm__ volatile("fmov d9, %0" ::"r"(fp_in));
	report(7, 1);
	__asm__ volatile("fmov %0, d9" : "=r"(fp_out));
	report(8, fp_out == fp_in);

	/* The distributor and redistributor, as Linux's GICv3 driver finds
	 * and programs them (emulated by the VMM's vgic). */
	uint32_t pidr2 = *(volatile uint32_t *)(GICD_BASE + 0xffe8);
	mmio_write32(GICD_BASE + 0x0, 0x12);            /* ARE, EnableGrp1 */
	mmio_write32(GICR_BASE + 0x14, 0);              /* GICR_WAKER: wake up */
	uint32_t waker = *(volatile uint32_t *)(GICR_BASE + 0x14);
	mmio_write32(GICR_BASE + 0x10000 + 0x100, 1u << 27); /* enable the timer PPI */
	mmio_write32(GICD_BASE + 0x104, 0x7fu << (GUEST_SPI_FIRST - 32)); /* SPIs 40..46 */
	report(12, ((pidr2 >> 4) & 0xf) == 3 && (waker & 4) == 0);

	/* PSCI as Linux probes it: features, and CPU_ON without a second vCPU. */
	report(13, hvc(0x8400000a, 0x84000008) == 0 && (int64_t)hvc(0xc4000003, 1) == -2);

	/* The virtual CPU interface: every priority, group 1 on. */
	SET_SYSREG(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	SET_SYSREG(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	__asm__ volatile("isb");
	/* Hardware-linked.  The other VM (SCENARIO_HOLD_TIMER) took a timer
	 * interrupt, never ended it and was stopped (it is waited for); with the
	 * VMM's ticker paused this vCPU stays on the CPU, so its timer can
	 * only arrive as the physical interrupt: it must not be blocked.
	 * Left asserted across the guest's EOI (and a 12 ms handler, during
	 * which the running ticker switches this vCPU out and back), it fires
	 * once more by itself; the kernel never masks it at the source; no
	 * exit to the VMM but the test's own four.  Busy waits, not WFI: a
	 * vCPU that blocks is reloaded with its deadline passed and gets the
	 * interrupt without the physical one. */
	uint64_t ms = SYSREG(cntfrq_el0) / 1000;
	for (uint64_t give_up = counter() + 5000 * ms;
	     !*(volatile uint64_t *)(TESTDEV_BASE + TESTDEV_B_GONE) && counter() < give_up;)
		; /* B gone: nobody but this vCPU and the ticker at its priority */
	uint64_t exits_before = *(volatile uint64_t *)(TESTDEV_BASE + TESTDEV_EXITS);
	mmio_write64(TESTDEV_BASE + TESTDEV_TICKER, 0);
	timer_mode = TIMER_LEVEL;
	arm_timer(2000);
	__asm__ volatile("msr daifclr, #2");
	for (uint64_t give_up = counter() + 2000 * ms; level_irqs < 2 && counter() < give_up;)
		;
	uint64_t quiet_until = counter() + ms;
	while (counter() < quiet_until) /* and then no more: it was disabled */
		;
	__asm__ volatile("msr daifset, #2");
	uint64_t exits = *(volatile uint64_t *)(TESTDEV_BASE + TESTDEV_EXITS) - exits_before;
	timer_mode = TIMER_PERIODIC;
	report(14, level_irqs == 2 && imask_seen == 0 && exits == 3);

	/* The virtual timer, five periods, each through the vGIC. */
	timer_goal = 5;
	arm_timer(20000);
	__asm__ volatile("msr daifclr, #2");
	wait_irqs(&timer_irqs, timer_goal);
	report(9, timer_irqs == timer_goal);

	/* More interrupts at once than there are list registers. */
	__asm__ volatile("msr daifset, #2");
	mmio_write64(TESTDEV_BASE + TESTDEV_INJECT, 7);
	__asm__ volatile("msr daifclr, #2");
	wait_irqs(&spi_irqs, 7);
	report(10, spi_irqs == 7 && other_irqs == 0);

	/* The counter runs from about zero (CNTVOFF) and forwards. */
	uint64_t c1 = SYSREG(cntvct_el0), c2 = SYSREG(cntvct_el0);
	report(11, c2 >= c1 && c1 < (1ull << 40));

	/* The benchmark: back-to-back trapped stores, each a round trip
	 * through the kernel and the VMM. */
	for (uint64_t n = 0; n < BENCH_EXITS; n++)
		mmio_write64(TESTDEV_BASE + TESTDEV_BENCH, n);

	mmio_write64(TESTDEV_BASE + TESTDEV_DONE, 1);
	puts("guest: touching memory outside the VM\n");
	(void)*(volatile uint64_t *)GUEST_OUTSIDE;
	report(50, 0); /* never: the VMM stops the guest */
}
