#include "dump.h"

#include <string.h>

#include "bulwark/bootinfo.h"

struct view {
	const uint8_t *p;
	size_t len;
	struct bw_bootinfo h;
	char *err;
	size_t errlen;
};

static int fail(struct view *v, const char *what)
{
	snprintf(v->err, v->errlen, "%s", what);
	return -1;
}

static int table_ok(const struct view *v, const struct bw_boot_table *t, size_t min)
{
	if (t->count == 0)
		return 1;
	return t->offset % 8 == 0 && t->entry_size >= min &&
	       (uint64_t)t->count * t->entry_size <= v->len &&
	       t->offset <= v->len - (uint64_t)t->count * t->entry_size;
}

/* Copies entry i out: the payload need not be aligned for the host. */
static void entry(const struct view *v, const struct bw_boot_table *t, uint32_t i, void *out,
		  size_t size)
{
	memcpy(out, v->p + t->offset + (size_t)i * t->entry_size, size);
}

/* The string, or NULL when the reference is out of bounds or unterminated. */
static const char *str(const struct view *v, struct bw_boot_str s)
{
	const struct bw_boot_blob *b = &v->h.strings;
	if (b->offset > v->len || b->size > v->len - b->offset || s.offset >= b->size ||
	    s.length >= b->size - s.offset || v->p[b->offset + s.offset + s.length] != '\0')
		return NULL;
	return (const char *)v->p + b->offset + s.offset;
}

static const char *type_name(uint32_t t)
{
	static const char *const names[] = {"?",      "endpoint", "notification", "shm",
					    "device", "task",     "thread",       "vm"};
	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static void rights(FILE *out, uint32_t r)
{
	static const char *const names[] = {"send", "recv", "read", "write",
					    "exec", "grant", "manage"};
	for (int i = 0; i < 7; i++)
		if (r & (1u << i))
			fprintf(out, " %s", names[i]);
}

static int check_and_list(struct view *v, FILE *out)
{
	const struct bw_bootinfo *h = &v->h;
	if (out)
		fprintf(out, "boot payload: %llu bytes at 0x%llx, format v%u, RAM 0x%llx+0x%llx\n",
			(unsigned long long)h->payload_size, (unsigned long long)h->payload_phys,
			h->version, (unsigned long long)h->ram_base,
			(unsigned long long)h->ram_size);

	if (out)
		fprintf(out, "SIDs (kernel %u):\n", h->kernel_sid);
	for (uint32_t i = 1; i < h->sids.count; i++) {
		struct bw_boot_str s;
		entry(v, &h->sids, i, &s, sizeof(s));
		const char *c = str(v, s);
		if (!c)
			return fail(v, "bad SID string");
		if (out)
			fprintf(out, "  %3u %s\n", i, c);
	}

	if (out && h->objects.count)
		fprintf(out, "objects:\n");
	for (uint32_t i = 0; i < h->objects.count; i++) {
		struct bw_boot_object o;
		entry(v, &h->objects, i, &o, sizeof(o));
		const char *name = str(v, o.name);
		if (!name || o.sid >= h->sids.count)
			return fail(v, "bad object name or SID");
		if (o.mmio_count > h->mmio.count || o.first_mmio > h->mmio.count - o.mmio_count)
			return fail(v, "bad device MMIO ranges");
		if (!out)
			continue;
		fprintf(out, "  %3u %-12s %-20s SID %u", i, type_name(o.type), name, o.sid);
		if (o.type == BW_BOOT_OBJ_SHM)
			fprintf(out, ", 0x%llx bytes", (unsigned long long)o.size);
		for (uint32_t k = 0; k < o.mmio_count; k++) {
			struct bw_boot_mmio m;
			entry(v, &h->mmio, o.first_mmio + k, &m, sizeof(m));
			fprintf(out, ", mmio 0x%llx+0x%llx", (unsigned long long)m.phys,
				(unsigned long long)m.size);
		}
		if (o.type == BW_BOOT_OBJ_DEVICE && o.irq)
			fprintf(out, ", irq %u", o.irq);
		if (o.type == BW_BOOT_OBJ_DEVICE && o.irq_notify != BW_BOOT_NONE)
			fprintf(out, " -> object %u bit %u", o.irq_notify, o.irq_bit);
		if (o.type == BW_BOOT_OBJ_TASK || o.type == BW_BOOT_OBJ_THREAD)
			fprintf(out, ", of task %u", o.task);
		if (o.type == BW_BOOT_OBJ_VM)
			fprintf(out, ", run by task %u, stage-2 quota 0x%llx", o.task,
				(unsigned long long)o.size);
		fprintf(out, "\n");
	}

	for (uint32_t i = 0; i < h->tasks.count; i++) {
		struct bw_boot_task t;
		entry(v, &h->tasks, i, &t, sizeof(t));
		const char *name = str(v, t.name);
		if (!name || t.sid >= h->sids.count || t.priority > BW_BOOT_PRIORITY_MAX)
			return fail(v, "bad task name, SID or priority");
		if (t.region_count > h->regions.count ||
		    t.first_region > h->regions.count - t.region_count ||
		    t.handle_count > h->handles.count ||
		    t.first_handle > h->handles.count - t.handle_count)
			return fail(v, "bad task region or handle range");
		if (out)
			fprintf(out,
				"task %s: SID %u, priority %u, slice %u us, quota 0x%llx, entry "
				"0x%llx, stack top 0x%llx\n",
				name, t.sid, t.priority, t.time_slice_us,
				(unsigned long long)t.memory_quota, (unsigned long long)t.entry,
				(unsigned long long)t.stack_top);
		for (uint32_t k = 0; k < t.region_count; k++) {
			struct bw_boot_region r;
			entry(v, &h->regions, t.first_region + k, &r, sizeof(r));
			if ((r.vaddr | r.size) % BW_BOOT_PAGE_SIZE || r.size == 0 ||
			    r.data_size > r.size || r.data_offset > v->len ||
			    r.data_size > v->len - r.data_offset ||
			    ((r.rights & BW_BOOT_RIGHT_WRITE) && (r.rights & BW_BOOT_RIGHT_EXEC)))
				return fail(v, "bad region");
			if (out)
				fprintf(out, "  region 0x%llx+0x%llx %c%c%c %s, 0x%llx bytes from 0x%llx\n",
					(unsigned long long)r.vaddr, (unsigned long long)r.size,
					r.rights & BW_BOOT_RIGHT_READ ? 'r' : '-',
					r.rights & BW_BOOT_RIGHT_WRITE ? 'w' : '-',
					r.rights & BW_BOOT_RIGHT_EXEC ? 'x' : '-',
					r.kind == BW_BOOT_REGION_STACK ? "stack" : "image",
					(unsigned long long)r.data_size,
					(unsigned long long)r.data_offset);
		}
		for (uint32_t k = 0; k < t.handle_count; k++) {
			struct bw_boot_handle b;
			entry(v, &h->handles, t.first_handle + k, &b, sizeof(b));
			if (b.object >= h->objects.count || b.slot < BW_BOOT_FIRST_SLOT ||
			    b.slot > BW_BOOT_MAX_SLOT)
				return fail(v, "bad handle");
			if (!out)
				continue;
			struct bw_boot_object o;
			entry(v, &h->objects, b.object, &o, sizeof(o));
			fprintf(out, "  slot %3u: %s %s,", b.slot, type_name(o.type), str(v, o.name));
			rights(out, b.rights);
			if (b.badge)
				fprintf(out, ", badge 0x%llx", (unsigned long long)b.badge);
			if (b.map_vaddr)
				fprintf(out, ", mapped at 0x%llx", (unsigned long long)b.map_vaddr);
			fprintf(out, "\n");
		}
	}
	if (out && h->policy.size)
		fprintf(out, "policy: %u bytes at payload offset 0x%x\n", h->policy.size,
			h->policy.offset);
	return 0;
}

int mk_dump_payload(FILE *out, const uint8_t *payload, size_t len, char *err, size_t errlen)
{
	struct view v = {.p = payload, .len = len, .err = err, .errlen = errlen};
	if (len < sizeof(v.h))
		return fail(&v, "shorter than its header");
	memcpy(&v.h, payload, sizeof(v.h));
	const struct bw_bootinfo *h = &v.h;
	if (h->magic != BW_BOOTINFO_MAGIC)
		return fail(&v, "bad magic");
	if (h->version != BW_BOOTINFO_VERSION)
		return fail(&v, "unknown version");
	if (h->header_size < sizeof(*h) || h->payload_size < h->header_size ||
	    h->payload_size > len)
		return fail(&v, "inconsistent sizes");
	v.len = h->payload_size;
	if (!table_ok(&v, &h->tasks, sizeof(struct bw_boot_task)) ||
	    !table_ok(&v, &h->regions, sizeof(struct bw_boot_region)) ||
	    !table_ok(&v, &h->objects, sizeof(struct bw_boot_object)) ||
	    !table_ok(&v, &h->handles, sizeof(struct bw_boot_handle)) ||
	    !table_ok(&v, &h->mmio, sizeof(struct bw_boot_mmio)) ||
	    !table_ok(&v, &h->sids, sizeof(struct bw_boot_str)))
		return fail(&v, "a table lies outside the payload");
	if (h->policy.offset > v.len || h->policy.size > v.len - h->policy.offset)
		return fail(&v, "the policy lies outside the payload");
	if (h->kernel_sid >= h->sids.count)
		return fail(&v, "bad kernel SID");
	return check_and_list(&v, out);
}
