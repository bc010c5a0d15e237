/* Identity map with 2 MiB blocks, from a table of regions: changing what a
 * range is (say, a shared ring that must be non-cacheable) is one line in
 * `regions`, not a change to the page-table code. */
#include "mmu.h"
#include "platform.h"
#include "sysreg.h"

#include <stddef.h>
#include <stdint.h>

struct region {
	uint64_t base, size;
	enum mem_attr attr;
	const char *what;
};

static const struct region regions[] = {
	{ 0x08000000, 0x00200000, MEM_DEVICE, "GICv3 distributor + redistributors" },
	{ 0x09000000, 0x00200000, MEM_DEVICE, "PL011" },
	{ RAM_BASE, RAM_SIZE, MEM_NORMAL, "RAM" },
	/* The Linux channel (bulwark/chanring.h): the doorbell page is a VMM
	 * register.  The rings are memory Linux maps through /dev/mem, which
	 * makes them Device (uncached) on its side: a cacheable view here
	 * could keep our writes in a cache line Linux never sees, and read
	 * stale lines of its writes, since mismatched cacheability loses
	 * coherence on hardware (QEMU has no caches and would not show it).
	 * Normal non-cacheable matches Linux's view while still allowing
	 * ordinary loads and stores; the ring code orders them with barriers. */
	{ 0x0c000000, 0x00200000, MEM_DEVICE, "channel doorbell page" },
	{ 0x0c200000, 0x00200000, MEM_UNCACHED, "channel rings" },
};

/* MAIR_EL1 byte per enum mem_attr, same order. */
#define MAIR_VALUE ((0x04ull << (8 * MEM_DEVICE)) | (0xffull << (8 * MEM_NORMAL)) | \
		    (0x44ull << (8 * MEM_UNCACHED)))

#define BLOCK_SHIFT 21
#define L1_SHIFT 30
#define ENTRIES 512
#define L2_TABLES 4 /* the first 4 GiB: all of QEMU virt's low map */

#define DESC_VALID 0x1ull
#define DESC_TABLE 0x3ull
#define DESC_BLOCK 0x1ull
#define DESC_AF (1ull << 10)
#define DESC_SH_INNER (3ull << 8)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)

static uint64_t l1[ENTRIES] __attribute__((aligned(4096)));
static uint64_t l2[L2_TABLES][ENTRIES] __attribute__((aligned(4096)));

static uint64_t block_desc(uint64_t pa, enum mem_attr attr)
{
	uint64_t d = pa | DESC_BLOCK | DESC_AF | ((uint64_t)attr << 2) | DESC_UXN;

	if (attr == MEM_DEVICE)
		d |= DESC_PXN; /* never execute from MMIO */
	else
		d |= DESC_SH_INNER;
	return d;
}

void mmu_init(void)
{
	for (unsigned g = 0; g < L2_TABLES; g++)
		l1[g] = (uint64_t)(uintptr_t)l2[g] | DESC_TABLE;
	for (size_t r = 0; r < sizeof regions / sizeof regions[0]; r++)
		for (uint64_t pa = regions[r].base; pa < regions[r].base + regions[r].size;
		     pa += 1ull << BLOCK_SHIFT)
			l2[pa >> L1_SHIFT][(pa >> BLOCK_SHIFT) % ENTRIES] =
				block_desc(pa, regions[r].attr);

	write_sysreg(mair_el1, MAIR_VALUE);
	/* T0SZ=25 (39-bit VA, walk starts at level 1), 4 KiB granule, inner
	 * shareable write-back walks, TTBR1 walks disabled, 32-bit PA. */
	write_sysreg(tcr_el1, 25ull | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23));
	write_sysreg(ttbr0_el1, (uintptr_t)l1);
	dsb(ish);
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(ish);
	isb();
	/* M, C, I; alignment checks stay off (newlib copies unaligned). */
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | (1ull << 0) | (1ull << 2) | (1ull << 12));
	isb();
}
