/* Reading the mkimage boot payload (include/bulwark/bootinfo.h).
 *
 * mkimage checked the description, but the kernel trusts no input: every
 * offset, count, index and string is validated against the payload's
 * bounds before use, and anything wrong stops the boot with the reason
 * (a broken image cannot run anything; it must not make the kernel read
 * out of bounds). The payload is translated into the kernel's boot
 * description (kernel/include/kernel/boot.h), which boot.c instantiates. */
#include <bulwark/bootinfo.h>
#include <kernel/boot.h>
#include <kernel/kernel.h>

struct payload {
	const u8 *base;
	u64 size;
	const struct bw_bootinfo *hdr;
};

static const void *entry(const struct payload *p, const struct bw_boot_table *t, u32 i)
{
	return p->base + t->offset + (u64)i * t->entry_size;
}

static void check_table(const struct payload *p, const struct bw_boot_table *t, u64 min_size,
			const char *what)
{
	if (t->count == 0)
		return;
	if (t->offset % 8 || t->entry_size < min_size ||
	    (u64)t->count * t->entry_size > p->size || t->offset > p->size - (u64)t->count * t->entry_size)
		panic("boot payload: %s table out of bounds or malformed", what);
}

static const char *string(const struct payload *p, struct bw_boot_str s, const char *what)
{
	const struct bw_boot_blob *b = &p->hdr->strings;
	if (b->offset > p->size || b->size > p->size - b->offset || s.offset > b->size ||
	    s.length >= b->size - s.offset || p->base[b->offset + s.offset + s.length] != 0)
		panic("boot payload: bad string reference in %s", what);
	return (const char *)p->base + b->offset + s.offset;
}

static void *boot_array(u64 count, u64 size)
{
	u64 pages = (count * size + PAGE_SIZE - 1) / PAGE_SIZE;
	void *a = pages ? kpage_alloc(NULL, pages) : NULL;
	if (pages && !a)
		panic("boot payload: no memory to read it");
	return a;
}

static u32 rights_to_pt(u32 r)
{
	return (r & BW_BOOT_RIGHT_READ ? PT_R : 0) | (r & BW_BOOT_RIGHT_WRITE ? PT_W : 0) |
	       (r & BW_BOOT_RIGHT_EXEC ? PT_X : 0);
}

static void read_regions(const struct payload *p, struct boot_region *out)
{
	const struct bw_boot_table *t = &p->hdr->regions;
	for (u32 i = 0; i < t->count; i++) {
		const struct bw_boot_region *r = entry(p, t, i);
		if (!r->size || !ALIGNED(r->vaddr | r->size, PAGE_SIZE) || r->data_size > r->size ||
		    r->data_offset > p->size || r->data_size > p->size - r->data_offset ||
		    ((r->rights & BW_BOOT_RIGHT_WRITE) && (r->rights & BW_BOOT_RIGHT_EXEC)))
			panic("boot payload: region %u malformed", i);
		out[i] = (struct boot_region){.data = p->base + r->data_offset,
					      .file_size = r->data_size,
					      .va = r->vaddr,
					      .size = r->size,
					      .attrs = rights_to_pt(r->rights)};
	}
}

/* SIDs index the payload's SID table (0 = none); issue 4's cache keys on them. */
static void check_sid(const struct payload *p, u32 sid, const char *what, u32 i)
{
	if (sid && sid >= p->hdr->sids.count)
		panic("boot payload: %s %u: SID %u not in the SID table", what, i, sid);
}

static void read_objects(const struct payload *p, struct boot_object *out)
{
	const struct bw_bootinfo *h = p->hdr;
	for (u32 i = 0; i < h->objects.count; i++) {
		const struct bw_boot_object *o = entry(p, &h->objects, i);
		check_sid(p, o->sid, "object", i);
		struct boot_object *b = &out[i];
		*b = (struct boot_object){.kind = (u8)o->type, .sid = o->sid, .irq_notify = BOOT_NONE};
		switch (o->type) {
		case BW_BOOT_OBJ_ENDPOINT:
		case BW_BOOT_OBJ_NOTIFICATION:
			break;
		case BW_BOOT_OBJ_SHM:
			b->a = o->size;
			b->phys = o->phys;
			break;
		case BW_BOOT_OBJ_DEVICE:
			if (o->mmio_count > h->mmio.count || o->first_mmio > h->mmio.count - o->mmio_count)
				panic("boot payload: device %u: bad MMIO ranges", i);
			for (u32 k = 0; k < o->mmio_count; k++) {
				const struct bw_boot_mmio *m = entry(p, &h->mmio, o->first_mmio + k);
				if (!m->size || !ALIGNED(m->phys | m->size, PAGE_SIZE))
					panic("boot payload: device %u: unaligned MMIO range", i);
				/* One object maps its ranges back to back: only contiguous
				 * ranges are supported so far. */
				if (k && m->phys != b->a + b->b)
					panic("boot payload: device %u: non-contiguous MMIO ranges", i);
				if (!k)
					b->a = m->phys;
				b->b += m->size;
			}
			b->irq = o->irq;
			if (o->irq_notify != BW_BOOT_NONE) {
				if (o->irq_notify >= h->objects.count)
					panic("boot payload: device %u: bad notification", i);
				b->irq_notify = o->irq_notify;
				b->irq_bit = o->irq_bit;
			}
			break;
		case BW_BOOT_OBJ_TASK:
		case BW_BOOT_OBJ_THREAD:
			if (o->task >= h->tasks.count)
				panic("boot payload: object %u: bad task index", i);
			b->a = o->task;
			break;
		case BW_BOOT_OBJ_VM:
			/* A VM without a label would run as "no SID": refuse. */
			if (o->task >= h->tasks.count || !o->sid || !o->size || !ALIGNED(o->size, PAGE_SIZE))
				panic("boot payload: vm %u: bad VMM, SID or quota", i);
			b->a = o->size;
			b->b = o->task;
			b->name = string(p, o->name, "vm name");
			break;
		default:
			panic("boot payload: object %u: unknown type %u", i, o->type);
		}
	}
}

const struct boot_desc *bootinfo_parse(paddr_t pa)
{
	struct payload p = {.base = phys_to_virt(pa), .hdr = phys_to_virt(pa)};
	const struct bw_bootinfo *h = p.hdr;
	if (h->magic != BW_BOOTINFO_MAGIC)
		panic("boot payload at %lx: bad magic", pa);
	if (h->version != BW_BOOTINFO_VERSION)
		panic("boot payload: version %u, this kernel reads %u", h->version, BW_BOOTINFO_VERSION);
	if (h->header_size < sizeof(*h) || h->payload_size < h->header_size || h->payload_phys != pa)
		panic("boot payload: inconsistent header");
	p.size = h->payload_size;
	check_table(&p, &h->tasks, sizeof(struct bw_boot_task), "task");
	check_table(&p, &h->regions, sizeof(struct bw_boot_region), "region");
	check_table(&p, &h->objects, sizeof(struct bw_boot_object), "object");
	check_table(&p, &h->handles, sizeof(struct bw_boot_handle), "handle");
	check_table(&p, &h->mmio, sizeof(struct bw_boot_mmio), "mmio");
	check_table(&p, &h->sids, sizeof(struct bw_boot_str), "sid");

	struct boot_desc *d = boot_array(1, sizeof(*d));
	struct boot_task *tasks = boot_array(h->tasks.count, sizeof(*tasks));
	struct boot_region *regions = boot_array(h->regions.count, sizeof(*regions));
	struct boot_object *objects = boot_array(h->objects.count, sizeof(*objects));
	struct boot_cap *caps = boot_array(h->handles.count, sizeof(*caps));

	read_regions(&p, regions);
	read_objects(&p, objects);
	u32 ncaps = 0;
	for (u32 i = 0; i < h->tasks.count; i++) {
		const struct bw_boot_task *t = entry(&p, &h->tasks, i);
		if (t->region_count > h->regions.count || t->first_region > h->regions.count - t->region_count ||
		    t->handle_count > h->handles.count || t->first_handle > h->handles.count - t->handle_count ||
		    t->priority > BW_BOOT_PRIORITY_MAX || !ALIGNED(t->stack_top, 16) ||
		    (t->fault_handler != BW_BOOT_NONE && t->fault_handler >= h->objects.count))
			panic("boot payload: task %u malformed", i);
		check_sid(&p, t->sid, "task", i);
		u32 slice = t->time_slice_us ? (t->time_slice_us + 999) / 1000 : 0;
		tasks[i] = (struct boot_task){.name = string(&p, t->name, "task name"),
					      .sid = t->sid,
					      .prio = (u8)t->priority,
					      .quota = t->memory_quota,
					      .entry = t->entry,
					      .stack_top = t->stack_top,
					      .first_region = t->first_region,
					      .nregions = t->region_count,
					      .slice_ticks = slice,
					      .fault_object = t->fault_handler};
		for (u32 k = 0; k < t->handle_count; k++) {
			/* Handles are grouped per task: ranges that overlap would
			 * overrun the translated array. */
			if (ncaps == h->handles.count)
				panic("boot payload: task %u: handle ranges overlap", i);
			const struct bw_boot_handle *bh = entry(&p, &h->handles, t->first_handle + k);
			if (bh->object >= h->objects.count || bh->slot < BW_BOOT_FIRST_SLOT ||
			    bh->slot > BW_BOOT_MAX_SLOT || bh->rights > BW_R_ALL || !ALIGNED(bh->map_vaddr, PAGE_SIZE))
				panic("boot payload: task %u: handle %u malformed", i, k);
			caps[ncaps++] = (struct boot_cap){.task = i,
							  .object = bh->object,
							  .rights = (u8)bh->rights,
							  .badge = bh->badge,
							  .slot = bh->slot,
							  .map_vaddr = bh->map_vaddr};
		}
	}
	/* policyd reads the policy and the SID table's contexts from here. */
	const char **sids = boot_array(h->sids.count ? h->sids.count : 1, sizeof(*sids));
	sids[0] = "";
	for (u32 i = 1; i < h->sids.count; i++) {
		const struct bw_boot_str *s = entry(&p, &h->sids, i);
		sids[i] = string(&p, *s, "SID table");
	}
	const struct bw_boot_blob *pb = &h->policy;
	if (pb->size && (pb->offset > p.size || pb->size > p.size - pb->offset))
		panic("boot payload: policy blob out of bounds");
	if (h->kernel_sid && h->kernel_sid >= h->sids.count)
		panic("boot payload: kernel SID %u not in the SID table", h->kernel_sid);
	*d = (struct boot_desc){.ntasks = h->tasks.count,
				.nregions = h->regions.count,
				.nobjects = h->objects.count,
				.ncaps = ncaps,
				.tasks = tasks,
				.regions = regions,
				.objects = objects,
				.caps = caps,
				.policy = pb->size ? p.base + pb->offset : NULL,
				.policy_size = pb->size,
				.sid_context = sids,
				.nsids = h->sids.count ? h->sids.count : 1,
				.kernel_sid = h->kernel_sid};
	return d;
}
