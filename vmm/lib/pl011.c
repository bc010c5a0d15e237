/* A PL011 as Linux's amba-pl011 driver and earlycon use it: transmission
 * completes at once (the transmit FIFO is never full, so the driver never
 * needs a transmit interrupt to make progress), received bytes wait in a
 * ring fed by the console driver and raise the receive interrupts, control
 * registers are remembered, and the PrimeCell ID registers the AMBA bus
 * matches the driver by answer. */
#include <vmm/devices.h>
#include <vmm/primecell.h>

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
#define ID_BASE PRIMECELL_ID_BASE

#define FR_RXFE (1u << 4) /* receive FIFO empty */
#define FR_RXFF (1u << 6) /* receive FIFO full */
#define FR_TXFE (1u << 7) /* transmit FIFO empty */
#define INT_ALL 0x7ffu

#define PERIPH_ID 0x00141011u /* a PL011 r1p5 */

void pl011_init(struct pl011 *u, void (*out)(void *ctx, char c), void *ctx)
{
	*u = (struct pl011){.cr = 0x300, .ifls = 0x12, .out = out, .ctx = ctx};
}

static uint32_t rx_count(const struct pl011 *u)
{
	/* The consumer's view: the producer publishes bytes before the head. */
	return __atomic_load_n(&u->rx_head, __ATOMIC_ACQUIRE) - u->rx_tail;
}

unsigned pl011_rx_push(struct pl011 *u, const uint8_t *bytes, unsigned n)
{
	uint32_t head = u->rx_head;
	uint32_t room = PL011_RX_RING - (head - __atomic_load_n(&u->rx_tail, __ATOMIC_ACQUIRE));
	unsigned taken = n < room ? n : room;
	for (unsigned i = 0; i < taken; i++)
		u->rx[(head + i) % PL011_RX_RING] = bytes[i];
	__atomic_store_n(&u->rx_head, head + taken, __ATOMIC_RELEASE);
	u->rx_dropped += n - taken;
	return taken;
}

static int rx_pop(struct pl011 *u)
{
	if (!rx_count(u))
		return -1;
	uint8_t c = u->rx[u->rx_tail % PL011_RX_RING];
	__atomic_store_n(&u->rx_tail, u->rx_tail + 1, __ATOMIC_RELEASE);
	return c;
}

/* The receive trigger level IFLS selects, in bytes of a 16-byte FIFO (the
 * depth Linux assumes for this revision): 1/8, 1/4, 1/2, 3/4, 7/8. */
static uint32_t rx_trigger(const struct pl011 *u)
{
	static const uint8_t level[8] = {2, 4, 8, 12, 14, 14, 14, 14};
	return level[(u->ifls >> 3) & 7];
}

static uint32_t raw_status(const struct pl011 *u)
{
	uint32_t n = rx_count(u), ris = u->tx_status;
	if (n >= rx_trigger(u))
		ris |= PL011_INT_RX;
	else if (n)
		ris |= PL011_INT_RT;
	return ris;
}

uint32_t pl011_flags(const struct pl011 *u)
{
	uint32_t n = rx_count(u);
	return FR_TXFE | (n ? 0 : FR_RXFE) | (n >= PL011_RX_RING ? FR_RXFF : 0);
}

uint32_t pl011_irq_status(const struct pl011 *u)
{
	return raw_status(u) & u->imsc;
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
		a->value = primecell_id(PERIPH_ID, off);
		return true;
	}
	switch (off) {
	case DR:
		if (a->write) {
			if (u->out)
				u->out(u->ctx, (char)(a->value & 0xff));
			u->tx_status = PL011_INT_TX;
		} else {
			int c = rx_pop(u);
			a->value = c < 0 ? 0 : (uint32_t)c; /* no error bits: a clean line */
		}
		return true;
	case FR:
		if (!a->write)
			a->value = pl011_flags(u);
		return true;
	case ICR:
		/* The receive interrupts follow the ring's fill level; only the
		 * transmit one is latched. */
		if (a->write)
			u->tx_status &= ~((uint32_t)a->value & INT_ALL);
		else
			a->value = 0;
		return true;
	case RSR:
	case ILPR:
	case DMACR:
		if (!a->write)
			a->value = 0;
		return true;
	case RIS:
		if (!a->write)
			a->value = raw_status(u);
		return true;
	case MIS:
		if (!a->write)
			a->value = pl011_irq_status(u);
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
