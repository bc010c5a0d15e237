/* The GICv3 distributor and redistributor registers a guest programs at
 * boot (Linux's irq-gic-v3 driver): groups, enables, priorities, trigger
 * configuration, routing, the redistributor wake-up handshake.  Pending
 * and active state live in the kernel's list registers, not here: those
 * registers read as zero and ignore writes.  Single security state
 * (GICD_CTLR.DS = 1), no LPIs, one redistributor. */
#include <vmm/devices.h>

/* Distributor. */
#define GICD_CTLR      0x0000
#define GICD_TYPER     0x0004
#define GICD_IIDR      0x0008
#define GICD_TYPER2    0x000c
#define GICD_STATUSR   0x0010
#define GICD_IGROUPR   0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR   0x0200
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR     0x0c00
#define GICD_IGRPMODR  0x0d00
#define GICD_NSACR     0x0e00
#define GICD_IROUTER   0x6000
#define GICD_PIDR2     0xffe8

#define CTLR_RWP (1u << 31)
#define CTLR_DS (1u << 6)
#define CTLR_ARE (1u << 4)
#define CTLR_ENABLE_G1 (1u << 1)
#define CTLR_ENABLE_G0 (1u << 0)
#define PIDR2_GICV3 0x3b
#define IIDR_ARM 0x0000043b

/* Redistributor: RD_base frame, then SGI_base frame 64 KiB above. */
#define GICR_CTLR   0x0000
#define GICR_IIDR   0x0004
#define GICR_TYPER  0x0008
#define GICR_STATUSR 0x0010
#define GICR_WAKER  0x0014
#define GICR_PIDR2  0xffe8
#define GICR_SGI    0x10000
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)
#define TYPER_LAST (1u << 4)

void vgic_init(struct vgic *g)
{
	*g = (struct vgic){.dist_ctlr = CTLR_DS, .waker = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP};
	/* SGIs are always enabled on a GICv3 in this configuration. */
	g->enabled[0] = 0xffff;
}

bool vgic_enabled(const struct vgic *g, uint32_t intid)
{
	return intid < VGIC_LINES && (g->enabled[intid / 32] >> (intid % 32)) & 1;
}

static bool read_only(struct vmm_access *a, uint64_t value)
{
	if (!a->write)
		a->value = value;
	return true;
}

static bool raz_wi(struct vmm_access *a)
{
	return read_only(a, 0);
}

/* A 32-bit register of one bit per INTID, as a set/clear/plain array;
 * first: the INTID of bit 0 of word 0 in this frame. */
enum bits_op { BITS_PLAIN, BITS_SET, BITS_CLEAR };
static bool bits(uint32_t *words, uint32_t first, uint64_t word_off, struct vmm_access *a, enum bits_op op)
{
	uint32_t idx = (uint32_t)(first / 32 + word_off / 4);
	if (a->bytes != 4 || (word_off & 3))
		return false;
	if (idx >= VGIC_LINES / 32)
		return raz_wi(a); /* beyond our lines: reserved */
	uint32_t *w = &words[idx];
	uint32_t v = (uint32_t)a->value;
	if (!a->write) {
		a->value = *w;
		return true;
	}
	if (op == BITS_SET)
		*w |= v;
	else if (op == BITS_CLEAR)
		*w &= ~v;
	else
		*w = v;
	return true;
}

static bool priorities(struct vgic *g, uint32_t first, uint64_t off, struct vmm_access *a)
{
	uint32_t intid = first + (uint32_t)off;
	if (a->bytes != 1 && a->bytes != 4)
		return false;
	if ((a->bytes == 4 && (off & 3)) || intid + a->bytes > VGIC_LINES)
		return raz_wi(a);
	if (a->write) {
		for (unsigned i = 0; i < a->bytes; i++)
			g->prio[intid + i] = (uint8_t)(a->value >> (8 * i)) & 0xf8; /* 5 priority bits */
	} else {
		a->value = 0;
		for (unsigned i = 0; i < a->bytes; i++)
			a->value |= (uint64_t)g->prio[intid + i] << (8 * i);
	}
	return true;
}

static bool config(struct vgic *g, uint32_t first, uint64_t off, struct vmm_access *a)
{
	uint32_t idx = first / 16 + (uint32_t)(off / 4);
	if (a->bytes != 4 || (off & 3))
		return false;
	if (idx >= VGIC_LINES / 16)
		return raz_wi(a);
	if (idx == 0) /* SGIs: edge, fixed */
		return read_only(a, 0xaaaaaaaa);
	if (a->write)
		g->cfg[idx] = (uint32_t)a->value & 0xaaaaaaaa; /* only the edge/level bits */
	else
		a->value = g->cfg[idx];
	return true;
}

bool vgic_dist_access(struct vgic *g, struct vmm_access *a)
{
	uint64_t off = a->offset;
	if (off >= VGIC_DIST_SIZE)
		return false;
	if (off >= GICD_IROUTER + 32 * 8 && off < GICD_IROUTER + VGIC_LINES * 8) {
		uint32_t intid = (uint32_t)((off - GICD_IROUTER) / 8);
		if (a->bytes != 8 || (off & 7))
			return false;
		if (a->write)
			g->route[intid] = a->value & 0xff00ffffffull; /* affinity; IRM=0 */
		else
			a->value = g->route[intid];
		return true;
	}
	if (off >= GICD_IROUTER && off < GICD_IROUTER + 0x2000)
		return raz_wi(a);
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
		return off - GICD_IPRIORITYR < 32 ? raz_wi(a) /* banked: redistributor */
						 : priorities(g, 0, off - GICD_IPRIORITYR, a);
	if (a->bytes != 4 || (off & 3))
		return false;
	if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80)
		return off == GICD_IGROUPR ? raz_wi(a) : bits(g->group, 0, off - GICD_IGROUPR, a, BITS_PLAIN);
	if (off >= GICD_ISENABLER && off < GICD_ISENABLER + 0x80)
		return off == GICD_ISENABLER ? raz_wi(a) : bits(g->enabled, 0, off - GICD_ISENABLER, a, BITS_SET);
	if (off >= GICD_ICENABLER && off < GICD_ICENABLER + 0x80)
		return off == GICD_ICENABLER ? raz_wi(a) : bits(g->enabled, 0, off - GICD_ICENABLER, a, BITS_CLEAR);
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		return off < GICD_ICFGR + 8 ? raz_wi(a) : config(g, 0, off - GICD_ICFGR, a);
	if ((off >= GICD_ISPENDR && off < GICD_ICACTIVER + 0x80) || (off >= GICD_ITARGETSR && off < GICD_ICFGR) ||
	    (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 0x80) || (off >= GICD_NSACR && off < GICD_NSACR + 0x100))
		return raz_wi(a);
	switch (off) {
	case GICD_CTLR:
		if (a->write)
			g->dist_ctlr = CTLR_DS | ((uint32_t)a->value & (CTLR_ARE | CTLR_ENABLE_G1 | CTLR_ENABLE_G0));
		else
			a->value = g->dist_ctlr & ~CTLR_RWP; /* writes complete at once */
		return true;
	case GICD_TYPER:
		/* IDbits = 10 bits of INTID, ITLinesNumber for VGIC_LINES. */
		return read_only(a, (9u << 19) | (VGIC_LINES / 32 - 1));
	case GICD_IIDR:
		return read_only(a, IIDR_ARM);
	case GICD_TYPER2:
	case GICD_STATUSR:
		return raz_wi(a);
	case GICD_PIDR2:
		return read_only(a, PIDR2_GICV3);
	}
	return false;
}

bool vgic_redist_access(struct vgic *g, struct vmm_access *a)
{
	uint64_t off = a->offset;
	if (off >= VGIC_REDIST_SIZE)
		return false;
	if (off >= GICR_SGI) {
		uint64_t s = off - GICR_SGI;
		if (s >= GICD_IPRIORITYR && s < GICD_IPRIORITYR + 32)
			return priorities(g, 0, s - GICD_IPRIORITYR, a);
		if (a->bytes != 4 || (s & 3))
			return false;
		switch (s) {
		case GICD_IGROUPR:
			return bits(g->group, 0, 0, a, BITS_PLAIN);
		case GICD_ISENABLER:
			return bits(g->enabled, 0, 0, a, BITS_SET);
		case GICD_ICENABLER:
			return bits(g->enabled, 0, 0, a, BITS_CLEAR);
		case GICD_ICFGR:
		case GICD_ICFGR + 4:
			return config(g, 0, s - GICD_ICFGR, a);
		case GICD_ISPENDR:
		case GICD_ISPENDR + 0x80:
		case GICD_ISPENDR + 0x100:
		case GICD_ICACTIVER:
		case GICD_IGRPMODR:
		case GICD_NSACR:
			return raz_wi(a);
		}
		return false;
	}
	if (off == GICR_TYPER) {
		if (a->bytes != 8 && a->bytes != 4)
			return false;
		return read_only(a, TYPER_LAST); /* affinity 0, processor 0, the last one */
	}
	if (off == GICR_TYPER + 4 && a->bytes == 4)
		return read_only(a, 0);
	if (a->bytes != 4 || (off & 3))
		return false;
	switch (off) {
	case GICR_CTLR:
		if (a->write)
			g->redist_ctlr = 0; /* no LPIs: EnableLPIs stays 0 */
		else
			a->value = g->redist_ctlr;
		return true;
	case GICR_IIDR:
		return read_only(a, IIDR_ARM);
	case GICR_STATUSR:
		return raz_wi(a);
	case GICR_WAKER:
		if (a->write) {
			/* Children follow the processor at once. */
			uint32_t sleep = (uint32_t)a->value & WAKER_PROCESSOR_SLEEP;
			g->waker = sleep ? (WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP) : 0;
		} else {
			a->value = g->waker;
		}
		return true;
	case GICR_PIDR2:
		return read_only(a, PIDR2_GICV3);
	}
	return false;
}
