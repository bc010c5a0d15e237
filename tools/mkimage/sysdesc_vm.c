/* Virtual machines in the description: a `vm` object run by one VMM task,
 * and its guest RAM, `shm` objects that name the VM and where the guest sees
 * them.  What makes a VM safe to build at boot is checked here: the VM and
 * its RAM are its VMM's alone (no other task may hold them, so no one else
 * can map the guest's memory or run it), the guest's physical address space
 * has no double-booked page, and the VMM really holds what it needs. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "interval.h"
#include "sysdesc_reader.h"

void sd_read_vm(struct sd_reader *r, struct sd_object *o, const char *what)
{
	static const char *const props[] = {"type",     "context",     "vmm", "memory-quota",
					    "bootargs", "initrd-addr", NULL};
	sd_check_known_props(r, o->node, what, props);
	o->vmm = sd_get_string(r, o->node, "vmm", 0, what);
	if (!o->vmm && !fdt_getprop(r->fdt, o->node, "vmm", NULL))
		sd_error(r->d, o->node, NULL, "%s has no 'vmm' (the task that runs it)", what);
	int has = sd_get_u64(r, o->node, "memory-quota", &o->size, what);
	if (has > 0 && (o->size == 0 || !sd_page_aligned(o->size) || o->size > r->sys->ram_size))
		sd_error(r->d, o->node, "memory-quota",
			 "memory quota 0x%llx of %s must be a non-zero multiple of 4 KiB that fits "
			 "in RAM",
			 (unsigned long long)o->size, what);
	if (fdt_getprop(r->fdt, o->node, "bootargs", NULL))
		o->bootargs = sd_get_string(r, o->node, "bootargs", 0, what);
	if (sd_get_u64(r, o->node, "initrd-addr", &o->initrd_addr, what) > 0 &&
	    (!sd_page_aligned(o->initrd_addr) || o->initrd_addr == 0))
		sd_error(r->d, o->node, "initrd-addr",
			 "initrd-addr 0x%llx of %s is not a non-zero page-aligned guest address",
			 (unsigned long long)o->initrd_addr, what);
}

void sd_read_guest_ram(struct sd_reader *r, struct sd_object *o, const char *what)
{
	int has_vm = fdt_getprop(r->fdt, o->node, "vm", NULL) != NULL;
	if (has_vm)
		o->vm = sd_get_string(r, o->node, "vm", 0, what);
	int has_addr = sd_get_u64(r, o->node, "guest-addr", &o->guest_addr, what);
	if (has_addr != 0 && !has_vm) {
		sd_error(r->d, o->node, "guest-addr", "%s has a guest-addr but no 'vm' it belongs to",
			 what);
		return;
	}
	if (!has_vm)
		return;
	if (has_addr == 0) {
		sd_error(r->d, o->node, NULL, "%s is guest RAM of '%s' but has no 'guest-addr'", what,
			 o->vm ? o->vm : "?");
		return;
	}
	/* The guest's physical addresses are the VM's stage-2 input, which the
	 * kernel maps in the same range as any user address. */
	if (has_addr > 0 && (!sd_page_aligned(o->guest_addr) || o->guest_addr >= SD_USER_VA_LIMIT ||
			     o->size > SD_USER_VA_LIMIT - o->guest_addr))
		sd_error(r->d, o->node, "guest-addr",
			 "guest RAM %s at 0x%llx+0x%llx must be page aligned and below 0x%llx", what,
			 (unsigned long long)o->guest_addr, (unsigned long long)o->size,
			 SD_USER_VA_LIMIT);
}

static void report_guest_overlap(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct sd_reader *r = ctx;
	const struct sd_object *first = &r->sys->objects[a->owner];
	const struct sd_object *second = &r->sys->objects[b->owner];
	sd_error(r->d, second->node, "guest-addr",
		 "guest RAM '%s' overlaps guest RAM '%s' of vm '%s' at guest address 0x%llx",
		 second->name, first->name, second->vm,
		 (unsigned long long)sd_overlap_start(a, b));
}

/* Who holds the VM and its RAM: its VMM, and no one else. */
static void check_holders(struct sd_reader *r)
{
	struct sd_system *sys = r->sys;
	for (size_t i = 0; i < sys->handle_count; i++) {
		const struct sd_handle *h = &sys->handles[i];
		if (h->object_index == BW_BOOT_NONE)
			continue;
		const struct sd_object *o = &sys->objects[h->object_index];
		uint32_t vm = o->type == BW_BOOT_OBJ_VM ? h->object_index
			      : o->type == BW_BOOT_OBJ_SHM ? o->vm_index
							    : BW_BOOT_NONE;
		if (vm == BW_BOOT_NONE)
			continue;
		const struct sd_object *v = &sys->objects[vm];
		if (v->vmm_index == BW_BOOT_NONE || v->vmm_index == h->task)
			continue;
		sd_error(r->d, h->node, "object",
			 "%s '%s' is granted to task '%s', which is not the VMM of vm '%s' (task "
			 "'%s')",
			 o->type == BW_BOOT_OBJ_VM ? "vm" : "guest RAM", o->name,
			 sys->tasks[h->task].name, v->name, v->vmm);
	}
}

static int vmm_holds(const struct sd_system *sys, uint32_t object, uint32_t task, uint32_t rights)
{
	const struct sd_task *t = &sys->tasks[task];
	for (size_t k = 0; k < t->handle_count; k++) {
		const struct sd_handle *h = &sys->handles[t->first_handle + k];
		if (h->object_index == object && (h->rights & rights) == rights)
			return 1;
	}
	return 0;
}

void sd_check_vms(struct sd_reader *r)
{
	struct sd_system *sys = r->sys;
	char hint[96];
	for (size_t i = 0; i < sys->object_count; i++) {
		struct sd_object *o = &sys->objects[i];
		if (o->type != BW_BOOT_OBJ_VM || !o->vmm)
			continue;
		o->vmm_index = sd_find_task(sys, o->vmm);
		if (o->vmm_index == BW_BOOT_NONE)
			sd_error(r->d, o->node, "vmm", "vm '%s' names unknown VMM task '%s'%s", o->name,
				 o->vmm, sd_suggest_task(sys, o->vmm, hint, sizeof(hint)));
	}
	struct sd_intervals iv;
	sd_intervals_init(&iv);
	for (size_t i = 0; i < sys->object_count; i++) {
		struct sd_object *o = &sys->objects[i];
		if (o->type != BW_BOOT_OBJ_SHM || !o->vm)
			continue;
		o->vm_index = sd_find_object(sys, o->vm);
		if (o->vm_index == BW_BOOT_NONE) {
			sd_error(r->d, o->node, "vm", "shm '%s' is guest RAM of unknown vm '%s'%s",
				 o->name, o->vm, sd_suggest_object(sys, o->vm, hint, sizeof(hint)));
			continue;
		}
		struct sd_object *v = &sys->objects[o->vm_index];
		if (v->type != BW_BOOT_OBJ_VM) {
			sd_error(r->d, o->node, "vm", "shm '%s' is guest RAM of '%s', which is a %s, not a vm",
				 o->name, o->vm, sd_type_name(v->type));
			o->vm_index = BW_BOOT_NONE;
			continue;
		}
		if (o->size && sd_page_aligned(o->guest_addr) && o->guest_addr < SD_USER_VA_LIMIT &&
		    o->size <= SD_USER_VA_LIMIT - o->guest_addr)
			/* One tree of intervals for every VM: the owner's VM is
			 * the key's high part, so only one VM's RAM can meet. */
			sd_intervals_add(&iv, ((uint64_t)o->vm_index << 40) | o->guest_addr,
					 ((uint64_t)o->vm_index << 40) | (o->guest_addr + o->size), i, 0);
	}
	sd_intervals_overlaps(&iv, report_guest_overlap, r);
	sd_intervals_free(&iv);

	check_holders(r);
	for (size_t i = 0; i < sys->object_count; i++) {
		struct sd_object *o = &sys->objects[i];
		if (o->type == BW_BOOT_OBJ_SHM && o->vm_index != BW_BOOT_NONE) {
			uint32_t vmm = sys->objects[o->vm_index].vmm_index;
			if (vmm != BW_BOOT_NONE &&
			    !vmm_holds(sys, (uint32_t)i, vmm, BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_WRITE))
				sd_error(r->d, o->node, NULL,
					 "guest RAM '%s' is not granted to its VMM '%s' with 'read' and "
					 "'write' (it loads the guest)",
					 o->name, sys->tasks[vmm].name);
			continue;
		}
		if (o->type != BW_BOOT_OBJ_VM)
			continue;
		uint64_t ram = 0;
		for (size_t k = 0; k < sys->object_count; k++)
			if (sys->objects[k].type == BW_BOOT_OBJ_SHM && sys->objects[k].vm_index == i)
				ram += sys->objects[k].size;
		if (!fdt_getprop(r->fdt, o->node, "memory-quota", NULL)) {
			uint64_t q = SD_VM_QUOTA_BASE + ram / SD_VM_QUOTA_PER_RAM;
			o->size = (q + BW_BOOT_PAGE_SIZE - 1) & ~(BW_BOOT_PAGE_SIZE - 1);
		}
		if (o->vmm_index != BW_BOOT_NONE &&
		    !vmm_holds(sys, (uint32_t)i, o->vmm_index, BW_BOOT_RIGHT_MANAGE))
			sd_error(r->d, o->node, NULL,
				 "vm '%s' is not granted to its VMM '%s' (a handle with 'manage')",
				 o->name, o->vmm);
	}
}
