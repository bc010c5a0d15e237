/* The kernel tick: the EL2 physical timer (CNTHP, PPI 26). The virtual
 * timer stays free for the running vCPU (virtualization issue). */
#include <kernel/irq.h>
#include <arch/sysreg.h>

static u64 tick_interval;

void timer_init(void)
{
	tick_interval = read_sysreg(cntfrq_el0) / TICK_HZ;
	/* EL0 may read the counters (time stamps without a system call);
	 * CNTHCTL_EL2 leaves EL1 counter access alone for future vCPUs. */
	write_sysreg(cntkctl_el1, 0x3);
	write_sysreg(cnthctl_el2, 0x3);
	timer_rearm();
	write_sysreg(cnthp_ctl_el2, 1);
	irq_enable(IRQ_TIMER);
}

void timer_rearm(void)
{
	write_sysreg(cnthp_tval_el2, tick_interval);
}

u64 timer_now(void)
{
	return read_sysreg(cntpct_el0);
}
