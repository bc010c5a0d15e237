/* PL031 model: data, match, load and control registers, the alarm
 * interrupt (raised when the guest's clock reaches the match value; its
 * level is evaluated on each access, which is enough for Linux's rtc-pl031
 * that only uses the alarm for wake-ups), and the PrimeCell IDs the AMBA
 * bus probes before binding a driver. */
#include <vmm/pl031.h>
#include <vmm/primecell.h>

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCLR 0x08
#define RTCCR 0x0c
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCMIS 0x18
#define RTCICR 0x1c
#define ID_BASE PRIMECELL_ID_BASE
#define PERIPH_ID 0x00041031u /* ARM, PL031 */

void pl031_init(struct pl031 *r)
{
	*r = (struct pl031){.cr = 1};
}

static uint32_t guest_now(const struct pl031 *r, uint64_t now)
{
	return (uint32_t)((int64_t)now + r->offset);
}

bool pl031_access(struct pl031 *r, struct vmm_access *a, uint64_t now)
{
	if (a->bytes != 4 || (a->offset & 3) || a->offset >= PL031_SIZE)
		return false;
	uint32_t t = guest_now(r, now);
	if (r->mr && t >= r->mr)
		r->ris = 1;
	uint32_t v = (uint32_t)a->value;
	if (a->write) {
		switch (a->offset) {
		case RTCMR: r->mr = v; r->ris = r->mr && t >= r->mr; return true;
		case RTCLR: r->offset = (int64_t)v - (int64_t)now; return true;
		case RTCCR: r->cr = v & 1; return true; /* the clock cannot be stopped */
		case RTCIMSC: r->imsc = v & 1; return true;
		case RTCICR: if (v & 1) r->ris = 0; return true;
		case RTCDR: case RTCRIS: case RTCMIS: return true; /* read-only: ignored */
		}
		return a->offset >= ID_BASE; /* ID registers are read-only */
	}
	switch (a->offset) {
	case RTCDR: a->value = t; return true;
	case RTCMR: a->value = r->mr; return true;
	case RTCLR: a->value = t; return true;
	case RTCCR: a->value = 1; return true;
	case RTCIMSC: a->value = r->imsc; return true;
	case RTCRIS: a->value = r->ris; return true;
	case RTCMIS: a->value = r->ris & r->imsc; return true;
	case RTCICR: a->value = 0; return true;
	}
	if (a->offset >= ID_BASE) {
		a->value = primecell_id(PERIPH_ID, a->offset);
		return true;
	}
	a->value = 0; /* reserved registers read as zero, like the hardware */
	return true;
}

uint32_t pl031_irq_status(const struct pl031 *r)
{
	return r->ris & r->imsc;
}
