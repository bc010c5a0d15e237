/* Typed access to the description's properties.  Every accessor checks the
 * property's length and shape before reading it, so a malformed tree yields
 * a located error, never a wild read. */
#include <libfdt.h>
#include <string.h>

#include "suggest.h"
#include "sysdesc_reader.h"

static const char *const type_names[] = {
	[BW_BOOT_OBJ_ENDPOINT] = "endpoint", [BW_BOOT_OBJ_NOTIFICATION] = "notification",
	[BW_BOOT_OBJ_SHM] = "shm",           [BW_BOOT_OBJ_DEVICE] = "device",
	[BW_BOOT_OBJ_TASK] = "task",         [BW_BOOT_OBJ_THREAD] = "thread",
	[BW_BOOT_OBJ_VM] = "vm",
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
uint32_t sd_type_rights(uint32_t type)
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
	case BW_BOOT_OBJ_VM: /* map guest RAM into it, run its vCPU: its VMM's alone */
		return BW_BOOT_RIGHT_MANAGE;
	default:
		return 0;
	}
}

static int is_bookkeeping_prop(const char *name)
{
	return strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0;
}

/* Reports every property of node that is not in allowed (NULL-terminated). */
void sd_check_known_props(struct sd_reader *r, int node, const char *what,
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
		if (!known) {
			struct sd_suggest sg;
			char hint[96];
			sd_suggest_init(&sg, name);
			for (const char *const *a = allowed; *a; a++)
				sd_suggest_consider(&sg, *a);
			sd_error(r->d, node, name, "unknown property '%s' in %s%s", name, what,
				 sd_suggest_text(&sg, hint, sizeof(hint)));
		}
	}
}

/* A property holding exactly one string.  Returns NULL when absent (reported
 * if required) or malformed (always reported). */
const char *sd_get_string(struct sd_reader *r, int node, const char *name, int required,
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

uint32_t sd_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t sd_be64(const void *p)
{
	return (uint64_t)sd_be32(p) << 32 | sd_be32((const uint8_t *)p + 4);
}

/* Returns 1 if present and well formed, 0 if absent, -1 if malformed
 * (reported). */
int sd_get_u32(struct sd_reader *r, int node, const char *name, uint32_t *out, const char *what)
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
	*out = sd_be32(v);
	return 1;
}

/* A 64-bit number: one cell <x>, two cells <hi lo> or /bits/ 64 <x>. */
int sd_get_u64(struct sd_reader *r, int node, const char *name, uint64_t *out, const char *what)
{
	int len = 0;
	const void *v = fdt_getprop(r->fdt, node, name, &len);
	if (!v)
		return 0;
	if (len == 4) {
		*out = sd_be32(v);
		return 1;
	}
	if (len == 8) {
		*out = sd_be64(v);
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

const char *sd_get_context(struct sd_reader *r, int node, const char *what)
{
	const char *c = sd_get_string(r, node, "context", 0, what);
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
int sd_read_rights(struct sd_reader *r, int node, const char *what, uint32_t *out)
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
const char *sd_first_right(uint32_t rights)
{
	for (size_t i = 0; i < sizeof(right_names) / sizeof(right_names[0]); i++)
		if (rights & right_names[i].bit)
			return right_names[i].name;
	return "?";
}

int sd_page_aligned(uint64_t v)
{
	return (v & (BW_BOOT_PAGE_SIZE - 1)) == 0;
}

uint32_t sd_type_from_name(const char *s)
{
	for (uint32_t t = 1; t < sizeof(type_names) / sizeof(type_names[0]); t++)
		if (strcmp(type_names[t], s) == 0)
			return t;
	return 0;
}

const char *sd_suggest_object(const struct sd_system *sys, const char *name, char *buf, size_t len)
{
	struct sd_suggest sg;
	sd_suggest_init(&sg, name);
	for (size_t i = 0; i < sys->object_count; i++)
		sd_suggest_consider(&sg, sys->objects[i].name);
	return sd_suggest_text(&sg, buf, len);
}

const char *sd_suggest_task(const struct sd_system *sys, const char *name, char *buf, size_t len)
{
	struct sd_suggest sg;
	sd_suggest_init(&sg, name);
	for (size_t i = 0; i < sys->task_count; i++)
		sd_suggest_consider(&sg, sys->tasks[i].name);
	return sd_suggest_text(&sg, buf, len);
}
