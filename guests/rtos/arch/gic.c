/* GICv3, non-secure view, CPU 0 only.  Everything is group 1: with a single
 * security state that is the group delivered as IRQ through ICC_*1_EL1. */
#include "gic.h"
#include "platform.h"
#include "sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_ARE 0x10
#define GICD_CTLR_GRP1 0x2
#define GICD_CTLR_RWP 0x80000000u

#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000

#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP 0x2
#define GICR_WAKER_ASLEEP 0x4
#define GICR_SGI 0x10000 /* SGI/PPI frame, after the RD frame */
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1

/* Bounded: a platform that never answers gets a stuck boot reported by the
 * harness's timeout, not a hang in an unexpected place. */
static void wait_clear(uintptr_t reg, uint32_t bits)
{
	for (unsigned i = 0; i < 1000000 && (mmio_read32(reg) & bits); i++)
		;
}

void gic_init(void)
{
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);

	mmio_write32(GICR_BASE + GICR_WAKER,
		     mmio_read32(GICR_BASE + GICR_WAKER) & ~(uint32_t)GICR_WAKER_SLEEP);
	wait_clear(GICR_BASE + GICR_WAKER, GICR_WAKER_ASLEEP);

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
}

void gic_enable_ppi(unsigned intid, uint8_t priority)
{
	uintptr_t prio = GICR_BASE + GICR_IPRIORITYR + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;

	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | ((uint32_t)priority << shift));
	mmio_write32(GICR_BASE + GICR_IGROUPR0, mmio_read32(GICR_BASE + GICR_IGROUPR0) | (1u << intid));
	mmio_write32(GICR_BASE + GICR_ISENABLER0, 1u << intid);
	dsb(sy);
}

/* Shared peripheral interrupts live in the distributor: group 1, routed to
 * CPU 0 (affinity 0.0.0.0), edge or level as the source is. */
void gic_enable_spi(unsigned intid, uint8_t priority, bool edge)
{
	uintptr_t prio = GICD_BASE + GICD_IPRIORITYR + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;
	uintptr_t group = GICD_BASE + GICD_IGROUPR + (intid / 32) * 4;
	uintptr_t cfg = GICD_BASE + GICD_ICFGR + (intid / 16) * 4;
	uint32_t edge_bit = 2u << ((intid % 16) * 2);

	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | ((uint32_t)priority << shift));
	mmio_write32(group, mmio_read32(group) | (1u << (intid % 32)));
	mmio_write32(cfg, edge ? mmio_read32(cfg) | edge_bit : mmio_read32(cfg) & ~edge_bit);
	*(volatile uint64_t *)(GICD_BASE + GICD_IROUTER + intid * 8ul) = 0;
	mmio_write32(GICD_BASE + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
	dsb(sy);
}

unsigned gic_ack(void)
{
	unsigned intid = (unsigned)read_sysreg(ICC_IAR1_EL1) & 0xffffff;

	__asm__ volatile("dsb sy" ::: "memory");
	return intid;
}

void gic_eoi(unsigned intid)
{
	write_sysreg(ICC_EOIR1_EL1, intid);
	isb();
}
