/* Stage-2 translation tables for user address spaces (4 KiB granule,
 * 39-bit input addresses, walk starting at level 1).
 *
 * With HCR_EL2.TGE=1 and DC=1 EL0 runs with stage 1 off, so a task's
 * virtual address *is* its intermediate physical address and this one table
 * is the whole of its address space. Pure logic: table pages come from a
 * caller-supplied allocator (which charges a quota) and every change that
 * can leave a stale translation calls the arch TLB hooks. */
#ifndef KERNEL_PT_H
#define KERNEL_PT_H

#include <kernel/types.h>

#define PT_R   (1u << 0)
#define PT_W   (1u << 1)
#define PT_X   (1u << 2)
#define PT_DEV (1u << 3) /* device memory (nGnRE), never executable */

#define PT_VA_BITS 39
#define PT_VA_LIMIT (1ull << PT_VA_BITS)

struct pt_alloc {
	/* Returns a zeroed, page-aligned table page, or NULL (quota exhausted). */
	u64 *(*alloc)(void *ctx);
	void (*free)(void *ctx, u64 *page);
	void *ctx;
};

struct pt {
	u64 *root;  /* level-1 table, 512 entries */
	u64 vttbr;  /* root | VMID << 48: names the space in TLB maintenance */
};

int pt_init(struct pt *pt, const struct pt_alloc *a);
/* Map [va, va+size) to [pa, pa+size) with PT_* attributes. All-or-nothing:
 * fails with BW_E_EXISTS if any page is already mapped, BW_E_NOMEM if table
 * pages run out (tables allocated so far stay, empty, for later use). */
int pt_map(struct pt *pt, u64 va, paddr_t pa, u64 size, unsigned attrs, const struct pt_alloc *a);
/* Unmap [va, va+size); unmapped pages in the range are ignored. Each removed
 * page is invalidated in the TLB. */
void pt_unmap(struct pt *pt, u64 va, u64 size);
/* Translate one address: true and *pa / *attrs if mapped. */
bool pt_lookup(const struct pt *pt, u64 va, paddr_t *pa, unsigned *attrs);
/* Free every table page. The caller has already invalidated the VMID. */
void pt_destroy(struct pt *pt, const struct pt_alloc *a);

/* Descriptor encoding, exposed for tests. */
u64 pt_leaf_desc(paddr_t pa, unsigned attrs);
unsigned pt_desc_attrs(u64 desc);

#endif
