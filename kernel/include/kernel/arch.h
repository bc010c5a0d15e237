/* The hardware-independent interface every architecture layer provides.
 * Generic kernel code reaches the hardware only through these functions, so
 * the same code runs on aarch64 and, for unit tests, on the host "fake"
 * architecture (kernel/arch/fake), which records every TLB and cache
 * maintenance operation so tests can check the kernel asked for it. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <kernel/types.h>

/* Page-table entries written by the CPU must reach the table walker before
 * the tables are used: the barrier a PTE update needs before any TLB
 * invalidation or before the tables go live. */
void arch_pt_publish(void);

/* Invalidate the stage-2 translation of one page of one address space
 * (identified by its VTTBR value, i.e. root table and VMID). */
void arch_tlb_flush_page(u64 vttbr, u64 va);
/* Invalidate every translation tagged with the VMID in vttbr. */
void arch_tlb_flush_vmid(u64 vttbr);
/* Invalidate every EL1&0 translation of every VMID: VMID rollover. */
void arch_tlb_flush_all_vmids(void);
/* Code was written through the kernel's data mapping: make it visible to
 * instruction fetch before user space may execute it. */
void arch_sync_icache(void *p, size_t n);
/* Zero whole pages of the kernel's memory, as fast as the CPU allows (DC
 * ZVA): guest RAM is zeroed in bulk with interrupts masked between
 * preemption points, so the cost per page is latency for everyone. */
void arch_zero_pages(void *p, u64 pages);

/* Stop this CPU for good (panic). */
_Noreturn void arch_halt(void);

/* Physical memory is reached through the kernel's own mapping of it; on
 * aarch64 that mapping is the identity, on the host pointers are used as is. */
static inline void *phys_to_virt(paddr_t pa) { return (void *)pa; }
static inline paddr_t virt_to_phys(const void *p) { return (paddr_t)p; }

#endif
