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
	bool slice_expired; /* the running thread's quantum ran out: round-robin */
	u32 cpu;
	u64 restarts; /* system calls preempted at a preemption point */
	/* PMU stamps (bench-split builds only): of the last fast-path passes,
	 * and of the general path's last three kernel passes (where the C code
	 * began and ended), oldest first, for the entry/logic/exit split. */
	u64 stamp_call_start, stamp_call_end, stamp_rr_start, stamp_rr_end;
	u64 stamp_pass[3][2];
};

#include <arch/cpu.h>

#endif
