/* GICv3: distributor, this CPU's redistributor, and the system-register
 * CPU interface. All interrupts are Group 1, routed to EL2 (HCR_EL2.IMO).
 *
 * The CPU interface runs with EOImode=1: ending an interrupt is two steps,
 * a priority drop (ICC_EOIR1_EL1) and a deactivation (ICC_DIR_EL1).  The
 * kernel does both for its own interrupts (irq_eoi); for the guest's
 * virtual timer it only drops the priority and hands the still-active
 * physical interrupt to the vCPU through a hardware-linked list register,
 * so the guest's own EOI deactivates it (vcpu_arch.c).  With EOImode=0 the
 * kernel's EOI would deactivate it at once and the still-asserted timer
 * would fire again before the guest ran, which is why the timer used to
 * be masked at its source. */
#include <kernel/irq.h>
#include <arch/sysreg.h>

#define GICD_BASE 0x08000000ul
#define GICR_BASE 0x080a0000ul /* CPU 0's redistributor */
#define GICR_SGI  (GICR_BASE + 0x10000ul)

#define GICD_CTLR      0x0000
#define GICD_TYPER     0x0004
#define GICD_IGROUPR   0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER   0x6100
#define GICD_CTLR_RWP  (1u << 31)

#define GICR_WAKER     0x0014
#define GICR_IGROUPR0  0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400

static volatile u32 *d32(u64 off) { return (volatile u32 *)(GICD_BASE + off); }
static volatile u32 *r32(u64 base, u64 off) { return (volatile u32 *)(base + off); }

static u32 spi_lines;

void gic_init(void)
{
	/* Distributor: affinity routing, Group 1 enabled (QEMU's GIC has a
	 * single security state, so EnableGrp1 is bit 1 and ARE is bit 4). */
	*d32(GICD_CTLR) = 0;
	while (*d32(GICD_CTLR) & GICD_CTLR_RWP)
		;
	spi_lines = ((*d32(GICD_TYPER) & 0x1f) + 1) * 32;
	for (u32 i = 32; i < spi_lines; i += 32) {
		*d32(GICD_ICENABLER + i / 8) = ~0u;
		*d32(GICD_IGROUPR + i / 8) = ~0u;
	}
	for (u32 i = 32; i < spi_lines; i += 4)
		*d32(GICD_IPRIORITYR + i) = 0xa0a0a0a0;
	for (u32 i = 32; i < spi_lines; i++)
		*(volatile u64 *)(GICD_BASE + GICD_IROUTER + 8 * (i - 32)) = 0; /* CPU 0 */
	*d32(GICD_CTLR) = (1u << 4) | (1u << 1) | (1u << 0);
	while (*d32(GICD_CTLR) & GICD_CTLR_RWP)
		;

	/* Redistributor: wake it, SGIs/PPIs in Group 1, all disabled. */
	*r32(GICR_BASE, GICR_WAKER) &= ~(1u << 1);
	while (*r32(GICR_BASE, GICR_WAKER) & (1u << 2))
		;
	*r32(GICR_SGI, GICR_ICENABLER0) = ~0u;
	*r32(GICR_SGI, GICR_IGROUPR0) = ~0u;
	for (u32 i = 0; i < 32; i += 4)
		*r32(GICR_SGI, GICR_IPRIORITYR + i) = 0xa0a0a0a0;

	/* CPU interface through system registers. */
	write_sysreg(S3_4_C12_C9_5, read_sysreg(S3_4_C12_C9_5) | 0x9); /* ICC_SRE_EL2: SRE, Enable */
	isb();
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1: let every priority through */
	write_sysreg(S3_0_C12_C12_3, 0);  /* ICC_BPR1_EL1 */
	write_sysreg(S3_0_C12_C12_4, 1u << 1); /* ICC_CTLR_EL1.EOImode: drop and deactivate apart */
	write_sysreg(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	isb();
}

bool irq_valid(u32 intid)
{
	return intid >= 16 && intid < spi_lines && intid < IRQ_LINES;
}

void irq_enable(u32 intid)
{
	if (intid < 32)
		*r32(GICR_SGI, GICR_ISENABLER0) = 1u << intid;
	else
		*d32(GICD_ISENABLER + (intid / 32) * 4) = 1u << (intid % 32);
}

void irq_disable(u32 intid)
{
	if (intid < 32)
		*r32(GICR_SGI, GICR_ICENABLER0) = 1u << intid;
	else
		*d32(GICD_ICENABLER + (intid / 32) * 4) = 1u << (intid % 32);
}

u32 irq_acknowledge(void)
{
	u32 id = (u32)read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
	dsb(sy);
	return id;
}

void irq_drop_priority(u32 intid)
{
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
	isb();
}

void irq_eoi(u32 intid)
{
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1: priority drop */
	write_sysreg(S3_0_C12_C11_1, intid); /* ICC_DIR_EL1: deactivation */
	isb();
}

/* Through the redistributor (PPIs) or distributor (SPIs): the active
 * state of an interrupt that is not the CPU's running one, e.g. a vCPU's
 * hardware-linked timer as that vCPU leaves or comes back to the CPU. */
void irq_set_active(u32 intid, bool active)
{
	if (intid < 32)
		*r32(GICR_SGI, active ? GICR_ISACTIVER0 : GICR_ICACTIVER0) = 1u << intid;
	else
		*d32((active ? GICD_ISACTIVER : GICD_ICACTIVER) + (intid / 32) * 4) = 1u << (intid % 32);
	/* Complete before anything that could assert the line again. */
	dsb(sy);
}

bool irq_pending(void)
{
	return read_sysreg(isr_el1) & (1u << 7);
}
