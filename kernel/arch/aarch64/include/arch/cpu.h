/* aarch64 per-CPU access and the CPU operations generic code inlines. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#define read_sysreg(r) ({ u64 v__; __asm__ volatile("mrs %0, " #r : "=r"(v__)); v__; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((u64)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)read_sysreg(tpidr_el2);
}

/* Load a user address space's stage-2 tables (VMID-tagged: no flush). */
static inline void arch_load_space(u64 vttbr)
{
	write_sysreg(vttbr_el2, vttbr);
	isb();
}

static inline u64 arch_pmu_insns(void)
{
	return read_sysreg(pmevcntr0_el0);
}

/* Bench builds stamp the fast path with the instruction counter. */
#ifdef BW_BENCH_SPLIT
#define BENCH_STAMP(field) (this_cpu()->field = arch_pmu_insns())
/* A kernel pass begins: age the history, stamp the new pass. */
#define BENCH_PASS_BEGIN()                                                     \
	do {                                                                   \
		struct percpu *c__ = this_cpu();                               \
		u64 now__ = arch_pmu_insns();                                  \
		c__->stamp_pass[0][0] = c__->stamp_pass[1][0];                 \
		c__->stamp_pass[0][1] = c__->stamp_pass[1][1];                 \
		c__->stamp_pass[1][0] = c__->stamp_pass[2][0];                 \
		c__->stamp_pass[1][1] = c__->stamp_pass[2][1];                 \
		c__->stamp_pass[2][0] = now__;                                 \
	} while (0)
#define BENCH_PASS_END() (this_cpu()->stamp_pass[2][1] = arch_pmu_insns())
#else
#define BENCH_STAMP(field) ((void)0)
#define BENCH_PASS_BEGIN() ((void)0)
#define BENCH_PASS_END() ((void)0)
#endif

#endif
