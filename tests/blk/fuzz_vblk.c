/* libFuzzer: a hostile guest against the VMM's virtio-blk model.  The
 * input is a list of register accesses (8 bytes each, up to the first
 * 0xff marker or 64 of them) followed by the guest's RAM, in which the
 * rings and buffers live wherever the accesses said.  Under ASan any read
 * or write outside guest RAM, the disk or the bounce buffer is a crash.
 * Bit 3 of the first access's flags byte selects the VMM's deferred mode
 * (ops.deferred): a notify is then served only when an access with bit 2
 * of its flags byte comes after it, or at the end, as the VMM serves a
 * kick after letting the guest run on. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <hw/virtio.h>
#include <vmm/virtio_blk.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x8000ull
#define DISK_SECTORS 16

static uint8_t ram[RAM_SIZE];
static uint8_t disk[DISK_SECTORS * 512];
static uint8_t bounce[1024];

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
	if (bytes > sizeof bounce)
		__builtin_trap();
	if (type == VIRTIO_BLK_T_FLUSH)
		return VIRTIO_BLK_S_OK;
	if (sector > DISK_SECTORS || bytes > (DISK_SECTORS - sector) * 512)
		__builtin_trap(); /* the model must have refused it */
	if (type == VIRTIO_BLK_T_IN)
		memcpy(bounce, disk + sector * 512, bytes);
	else
		memcpy(disk + sector * 512, bounce, bytes);
	return VIRTIO_BLK_S_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vblk b;
	struct vblk_ops ops = {.guest = guest, .io = io, .bounce = bounce, .bounce_size = sizeof bounce,
			       .deferred = size >= 4 && (data[3] & 8)};
	vblk_init(&b, &ops, DISK_SECTORS);
	size_t n = 0;
	while (n < 64 && (n + 1) * 8 <= size && data[n * 8] != 0xff)
		n++;
	size_t ram_from = n * 8 + (n * 8 < size);
	memset(ram, 0, sizeof ram);
	if (ram_from < size)
		memcpy(ram, data + ram_from, size - ram_from < RAM_SIZE ? size - ram_from : RAM_SIZE);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *op = data + i * 8;
		struct vmm_access a = {.offset = (uint64_t)(op[0] | op[1] << 8) & 0x3ff,
				       .bytes = 1u << (op[2] & 3),
				       .write = op[3] & 1};
		a.value = (uint64_t)op[4] | (uint64_t)op[5] << 8 | (uint64_t)op[6] << 16 | (uint64_t)op[7] << 24;
		/* Ring addresses land in guest RAM more often than not. */
		if (a.write && (op[3] & 2))
			a.value = (uint32_t)(RAM_BASE + (a.value & (RAM_SIZE - 1)));
		bool irq;
		if (op[3] & 4)
			vblk_serve_kicked(&b);
		vblk_access(&b, &a, &irq);
	}
	vblk_serve_kicked(&b);
	return 0;
}
