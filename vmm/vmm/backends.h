/* The VMM's clients of the device drivers (backends.c): the wall clock
 * from the PL031 driver, and the disk behind the guest's virtio-blk
 * device from the virtio-blk driver.  Their handles sit at fixed slots of
 * the VMM's table (the system description gives them); a VMM without
 * them shows a clock that starts at the epoch and no disk. */
#ifndef VMM_BACKENDS_H
#define VMM_BACKENDS_H

#include <stdint.h>
#include <vmm/virtio_blk.h>

#define H_RTC      ((1u << 10) | 40u) /* rtc-ep: send */
#define H_BLK      ((1u << 10) | 41u) /* blk-ep: send */
#define H_BLK_DATA ((1u << 10) | 42u) /* blk-data: read, write */

/* Asks the clock driver for the time once; later reads advance it with
 * the counter, so a guest's clock reads cost no IPC. */
void wallclock_init(void);
uint64_t wallclock_now(void);

/* Connects the guest's virtio-blk model to the block driver: asks its
 * capacity and maps the shared data buffer.  `guest` checks and
 * translates guest-physical ranges.  Without a driver the model shows no
 * device (DeviceID 0) and Linux's virtio_mmio ignores it. */
void blkfront_init(struct vblk *b, uint8_t *(*guest)(void *ctx, uint64_t gpa, uint64_t len));

#endif
