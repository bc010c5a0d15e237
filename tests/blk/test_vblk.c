/* The VMM's virtio-blk model (vmm/lib/virtio_blk.c) and PL031 model
 * (vmm/lib/pl031.c) against a fake guest: a 64 KiB RAM at 0x40000000 and a
 * RAM disk behind a deliberately small bounce buffer (so requests span
 * several windows).  The hostile cases are what a guest may do to its
 * VMM: addresses outside its RAM, bad indices, loops, corrupt counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <hw/virtio.h>
#include <vmm/pl031.h>
#include <vmm/virtio_blk.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000ull
#define DISK_SECTORS 64
#define QN 8
#define DESC (RAM_BASE + 0x0)
#define AVAIL (RAM_BASE + 0x1000)
#define USED (RAM_BASE + 0x2000)
#define HDR (RAM_BASE + 0x3000)
#define STATUS (RAM_BASE + 0x3100)
#define DATA (RAM_BASE + 0x4000)

static uint8_t ram[RAM_SIZE];
static uint8_t disk[DISK_SECTORS * 512];
static uint8_t bounce[1024];
static unsigned ios, flushes;

static uint8_t *guest(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	if (gpa < RAM_BASE || len > RAM_SIZE || gpa - RAM_BASE > RAM_SIZE - len)
		return NULL;
	return ram + (gpa - RAM_BASE);
}

static uint8_t io(void *ctx, uint32_t type, uint64_t sector, uint32_t bytes)
{
	(void)ctx;
	ios++;
	assert_true(bytes <= sizeof bounce);
	if (type == VIRTIO_BLK_T_FLUSH) {
		flushes++;
		return VIRTIO_BLK_S_OK;
	}
	assert_true(sector * 512 + bytes <= sizeof disk);
	if (type == VIRTIO_BLK_T_IN)
		memcpy(bounce, disk + sector * 512, bytes);
	else
		memcpy(disk + sector * 512, bounce, bytes);
	return VIRTIO_BLK_S_OK;
}

static uint32_t rd(struct vblk *b, uint64_t off)
{
	struct vmm_access a = {.offset = off, .bytes = 4};
	bool irq;
	assert_true(vblk_access(b, &a, &irq));
	return (uint32_t)a.value;
}

static bool wr(struct vblk *b, uint64_t off, uint32_t v)
{
	struct vmm_access a = {.offset = off, .bytes = 4, .write = true, .value = v};
	bool irq = false;
	assert_true(vblk_access(b, &a, &irq));
	return irq;
}

static void *g(uint64_t gpa) { return guest(NULL, gpa, 1); }

static void setup_device(struct vblk *b, uint64_t capacity)
{
	memset(ram, 0, sizeof ram);
	ios = flushes = 0;
	struct vblk_ops ops = {.guest = guest, .io = io, .bounce = bounce, .bounce_size = sizeof bounce};
	vblk_init(b, &ops, capacity);
}

/* What Linux's virtio_mmio does up to DRIVER_OK. */
static void bring_up(struct vblk *b)
{
	wr(b, VM_STATUS, 0);
	wr(b, VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER);
	wr(b, VM_DRIVER_FEATURES_SEL, 1);
	wr(b, VM_DRIVER_FEATURES, 1);
	wr(b, VM_DRIVER_FEATURES_SEL, 0);
	wr(b, VM_DRIVER_FEATURES, 1u << VIRTIO_BLK_F_FLUSH);
	wr(b, VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER | VS_FEATURES_OK);
	assert_true(rd(b, VM_STATUS) & VS_FEATURES_OK);
	wr(b, VM_QUEUE_SEL, 0);
	wr(b, VM_QUEUE_NUM, QN);
	wr(b, VM_QUEUE_DESC_LOW, (uint32_t)DESC);
	wr(b, VM_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	wr(b, VM_QUEUE_DEVICE_LOW, (uint32_t)USED);
	wr(b, VM_QUEUE_READY, 1);
	wr(b, VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK);
	assert_int_equal(rd(b, VM_QUEUE_READY), 1);
}

static void set_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	struct virtq_desc d = {addr, len, flags, next};
	memcpy(g(DESC + 16 * i), &d, sizeof d);
}

static uint16_t avail_idx(void)
{
	uint16_t v;
	memcpy(&v, g(AVAIL + 2), 2);
	return v;
}

static void push(uint16_t head)
{
	uint16_t idx = avail_idx();
	memcpy(g(AVAIL + 4 + 2 * (idx % QN)), &head, 2);
	idx++;
	memcpy(g(AVAIL + 2), &idx, 2);
}

static uint16_t used_idx(void)
{
	uint16_t v;
	memcpy(&v, g(USED + 2), 2);
	return v;
}

/* header at HDR, `bytes` of data at DATA (one descriptor), status. */
static uint8_t request(struct vblk *b, uint32_t type, uint64_t sector, uint32_t bytes)
{
	struct virtio_blk_req_hdr h = {type, 0, sector};
	memcpy(g(HDR), &h, sizeof h);
	*(uint8_t *)g(STATUS) = 0xee;
	set_desc(0, HDR, sizeof h, VIRTQ_DESC_F_NEXT, 1);
	if (bytes) {
		set_desc(1, DATA, bytes, VIRTQ_DESC_F_NEXT | (type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0), 2);
		set_desc(2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	} else {
		set_desc(1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	}
	uint16_t before = used_idx();
	push(0);
	assert_true(wr(b, VM_QUEUE_NOTIFY, 0));
	assert_int_equal(used_idx(), (uint16_t)(before + 1));
	assert_int_equal(rd(b, VM_INTERRUPT_STATUS) & 1, 1);
	wr(b, VM_INTERRUPT_ACK, 1);
	return *(uint8_t *)g(STATUS);
}

static void test_identity(void **state)
{
	(void)state;
	struct vblk b;
	setup_device(&b, DISK_SECTORS);
	assert_int_equal(rd(&b, VM_MAGIC), VIRTIO_MAGIC);
	assert_int_equal(rd(&b, VM_VERSION), 2);
	assert_int_equal(rd(&b, VM_DEVICE_ID), VIRTIO_ID_BLOCK);
	wr(&b, VM_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(&b, VM_DEVICE_FEATURES) & 1, 1); /* VERSION_1 */
	assert_int_equal(rd(&b, VM_CONFIG), DISK_SECTORS);
	assert_int_equal(rd(&b, VM_CONFIG + 4), 0);
	struct vmm_access a = {.offset = VM_CONFIG + 20, .bytes = 2};
	bool irq;
	assert_true(vblk_access(&b, &a, &irq));
	assert_int_equal(a.value, 512); /* blk_size */
	setup_device(&b, 0);
	assert_int_equal(rd(&b, VM_DEVICE_ID), 0); /* no disk: no device */
}

static void test_features_need_version_1(void **state)
{
	(void)state;
	struct vblk b;
	setup_device(&b, DISK_SECTORS);
	wr(&b, VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER);
	wr(&b, VM_DRIVER_FEATURES_SEL, 0);
	wr(&b, VM_DRIVER_FEATURES, 1u << VIRTIO_BLK_F_FLUSH);
	wr(&b, VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER | VS_FEATURES_OK);
	assert_false(rd(&b, VM_STATUS) & VS_FEATURES_OK);
}

static void test_write_read_flush(void **state)
{
	(void)state;
	struct vblk b;
	setup_device(&b, DISK_SECTORS);
	bring_up(&b);
	for (unsigned i = 0; i < 4096; i++)
		ram[DATA - RAM_BASE + i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(request(&b, VIRTIO_BLK_T_OUT, 3, 4096), VIRTIO_BLK_S_OK);
	assert_int_equal(ios, 4); /* four 1 KiB windows */
	assert_memory_equal(disk + 3 * 512, ram + (DATA - RAM_BASE), 4096);
	memset(ram + (DATA - RAM_BASE), 0, 4096);
	assert_int_equal(request(&b, VIRTIO_BLK_T_IN, 3, 4096), VIRTIO_BLK_S_OK);
	assert_memory_equal(disk + 3 * 512, ram + (DATA - RAM_BASE), 4096);
	uint32_t len;
	memcpy(&len, g(USED + 4 + 8 * 1 + 4), 4);
	assert_int_equal(len, 4097); /* data + status written */
	assert_int_equal(request(&b, VIRTIO_BLK_T_FLUSH, 0, 0), VIRTIO_BLK_S_OK);
	assert_int_equal(flushes, 1);
	assert_int_equal(request(&b, 77, 0, 0), VIRTIO_BLK_S_UNSUPP);
}

/* ops.deferred (the VMM): a notify only marks the queue; the requests are
 * served, and the interrupt asked for, when the caller serves the kick --
 * every request made available by then, once. */
static void test_deferred_serve(void **state)
{
	(void)state;
	struct vblk b;
	setup_device(&b, DISK_SECTORS);
	b.ops.deferred = true;
	bring_up(&b);
	assert_false(vblk_kicked(&b));
	assert_false(vblk_serve_kicked(&b)); /* nothing to serve */
	struct virtio_blk_req_hdr h = {VIRTIO_BLK_T_FLUSH, 0, 0};
	memcpy(g(HDR), &h, sizeof h);
	set_desc(0, HDR, sizeof h, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	push(0);
	assert_false(wr(&b, VM_QUEUE_NOTIFY, 0)); /* no interrupt yet */
	assert_true(vblk_kicked(&b));
	assert_int_equal(used_idx(), 0);
	assert_int_equal(flushes, 0);
	push(0); /* made available before the serve: served by it too */
	assert_false(wr(&b, VM_QUEUE_NOTIFY, 0));
	assert_true(vblk_serve_kicked(&b));
	assert_false(vblk_kicked(&b));
	assert_int_equal(used_idx(), 2);
	assert_int_equal(flushes, 2);
	assert_int_equal(rd(&b, VM_INTERRUPT_STATUS) & 1, 1);
	assert_false(vblk_serve_kicked(&b)); /* served once */
	/* A reset between the kick and the serve: nothing is served. */
	push(0);
	wr(&b, VM_QUEUE_NOTIFY, 0);
	wr(&b, VM_STATUS, 0);
	assert_false(vblk_kicked(&b));
	assert_false(vblk_serve_kicked(&b));
	assert_int_equal(flushes, 2);
}

static void test_bad_requests_get_ioerr(void **state)
{
	(void)state;
	struct vblk b;
	setup_device(&b, DISK_SECTORS);
	bring_up(&b);
	/* Past the end of the disk, and wrapping sector arithmetic. */
	assert_int_equal(request(&b, VIRTIO_BLK_T_IN, DISK_SECTORS - 1, 1024), VIRTIO_BLK_S_IOERR);
	assert_int_equal(request(&b, VIRTIO_BLK_T_IN, UINT64_MAX, 512), VIRTIO_BLK_S_IOERR);
	/* Not a whole sector. */
	assert_int_equal(request(&b, VIRTIO_BLK_T_OUT, 0, 100), VIRTIO_BLK_S_IOERR);
	/* A data buffer outside guest RAM, or wrapping the address space. */
	struct virtio_blk_req_hdr h = {VIRTIO_BLK_T_IN, 0, 0};
	memcpy(g(HDR), &h, sizeof h);
	set_desc(0, HDR, sizeof h, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, RAM_BASE + RAM_SIZE - 256, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	set_desc(2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	push(0);
	wr(&b, VM_QUEUE_NOTIFY, 0);
	assert_int_equal(*(uint8_t *)g(STATUS), VIRTIO_BLK_S_IOERR);
	set_desc(1, UINT64_MAX - 100, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	push(0);
	wr(&b, VM_QUEUE_NOTIFY, 0);
	assert_int_equal(*(uint8_t *)g(STATUS), VIRTIO_BLK_S_IOERR);
	/* A read into a buffer the device may not write. */
	set_desc(1, DATA, 512, VIRTQ_DESC_F_NEXT, 2);
	push(0);
	wr(&b, VM_QUEUE_NOTIFY, 0);
	assert_int_equal(*(uint8_t *)g(STATUS), VIRTIO_BLK_S_IOERR);
	assert_int_equal(ios, 0); /* none of them reached the disk */
	assert_false(rd(&b, VM_STATUS) & VS_NEEDS_RESET);
}

static void expect_broken(struct vblk *b)
{
	wr(b, VM_QUEUE_NOTIFY, 0);
	assert_true(rd(b, VM_STATUS) & VS_NEEDS_RESET);
	assert_int_equal(rd(b, VM_QUEUE_READY), 0);
	assert_int_equal(ios, 0);
	/* Dead until reset: more notifies do nothing. */
	assert_false(wr(b, VM_QUEUE_NOTIFY, 0));
	bring_up(b);
	assert_false(rd(b, VM_STATUS) & VS_NEEDS_RESET);
}

static void test_hostile_chains_break_the_device(void **state)
{
	(void)state;
	struct vblk b;
	struct virtio_blk_req_hdr h = {VIRTIO_BLK_T_IN, 0, 0};
	setup_device(&b, DISK_SECTORS);
	bring_up(&b);
	/* A head outside the table. */
	memcpy(g(HDR), &h, sizeof h);
	push(QN);
	expect_broken(&b);
	/* A loop. */
	memset(ram, 0, 0x3000);
	set_desc(0, HDR, sizeof h, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, DATA, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0);
	push(0);
	expect_broken(&b);
	/* A next index outside the table. */
	memset(ram, 0, 0x3000);
	set_desc(0, HDR, sizeof h, VIRTQ_DESC_F_NEXT, 200);
	push(0);
	expect_broken(&b);
	/* An indirect descriptor (not offered). */
	memset(ram, 0, 0x3000);
	set_desc(0, HDR, sizeof h, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, DATA, 16, VIRTQ_DESC_F_INDIRECT, 0);
	push(0);
	expect_broken(&b);
	/* No writable status byte. */
	memset(ram, 0, 0x3000);
	set_desc(0, HDR, sizeof h, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, STATUS, 1, 0, 0);
	push(0);
	expect_broken(&b);
	/* A header outside RAM. */
	memset(ram, 0, 0x3000);
	set_desc(0, RAM_BASE - 16, sizeof h, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	push(0);
	expect_broken(&b);
	/* More available than the queue holds: a corrupt counter. */
	memset(ram, 0, 0x3000);
	uint16_t idx = QN + 1;
	memcpy(g(AVAIL + 2), &idx, 2);
	expect_broken(&b);
}

static void test_rings_outside_ram_refused(void **state)
{
	(void)state;
	struct vblk b;
	setup_device(&b, DISK_SECTORS);
	wr(&b, VM_STATUS, VS_ACKNOWLEDGE | VS_DRIVER);
	wr(&b, VM_QUEUE_NUM, QN);
	wr(&b, VM_QUEUE_DESC_LOW, (uint32_t)(RAM_BASE + RAM_SIZE - 64)); /* 128 bytes needed */
	wr(&b, VM_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	wr(&b, VM_QUEUE_DEVICE_LOW, (uint32_t)USED);
	assert_true(wr(&b, VM_QUEUE_READY, 1));
	assert_int_equal(rd(&b, VM_QUEUE_READY), 0);
	assert_true(rd(&b, VM_STATUS) & VS_NEEDS_RESET);
	/* Not a power of two, or above the maximum. */
	setup_device(&b, DISK_SECTORS);
	wr(&b, VM_QUEUE_NUM, 3);
	wr(&b, VM_QUEUE_DESC_LOW, (uint32_t)DESC);
	wr(&b, VM_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	wr(&b, VM_QUEUE_DEVICE_LOW, (uint32_t)USED);
	wr(&b, VM_QUEUE_READY, 1);
	assert_int_equal(rd(&b, VM_QUEUE_READY), 0);
	setup_device(&b, DISK_SECTORS);
	wr(&b, VM_QUEUE_NUM, VBLK_QUEUE_MAX * 2);
	wr(&b, VM_QUEUE_READY, 1);
	assert_int_equal(rd(&b, VM_QUEUE_READY), 0);
}

static void test_bad_register_accesses(void **state)
{
	(void)state;
	struct vblk b;
	setup_device(&b, DISK_SECTORS);
	bool irq;
	struct vmm_access a = {.offset = VBLK_SIZE, .bytes = 4};
	assert_false(vblk_access(&b, &a, &irq)); /* outside the transport */
	a = (struct vmm_access){.offset = VM_STATUS + 1, .bytes = 1};
	assert_false(vblk_access(&b, &a, &irq)); /* registers are 32-bit */
	a = (struct vmm_access){.offset = VM_CONFIG + 2, .bytes = 4};
	assert_false(vblk_access(&b, &a, &irq)); /* unaligned */
	a = (struct vmm_access){.offset = VM_CONFIG + 4096, .bytes = 8};
	assert_false(vblk_access(&b, &a, &irq));
}

static void test_pl031(void **state)
{
	(void)state;
	struct pl031 r;
	pl031_init(&r);
	struct vmm_access a = {.offset = 0x000, .bytes = 4};
	assert_true(pl031_access(&r, &a, 1000));
	assert_int_equal(a.value, 1000);
	a = (struct vmm_access){.offset = 0x008, .bytes = 4, .write = true, .value = 5000};
	assert_true(pl031_access(&r, &a, 1000)); /* the guest sets its clock */
	a = (struct vmm_access){.offset = 0x000, .bytes = 4};
	assert_true(pl031_access(&r, &a, 1010));
	assert_int_equal(a.value, 5010);
	/* The alarm: match register + mask -> interrupt line. */
	a = (struct vmm_access){.offset = 0x004, .bytes = 4, .write = true, .value = 5020};
	assert_true(pl031_access(&r, &a, 1010));
	a = (struct vmm_access){.offset = 0x010, .bytes = 4, .write = true, .value = 1};
	assert_true(pl031_access(&r, &a, 1010));
	assert_int_equal(pl031_irq_status(&r), 0);
	a = (struct vmm_access){.offset = 0x014, .bytes = 4};
	assert_true(pl031_access(&r, &a, 1020));
	assert_int_equal(pl031_irq_status(&r), 1);
	a = (struct vmm_access){.offset = 0x01c, .bytes = 4, .write = true, .value = 1};
	assert_true(pl031_access(&r, &a, 1020));
	assert_int_equal(pl031_irq_status(&r), 0);
	/* PrimeCell IDs: what the AMBA bus matches before binding rtc-pl031. */
	static const uint8_t ids[8] = {0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
	for (unsigned i = 0; i < 8; i++) {
		a = (struct vmm_access){.offset = 0xfe0 + 4 * i, .bytes = 4};
		assert_true(pl031_access(&r, &a, 0));
		assert_int_equal(a.value, ids[i]);
	}
	a = (struct vmm_access){.offset = 0x002, .bytes = 2};
	assert_false(pl031_access(&r, &a, 0));
	a = (struct vmm_access){.offset = 0x1000, .bytes = 4};
	assert_false(pl031_access(&r, &a, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_features_need_version_1),
		cmocka_unit_test(test_write_read_flush),
		cmocka_unit_test(test_deferred_serve),
		cmocka_unit_test(test_bad_requests_get_ioerr),
		cmocka_unit_test(test_hostile_chains_break_the_device),
		cmocka_unit_test(test_rings_outside_ram_refused),
		cmocka_unit_test(test_bad_register_accesses),
		cmocka_unit_test(test_pl031),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
