/* Host "fake" architecture: records every TLB and cache maintenance
 * request so unit tests can assert the kernel asked for exactly what real
 * hardware needs (QEMU forgives missing maintenance; hardware does not). */
#include <stdlib.h>
#include <string.h>
#include <kernel/arch.h>
#include <arch/fake.h>

struct fake_log fake_log;

static void record(enum fake_op op, u64 a, u64 b)
{
	if (fake_log.n < FAKE_LOG_MAX)
		fake_log.op[fake_log.n++] = (struct fake_event){op, a, b};
}

void fake_reset(void)
{
	fake_log.n = 0;
}

void arch_pt_publish(void) { record(FAKE_PT_PUBLISH, 0, 0); }
void arch_tlb_flush_page(u64 vttbr, u64 va) { record(FAKE_TLB_PAGE, vttbr, va); }
void arch_tlb_flush_vmid(u64 vttbr) { record(FAKE_TLB_VMID, vttbr, 0); }
void arch_tlb_flush_all_vmids(void) { record(FAKE_TLB_ALL, 0, 0); }
void arch_sync_icache(void *p, size_t n) { record(FAKE_ICACHE, (u64)(uintptr_t)p, n); }
void arch_zero_pages(void *p, u64 pages) { memset(p, 0, pages * PAGE_SIZE); }
_Noreturn void arch_halt(void) { abort(); }
