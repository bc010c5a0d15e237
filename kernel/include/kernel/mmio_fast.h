/* The MMIO short path (core/vcpu_mmio_fast.c): a VMM lets the kernel absorb
 * writes to, and answer reads of, a few registers of one emulated device
 * page (bulwark/vcpu.h BW_SYS_VCPU_MMIO_FAST), so a guest printing on its
 * console does not exit to the VMM twice per character. */
#ifndef KERNEL_MMIO_FAST_H
#define KERNEL_MMIO_FAST_H

#include <bulwark/vcpu.h>
#include <kernel/types.h>

struct thread;
struct vcpu;
struct shm;
struct notification;

struct mmio_fast {
	struct bw_mmio_fast *page; /* NULL: not registered */
	struct shm *shm;           /* holds the page */
	struct notification *wake;
	u64 wake_bits;
	u64 ipa;                   /* the MMIO page, guest-physical */
	u64 flags;
	u32 head;                  /* the kernel's own: see mmio_ring.h */
	u32 tick_head;             /* head at the previous tick */
	bool told_bad_tail;
	u16 write_offset[BW_MMIO_FAST_REGS], read_offset[BW_MMIO_FAST_REGS];
};

/* An abort exit: true if the short path completed the access. */
bool mmio_fast_abort(struct thread *t, struct vcpu *v, u64 esr, u64 ipa);
/* The vCPU blocks or exits to its VMM: wake the VMM if entries wait. */
void mmio_fast_kick(struct mmio_fast *f);
/* The kernel's tick: wake the VMM for entries that sat through a tick. */
void mmio_fast_tick(struct mmio_fast *f);
void mmio_fast_release(struct mmio_fast *f);
u64 sys_mmio_fast(struct thread *t);

#endif
