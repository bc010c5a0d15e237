/* virtio-blk over virtio-mmio (version 2) for a guest: registers, feature
 * negotiation, and the split virtqueue served synchronously when the guest
 * notifies.  See vmm/include/vmm/virtio_blk.h for the trust model. */
#include <stddef.h>
#include <hw/virtio.h>
#include <vmm/virtio_blk.h>

#define FEATURES ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_BLK_F_SEG_MAX) | \
		  (1ull << VIRTIO_BLK_F_BLK_SIZE) | (1ull << VIRTIO_BLK_F_FLUSH))
#define ISR_USED 1u
#define ISR_CONFIG 2u
#define ID_STRING "bulwark-virtio-blk"
#define VIRTIO_BLK_ID_BYTES 20

struct seg {
	uint8_t *p;
	uint32_t len;
};

/* Every byte a guest reads or writes passes here once (the device DMAs
 * into the driver's buffer, not into guest RAM): by 64-byte blocks when
 * both sides allow, which block I/O's page-sized buffers always do. */
static void copy(uint8_t *d, const uint8_t *s, uint64_t n)
{
	uint64_t i = 0;
	if (!(((uintptr_t)d | (uintptr_t)s) & 7)) {
		uint64_t *dw = (uint64_t *)d;
		const uint64_t *sw = (const uint64_t *)s;
		/* All loads before the stores: the compiler pairs them into
		 * two load-pair and two store-pair instructions, and under
		 * emulation every memory instruction costs a TLB lookup. */
		for (; i + 64 <= n; i += 64, dw += 8, sw += 8) {
			uint64_t w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];
			uint64_t w4 = sw[4], w5 = sw[5], w6 = sw[6], w7 = sw[7];
			dw[0] = w0;
			dw[1] = w1;
			dw[2] = w2;
			dw[3] = w3;
			dw[4] = w4;
			dw[5] = w5;
			dw[6] = w6;
			dw[7] = w7;
		}
		for (; i + 8 <= n; i += 8, dw++, sw++)
			*dw = *sw;
	}
	for (; i < n; i++)
		d[i] = s[i];
}

static void reset(struct vblk *b)
{
	struct vblk_ops ops = b->ops;
	uint64_t cap = b->capacity, req = b->requests, err = b->errors;
	*b = (struct vblk){.ops = ops, .capacity = cap, .requests = req, .errors = err};
}

void vblk_init(struct vblk *b, const struct vblk_ops *ops, uint64_t capacity_sectors)
{
	*b = (struct vblk){.ops = *ops, .capacity = capacity_sectors};
}

uint32_t vblk_irq_status(const struct vblk *b)
{
	return b->isr;
}

static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t ld32(const uint8_t *p) { return (uint32_t)ld16(p) | (uint32_t)ld16(p + 2) << 16; }
static uint64_t ld64(const uint8_t *p) { return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v) { st16(p, (uint16_t)v); st16(p + 2, (uint16_t)(v >> 16)); }

/* The guest broke the protocol: it must reset the device to use it again. */
static void broken(struct vblk *b)
{
	b->status |= VS_NEEDS_RESET;
	b->isr |= ISR_CONFIG;
	b->queue_ready = 0;
	b->desc = b->avail = b->used = NULL;
}

static bool queue_set_up(struct vblk *b)
{
	uint32_t n = b->queue_num;
	if (!n || n > VBLK_QUEUE_MAX || (n & (n - 1)) || (b->desc_gpa & 15) || (b->avail_gpa & 1) ||
	    (b->used_gpa & 3))
		return false;
	b->desc = b->ops.guest(b->ops.ctx, b->desc_gpa, 16ull * n);
	b->avail = b->ops.guest(b->ops.ctx, b->avail_gpa, 6ull + 2ull * n);
	b->used = b->ops.guest(b->ops.ctx, b->used_gpa, 6ull + 8ull * n);
	return b->desc && b->avail && b->used;
}

/* Moves `len` bytes between the bounce buffer and the data segments,
 * starting `pos` bytes into them. */
static void scatter_gather(struct seg *segs, unsigned n, uint64_t pos, uint8_t *buf, uint64_t len, bool to_guest)
{
	for (unsigned i = 0; i < n && len; i++) {
		if (pos >= segs[i].len) {
			pos -= segs[i].len;
			continue;
		}
		uint64_t k = segs[i].len - pos < len ? segs[i].len - pos : len;
		if (to_guest)
			copy(segs[i].p + pos, buf, k);
		else
			copy(buf, segs[i].p + pos, k);
		buf += k;
		len -= k;
		pos = 0;
	}
}

/* A read or write of `total` bytes at `sector`, in bounce-buffer windows. */
static uint8_t transfer(struct vblk *b, uint32_t type, uint64_t sector, struct seg *segs, unsigned n,
			uint64_t total)
{
	if (total % 512 || sector > b->capacity || total / 512 > b->capacity - sector)
		return VIRTIO_BLK_S_IOERR;
	for (uint64_t done = 0; done < total;) {
		uint32_t k = total - done < b->ops.bounce_size ? (uint32_t)(total - done) : b->ops.bounce_size;
		if (type == VIRTIO_BLK_T_OUT)
			scatter_gather(segs, n, done, b->ops.bounce, k, false);
		uint8_t s = b->ops.io(b->ops.ctx, type, sector + done / 512, k);
		if (s != VIRTIO_BLK_S_OK)
			return s;
		if (type == VIRTIO_BLK_T_IN)
			scatter_gather(segs, n, done, b->ops.bounce, k, true);
		done += k;
	}
	return VIRTIO_BLK_S_OK;
}

/* One request, the chain starting at `head`.  Returns false if the chain
 * is so malformed that it has no status byte to answer in (the device is
 * then broken); otherwise *written = bytes written into the guest. */
static bool serve_chain(struct vblk *b, uint16_t head, uint32_t *written)
{
	struct seg segs[VBLK_QUEUE_MAX];
	uint8_t *hdr = NULL, *status = NULL;
	unsigned nseg = 0;
	bool data_writable = false, mixed = false, bad = false;
	uint64_t total = 0;
	uint16_t idx = head;
	for (unsigned count = 0;; count++) {
		if (idx >= b->queue_num || count >= b->queue_num)
			return false; /* out of the table, or a loop */
		const uint8_t *d = b->desc + 16u * idx;
		uint64_t addr = ld64(d);
		uint32_t len = ld32(d + 8);
		uint16_t flags = ld16(d + 12), next = ld16(d + 14);
		if (flags & VIRTQ_DESC_F_INDIRECT)
			return false; /* not offered */
		uint8_t *p = len ? b->ops.guest(b->ops.ctx, addr, len) : NULL;
		bool last = !(flags & VIRTQ_DESC_F_NEXT);
		if (count == 0) {
			/* The header: its own readable descriptor (how Linux
			 * and every driver we know lay a request out). */
			if (len < sizeof(struct virtio_blk_req_hdr) || !p || (flags & VIRTQ_DESC_F_WRITE) || last)
				return false;
			hdr = p;
		} else if (last) {
			if (len < 1 || !p || !(flags & VIRTQ_DESC_F_WRITE))
				return false;
			status = p + len - 1;
			if (len > 1) { /* data before the status byte in the same buffer */
				if (nseg == 0)
					data_writable = true;
				else if (!data_writable)
					mixed = true;
				segs[nseg++] = (struct seg){p, len - 1};
				total += len - 1;
			}
		} else {
			if (!p) {
				bad = true; /* outside guest RAM: answered with IOERR */
			} else {
				bool w = flags & VIRTQ_DESC_F_WRITE;
				if (nseg == 0)
					data_writable = w;
				else if (w != data_writable)
					mixed = true;
				segs[nseg++] = (struct seg){p, len};
			}
			total += len;
		}
		if (last)
			break;
		idx = next;
	}
	uint32_t type = ld32(hdr);
	uint64_t sector = ld64(hdr + 8);
	uint8_t s;
	*written = 0;
	if (bad || mixed) {
		s = VIRTIO_BLK_S_IOERR;
	} else if (type == VIRTIO_BLK_T_IN) {
		s = nseg && !data_writable ? VIRTIO_BLK_S_IOERR : transfer(b, type, sector, segs, nseg, total);
		if (s == VIRTIO_BLK_S_OK)
			*written = (uint32_t)total;
	} else if (type == VIRTIO_BLK_T_OUT) {
		s = nseg && data_writable ? VIRTIO_BLK_S_IOERR : transfer(b, type, sector, segs, nseg, total);
	} else if (type == VIRTIO_BLK_T_FLUSH) {
		s = b->ops.io(b->ops.ctx, VIRTIO_BLK_T_FLUSH, 0, 0);
	} else if (type == VIRTIO_BLK_T_GET_ID && data_writable) {
		static const char id[] = ID_STRING;
		uint8_t buf[VIRTIO_BLK_ID_BYTES] = {0};
		copy(buf, (const uint8_t *)id, sizeof id - 1);
		uint64_t k = total < sizeof buf ? total : sizeof buf;
		scatter_gather(segs, nseg, 0, buf, k, true);
		*written = (uint32_t)k;
		s = VIRTIO_BLK_S_OK;
	} else {
		s = VIRTIO_BLK_S_UNSUPP;
	}
	if (s != VIRTIO_BLK_S_OK)
		b->errors++;
	*status = s;
	*written += 1;
	return true;
}

static bool notify(struct vblk *b)
{
	if (!b->queue_ready || !(b->status & VS_DRIVER_OK) || (b->status & VS_NEEDS_RESET))
		return false;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint16_t avail_idx = ld16(b->avail + 2);
	if ((uint16_t)(avail_idx - b->last_avail) > b->queue_num) {
		broken(b); /* more requests than the queue holds: a corrupt index */
		return true;
	}
	bool any = false;
	while (b->last_avail != avail_idx) {
		uint16_t head = ld16(b->avail + 4 + 2u * (b->last_avail % b->queue_num));
		uint32_t written;
		if (!serve_chain(b, head, &written)) {
			broken(b);
			return true;
		}
		b->last_avail++;
		b->requests++;
		uint8_t *e = b->used + 4 + 8u * (b->used_idx % b->queue_num);
		st32(e, head);
		st32(e + 4, written);
		b->used_idx++;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		st16(b->used + 2, b->used_idx);
		any = true;
	}
	if (any)
		b->isr |= ISR_USED;
	return any;
}

bool vblk_kicked(const struct vblk *b)
{
	return b->kicked;
}

bool vblk_serve_kicked(struct vblk *b)
{
	if (!b->kicked)
		return false;
	b->kicked = false;
	return notify(b);
}

/* The configuration space: struct virtio_blk_config's first fields. */
static uint64_t config_read(const struct vblk *b, uint64_t off, unsigned bytes)
{
	uint8_t cfg[24] = {0};
	for (int i = 0; i < 8; i++)
		cfg[i] = (uint8_t)(b->capacity >> (8 * i));
	st32(cfg + 12, VBLK_SEG_MAX);
	st32(cfg + 20, 512);
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		if (off + i < sizeof cfg)
			v |= (uint64_t)cfg[off + i] << (8 * i);
	return v;
}

static uint32_t reg_read(const struct vblk *b, uint64_t off)
{
	switch (off) {
	case VM_MAGIC: return VIRTIO_MAGIC;
	case VM_VERSION: return 2;
	case VM_DEVICE_ID: return b->capacity ? VIRTIO_ID_BLOCK : 0;
	case 0x00c: return 0x554d4551; /* VendorID "QEMU": any value will do */
	case VM_DEVICE_FEATURES:
		return b->dev_features_sel < 2 ? (uint32_t)(FEATURES >> (32 * b->dev_features_sel)) : 0;
	case VM_QUEUE_NUM_MAX: return b->queue_sel == 0 ? VBLK_QUEUE_MAX : 0;
	case VM_QUEUE_READY: return b->queue_sel == 0 ? b->queue_ready : 0;
	case VM_INTERRUPT_STATUS: return b->isr;
	case VM_STATUS: return b->status;
	case VM_CONFIG_GENERATION: return 0;
	}
	return 0;
}

static void set_status(struct vblk *b, uint32_t v)
{
	if (v == 0) {
		reset(b);
		return;
	}
	/* FEATURES_OK holds only for a subset of ours that includes VERSION_1. */
	if ((v & VS_FEATURES_OK) && !(b->status & VS_FEATURES_OK) &&
	    ((b->drv_features & ~FEATURES) || !(b->drv_features & (1ull << VIRTIO_F_VERSION_1))))
		v &= ~VS_FEATURES_OK;
	b->status = v | (b->status & VS_NEEDS_RESET);
}

static void reg_write(struct vblk *b, uint64_t off, uint32_t v, bool *irq)
{
	bool q0 = b->queue_sel == 0, setup = q0 && !b->queue_ready;
	switch (off) {
	case VM_DEVICE_FEATURES_SEL: b->dev_features_sel = v; break;
	case VM_DRIVER_FEATURES_SEL: b->drv_features_sel = v; break;
	case VM_DRIVER_FEATURES:
		if (b->drv_features_sel < 2 && !(b->status & VS_FEATURES_OK)) {
			unsigned sh = 32 * b->drv_features_sel;
			b->drv_features = (b->drv_features & ~(0xffffffffull << sh)) | (uint64_t)v << sh;
		}
		break;
	case VM_QUEUE_SEL: b->queue_sel = v; break;
	case VM_QUEUE_NUM: if (setup) b->queue_num = v; break;
	case VM_QUEUE_DESC_LOW: if (setup) b->desc_gpa = (b->desc_gpa & ~0xffffffffull) | v; break;
	case VM_QUEUE_DESC_HIGH: if (setup) b->desc_gpa = (b->desc_gpa & 0xffffffffull) | (uint64_t)v << 32; break;
	case VM_QUEUE_DRIVER_LOW: if (setup) b->avail_gpa = (b->avail_gpa & ~0xffffffffull) | v; break;
	case VM_QUEUE_DRIVER_HIGH: if (setup) b->avail_gpa = (b->avail_gpa & 0xffffffffull) | (uint64_t)v << 32; break;
	case VM_QUEUE_DEVICE_LOW: if (setup) b->used_gpa = (b->used_gpa & ~0xffffffffull) | v; break;
	case VM_QUEUE_DEVICE_HIGH: if (setup) b->used_gpa = (b->used_gpa & 0xffffffffull) | (uint64_t)v << 32; break;
	case VM_QUEUE_READY:
		if (!q0)
			break;
		if (!v) {
			b->queue_ready = 0;
		} else if (!b->queue_ready) {
			if (queue_set_up(b)) {
				b->queue_ready = 1;
				b->last_avail = b->used_idx = 0;
			} else {
				broken(b);
				*irq = true;
			}
		}
		break;
	case VM_QUEUE_NOTIFY:
		if (v != 0)
			break;
		if (b->ops.deferred)
			b->kicked = true;
		else if (notify(b))
			*irq = true;
		break;
	case VM_INTERRUPT_ACK: b->isr &= ~v; break;
	case VM_STATUS: set_status(b, v); break;
	}
}

bool vblk_access(struct vblk *b, struct vmm_access *a, bool *irq)
{
	*irq = false;
	if (a->offset >= VBLK_SIZE || a->bytes > 4 || (a->offset & (a->bytes - 1)))
		return false;
	if (a->offset >= VM_CONFIG) {
		if (a->write)
			return true; /* the block config is read-only for us */
		a->value = config_read(b, a->offset - VM_CONFIG, a->bytes);
		return true;
	}
	if (a->bytes != 4)
		return false;
	if (a->write)
		reg_write(b, a->offset, (uint32_t)a->value, irq);
	else
		a->value = reg_read(b, a->offset);
	return true;
}
