/* Reading the system description from a flattened tree and checking it.
 *
 * The reader never trusts the tree: fdt_check_full() first establishes that
 * the blob is structurally sound, then every property is checked for its
 * length and type before use.  Checking continues after an error so that an
 * integrator sees every problem at once (sd_diag bounds the count). */
#include "sysdesc.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interval.h"

#define SD_MAX_TASKS          256
#define SD_MAX_OBJECTS        4096
#define SD_MAX_HANDLES        16384
#define SD_MAX_MMIO_PER_DEVICE 64

static const char *const type_names[] = {
	[BW_BOOT_OBJ_ENDPOINT] = "endpoint", [BW_BOOT_OBJ_NOTIFICATION] = "notification",
	[BW_BOOT_OBJ_SHM] = "shm",           [BW_BOOT_OBJ_DEVICE] = "device",
	[BW_BOOT_OBJ_TASK] = "task",         [BW_BOOT_OBJ_THREAD] = "thread",
};

static const struct {
	const char *name;
	uint32_t bit;
} right_names[] = {
	{"send", BW_BOOT_RIGHT_SEND},   {"recv", BW_BOOT_RIGHT_RECV},
	{"read", BW_BOOT_RIGHT_READ},   {"write", BW_BOOT_RIGHT_WRITE},
	{"exec", BW_BOOT_RIGHT_EXEC},   {"grant", BW_BOOT_RIGHT_GRANT},
	{"manage", BW_BOOT_RIGHT_MANAGE},
};

const char *sd_type_name(uint32_t type)
{
	if (type < sizeof(type_names) / sizeof(type_names[0]) && type_names[type])
		return type_names[type];
	return "?";
}

/* Rights each object type gives meaning to: what the kernel checks when the
 * handle is used. */
static uint32_t type_rights(uint32_t type)
{
	switch (type) {
	case BW_BOOT_OBJ_ENDPOINT:
	case BW_BOOT_OBJ_NOTIFICATION:
		return BW_BOOT_RIGHT_SEND | BW_BOOT_RIGHT_RECV | BW_BOOT_RIGHT_GRANT;
	case BW_BOOT_OBJ_SHM:
		return BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_WRITE | BW_BOOT_RIGHT_EXEC |
		       BW_BOOT_RIGHT_GRANT;
	case BW_BOOT_OBJ_DEVICE:
		return BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_WRITE | BW_BOOT_RIGHT_GRANT;
	case BW_BOOT_OBJ_TASK:
	case BW_BOOT_OBJ_THREAD:
		return BW_BOOT_RIGHT_MANAGE | BW_BOOT_RIGHT_GRANT;
	default:
		return 0;
	}
}

struct reader {
	struct sd_system *sys;
	struct sd_diag *d;
	const void *fdt;
};

static int is_bookkeeping_prop(const char *name)
{
	return strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0;
}

/* Reports every property of node that is not in allowed (NULL-terminated). */
static void check_known_props(struct reader *r, int node, const char *what,
			      const char *const *allowed)
{
	int prop;
	fdt_for_each_property_offset(prop, r->fdt, node)
	{
		const char *name = NULL;
		if (!fdt_getprop_by_offset(r->fdt, prop, &name, NULL) || !name)
			continue;
		if (is_bookkeeping_prop(name))
			continue;
		int known = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, name) == 0)
				known = 1;
		if (!known)
			sd_error(r->d, node, name, "unknown property '%s' in %s", name, what);
	}
}

/* A property holding exactly one string.  Returns NULL when absent (reported
 * if required) or malformed (always reported). */
static const char *get_string(struct reader *r, int node, const char *name, int required,
			      const char *what)
{
	int len = 0;
	const char *v = fdt_getprop(r->fdt, node, name, &len);
	if (!v) {
		if (required)
			sd_error(r->d, node, NULL, "%s has no '%s'", what, name);
		return NULL;
	}
	if (len < 2 || v[len - 1] != '\0' || memchr(v, '\0', (size_t)len - 1)) {
		sd_error(r->d, node, name, "'%s' of %s must be one non-empty string", name, what);
		return NULL;
	}
	return v;
}

static uint32_t be32_at(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64_at(const void *p)
{
	return (uint64_t)be32_at(p) << 32 | be32_at((const uint8_t *)p + 4);
}

/* Returns 1 if present and well formed, 0 if absent, -1 if malformed
 * (reported). */
static int get_u32(struct reader *r, int node, const char *name, uint32_t *out, const char *what)
{
	int len = 0;
	const void *v = fdt_getprop(r->fdt, node, name, &len);
	if (!v)
		return 0;
	if (len != 4) {
		sd_error(r->d, node, name, "'%s' of %s must be one 32-bit cell, like <100>", name,
			 what);
		return -1;
	}
	*out = be32_at(v);
	return 1;
}

/* A 64-bit number: one cell <x>, two cells <hi lo> or /bits/ 64 <x>. */
static int get_u64(struct reader *r, int node, const char *name, uint64_t *out, const char *what)
{
	int len = 0;
	const void *v = fdt_getprop(r->fdt, node, name, &len);
	if (!v)
		return 0;
	if (len == 4) {
		*out = be32_at(v);
		return 1;
	}
	if (len == 8) {
		*out = be64_at(v);
		return 1;
	}
	sd_error(r->d, node, name, "'%s' of %s must be a number, like <0x1000> or /bits/ 64 <0x1000>",
		 name, what);
	return -1;
}

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* user:role:type, each an SELinux identifier. */
static int context_well_formed(const char *c)
{
	int fields = 0;
	const char *p = c;
	for (;;) {
		const char *start = p;
		while (ident_char(*p))
			p++;
		if (p == start)
			return 0;
		fields++;
		if (*p == '\0')
			break;
		if (*p != ':')
			return 0;
		p++;
	}
	return fields == 3;
}

static const char *get_context(struct reader *r, int node, const char *what)
{
	const char *c = get_string(r, node, "context", 0, what);
	if (!c) {
		if (!fdt_getprop(r->fdt, node, "context", NULL))
			sd_error(r->d, node, NULL, "%s has no security context ('context')", what);
		return NULL;
	}
	if (!context_well_formed(c)) {
		sd_error(r->d, node, "context", "malformed context '%s' (expected user:role:type)",
			 c);
		return NULL;
	}
	return c;
}

/* rights = "send", "grant"; a list of right names, each at most once.
 * Returns 0, or -1 after reporting. */
static int read_rights(struct reader *r, int node, const char *what, uint32_t *out)
{
	int len = 0;
	const char *v = fdt_getprop(r->fdt, node, "rights", &len);
	if (!v) {
		sd_error(r->d, node, NULL, "%s has no 'rights'", what);
		return -1;
	}
	if (len < 2 || v[len - 1] != '\0') {
		sd_error(r->d, node, "rights", "'rights' of %s must be a list of strings, like "
			 "\"send\", \"grant\"", what);
		return -1;
	}
	uint32_t rights = 0;
	int ok = 0;
	for (const char *p = v; p < v + len; p += strlen(p) + 1) {
		uint32_t bit = 0;
		for (size_t i = 0; i < sizeof(right_names) / sizeof(right_names[0]); i++)
			if (strcmp(p, right_names[i].name) == 0)
				bit = right_names[i].bit;
		if (!bit) {
			sd_error(r->d, node, "rights",
				 "unknown right '%s' in %s (expected send, recv, read, write, exec, "
				 "grant or manage)",
				 p, what);
			return -1;
		}
		if (rights & bit) {
			sd_error(r->d, node, "rights", "right '%s' of %s is given twice", p, what);
			return -1;
		}
		rights |= bit;
		ok = 1;
	}
	if (!ok) {
		sd_error(r->d, node, "rights", "'rights' of %s is empty", what);
		return -1;
	}
	*out = rights;
	return 0;
}

/* The first right in rights, by name. */
static const char *first_right(uint32_t rights)
{
	for (size_t i = 0; i < sizeof(right_names) / sizeof(right_names[0]); i++)
		if (rights & right_names[i].bit)
			return right_names[i].name;
	return "?";
}

static int page_aligned(uint64_t v)
{
	return (v & (BW_BOOT_PAGE_SIZE - 1)) == 0;
}

/* ---- the root, /kernel, /platform ---- */

static void read_root(struct reader *r)
{
	static const char *const props[] = {"compatible", "model", NULL};
	check_known_props(r, 0, "the root node", props);
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

static void read_kernel(struct reader *r)
{
	int node = fdt_subnode_offset(r->fdt, 0, "kernel");
	if (node < 0) {
		sd_error(r->d, 0, NULL, "no /kernel node (it carries the kernel's context)");
		return;
	}
	static const char *const props[] = {"context", NULL};
	check_known_props(r, node, "/kernel", props);
	r->sys->kernel_node = node;
	r->sys->kernel_context = get_context(r, node, "the kernel");
}

static void read_platform(struct reader *r)
{
	r->sys->ram_base = SD_DEFAULT_RAM_BASE;
	r->sys->ram_size = SD_DEFAULT_RAM_SIZE;
	int node = fdt_subnode_offset(r->fdt, 0, "platform");
	if (node < 0)
		return;
	static const char *const props[] = {"ram", NULL};
	check_known_props(r, node, "/platform", props);
	int len = 0;
	const void *v = fdt_getprop(r->fdt, node, "ram", &len);
	if (!v)
		return;
	if (len != 16) {
		sd_error(r->d, node, "ram", "'ram' must be /bits/ 64 <base size>");
		return;
	}
	uint64_t base = be64_at(v), size = be64_at((const uint8_t *)v + 8);
	if (!page_aligned(base) || !page_aligned(size) || size == 0 || base + size < base) {
		sd_error(r->d, node, "ram", "RAM range 0x%llx+0x%llx is empty, unaligned or wraps",
			 (unsigned long long)base, (unsigned long long)size);
		return;
	}
	r->sys->ram_base = base;
	r->sys->ram_size = size;
}

/* ---- /objects ---- */

static uint32_t type_from_name(const char *s)
{
	for (uint32_t t = 1; t < sizeof(type_names) / sizeof(type_names[0]); t++)
		if (strcmp(type_names[t], s) == 0)
			return t;
	return 0;
}

static void read_mmio(struct reader *r, struct sd_object *o, const char *what)
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
		uint64_t base = be64_at(v + 16 * i), size = be64_at(v + 16 * i + 8);
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
		sys->mmio[sys->mmio_count].phys = start;
		sys->mmio[sys->mmio_count].size = end - start;
		sys->mmio_count++;
		o->mmio_count++;
	}
}

static void read_object(struct reader *r, int node)
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

	const char *type = get_string(r, node, "type", 1, what);
	if (type) {
		o->type = type_from_name(type);
		if (!o->type)
			sd_error(r->d, node, "type",
				 "unknown object type '%s' (expected endpoint, notification, shm, "
				 "device, task or thread)",
				 type);
	}
	snprintf(what, sizeof(what), "%s '%s'", o->type ? sd_type_name(o->type) : "object", name);
	/* A task or thread is labelled by its task's own context. */
	if (o->type != BW_BOOT_OBJ_TASK && o->type != BW_BOOT_OBJ_THREAD)
		o->context = get_context(r, node, what);

	switch (o->type) {
	case BW_BOOT_OBJ_ENDPOINT:
	case BW_BOOT_OBJ_NOTIFICATION: {
		static const char *const props[] = {"type", "context", NULL};
		check_known_props(r, node, what, props);
		break;
	}
	case BW_BOOT_OBJ_SHM: {
		static const char *const props[] = {"type", "context", "size", "phys-addr", NULL};
		check_known_props(r, node, what, props);
		int has = get_u64(r, node, "size", &o->size, what);
		if (has == 0)
			sd_error(r->d, node, NULL, "%s has no 'size'", what);
		else if (has > 0 && (o->size == 0 || !page_aligned(o->size) ||
				     o->size > sys->ram_size))
			sd_error(r->d, node, "size",
				 "size 0x%llx of %s must be a non-zero multiple of 4 KiB that fits "
				 "in RAM",
				 (unsigned long long)o->size, what);
		if (get_u64(r, node, "phys-addr", &o->phys, what) > 0) {
			if (!page_aligned(o->phys))
				sd_error(r->d, node, "phys-addr", "phys-addr 0x%llx of %s is not page aligned",
					 (unsigned long long)o->phys, what);
			else if (o->phys < sys->ram_base ||
				 o->phys - sys->ram_base >= sys->ram_size ||
				 o->size > sys->ram_base + sys->ram_size - o->phys)
				sd_error(r->d, node, "phys-addr", "%s at 0x%llx+0x%llx is not inside RAM",
					 what, (unsigned long long)o->phys,
					 (unsigned long long)o->size);
		}
		break;
	}
	case BW_BOOT_OBJ_DEVICE: {
		static const char *const props[] = {"type", "context", "mmio",       "irq",
						    "notify", "notify-bit", NULL};
		check_known_props(r, node, what, props);
		int has_irq = get_u32(r, node, "irq", &o->irq, what);
		if (has_irq > 0 && (o->irq < SD_IRQ_MIN || o->irq > SD_IRQ_MAX))
			sd_error(r->d, node, "irq", "INTID %u of %s is not a PPI or SPI (%u..%u)",
				 o->irq, what, SD_IRQ_MIN, SD_IRQ_MAX);
		if (fdt_getprop(r->fdt, node, "mmio", NULL) || has_irq == 0)
			read_mmio(r, o, what);
		o->notify = get_string(r, node, "notify", 0, what);
		if (get_u32(r, node, "notify-bit", &o->notify_bit, what) > 0 && o->notify_bit > 63)
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
		check_known_props(r, node, what, props);
		o->task = get_string(r, node, "task", 1, what);
		break;
	}
	default:
		break;
	}
}

static void read_objects(struct reader *r)
{
	int parent = fdt_subnode_offset(r->fdt, 0, "objects");
	if (parent < 0)
		return;
	static const char *const none[] = {NULL};
	check_known_props(r, parent, "/objects", none);
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

static void read_handle(struct reader *r, struct sd_task *t, size_t task_index, int node)
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
	check_known_props(r, node, what, props);

	if (get_u32(r, node, "slot", &h->slot, what) > 0 &&
	    (h->slot < BW_BOOT_FIRST_SLOT || h->slot > BW_BOOT_MAX_SLOT)) {
		sd_error(r->d, node, "slot",
			 "slot %u of %s is out of range (%u..%u; 1 and 2 are the task's own task "
			 "and thread)",
			 h->slot, what, BW_BOOT_FIRST_SLOT, BW_BOOT_MAX_SLOT);
		h->slot = 0;
	}

	h->object = get_string(r, node, "object", 1, what);
	const struct sd_object *o = NULL;
	if (h->object) {
		h->object_index = sd_find_object(sys, h->object);
		if (h->object_index == BW_BOOT_NONE)
			sd_error(r->d, node, "object", "%s refers to unknown object '%s'", what,
				 h->object);
		else
			o = &sys->objects[h->object_index];
	}

	if (read_rights(r, node, what, &h->rights) == 0 && o && o->type) {
		uint32_t extra = h->rights & ~type_rights(o->type);
		if (extra)
			sd_error(r->d, node, "rights", "right '%s' means nothing for %s '%s'",
				 first_right(extra), sd_type_name(o->type), o->name);
		else if ((h->rights & BW_BOOT_RIGHT_WRITE) && (h->rights & BW_BOOT_RIGHT_EXEC))
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
		has_badge = get_u64(r, node, "badge", &h->badge, what);
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

	if (get_u64(r, node, "map-vaddr", &h->map_vaddr, what) > 0) {
		if (o && o->type != BW_BOOT_OBJ_SHM && o->type != BW_BOOT_OBJ_DEVICE)
			sd_error(r->d, node, "map-vaddr", "%s '%s' cannot be mapped",
				 sd_type_name(o->type), o->name);
		else if (h->map_vaddr == 0 || !page_aligned(h->map_vaddr) ||
			 h->map_vaddr >= SD_USER_VA_LIMIT)
			sd_error(r->d, node, "map-vaddr",
				 "map-vaddr 0x%llx of %s must be a non-zero page-aligned user "
				 "address below 0x%llx",
				 (unsigned long long)h->map_vaddr, what, SD_USER_VA_LIMIT);
		else if (!(h->rights & BW_BOOT_RIGHT_READ))
			sd_error(r->d, node, "rights", "%s is mapped but has no 'read' right", what);
	}
}

static void assign_slots(struct reader *r, struct sd_task *t)
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

static void read_task(struct reader *r, int node)
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
	check_known_props(r, node, what, props);
	t->image = get_string(r, node, "image", 1, what);
	t->context = get_context(r, node, what);

	t->priority = SD_DEFAULT_PRIORITY;
	if (get_u32(r, node, "priority", &t->priority, what) > 0 &&
	    t->priority > BW_BOOT_PRIORITY_MAX)
		sd_error(r->d, node, "priority", "priority %u of %s is out of range (0..%u)",
			 t->priority, what, BW_BOOT_PRIORITY_MAX);

	t->time_slice_us = SD_DEFAULT_TIME_SLICE_US;
	if (get_u32(r, node, "time-slice-us", &t->time_slice_us, what) > 0 &&
	    (t->time_slice_us < SD_MIN_TIME_SLICE_US || t->time_slice_us > SD_MAX_TIME_SLICE_US))
		sd_error(r->d, node, "time-slice-us",
			 "time slice %u us of %s is out of range (%u..%u)", t->time_slice_us, what,
			 SD_MIN_TIME_SLICE_US, SD_MAX_TIME_SLICE_US);

	t->stack_size = SD_DEFAULT_STACK_SIZE;
	if (get_u64(r, node, "stack-size", &t->stack_size, what) > 0 &&
	    (t->stack_size == 0 || !page_aligned(t->stack_size) ||
	     t->stack_size > SD_MAX_STACK_SIZE))
		sd_error(r->d, node, "stack-size",
			 "stack size 0x%llx of %s must be a non-zero multiple of 4 KiB up to "
			 "0x%llx",
			 (unsigned long long)t->stack_size, what, SD_MAX_STACK_SIZE);

	t->memory_quota = SD_DEFAULT_MEMORY_QUOTA;
	if (get_u64(r, node, "memory-quota", &t->memory_quota, what) > 0 &&
	    (!page_aligned(t->memory_quota) || t->memory_quota > sys->ram_size))
		sd_error(r->d, node, "memory-quota",
			 "memory quota 0x%llx of %s must be a multiple of 4 KiB that fits in RAM",
			 (unsigned long long)t->memory_quota, what);

	t->fault_handler = get_string(r, node, "fault-handler", 0, what);
	if (t->fault_handler) {
		t->fault_handler_object = sd_find_object(sys, t->fault_handler);
		if (t->fault_handler_object == BW_BOOT_NONE)
			sd_error(r->d, node, "fault-handler",
				 "fault handler of %s is unknown object '%s'", what,
				 t->fault_handler);
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
		check_known_props(r, child, "a handles node", none);
		int h;
		fdt_for_each_subnode(h, r->fdt, child) read_handle(r, t, index, h);
	}
	assign_slots(r, t);
}

static void read_tasks(struct reader *r)
{
	int parent = fdt_subnode_offset(r->fdt, 0, "tasks");
	if (parent < 0) {
		sd_error(r->d, 0, NULL, "no /tasks node: a system needs at least one task");
		return;
	}
	static const char *const none[] = {NULL};
	check_known_props(r, parent, "/tasks", none);
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

/* ---- checks across nodes ---- */

/* A device, with its IRQ, has exactly one driver. */
static void check_exclusive_grants(struct reader *r)
{
	struct sd_system *sys = r->sys;
	for (size_t i = 0; i < sys->handle_count; i++) {
		const struct sd_handle *h = &sys->handles[i];
		if (h->object_index == BW_BOOT_NONE)
			continue;
		const struct sd_object *o = &sys->objects[h->object_index];
		if (o->type != BW_BOOT_OBJ_DEVICE)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct sd_handle *first = &sys->handles[j];
			if (first->object_index != h->object_index)
				continue;
			sd_error(r->d, h->node, "object",
				 "%s '%s' is granted twice: already to task '%s' (handle '%s')",
				 sd_type_name(o->type), o->name, sys->tasks[first->task].name,
				 first->name);
			break;
		}
	}
}

static void check_irqs(struct reader *r)
{
	struct sd_system *sys = r->sys;
	for (size_t i = 0; i < sys->object_count; i++) {
		struct sd_object *o = &sys->objects[i];
		if (o->type != BW_BOOT_OBJ_DEVICE || o->irq == 0)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (sys->objects[j].type == BW_BOOT_OBJ_DEVICE && sys->objects[j].irq == o->irq) {
				sd_error(r->d, o->node, "irq",
					 "IRQ %u is granted twice: also to device '%s'", o->irq,
					 sys->objects[j].name);
				break;
			}
		}
		if (!o->notify)
			continue;
		o->notify_object = sd_find_object(sys, o->notify);
		if (o->notify_object == BW_BOOT_NONE)
			sd_error(r->d, o->node, "notify", "device '%s' notifies unknown object '%s'",
				 o->name, o->notify);
		else if (sys->objects[o->notify_object].type != BW_BOOT_OBJ_NOTIFICATION)
			sd_error(r->d, o->node, "notify",
				 "device '%s' notifies '%s', which is a %s, not a notification", o->name,
				 o->notify, sd_type_name(sys->objects[o->notify_object].type));
	}
}

/* Task and thread objects name tasks, which are read after the objects. */
static void resolve_task_objects(struct reader *r)
{
	struct sd_system *sys = r->sys;
	for (size_t i = 0; i < sys->object_count; i++) {
		struct sd_object *o = &sys->objects[i];
		if ((o->type != BW_BOOT_OBJ_TASK && o->type != BW_BOOT_OBJ_THREAD) || !o->task)
			continue;
		for (size_t t = 0; t < sys->task_count; t++)
			if (strcmp(sys->tasks[t].name, o->task) == 0)
				o->task_index = (uint32_t)t;
		if (o->task_index == BW_BOOT_NONE)
			sd_error(r->d, o->node, "task", "%s '%s' names unknown task '%s'",
				 sd_type_name(o->type), o->name, o->task);
	}
}

static void report_mmio_overlap(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct reader *r = ctx;
	const struct sd_object *first = &r->sys->objects[a->owner];
	const struct sd_object *second = &r->sys->objects[b->owner];
	if (first == second)
		sd_error(r->d, second->node, "mmio",
			 "MMIO ranges of device '%s' share the page(s) at 0x%llx: write them as "
			 "one range",
			 second->name, (unsigned long long)(a->start > b->start ? a->start : b->start));
	else
		sd_error(r->d, second->node, "mmio",
			 "MMIO page 0x%llx of device '%s' is granted twice: also part of device "
			 "'%s'",
			 (unsigned long long)(a->start > b->start ? a->start : b->start),
			 second->name, first->name);
}

static void report_shm_overlap(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct reader *r = ctx;
	const struct sd_object *first = &r->sys->objects[a->owner];
	const struct sd_object *second = &r->sys->objects[b->owner];
	sd_error(r->d, second->node, "phys-addr", "memory of shm '%s' overlaps shm '%s' at 0x%llx",
		 second->name, first->name,
		 (unsigned long long)(a->start > b->start ? a->start : b->start));
}

static void check_physical_overlaps(struct reader *r)
{
	struct sd_system *sys = r->sys;
	struct sd_intervals iv;
	sd_intervals_init(&iv);
	for (size_t i = 0; i < sys->object_count; i++) {
		const struct sd_object *o = &sys->objects[i];
		if (o->type != BW_BOOT_OBJ_DEVICE)
			continue;
		for (size_t k = 0; k < o->mmio_count; k++) {
			const struct sd_mmio *m = &sys->mmio[o->first_mmio + k];
			sd_intervals_add(&iv, m->phys, m->phys + m->size, i, 0);
		}
	}
	sd_intervals_overlaps(&iv, report_mmio_overlap, r);
	sd_intervals_free(&iv);

	sd_intervals_init(&iv);
	for (size_t i = 0; i < sys->object_count; i++) {
		const struct sd_object *o = &sys->objects[i];
		if (o->type == BW_BOOT_OBJ_SHM && o->phys && o->size &&
		    o->phys + o->size > o->phys)
			sd_intervals_add(&iv, o->phys, o->phys + o->size, i, 0);
	}
	sd_intervals_overlaps(&iv, report_shm_overlap, r);
	sd_intervals_free(&iv);
}

static uint64_t object_map_size(const struct sd_system *sys, const struct sd_object *o)
{
	if (o->type == BW_BOOT_OBJ_SHM)
		return o->size;
	uint64_t total = 0;
	for (size_t k = 0; k < o->mmio_count; k++)
		total += sys->mmio[o->first_mmio + k].size;
	return total;
}

static void report_map_overlap(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct reader *r = ctx;
	const struct sd_handle *first = &r->sys->handles[a->owner];
	const struct sd_handle *second = &r->sys->handles[b->owner];
	sd_error(r->d, second->node, "map-vaddr",
		 "mapping of '%s' in task '%s' overlaps the mapping of '%s' at 0x%llx",
		 second->object, r->sys->tasks[second->task].name, first->object,
		 (unsigned long long)(a->start > b->start ? a->start : b->start));
}

static void check_mappings(struct reader *r)
{
	struct sd_system *sys = r->sys;
	for (size_t t = 0; t < sys->task_count; t++) {
		const struct sd_task *task = &sys->tasks[t];
		struct sd_intervals iv;
		sd_intervals_init(&iv);
		for (size_t k = 0; k < task->handle_count; k++) {
			size_t hi = task->first_handle + k;
			const struct sd_handle *h = &sys->handles[hi];
			if (!h->map_vaddr || h->object_index == BW_BOOT_NONE ||
			    !page_aligned(h->map_vaddr) || h->map_vaddr >= SD_USER_VA_LIMIT)
				continue;
			const struct sd_object *o = &sys->objects[h->object_index];
			if (o->type != BW_BOOT_OBJ_SHM && o->type != BW_BOOT_OBJ_DEVICE)
				continue;
			uint64_t size = object_map_size(sys, o);
			if (size == 0)
				continue;
			if (size > SD_USER_VA_LIMIT - h->map_vaddr) {
				sd_error(r->d, h->node, "map-vaddr",
					 "mapping of '%s' at 0x%llx ends beyond the user address "
					 "space",
					 o->name, (unsigned long long)h->map_vaddr);
				continue;
			}
			sd_intervals_add(&iv, h->map_vaddr, h->map_vaddr + size, hi, 0);
		}
		sd_intervals_overlaps(&iv, report_map_overlap, r);
		sd_intervals_free(&iv);
	}
}

/* ---- SIDs ---- */

static uint32_t intern_context(struct sd_system *sys, const char *ctx)
{
	if (!ctx)
		return 0;
	for (size_t i = 0; i < sys->context_count; i++)
		if (strcmp(sys->contexts[i], ctx) == 0)
			return (uint32_t)i + 1;
	sys->contexts[sys->context_count++] = ctx;
	return (uint32_t)sys->context_count;
}

/* SIDs follow the description's order, kernel first, so the same
 * description always yields the same table. */
static void assign_sids(struct reader *r)
{
	struct sd_system *sys = r->sys;
	size_t max = 1 + sys->task_count + sys->object_count;
	sys->contexts = calloc(max, sizeof(*sys->contexts));
	if (!sys->contexts) {
		sd_error(r->d, -1, NULL, "out of memory");
		return;
	}
	sys->kernel_sid = intern_context(sys, sys->kernel_context);
	for (size_t i = 0; i < sys->task_count; i++)
		sys->tasks[i].sid = intern_context(sys, sys->tasks[i].context);
	for (size_t i = 0; i < sys->object_count; i++) {
		struct sd_object *o = &sys->objects[i];
		if (o->task_index != BW_BOOT_NONE)
			o->sid = sys->tasks[o->task_index].sid;
		else
			o->sid = intern_context(sys, o->context);
	}
}

int sd_load(struct sd_system *sys, const void *fdt, size_t len, struct sd_diag *d)
{
	memset(sys, 0, sizeof(*sys));
	sys->kernel_node = -1;
	unsigned errors_before = d->errors;
	int rc = 0;
	/* libfdt's checks trust the version field: older layouts (before 17,
	 * which dtc has written for two decades) crash fdt_check_full, so they
	 * are refused before it runs. */
	if (len < FDT_V17_SIZE || fdt_magic(fdt) != FDT_MAGIC)
		rc = -FDT_ERR_BADMAGIC;
	else if (fdt_version(fdt) < 17 || fdt_last_comp_version(fdt) > 17)
		rc = -FDT_ERR_BADVERSION;
	else if (fdt_totalsize(fdt) > len)
		rc = -FDT_ERR_TRUNCATED;
	else
		rc = fdt_check_full(fdt, len);
	if (rc != 0) {
		sd_error(d, -1, NULL, "not a valid device-tree blob: %s", fdt_strerror(rc));
		return -1;
	}
	sys->fdt = fdt;
	d->fdt = fdt;
	struct reader r = {.sys = sys, .d = d, .fdt = fdt};
	read_root(&r);
	read_kernel(&r);
	read_platform(&r);
	read_objects(&r);
	read_tasks(&r);
	resolve_task_objects(&r);
	check_exclusive_grants(&r);
	check_irqs(&r);
	check_physical_overlaps(&r);
	check_mappings(&r);
	assign_sids(&r);
	return d->errors == errors_before ? 0 : -1;
}

void sd_free(struct sd_system *sys)
{
	free(sys->tasks);
	free(sys->objects);
	free(sys->handles);
	free(sys->mmio);
	free(sys->contexts);
	memset(sys, 0, sizeof(*sys));
}
