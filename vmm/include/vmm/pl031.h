/* The PL031 real-time clock a VMM shows its guest.  The time comes from
 * the clock driver (drivers/rtc) once; the VMM then advances it with its
 * own counter, so a guest reading the clock costs no IPC.  A guest that
 * sets the clock (RTCLR) moves only its own offset. */
#ifndef VMM_PL031_H
#define VMM_PL031_H

#include <stdint.h>
#include <vmm/devices.h>

#define PL031_SIZE 0x1000
struct pl031 {
	int64_t offset;  /* guest time minus wall-clock time, seconds */
	uint32_t mr, cr, imsc, ris;
};
void pl031_init(struct pl031 *r);
/* now = the wall clock in seconds since the epoch at the time of access. */
bool pl031_access(struct pl031 *r, struct vmm_access *a, uint64_t now);
/* The interrupt line (alarm matched and unmasked), nonzero = high. */
uint32_t pl031_irq_status(const struct pl031 *r);

#endif
