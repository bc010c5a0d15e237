/* Reading the description's nodes into the model: the root, /kernel,
 * /platform, /objects and /tasks with their handles.  Problems local to one
 * node are reported here; those between nodes in sysdesc_check.c. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysdesc_reader.h"

#define SD_MAX_TASKS           256
#define SD_MAX_OBJECTS         4096
#define SD_MAX_HANDLES         16384
#define SD_MAX_MMIO_PER_DEVICE 64

/* ---- the root, /kernel, /platform ---- */

void sd_read_root(struct sd_reader *r)
{
	static const char *const props[] = {"compatible", "model", NULL};
	sd_check_known_props(r, 0, "the root node", props);
	int len = 0;
	const char *compat = fdt_getprop(r->fdt, 0, "compatible", &len);
	if (!compat || fdt_stringlist_search(r->fdt, 0, "compatible", "bulwark,system") < 0)
		sd_error(r->d, 0, compat ? "compatible" : NULL,
			 "not a Bulwark system description: the root needs compatible = "
			 "\"bulwark,system\"");

	int child;
	fdt_for_each_subnode(child, r->fdt, 0)
	{
		const char *name = fdt_get_name(r->fdt, child, NULL);
		if (!name)
			continue;
		if (strcmp(name, "kernel") && strcmp(name, "platform") && strcmp(name, "tasks") &&
		    strcmp(name, "objects"))
			sd_error(r->d, child, NULL,
				 "unknown node '%s' (expected kernel, platform, tasks or objects)",
				 name);
	}
}

void sd_read_kernel(struct sd_reader *r)
{
	int node = fdt_subnode_offset(r->fdt, 0, "kernel");
	if (node < 0) {
		sd_error(r->d, 0, NULL, "no /kernel node (it carries the kernel's context)");
		return;
	}
	static const char *const props[] = {"context", NULL};
	sd_check_known_props(r, node, "/kernel", props);
	r->sys->kernel_node = node;
	r->sys->kernel_context = sd_get_context(r, node, "the kernel");
}

/* A /bits/ 64 <base size> property.  Returns 1 when present and valid, 0
 * when absent, -1 after reporting. */
static int read_range(struct sd_reader *r, int node, const char *name, int allow_empty,
		      uint64_t *base, uint64_t *size)
{
	int len = 0;
	const void *v = fdt_getprop(r->fdt, node, name, &len);
	if (!v)
		return 0;
	if (len != 16) {
		sd_error(r->d, node, name, "'%s' must be /bits/ 64 <base size>", name);
		return -1;
	}
	uint64_t b = sd_be64(v), s = sd_be64((const uint8_t *)v + 8);
	if (!sd_page_aligned(b) || !sd_page_aligned(s) || (s == 0 && !allow_empty) || b + s < b) {
		sd_error(r->d, node, name, "'%s' range 0x%llx+0x%llx is empty, unaligned or wraps",
			 name, (unsigned long long)b, (unsigned long long)s);
		return -1;
	}
	*base = b;
	*size = s;
	return 1;
}

void sd_read_platform(struct sd_reader *r)
{
	struct sd_system *sys = r->sys;
	sys->ram_base = SD_DEFAULT_RAM_BASE;
	sys->ram_size = SD_DEFAULT_RAM_SIZE;
	sys->kernel_mmio_base = SD_DEFAULT_KERNEL_MMIO_BASE;
	sys->kernel_mmio_size = SD_DEFAULT_KERNEL_MMIO_SIZE;
	int node = fdt_subnode_offset(r->fdt, 0, "platform");
	if (node < 0)
		return;
	static const char *const props[] = {"ram", "kernel-mmio", NULL};
	sd_check_known_props(r, node, "/platform", props);
	read_range(r, node, "ram", 0, &sys->ram_base, &sys->ram_size);
	read_range(r, node, "kernel-mmio", 1, &sys->kernel_mmio_base, &sys->kernel_mmio_size);
}

/* ---- /objects ---- */


static void read_mmio(struct sd_reader *r, struct sd_object *o, const char *what)
{
	struct sd_system *sys = r->sys;
	int len = 0;
	const uint8_t *v = fdt_getprop(r->fdt, o->node, "mmio", &len);
	if (!v) {
		sd_error(r->d, o->node, NULL, "%s has no 'mmio' ranges", what);
		return;
	}
	if (len == 0 || len % 16 != 0) {
		sd_error(r->d, o->node, "mmio", "'mmio' must be /bits/ 64 <base size ...> pairs");
		return;
	}
	size_t n = (size_t)len / 16;
	if (n > SD_MAX_MMIO_PER_DEVICE) {
		sd_error(r->d, o->node, "mmio", "too many MMIO ranges (at most %d)",
			 SD_MAX_MMIO_PER_DEVICE);
		return;
	}
	struct sd_mmio *m = realloc(sys->mmio, (sys->mmio_count + n) * sizeof(*m));
	if (!m) {
		sd_error(r->d, o->node, NULL, "out of memory");
		return;
	}
	sys->mmio = m;
	o->first_mmio = sys->mmio_count;
	for (size_t i = 0; i < n; i++) {
		uint64_t base = sd_be64(v + 16 * i), size = sd_be64(v + 16 * i + 8);
		if (size == 0 || base + size < base || base + size > (1ull << 48)) {
			sd_error(r->d, o->node, "mmio",
				 "MMIO range 0x%llx+0x%llx of %s is empty or beyond the physical "
				 "address space",
				 (unsigned long long)base, (unsigned long long)size, what);
			continue;
		}
		/* The kernel maps whole pages: a range owns every page it touches. */
		uint64_t start = base & ~(BW_BOOT_PAGE_SIZE - 1);
		uint64_t end = (base + size + BW_BOOT_PAGE_SIZE - 1) & ~(BW_BOOT_PAGE_SIZE - 1);
		if (start < sys->ram_base + sys->ram_size && sys->ram_base < end)
			sd_error(r->d, o->node, "mmio", "MMIO range 0x%llx+0x%llx of %s lies in RAM",
				 (unsigned long long)base, (unsigned long long)size, what);
		else if (start < sys->kernel_mmio_base + sys->kernel_mmio_size &&
			 sys->kernel_mmio_base < end)
			sd_error(r->d, o->node, "mmio",
				 "MMIO range 0x%llx+0x%llx of %s overlaps the kernel's own devices "
				 "(0x%llx+0x%llx, the interrupt controller)",
				 (unsigned long long)base, (unsigned long long)size, what,
				 (unsigned long long)sys->kernel_mmio_base,
				 (unsigned long long)sys->kernel_mmio_size);
		sys->mmio[sys->mmio_count].phys = start;
		sys->mmio[sys->mmio_count].size = end - start;
		sys->mmio_count++;
		o->mmio_count++;
	}
}

static void read_object(struct sd_reader *r, int node)
{
	struct sd_system *sys = r->sys;
	const char *name = fdt_get_name(r->fdt, node, NULL);
	if (!name)
		return;
	if (sys->object_count >= SD_MAX_OBJECTS) {
		if (sys->object_count == SD_MAX_OBJECTS)
			sd_error(r->d, node, NULL, "too many objects (at most %d)", SD_MAX_OBJECTS);
		sys->object_count++;
		return;
	}
	char what[160];
	snprintf(what, sizeof(what), "object '%s'", name);
	struct sd_object *o = &sys->objects[sys->object_count++];
	memset(o, 0, sizeof(*o));
	o->name = name;
	o->node = node;
	o->notify_object = BW_BOOT_NONE;
	o->task_index = BW_BOOT_NONE;
	o->vmm_index = BW_BOOT_NONE;
	o->vm_index = BW_BOOT_NONE;

	const char *type = sd_get_string(r, node, "type", 1, what);
	if (type) {
		o->type = sd_type_from_name(type);
		if (!o->type)
			sd_error(r->d, node, "type",
				 "unknown object type '%s' (expected endpoint, notification, shm, "
				 "device, task, thread or vm)",
				 type);
	}
	snprintf(what, sizeof(what), "%s '%s'", o->type ? sd_type_name(o->type) : "object", name);
	/* A task or thread is labelled by its task's own context. */
	if (o->type != BW_BOOT_OBJ_TASK && o->type != BW_BOOT_OBJ_THREAD)
		o->context = sd_get_context(r, node, what);

	switch (o->type) {
	case BW_BOOT_OBJ_ENDPOINT:
	case BW_BOOT_OBJ_NOTIFICATION: {
		static const char *const props[] = {"type", "context", NULL};
		sd_check_known_props(r, node, what, props);
		break;
	}
	case BW_BOOT_OBJ_SHM: {
		static const char *const props[] = {"type", "context", "size", "phys-addr",
						    "vm", "guest-addr", NULL};
		sd_check_known_props(r, node, what, props);
		int has = sd_get_u64(r, node, "size", &o->size, what);
		if (has == 0)
			sd_error(r->d, node, NULL, "%s has no 'size'", what);
		else if (has > 0 && (o->size == 0 || !sd_page_aligned(o->size) ||
				     o->size > sys->ram_size))
			sd_error(r->d, node, "size",
				 "size 0x%llx of %s must be a non-zero multiple of 4 KiB that fits "
				 "in RAM",
				 (unsigned long long)o->size, what);
		if (sd_get_u64(r, node, "phys-addr", &o->phys, what) > 0) {
			if (!sd_page_aligned(o->phys))
				sd_error(r->d, node, "phys-addr", "phys-addr 0x%llx of %s is not page aligned",
					 (unsigned long long)o->phys, what);
			else if (o->phys < sys->ram_base ||
				 o->phys - sys->ram_base >= sys->ram_size ||
				 o->size > sys->ram_base + sys->ram_size - o->phys)
				sd_error(r->d, node, "phys-addr", "%s at 0x%llx+0x%llx is not inside RAM",
					 what, (unsigned long long)o->phys,
					 (unsigned long long)o->size);
		}
		sd_read_guest_ram(r, o, what);
		break;
	}
	case BW_BOOT_OBJ_VM:
		sd_read_vm(r, o, what);
		break;
	case BW_BOOT_OBJ_DEVICE: {
		static const char *const props[] = {"type", "context", "mmio",       "irq",
						    "notify", "notify-bit", NULL};
		sd_check_known_props(r, node, what, props);
		int has_irq = sd_get_u32(r, node, "irq", &o->irq, what);
		if (has_irq > 0 && (o->irq < SD_IRQ_MIN || o->irq > SD_IRQ_MAX))
			sd_error(r->d, node, "irq",
				 "INTID %u of %s is not a shared peripheral interrupt (%u..%u); "
				 "SGIs and per-CPU interrupts belong to the kernel",
				 o->irq, what, SD_IRQ_MIN, SD_IRQ_MAX);
		if (fdt_getprop(r->fdt, node, "mmio", NULL) || has_irq == 0)
			read_mmio(r, o, what);
		o->notify = sd_get_string(r, node, "notify", 0, what);
		if (sd_get_u32(r, node, "notify-bit", &o->notify_bit, what) > 0 && o->notify_bit > 63)
			sd_error(r->d, node, "notify-bit", "notify-bit %u of %s is not a bit of a "
				 "64-bit word", o->notify_bit, what);
		if (o->notify && has_irq == 0)
			sd_error(r->d, node, "notify", "%s has no 'irq' to bind to '%s'", what,
				 o->notify);
		break;
	}
	case BW_BOOT_OBJ_TASK:
	case BW_BOOT_OBJ_THREAD: {
		static const char *const props[] = {"type", "task", NULL};
		sd_check_known_props(r, node, what, props);
		o->task = sd_get_string(r, node, "task", 1, what);
		break;
	}
	default:
		break;
	}
}

void sd_read_objects(struct sd_reader *r)
{
	int parent = fdt_subnode_offset(r->fdt, 0, "objects");
	if (parent < 0)
		return;
	static const char *const none[] = {NULL};
	sd_check_known_props(r, parent, "/objects", none);
	int child, n = 0;
	fdt_for_each_subnode(child, r->fdt, parent) n++;
	r->sys->objects = calloc(n ? (size_t)n : 1, sizeof(struct sd_object));
	if (!r->sys->objects) {
		sd_error(r->d, parent, NULL, "out of memory");
		return;
	}
	fdt_for_each_subnode(child, r->fdt, parent) read_object(r, child);
	if (r->sys->object_count > SD_MAX_OBJECTS)
		r->sys->object_count = SD_MAX_OBJECTS;
}

uint32_t sd_find_object(const struct sd_system *sys, const char *name)
{
	for (size_t i = 0; i < sys->object_count; i++)
		if (strcmp(sys->objects[i].name, name) == 0)
			return (uint32_t)i;
	return BW_BOOT_NONE;
}

/* ---- /tasks ---- */

static void read_handle(struct sd_reader *r, struct sd_task *t, size_t task_index, int node)
{
	struct sd_system *sys = r->sys;
	const char *name = fdt_get_name(r->fdt, node, NULL);
	if (!name)
		return;
	if (sys->handle_count >= SD_MAX_HANDLES) {
		sd_error(r->d, node, NULL, "too many handles (at most %d)", SD_MAX_HANDLES);
		return;
	}
	struct sd_handle *h = &sys->handles[sys->handle_count++];
	t->handle_count++;
	memset(h, 0, sizeof(*h));
	h->name = name;
	h->node = node;
	h->task = task_index;
	h->object_index = BW_BOOT_NONE;
	char what[200];
	snprintf(what, sizeof(what), "handle '%s' of task '%s'", name, t->name);

	static const char *const props[] = {"object", "slot", "rights", "badge", "map-vaddr", NULL};
	sd_check_known_props(r, node, what, props);

	if (sd_get_u32(r, node, "slot", &h->slot, what) > 0 &&
	    (h->slot < BW_BOOT_FIRST_SLOT || h->slot > BW_BOOT_MAX_SLOT)) {
		sd_error(r->d, node, "slot",
			 "slot %u of %s is out of range (%u..%u; 1 and 2 are the task's own task "
			 "and thread)",
			 h->slot, what, BW_BOOT_FIRST_SLOT, BW_BOOT_MAX_SLOT);
		h->slot = 0;
	}

	h->object = sd_get_string(r, node, "object", 1, what);
	const struct sd_object *o = NULL;
	if (h->object) {
		h->object_index = sd_find_object(sys, h->object);
		char hint[96];
		if (h->object_index == BW_BOOT_NONE)
			sd_error(r->d, node, "object", "%s refers to unknown object '%s'%s", what,
				 h->object, sd_suggest_object(sys, h->object, hint, sizeof(hint)));
		else
			o = &sys->objects[h->object_index];
	}

	if (sd_read_rights(r, node, what, &h->rights) == 0 && o && o->type) {
		uint32_t extra = h->rights & ~sd_type_rights(o->type);
		if (extra)
			sd_error(r->d, node, "rights", "right '%s' means nothing for %s '%s'",
				 sd_first_right(extra), sd_type_name(o->type), o->name);
		else if ((h->rights & BW_BOOT_RIGHT_WRITE) && (h->rights & BW_BOOT_RIGHT_EXEC) &&
			 (!o->vm || fdt_getprop(r->fdt, node, "map-vaddr", NULL)))
			/* Guest RAM is the exception: the VMM grants it to its VM
			 * writable and executable (the guest keeps W^X in its own
			 * stage 1), but never maps it so in its own space. */
			sd_error(r->d, node, "rights",
				 "%s is both writable and executable (W^X)", what);
	}

	int len = 0;
	const char *badge = fdt_getprop(r->fdt, node, "badge", &len);
	int has_badge = 0;
	if (badge && len == 5 && memcmp(badge, "name", 5) == 0) {
		/* The holder's name as the badge: how a server such as the
		 * console tells its clients apart without a table. */
		char packed[8] = {0};
		memcpy(packed, t->name, strnlen(t->name, sizeof(packed)));
		for (int i = 7; i >= 0; i--)
			h->badge = h->badge << 8 | (uint8_t)packed[i];
		has_badge = 1;
	} else {
		has_badge = sd_get_u64(r, node, "badge", &h->badge, what);
	}
	if (o && o->type == BW_BOOT_OBJ_NOTIFICATION && has_badge == 0)
		h->badge = 1;
	if (has_badge > 0 && o && o->type != BW_BOOT_OBJ_ENDPOINT &&
	    o->type != BW_BOOT_OBJ_NOTIFICATION)
		sd_error(r->d, node, "badge", "a badge means nothing for %s '%s'",
			 sd_type_name(o->type), o->name);
	if (has_badge > 0 && o && o->type == BW_BOOT_OBJ_NOTIFICATION && h->badge == 0 &&
	    (h->rights & BW_BOOT_RIGHT_SEND))
		sd_error(r->d, node, "badge", "%s signals no bit (badge 0)", what);

	if (sd_get_u64(r, node, "map-vaddr", &h->map_vaddr, what) > 0) {
		if (o && o->type != BW_BOOT_OBJ_SHM && o->type != BW_BOOT_OBJ_DEVICE)
			sd_error(r->d, node, "map-vaddr", "%s '%s' cannot be mapped",
				 sd_type_name(o->type), o->name);
		else if (h->map_vaddr == 0 || !sd_page_aligned(h->map_vaddr) ||
			 h->map_vaddr >= SD_USER_VA_LIMIT)
			sd_error(r->d, node, "map-vaddr",
				 "map-vaddr 0x%llx of %s must be a non-zero page-aligned user "
				 "address below 0x%llx",
				 (unsigned long long)h->map_vaddr, what, SD_USER_VA_LIMIT);
		else if (!(h->rights & BW_BOOT_RIGHT_READ))
			sd_error(r->d, node, "rights", "%s is mapped but has no 'read' right", what);
	}
}

static void assign_slots(struct sd_reader *r, struct sd_task *t)
{
	struct sd_handle *hs = &r->sys->handles[t->first_handle];
	/* Explicit slots first, so that defaults fill the gaps around them. */
	for (size_t i = 0; i < t->handle_count; i++) {
		if (hs[i].slot == 0)
			continue;
		for (size_t j = 0; j < i; j++)
			if (hs[j].slot == hs[i].slot)
				sd_error(r->d, hs[i].node, "slot",
					 "slot %u of task '%s' is already used by handle '%s'",
					 hs[i].slot, t->name, hs[j].name);
	}
	uint32_t next = BW_BOOT_FIRST_SLOT;
	for (size_t i = 0; i < t->handle_count; i++) {
		if (hs[i].slot != 0 || fdt_getprop(r->fdt, hs[i].node, "slot", NULL))
			continue;
		for (;;) {
			int used = 0;
			for (size_t j = 0; j < t->handle_count && !used; j++)
				used = hs[j].slot == next;
			if (!used)
				break;
			next++;
		}
		if (next > BW_BOOT_MAX_SLOT) {
			sd_error(r->d, hs[i].node, NULL, "task '%s' has no free handle slot left",
				 t->name);
			return;
		}
		hs[i].slot = next++;
	}
}

static void read_task(struct sd_reader *r, int node)
{
	struct sd_system *sys = r->sys;
	const char *name = fdt_get_name(r->fdt, node, NULL);
	if (!name)
		return;
	if (sys->task_count >= SD_MAX_TASKS) {
		if (sys->task_count == SD_MAX_TASKS)
			sd_error(r->d, node, NULL, "too many tasks (at most %d)", SD_MAX_TASKS);
		sys->task_count++;
		return;
	}
	size_t index = sys->task_count++;
	struct sd_task *t = &sys->tasks[index];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->node = node;
	t->fault_handler_object = BW_BOOT_NONE;
	char what[160];
	snprintf(what, sizeof(what), "task '%s'", name);

	static const char *const props[] = {"image",        "context",      "priority",
					    "time-slice-us", "stack-size",   "memory-quota",
					    "fault-handler", NULL};
	sd_check_known_props(r, node, what, props);
	t->image = sd_get_string(r, node, "image", 1, what);
	t->context = sd_get_context(r, node, what);

	t->priority = SD_DEFAULT_PRIORITY;
	if (sd_get_u32(r, node, "priority", &t->priority, what) > 0 &&
	    t->priority > BW_BOOT_PRIORITY_MAX)
		sd_error(r->d, node, "priority", "priority %u of %s is out of range (0..%u)",
			 t->priority, what, BW_BOOT_PRIORITY_MAX);

	t->time_slice_us = SD_DEFAULT_TIME_SLICE_US;
	if (sd_get_u32(r, node, "time-slice-us", &t->time_slice_us, what) > 0 &&
	    (t->time_slice_us < SD_MIN_TIME_SLICE_US || t->time_slice_us > SD_MAX_TIME_SLICE_US))
		sd_error(r->d, node, "time-slice-us",
			 "time slice %u us of %s is out of range (%u..%u)", t->time_slice_us, what,
			 SD_MIN_TIME_SLICE_US, SD_MAX_TIME_SLICE_US);

	t->stack_size = SD_DEFAULT_STACK_SIZE;
	if (sd_get_u64(r, node, "stack-size", &t->stack_size, what) > 0 &&
	    (t->stack_size == 0 || !sd_page_aligned(t->stack_size) ||
	     t->stack_size > SD_MAX_STACK_SIZE))
		sd_error(r->d, node, "stack-size",
			 "stack size 0x%llx of %s must be a non-zero multiple of 4 KiB up to "
			 "0x%llx",
			 (unsigned long long)t->stack_size, what, SD_MAX_STACK_SIZE);

	t->memory_quota = SD_DEFAULT_MEMORY_QUOTA;
	if (sd_get_u64(r, node, "memory-quota", &t->memory_quota, what) > 0 &&
	    (!sd_page_aligned(t->memory_quota) || t->memory_quota > sys->ram_size))
		sd_error(r->d, node, "memory-quota",
			 "memory quota 0x%llx of %s must be a multiple of 4 KiB that fits in RAM",
			 (unsigned long long)t->memory_quota, what);

	t->fault_handler = sd_get_string(r, node, "fault-handler", 0, what);
	if (t->fault_handler) {
		t->fault_handler_object = sd_find_object(sys, t->fault_handler);
		char hint[96];
		if (t->fault_handler_object == BW_BOOT_NONE)
			sd_error(r->d, node, "fault-handler",
				 "fault handler of %s is unknown object '%s'%s", what,
				 t->fault_handler,
				 sd_suggest_object(sys, t->fault_handler, hint, sizeof(hint)));
		else if (sys->objects[t->fault_handler_object].type != BW_BOOT_OBJ_ENDPOINT)
			sd_error(r->d, node, "fault-handler",
				 "fault handler '%s' of %s is a %s, not an endpoint",
				 t->fault_handler, what,
				 sd_type_name(sys->objects[t->fault_handler_object].type));
	}

	t->first_handle = sys->handle_count;
	int child;
	fdt_for_each_subnode(child, r->fdt, node)
	{
		const char *cname = fdt_get_name(r->fdt, child, NULL);
		if (!cname)
			continue;
		if (strcmp(cname, "handles") != 0) {
			sd_error(r->d, child, NULL, "unknown node '%s' in %s (expected handles)",
				 cname, what);
			continue;
		}
		static const char *const none[] = {NULL};
		sd_check_known_props(r, child, "a handles node", none);
		int h;
		fdt_for_each_subnode(h, r->fdt, child) read_handle(r, t, index, h);
	}
	assign_slots(r, t);
}

void sd_read_tasks(struct sd_reader *r)
{
	int parent = fdt_subnode_offset(r->fdt, 0, "tasks");
	if (parent < 0) {
		sd_error(r->d, 0, NULL, "no /tasks node: a system needs at least one task");
		return;
	}
	static const char *const none[] = {NULL};
	sd_check_known_props(r, parent, "/tasks", none);
	size_t tasks = 0, handles = 0;
	int child;
	fdt_for_each_subnode(child, r->fdt, parent)
	{
		tasks++;
		int hs = fdt_subnode_offset(r->fdt, child, "handles");
		int h;
		if (hs >= 0)
			fdt_for_each_subnode(h, r->fdt, hs) handles++;
	}
	if (tasks == 0)
		sd_error(r->d, parent, NULL, "/tasks is empty: a system needs at least one task");
	if (handles > SD_MAX_HANDLES)
		handles = SD_MAX_HANDLES;
	r->sys->tasks = calloc(tasks ? tasks : 1, sizeof(struct sd_task));
	r->sys->handles = calloc(handles ? handles : 1, sizeof(struct sd_handle));
	if (!r->sys->tasks || !r->sys->handles) {
		sd_error(r->d, parent, NULL, "out of memory");
		return;
	}
	fdt_for_each_subnode(child, r->fdt, parent) read_task(r, child);
	if (r->sys->task_count > SD_MAX_TASKS)
		r->sys->task_count = SD_MAX_TASKS;
}
