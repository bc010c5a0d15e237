/* State private to one CPU. One CPU today; kept per CPU (reached through
 * TPIDR_EL2) so more can come without touching its users. */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <kernel/objects.h>

struct percpu {
	u64 kstack_top; /* offset 0: read by arch/aarch64/entry.S */
	struct thread *current;
	struct runq rq;
	struct thread *fp_owner; /* whose state is in the FP registers */
	u64 vttbr;               /* stage-2 tables currently loaded */
	u64 ticks;
	u32 cpu;
	/* PMU stamps of the last fast-path passes (bench-split builds only). */
	u64 stamp_call_start, stamp_call_end, stamp_rr_start, stamp_rr_end;
};

#include <arch/cpu.h>

#endif
