/* The kernel's own EL2 stage-1 mapping: the identity over the first 2 GiB
 * of the physical address space. Devices (0-1 GiB on QEMU virt) as one
 * Device-nGnRE block; RAM (1-2 GiB) as normal write-back memory in 2 MiB
 * blocks, never executable, except the 2 MiB window holding the kernel
 * image, which is page-mapped so text is read-execute and the rest
 * read-write: W^X holds for the kernel too (SCTLR_EL2.WXN enforces it). */
#include <kernel/console.h>
#include <kernel/mem.h>
#include <arch/sysreg.h>

#define D_VALID   (1ull << 0)
#define D_TABLE   (1ull << 1) /* level 1-2: table; level 3: page */
#define D_ATTR(i) ((u64)(i) << 2)
#define D_AP_RO   (1ull << 7)
#define D_AP_RES1 (1ull << 6) /* AP[1] is RES1 in the one-privilege EL2 regime */
#define D_SH_IN   (3ull << 8)
#define D_AF      (1ull << 10)
#define D_XN      (1ull << 54)

#define ATTR_DEVICE 0 /* MAIR index */
#define ATTR_NORMAL 1
#define MAIR_VALUE ((0x04ull << (8 * ATTR_DEVICE)) | (0xffull << (8 * ATTR_NORMAL)))

#define RAM_WINDOW_BASE 0x40000000ull
#define NORMAL_RW (D_ATTR(ATTR_NORMAL) | D_SH_IN | D_AF | D_AP_RES1 | D_XN)

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));
static u64 l3_kernel[512] __attribute__((aligned(4096)));

extern char __text_start[], __text_end[], __rodata_end[];

void mmu_init(void)
{
	l1[0] = 0 | D_VALID | D_ATTR(ATTR_DEVICE) | D_AF | D_AP_RES1 | D_XN;
	l1[1] = (u64)l2_ram | D_VALID | D_TABLE;
	for (u64 i = 0; i < 512; i++)
		l2_ram[i] = (RAM_WINDOW_BASE + (i << 21)) | D_VALID | NORMAL_RW;
	u64 window = (u64)__text_start & ~((1ull << 21) - 1);
	for (u64 i = 0; i < 512; i++) {
		u64 pa = window + (i << 12);
		u64 d = pa | D_VALID | D_TABLE | D_ATTR(ATTR_NORMAL) | D_SH_IN | D_AF | D_AP_RES1;
		if (pa >= (u64)__text_start && pa < (u64)__text_end)
			d |= D_AP_RO; /* text: read-execute */
		else if (pa >= (u64)__text_end && pa < (u64)__rodata_end)
			d |= D_AP_RO | D_XN;
		else
			d |= D_XN;
		l3_kernel[i] = d;
	}
	l2_ram[(window - RAM_WINDOW_BASE) >> 21] = (u64)l3_kernel | D_VALID | D_TABLE;

	dsb(ish);
	write_sysreg(mair_el2, MAIR_VALUE);
	/* T0SZ=25: 39-bit VA, walk from level 1; inner-shareable write-back
	 * walks; 4 KiB granule; 40-bit PA (what Cortex-A53 implements). */
	write_sysreg(tcr_el2, TCR_EL2_RES1 | 25 | (1 << 8) | (1 << 10) | (3 << 12) | (2ull << 16));
	write_sysreg(ttbr0_el2, (u64)l1);
	isb();
	__asm__ volatile("tlbi alle2\n dsb ish\n ic iallu\n dsb ish" ::: "memory");
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN);
	isb();
}
