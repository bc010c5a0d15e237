/* Host "fake" per-CPU access: one CPU, a plain global. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

extern struct percpu fake_cpu;

static inline struct percpu *this_cpu(void) { return &fake_cpu; }
static inline void arch_load_space(u64 vttbr) { (void)vttbr; }
static inline u64 arch_pmu_insns(void) { return 0; }

#define BENCH_STAMP(field) ((void)0)
#define BENCH_PASS_BEGIN() ((void)0)
#define BENCH_PASS_END() ((void)0)

#endif
