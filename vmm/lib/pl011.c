/* A PL011 as Linux's amba-pl011 driver and earlycon use it: transmit only,
 * FIFOs always ready, control registers remembered, and the PrimeCell ID
 * registers the AMBA bus matches the driver by. */
#include <vmm/devices.h>

#define DR     0x000
#define RSR    0x004
#define FR     0x018
#define ILPR   0x020
#define IBRD   0x024
#define FBRD   0x028
#define LCR_H  0x02c
#define CR     0x030
#define IFLS   0x034
#define IMSC   0x038
#define RIS    0x03c
#define MIS    0x040
#define ICR    0x044
#define DMACR  0x048
#define ID_BASE 0xfe0

#define FR_RXFE (1u << 4) /* receive FIFO empty */
#define FR_TXFE (1u << 7) /* transmit FIFO empty */

/* PeriphID0..3 (a PL011 r1p5) then CellID0..3, one byte per word. */
static const uint8_t primecell_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void pl011_init(struct pl011 *u, void (*out)(void *ctx, char c), void *ctx)
{
	*u = (struct pl011){.cr = 0x300, .ifls = 0x12, .out = out, .ctx = ctx};
}

static bool reg_rw(uint32_t *reg, struct vmm_access *a, uint32_t mask)
{
	if (a->write)
		*reg = (uint32_t)a->value & mask;
	else
		a->value = *reg;
	return true;
}

bool pl011_access(struct pl011 *u, struct vmm_access *a)
{
	uint64_t off = a->offset;
	if (off >= PL011_SIZE || (off & 3) || a->bytes > 4)
		return false;
	if (off >= ID_BASE) {
		if (a->write)
			return true; /* read-only: ignored */
		a->value = primecell_id[(off - ID_BASE) / 4];
		return true;
	}
	switch (off) {
	case DR:
		if (a->write) {
			if (u->out)
				u->out(u->ctx, (char)(a->value & 0xff));
		} else {
			a->value = 0; /* nothing received */
		}
		return true;
	case FR:
		if (!a->write)
			a->value = FR_TXFE | FR_RXFE;
		return true;
	case RSR:
	case ILPR:
	case DMACR:
	case ICR:
		if (!a->write)
			a->value = 0;
		return true;
	case RIS:
	case MIS:
		/* No interrupt is ever raised: transmission completes at once. */
		if (!a->write)
			a->value = 0;
		return true;
	case IBRD:
		return reg_rw(&u->ibrd, a, 0xffff);
	case FBRD:
		return reg_rw(&u->fbrd, a, 0x3f);
	case LCR_H:
		return reg_rw(&u->lcr_h, a, 0xff);
	case CR:
		return reg_rw(&u->cr, a, 0xff87);
	case IFLS:
		return reg_rw(&u->ifls, a, 0x3f);
	case IMSC:
		return reg_rw(&u->imsc, a, 0x7ff);
	}
	return false;
}
