/* Physical page allocator: one bit per page over the RAM the kernel
 * manages, next-fit for runs of contiguous pages (shared-memory regions,
 * device-free user images). Pure logic: the bitmap lives in caller memory. */
#ifndef KERNEL_MEM_H
#define KERNEL_MEM_H

#include <kernel/types.h>

struct palloc {
	paddr_t base;
	u64 pages;
	u64 free;
	u64 hint; /* where the next search starts */
	u64 *bitmap; /* bit set = page in use */
};

void palloc_init(struct palloc *pa, paddr_t base, u64 pages, u64 *bitmap);
/* Mark [addr, addr + n pages) used (kernel image, boot payload). */
void palloc_reserve(struct palloc *pa, paddr_t addr, u64 n);
/* n contiguous pages, or 0 when no run that long is free. */
paddr_t palloc_alloc(struct palloc *pa, u64 n);
void palloc_free(struct palloc *pa, paddr_t addr, u64 n);

void mmu_init(void);

#endif
