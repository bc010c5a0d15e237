/* The test guest's side of the MMIO short-path check: it only accesses
 * registers; its VMM (tests/vm/vmtest/mmio_fast.c) judges what arrived. */
#include <stdint.h>
#include "../mmio_fast_dev.h"

void guest_mmio_fast(void);

static void write32(uint64_t off, uint32_t v) { *(volatile uint32_t *)(FASTDEV_BASE + off) = v; }
static void write64(uint64_t off, uint64_t v) { *(volatile uint64_t *)(FASTDEV_BASE + off) = v; }
static uint32_t read32(uint64_t off) { return *(volatile uint32_t *)(FASTDEV_BASE + off); }

void guest_mmio_fast(void)
{
	write32(FASTDEV_PHASE, 1);
	write64(FASTDEV_REPORT, read32(FASTDEV_FLAGS));
	int64_t half;
	__asm__ volatile("ldrsh %0, [%1]" : "=r"(half) : "r"(FASTDEV_BASE + FASTDEV_FLAGS));
	write64(FASTDEV_REPORT, (uint64_t)half);
	write64(FASTDEV_REPORT, read32(FASTDEV_OTHER));
	for (uint32_t i = 0; i < FASTDEV_BURST; i++)
		write32(FASTDEV_DATA, i);
	write32(FASTDEV_PHASE, 2);
	write32(FASTDEV_DATA, FASTDEV_REFUSED);
	write32(FASTDEV_PHASE, 3);
	write32(FASTDEV_DATA, FASTDEV_AFTER);
	write32(FASTDEV_PHASE, 4);
	write32(FASTDEV_DONE, 1);
	for (;;)
		__asm__ volatile("wfi");
}
