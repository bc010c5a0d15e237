#include <kernel/arch.h>
#include <kernel/vmid.h>

void vmid_init(struct vmid_alloc *va)
{
	va->gen = 1;
	va->next = 1;
}

bool vmid_refresh(struct vmid_alloc *va, struct vmid_tag *tag)
{
	if (likely(tag->gen == va->gen))
		return false;
	if (va->next == VMID_COUNT) {
		va->gen++;
		va->next = 1;
		arch_tlb_flush_all_vmids();
	}
	tag->gen = va->gen;
	tag->vmid = (u16)va->next++;
	return true;
}
