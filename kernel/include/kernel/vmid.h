/* VMID allocation with rollover (the ASID scheme of Linux, applied to
 * stage-2 VMIDs). Each address space holds a (generation, VMID) pair; when
 * the VMIDs of the current generation run out, the generation advances, all
 * TLB entries of every VMID are invalidated once, and spaces pick up fresh
 * VMIDs lazily on their next switch-in. No space is ever walked to revoke. */
#ifndef KERNEL_VMID_H
#define KERNEL_VMID_H

#include <kernel/types.h>

#define VMID_BITS 8
#define VMID_COUNT (1u << VMID_BITS)

struct vmid_alloc {
	u64 gen;  /* current generation, starts at 1 (0 = never assigned) */
	u32 next; /* next free VMID in this generation; VMID 0 is reserved */
};

struct vmid_tag {
	u64 gen;
	u16 vmid;
};

void vmid_init(struct vmid_alloc *va);
/* Makes tag valid in the current generation; true if it had to be changed
 * (the caller then rebuilds the space's VTTBR value). */
bool vmid_refresh(struct vmid_alloc *va, struct vmid_tag *tag);

#endif
