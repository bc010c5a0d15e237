/* The virtio-blk device a VMM shows its guest: a modern (virtio 1.x)
 * virtio-mmio transport with one split virtqueue.  The model is a pure
 * function of the guest's register accesses, like the other device
 * models: guest memory and the disk are reached through callbacks, so
 * host unit tests drive it with a fake guest and a RAM disk, and the VMM
 * with its guest RAM and the block driver (vmm/vmm/blkfront.c).
 *
 * The guest is not trusted: every ring address, descriptor index, length
 * and buffer address it gives is checked against its RAM before use (the
 * callback `guest` answers only for ranges wholly inside it), a chain that
 * loops or runs past the queue ends the request, and a guest that breaks
 * the protocol beyond what a status byte can report gets NEEDS_RESET and
 * no further service until it resets the device. */
#ifndef VMM_VIRTIO_BLK_H
#define VMM_VIRTIO_BLK_H

#include <stdint.h>
#include <vmm/devices.h>

#define VBLK_SIZE 0x200
#define VBLK_QUEUE_MAX 128 /* descriptors; also the longest chain */
#define VBLK_SEG_MAX 126   /* data descriptors per request (+ header, status) */

struct vblk_ops {
	void *ctx;
	/* The VMM's pointer to guest-physical [gpa, gpa + len), or NULL
	 * unless all of it is guest RAM. */
	uint8_t *(*guest)(void *ctx, uint64_t gpa, uint64_t len);
	/* Moves `bytes` between the bounce buffer and the disk at `sector`
	 * (VIRTIO_BLK_T_IN: disk to buffer; T_OUT: buffer to disk; T_FLUSH:
	 * bytes = 0).  Returns a VIRTIO_BLK_S_* status; returning means the
	 * disk did it (a write is on the disk). */
	uint8_t (*io)(void *ctx, uint32_t type, uint64_t sector, uint32_t bytes);
	uint8_t *bounce;
	uint32_t bounce_size; /* a multiple of 512 */
	/* A QueueNotify only marks the queue kicked; the caller serves it with
	 * vblk_serve_kicked once it has let the guest run on, so the guest
	 * keeps working while its disk does, as beside a real device. */
	bool deferred;
};

struct vblk {
	struct vblk_ops ops;
	uint64_t capacity; /* sectors; 0: no disk (DeviceID reads 0) */
	uint32_t status, dev_features_sel, drv_features_sel, queue_sel, queue_num, queue_ready, isr;
	uint64_t drv_features, desc_gpa, avail_gpa, used_gpa;
	uint8_t *desc, *avail, *used; /* checked pointers, valid while queue_ready */
	uint16_t last_avail, used_idx;
	bool kicked; /* ops.deferred: notified, not yet served */
	uint64_t requests, errors; /* served; answered with an error status */
};

void vblk_init(struct vblk *b, const struct vblk_ops *ops, uint64_t capacity_sectors);
/* One access at offset a->offset into the transport.  *irq is set when the
 * interrupt should be raised (requests completed or the device broke). */
bool vblk_access(struct vblk *b, struct vmm_access *a, bool *irq);
/* With ops.deferred: whether the guest notified since the last serve, and
 * the serve itself (every request available now); true when the interrupt
 * should be raised.  Call it from the thread that calls vblk_access. */
bool vblk_kicked(const struct vblk *b);
bool vblk_serve_kicked(struct vblk *b);
/* The interrupt line: InterruptStatus, nonzero = high. */
uint32_t vblk_irq_status(const struct vblk *b);

#endif
