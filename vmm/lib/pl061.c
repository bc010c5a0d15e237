/* A PL061 as Linux's gpio-pl061 driver uses it: direction, data through
 * the address-masked GPIODATA window, edge and level interrupt
 * configuration, masked and raw status, clear; the PrimeCell IDs the AMBA
 * bus matches the driver by.  Byte and word accesses both work: the
 * driver uses readb/writeb. */
#include <vmm/pl061.h>
#include <vmm/primecell.h>

#define GPIODATA_END 0x400 /* data at 0x000-0x3fc, address bits 9:2 mask the lines */
#define GPIODIR 0x400
#define GPIOIS 0x404
#define GPIOIBE 0x408
#define GPIOIEV 0x40c
#define GPIOIE 0x410
#define GPIORIS 0x414
#define GPIOMIS 0x418
#define GPIOIC 0x41c
#define GPIOAFSEL 0x420
#define ID_BASE PRIMECELL_ID_BASE
#define PERIPH_ID 0x00041061u /* PL061 r1p1 */

void pl061_init(struct pl061 *g)
{
	*g = (struct pl061){0};
}

static uint8_t input_levels(const struct pl061 *g)
{
	return __atomic_load_n(&g->in, __ATOMIC_ACQUIRE);
}

uint8_t pl061_raw_status(const struct pl061 *g)
{
	/* A level line asks for service while it is at its active level. */
	uint8_t in = input_levels(g);
	uint8_t level = (uint8_t)(g->is & ~g->dir & ((in & g->iev) | (~in & ~g->iev)));
	uint8_t edges = (uint8_t)(__atomic_load_n(&g->edges, __ATOMIC_ACQUIRE) & ~g->is);
	return (uint8_t)(level | edges);
}

uint8_t pl061_irq_status(const struct pl061 *g)
{
	return pl061_raw_status(g) & g->ie;
}

void pl061_set_input(struct pl061 *g, unsigned line, bool level)
{
	if (line >= PL061_LINES)
		return;
	uint8_t bit = (uint8_t)(1u << line);
	uint8_t old = level ? __atomic_fetch_or(&g->in, bit, __ATOMIC_ACQ_REL)
			    : __atomic_fetch_and(&g->in, (uint8_t)~bit, __ATOMIC_ACQ_REL);
	bool was = old & bit;
	if (was == level || (g->dir & bit) || (g->is & bit))
		return;
	bool wanted = (g->ibe & bit) || (bool)(g->iev & bit) == level;
	if (wanted)
		__atomic_fetch_or(&g->edges, bit, __ATOMIC_ACQ_REL);
}

void pl061_pulse(struct pl061 *g, unsigned line)
{
	pl061_set_input(g, line, true);
	pl061_set_input(g, line, false);
}

static uint8_t *config_reg(struct pl061 *g, uint64_t off)
{
	switch (off) {
	case GPIODIR: return &g->dir;
	case GPIOIS: return &g->is;
	case GPIOIBE: return &g->ibe;
	case GPIOIEV: return &g->iev;
	case GPIOIE: return &g->ie;
	case GPIOAFSEL: return &g->afsel;
	}
	return 0;
}

bool pl061_access(struct pl061 *g, struct vmm_access *a)
{
	uint64_t off = a->offset;
	if (off >= PL061_SIZE || (a->bytes != 1 && a->bytes != 4) || (off & (a->bytes - 1)))
		return false;
	uint8_t v = (uint8_t)a->value;
	if (off < GPIODATA_END) {
		if ((off & 3) != 0)
			return false;
		uint8_t mask = (uint8_t)(off >> 2);
		if (a->write)
			g->out = (uint8_t)((g->out & ~(mask & g->dir)) | (v & mask & g->dir));
		else
			a->value = (uint8_t)(((g->out & g->dir) | (input_levels(g) & ~g->dir)) & mask);
		return true;
	}
	if (off >= ID_BASE) {
		if ((off & 3) != 0)
			return false;
		if (!a->write)
			a->value = primecell_id(PERIPH_ID, off);
		return true;
	}
	if (off & 3)
		return false;
	uint8_t *reg = config_reg(g, off);
	if (reg) {
		if (a->write)
			*reg = v;
		else
			a->value = *reg;
		return true;
	}
	switch (off) {
	case GPIORIS:
		if (!a->write)
			a->value = pl061_raw_status(g);
		return true;
	case GPIOMIS:
		if (!a->write)
			a->value = pl061_irq_status(g);
		return true;
	case GPIOIC:
		if (a->write)
			__atomic_fetch_and(&g->edges, (uint8_t)~v, __ATOMIC_ACQ_REL);
		return true;
	}
	return false;
}
