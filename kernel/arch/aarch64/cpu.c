/* EL2 CPU set-up and the maintenance operations of kernel/include/kernel/arch.h. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <arch/sysreg.h>

/* EL0 tasks: TGE=1 so their exceptions (svc included) reach EL2 on ARMv8.0;
 * DC=1 so with stage 1 off their memory is normal cacheable; VM=1 (implied
 * by DC) so each task's stage-2 table is its address space. */
#define HCR_NATIVE (HCR_VM | HCR_DC | HCR_TGE | HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TSC | HCR_TWI | HCR_TWE)

/* T0SZ=25 (39-bit IPA), start at level 1, inner-shareable write-back walks,
 * 4 KiB granule, 40-bit PA, 8-bit VMID. */
#define VTCR_VALUE ((1ull << 31) | 25 | (1ull << 6) | (1ull << 8) | (1ull << 10) | (3ull << 12) | (2ull << 16))

#define SCTLR_EL1_RES1 0x30d00800ull
#define SCTLR_EL1_EL0 (SCTLR_EL1_RES1 | (1ull << 14) /* DZE */ | (1ull << 15) /* UCT */ | (1ull << 26) /* UCI */)

#define PMU_INST_RETIRED 0x08
#define PMEVTYPER_NSH (1ull << 27) /* count at EL2 as well */

void cpu_init(void)
{
	write_sysreg(hcr_el2, HCR_NATIVE);
	write_sysreg(vtcr_el2, VTCR_VALUE);
	write_sysreg(vttbr_el2, 0);
	write_sysreg(sctlr_el1, SCTLR_EL1_EL0);
	write_sysreg(cpacr_el1, 3ull << 20);
	/* FP/SIMD trapped until a thread uses it: lazy switching (and SVE/SME
	 * trapped for good: this kernel does not switch their state). */
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | (1ull << 8) | (1ull << 12) | CPTR_TFP);
	/* PMU counter 0 counts retired instructions at EL0 and EL2; EL0 may
	 * read it (benchmarks measure from user space). */
	u64 mdcr = read_sysreg(mdcr_el2);
	write_sysreg(mdcr_el2, mdcr & ~((1ull << 5) | (1ull << 6)));
	write_sysreg(pmevtyper0_el0, PMU_INST_RETIRED | PMEVTYPER_NSH);
	write_sysreg(pmccfiltr_el0, PMEVTYPER_NSH);
	write_sysreg(pmcntenset_el0, 1ull | (1ull << 31));
	write_sysreg(pmcr_el0, 0x7);
	write_sysreg(pmuserenr_el0, 0xf);
	isb();
}

void arch_pt_publish(void)
{
	dsb(ishst);
}

/* TLB maintenance by IPA acts on the VMID in VTTBR_EL2, so another space's
 * tables are loaded for the duration. With stage 1 off, EL0 translations
 * are cached as combined stage-1+2 entries: the IPA invalidation must be
 * followed by a by-VMID stage-1 invalidation. */
void arch_tlb_flush_page(u64 vttbr, u64 va)
{
	u64 cur = read_sysreg(vttbr_el2);
	if (cur != vttbr) {
		write_sysreg(vttbr_el2, vttbr);
		isb();
	}
	dsb(ishst);
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(va >> 12));
	dsb(ish);
	__asm__ volatile("tlbi vmalle1is");
	dsb(ish);
	isb();
	if (cur != vttbr) {
		write_sysreg(vttbr_el2, cur);
		isb();
	}
}

void arch_tlb_flush_vmid(u64 vttbr)
{
	u64 cur = read_sysreg(vttbr_el2);
	write_sysreg(vttbr_el2, vttbr);
	isb();
	dsb(ishst);
	__asm__ volatile("tlbi vmalls12e1is");
	dsb(ish);
	isb();
	write_sysreg(vttbr_el2, cur);
	isb();
}

void arch_tlb_flush_all_vmids(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi alle1is");
	dsb(ish);
	isb();
}

void arch_sync_icache(void *p, size_t n)
{
	/* Clean to the point of unification, then invalidate the I-cache:
	 * cache lines of at least 64 bytes on every supported core. */
	for (u64 a = (u64)p & ~63ull; a < (u64)p + n; a += 64)
		__asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
	dsb(ish);
	__asm__ volatile("ic ialluis");
	dsb(ish);
	isb();
}

void arch_zero_pages(void *p, u64 pages)
{
	u64 *w = p, words = pages * PAGE_SIZE / 8;
	u64 dczid = read_sysreg(dczid_el0);
	if (dczid & 16) { /* DZP: DC ZVA prohibited */
		for (u64 i = 0; i < words; i++)
			w[i] = 0;
		return;
	}
	/* One instruction per block (4 << BS bytes, at most 2 KiB: a page
	 * is always a whole number of blocks). */
	u64 block = 4ull << (dczid & 15);
	for (u64 a = (u64)p; a < (u64)p + pages * PAGE_SIZE; a += block)
		__asm__ volatile("dc zva, %0" ::"r"(a) : "memory");
}

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("wfe");
}

/* Exceptions taken from EL2 itself are kernel bugs. */
_Noreturn void kernel_panic_exception(u64 esr, u64 elr, u64 far)
{
	panic("kernel exception esr=%lx elr=%lx far=%lx", esr, elr, far);
}
