/* The virtio-mmio block driver.  Its grant: one transport's page and IRQ,
 * a two-page virtqueue region and the data buffer, both pinned at physical
 * addresses reserved for it (the kernel tells them as it maps them).  One
 * request at a time: its client, the Linux VMM, serialises the guest's
 * requests anyway, and a single outstanding request makes a restart
 * simple -- whatever the driver had not answered when it died, the client
 * sends again. */
#include "blk.h"

static volatile uint32_t *regs;
static volatile struct virtq_desc *desc;
static volatile uint16_t *avail; /* flags, idx, ring[QUEUE_SIZE] */
static volatile uint16_t *used;  /* flags, idx, then {id, len} pairs */
static uint16_t avail_idx, used_seen;
static uint64_t capacity;
uint64_t vq_phys, data_phys;
#ifdef BLK_CRASH_TEST
/* The test hook (blk-crashtest.elf, the restart test's image only): every
 * instance dies after its BLK_CRASH_TEST-th write, with that write on the
 * disk but not acknowledged -- the worst moment for its client. */
static unsigned writes_done;
#endif

static uint32_t rd(uint32_t off) { return regs[off / 4]; }
static void wr(uint32_t off, uint32_t v) { regs[off / 4] = v; }

static _Noreturn void give_up(const char *why, uint64_t v)
{
	bw_printf("blk: %s (%lx)\n", why, (unsigned long)v);
	bw_thread_exit();
}

/* False if the transport holds no block device (QEMU started without a
 * disk): the driver then stays, answering that the disk is empty, so its
 * client never waits for a driver that will not come. */
static bool init_device(void)
{
	if (rd(VM_MAGIC) != VIRTIO_MAGIC || rd(VM_DEVICE_ID) != VIRTIO_ID_BLOCK) {
		bw_printf("blk: no virtio block device in the granted transport (device ID %u)\n", rd(VM_DEVICE_ID));
		return false;
	}
	uint32_t version = rd(VM_VERSION);
	if (version != 1 && version != 2)
		give_up("unknown virtio-mmio version", version);
	wr(VM_STATUS, 0);
	wr(VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER);
	wr(VM_DEVICE_FEATURES_SEL, 0);
	uint32_t lo = rd(VM_DEVICE_FEATURES) & (1u << VIRTIO_BLK_F_FLUSH);
	wr(VM_DRIVER_FEATURES_SEL, 0);
	wr(VM_DRIVER_FEATURES, lo);
	if (version == 2) {
		wr(VM_DRIVER_FEATURES_SEL, 1);
		wr(VM_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
		wr(VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER | VS_FEATURES_OK);
		if (!(rd(VM_STATUS) & VS_FEATURES_OK))
			give_up("the device refused our features", rd(VM_STATUS));
	}
	wr(VM_QUEUE_SEL, 0);
	if (rd(VM_QUEUE_NUM_MAX) < QUEUE_SIZE)
		give_up("queue too small", rd(VM_QUEUE_NUM_MAX));
	wr(VM_QUEUE_NUM, QUEUE_SIZE);
	uint64_t d = vq_phys, a = vq_phys + QUEUE_SIZE * sizeof(struct virtq_desc), u = vq_phys + BW_PAGE_SIZE;
	if (version == 2) {
		wr(VM_QUEUE_DESC_LOW, (uint32_t)d);
		wr(VM_QUEUE_DESC_HIGH, (uint32_t)(d >> 32));
		wr(VM_QUEUE_DRIVER_LOW, (uint32_t)a);
		wr(VM_QUEUE_DRIVER_HIGH, (uint32_t)(a >> 32));
		wr(VM_QUEUE_DEVICE_LOW, (uint32_t)u);
		wr(VM_QUEUE_DEVICE_HIGH, (uint32_t)(u >> 32));
		wr(VM_QUEUE_READY, 1);
		wr(VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK);
	} else {
		/* Legacy: one contiguous ring, the used part page aligned. */
		wr(VM_GUEST_PAGE_SIZE, BW_PAGE_SIZE);
		wr(VM_QUEUE_ALIGN, BW_PAGE_SIZE);
		wr(VM_QUEUE_PFN, (uint32_t)(vq_phys / BW_PAGE_SIZE));
		wr(VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER | VS_DRIVER_OK);
	}
	capacity = rd(VM_CONFIG) | (uint64_t)rd(VM_CONFIG + 4) << 32;
	bw_printf("blk: virtio-mmio v%u block device, %lu sectors (%lu MiB)\n", version, (unsigned long)capacity,
		  (unsigned long)(capacity >> 11));
	return true;
}

/* Waits for the device to use the request just made available: its
 * interrupt, or (before the IRQ is bound) the used ring itself. */
static void wait_used(void)
{
	while (__atomic_load_n(&used[1], __ATOMIC_ACQUIRE) == used_seen) {
		uint64_t bits;
		bw_wait(H_IRQ, &bits);
		wr(VM_INTERRUPT_ACK, rd(VM_INTERRUPT_STATUS));
		bw_sys3(BW_SYS_IRQ_ACK, H_DEV, 0, 0, NULL);
	}
	used_seen++;
}

/* One request: header, optional data in the buffer, status byte. */
static uint64_t submit(uint32_t type, uint64_t sector, uint32_t bytes, uint32_t off)
{
	volatile struct virtio_blk_req_hdr *hdr = (void *)(VQ_VA + HDR_OFFSET);
	volatile uint8_t *status = (void *)(VQ_VA + STATUS_OFFSET);
	hdr->type = type;
	hdr->reserved = 0;
	hdr->sector = sector;
	*status = 0xff;
	desc[0] = (struct virtq_desc){vq_phys + HDR_OFFSET, sizeof(struct virtio_blk_req_hdr), VIRTQ_DESC_F_NEXT, 1};
	unsigned last = 1;
	if (bytes) {
		uint16_t flags = VIRTQ_DESC_F_NEXT | (type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0);
		desc[1] = (struct virtq_desc){data_phys + off, bytes, flags, 2};
		last = 2;
	}
	desc[last] = (struct virtq_desc){vq_phys + STATUS_OFFSET, 1, VIRTQ_DESC_F_WRITE, 0};
	avail[2 + avail_idx % QUEUE_SIZE] = 0;
	__atomic_store_n(&avail[1], (uint16_t)(avail_idx + 1), __ATOMIC_RELEASE);
	avail_idx++;
	__asm__ volatile("dsb sy" ::: "memory");
	wr(VM_QUEUE_NOTIFY, 0);
	wait_used();
	switch (*status) {
	case VIRTIO_BLK_S_OK: return BW_BLK_OK;
	case VIRTIO_BLK_S_UNSUPP: return BW_BLK_UNSUPP;
	}
	return BW_BLK_IOERR;
}

static uint64_t transfer(uint64_t label, const uint64_t *mr)
{
	uint64_t sector = mr[0], bytes = mr[1], off = mr[2];
	if (!bytes || bytes % BW_BLK_SECTOR || bytes > BW_BLK_BUF_SIZE || off > BW_BLK_BUF_SIZE - bytes ||
	    off % BW_BLK_SECTOR || sector > capacity || bytes / BW_BLK_SECTOR > capacity - sector)
		return BW_BLK_RANGE;
	return submit(label == BW_BLK_READ ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT, sector, (uint32_t)bytes,
		      (uint32_t)off);
}

static struct bw_msg serve(const struct bw_msg *m)
{
	struct bw_msg r = {.info = bw_info(BW_BLK_OK, 0, 0)};
	uint64_t label = bw_info_label(m->info);
	switch (label) {
	case BW_BLK_INFO:
		r.mr[0] = capacity;
		r.mr[1] = BW_BLK_BUF_SIZE;
		break;
	case BW_BLK_READ:
		r.info = bw_info(transfer(label, m->mr), 0, 0);
		break;
	case BW_BLK_WRITE:
		r.info = bw_info(transfer(label, m->mr), 0, 0);
#ifdef BLK_CRASH_TEST
		if (++writes_done == BLK_CRASH_TEST) {
			bw_printf("blk: test hook: crashing after write %u\n", writes_done);
			/* A store to page 0, which is never mapped: a data abort. */
			__asm__ volatile("str wzr, [%0]" ::"r"(8ul) : "memory");
		}
#endif
		break;
	case BW_BLK_FLUSH:
		r.info = bw_info(submit(VIRTIO_BLK_T_FLUSH, 0, 0, 0), 0, 0);
		break;
	default:
		r.info = bw_info(BW_BLK_UNSUPP, 0, 0);
	}
	return r;
}

int main(void)
{
	bw_console_set(H_CON);
	uint64_t err;
	if ((err = bw_sys3(BW_SYS_DEV_MAP, H_DEV, DEV_VA, 0, NULL)))
		give_up("cannot map the transport", err);
	struct bw_regs vq, data;
	if ((err = bw_sys(BW_SYS_SHM_MAP, H_VQ, 0, VQ_VA, BW_R_READ | BW_R_WRITE, 0, &vq)) ||
	    (err = bw_sys(BW_SYS_SHM_MAP, H_DATA, 0, DATA_VA, BW_R_READ | BW_R_WRITE, 0, &data)))
		give_up("cannot map the DMA region", err);
	/* The device reaches RAM by physical address: only a region the
	 * description pinned has one the kernel tells (and reserves). */
	vq_phys = vq.x[1];
	data_phys = data.x[1];
	if (!vq_phys || !data_phys)
		give_up("a DMA region (handle below) has no `phys-addr` in the description: refusing to start",
			!vq_phys ? H_VQ : H_DATA);
	regs = (volatile uint32_t *)(DEV_VA + TRANSPORT_OFFSET);
	desc = (volatile struct virtq_desc *)VQ_VA;
	avail = (volatile uint16_t *)(VQ_VA + QUEUE_SIZE * sizeof(struct virtq_desc));
	used = (volatile uint16_t *)(VQ_VA + BW_PAGE_SIZE);
	memset((void *)VQ_VA, 0, 2 * BW_PAGE_SIZE);
	if ((err = bw_sys3(BW_SYS_IRQ_BIND, H_DEV, H_IRQ, 0, NULL)))
		give_up("cannot bind the IRQ", err);
	bool present = init_device();
	struct bw_msg ready = {.info = bw_info(BW_BLK_READY, 0, 0) | BW_INFO_NONBLOCK};
	bw_send(H_SUPERVISOR, &ready); /* no supervisor (a boot task): nothing to tell */
	struct bw_msg m = {.info = bw_info(0, 0, 0)};
	uint64_t e = bw_recv(H_EP, &m);
	for (;;) {
		struct bw_msg r = {.info = bw_info(BW_BLK_UNSUPP, 0, 0)};
		if (e == BW_OK && (present || bw_info_label(m.info) == BW_BLK_INFO))
			r = serve(&m); /* without a device: capacity 0, nothing else */
		e = bw_reply_recv(H_EP, &r);
		m = r;
	}
}
