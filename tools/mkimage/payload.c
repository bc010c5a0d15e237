/* The payload layout, in this order, each part 8-byte aligned:
 *   header | tasks | regions | objects | handles | mmio | SIDs | strings
 * then, page aligned: the compiled policy, then the initial contents of
 * every ELF region, one page-aligned block each, so the kernel could map them
 * in place. */
#include "payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulwark/syscall.h"
#include "taskimage.h"

/* The boot format restates the kernel ABI's numbers so that it stays usable
 * from assembly; they must never drift apart. */
_Static_assert(BW_BOOT_RIGHT_SEND == BW_R_SEND && BW_BOOT_RIGHT_RECV == BW_R_RECV &&
		       BW_BOOT_RIGHT_READ == BW_R_READ && BW_BOOT_RIGHT_WRITE == BW_R_WRITE &&
		       BW_BOOT_RIGHT_EXEC == BW_R_EXEC && BW_BOOT_RIGHT_GRANT == BW_R_GRANT &&
		       BW_BOOT_RIGHT_MANAGE == BW_R_MANAGE,
	       "bootinfo rights differ from bulwark/syscall.h");
_Static_assert(BW_BOOT_PRIORITY_MAX == BW_PRIO_MAX, "bootinfo priorities differ from the ABI");
_Static_assert(SD_USER_VA_LIMIT == BW_USER_END && BW_BOOT_PAGE_SIZE == BW_PAGE_SIZE,
	       "the checker's user address range differs from the ABI");

#define PAGE BW_BOOT_PAGE_SIZE

struct slot_order {
	size_t task;
	uint32_t slot;
	size_t index;
};

static int by_task_and_slot(const void *a, const void *b)
{
	const struct slot_order *x = a, *y = b;
	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static struct bw_boot_str add_string(struct mk_buf *s, const char *str)
{
	struct bw_boot_str r = {0, 0};
	if (!str)
		return r;
	size_t n = strlen(str);
	r.offset = (uint32_t)mk_buf_append(s, str, n + 1);
	r.length = (uint32_t)n;
	return r;
}

static struct bw_boot_table table_at(struct mk_buf *out, size_t count, size_t entry_size)
{
	mk_buf_align(out, 8);
	struct bw_boot_table t;
	t.offset = (uint32_t)mk_buf_append(out, NULL, count * entry_size);
	t.count = (uint32_t)count;
	t.entry_size = (uint32_t)entry_size;
	t.reserved = 0;
	return t;
}

int mk_build_payload(const struct sd_system *sys, const struct mk_inputs *in, struct mk_buf *out,
		     struct sd_diag *d)
{
	unsigned before = d->errors;
	struct mk_task_layout *layouts = calloc(sys->task_count ? sys->task_count : 1, sizeof(*layouts));
	if (!layouts) {
		sd_error(d, -1, NULL, "out of memory");
		return -1;
	}
	size_t region_total = 0;
	for (size_t i = 0; i < sys->task_count; i++) {
		if (!in->images[i])
			continue;
		mk_layout_task(sys, &sys->tasks[i], in->images[i], in->image_sizes[i], &layouts[i], d);
		region_total += layouts[i].count;
	}
	if (d->errors != before) {
		mk_free_layouts(layouts, sys->task_count);
		return -1;
	}

	struct mk_buf strings;
	mk_buf_init(&strings);
	mk_buf_append(&strings, "", 1); /* offset 0: the empty string */

	mk_buf_init(out);
	struct bw_bootinfo hdr;
	memset(&hdr, 0, sizeof(hdr));
	mk_buf_append(out, NULL, sizeof(hdr));
	hdr.magic = BW_BOOTINFO_MAGIC;
	hdr.version = BW_BOOTINFO_VERSION;
	hdr.header_size = sizeof(hdr);
	hdr.ram_base = sys->ram_base;
	hdr.ram_size = sys->ram_size;
	hdr.kernel_sid = sys->kernel_sid;
	hdr.tasks = table_at(out, sys->task_count, sizeof(struct bw_boot_task));
	hdr.regions = table_at(out, region_total, sizeof(struct bw_boot_region));
	hdr.objects = table_at(out, sys->object_count, sizeof(struct bw_boot_object));
	hdr.handles = table_at(out, sys->handle_count, sizeof(struct bw_boot_handle));
	hdr.mmio = table_at(out, sys->mmio_count, sizeof(struct bw_boot_mmio));
	hdr.sids = table_at(out, sys->context_count + 1, sizeof(struct bw_boot_str));
	if (out->out_of_memory)
		goto oom;

	/* Entries are written through memcpy: the buffer moves as it grows. */
	size_t region_index = 0;
	for (size_t i = 0; i < sys->task_count; i++) {
		const struct sd_task *t = &sys->tasks[i];
		struct bw_boot_task bt;
		memset(&bt, 0, sizeof(bt));
		bt.name = add_string(&strings, t->name);
		bt.sid = t->sid;
		bt.priority = t->priority;
		bt.entry = layouts[i].entry;
		bt.stack_top = layouts[i].stack_top;
		/* The kernel charges a task's regions to its quota: the
		 * description's quota is what remains for run time. */
		bt.memory_quota = t->memory_quota;
		for (size_t k = 0; k < layouts[i].count; k++)
			bt.memory_quota += layouts[i].regions[k].size;
		bt.time_slice_us = t->time_slice_us;
		bt.first_region = (uint32_t)region_index;
		bt.region_count = (uint32_t)layouts[i].count;
		bt.first_handle = (uint32_t)t->first_handle;
		bt.handle_count = (uint32_t)t->handle_count;
		bt.fault_handler = t->fault_handler_object;
		memcpy(out->data + hdr.tasks.offset + i * sizeof(bt), &bt, sizeof(bt));
		region_index += layouts[i].count;
	}
	for (size_t i = 0; i < sys->object_count; i++) {
		const struct sd_object *o = &sys->objects[i];
		struct bw_boot_object bo;
		memset(&bo, 0, sizeof(bo));
		bo.name = add_string(&strings, o->name);
		bo.type = o->type;
		bo.sid = o->sid;
		bo.size = o->type == BW_BOOT_OBJ_SHM || o->type == BW_BOOT_OBJ_VM ? o->size : 0;
		bo.phys = o->type == BW_BOOT_OBJ_SHM ? o->phys : 0;
		bo.first_mmio = (uint32_t)o->first_mmio;
		bo.mmio_count = (uint32_t)o->mmio_count;
		bo.irq = o->irq;
		bo.irq_notify = o->notify_object;
		bo.irq_bit = o->notify_bit;
		bo.task = o->type == BW_BOOT_OBJ_VM ? o->vmm_index : o->task_index;
		memcpy(out->data + hdr.objects.offset + i * sizeof(bo), &bo, sizeof(bo));
	}
	/* Each task's handles in slot order, so that a kernel filling its table
	 * in order gets the slots the description chose. */
	struct slot_order *order = calloc(sys->handle_count ? sys->handle_count : 1, sizeof(*order));
	if (!order)
		goto oom;
	for (size_t i = 0; i < sys->handle_count; i++)
		order[i] = (struct slot_order){sys->handles[i].task, sys->handles[i].slot, i};
	qsort(order, sys->handle_count, sizeof(*order), by_task_and_slot);
	for (size_t k = 0; k < sys->handle_count; k++) {
		size_t i = k;
		const struct sd_handle *h = &sys->handles[order[k].index];
		struct bw_boot_handle bh;
		memset(&bh, 0, sizeof(bh));
		bh.slot = h->slot;
		bh.object = h->object_index;
		bh.rights = h->rights;
		bh.badge = h->badge;
		bh.map_vaddr = h->map_vaddr;
		memcpy(out->data + hdr.handles.offset + i * sizeof(bh), &bh, sizeof(bh));
	}
	free(order);
	for (size_t i = 0; i < sys->mmio_count; i++) {
		struct bw_boot_mmio bm = {sys->mmio[i].phys, sys->mmio[i].size};
		memcpy(out->data + hdr.mmio.offset + i * sizeof(bm), &bm, sizeof(bm));
	}
	for (size_t i = 0; i < sys->context_count; i++) {
		struct bw_boot_str s = add_string(&strings, sys->contexts[i]);
		memcpy(out->data + hdr.sids.offset + (i + 1) * sizeof(s), &s, sizeof(s));
	}
	if (strings.out_of_memory)
		goto oom;
	mk_buf_align(out, 8);
	hdr.strings.offset = (uint32_t)mk_buf_append(out, strings.data, strings.len);
	hdr.strings.size = (uint32_t)strings.len;

	if (in->policy && in->policy_size) {
		mk_buf_align(out, PAGE);
		hdr.policy.offset = (uint32_t)mk_buf_append(out, in->policy, in->policy_size);
		hdr.policy.size = (uint32_t)in->policy_size;
	}

	region_index = 0;
	for (size_t i = 0; i < sys->task_count; i++) {
		for (size_t k = 0; k < layouts[i].count; k++, region_index++) {
			struct bw_boot_region r = layouts[i].regions[k];
			const struct mk_region_src *src = &layouts[i].src[k];
			if (r.data_size) {
				mk_buf_align(out, PAGE);
				r.data_offset = mk_buf_append(out, NULL, src->lead);
				mk_buf_append(out, src->bytes, src->filesz);
			}
			if (out->out_of_memory)
				goto oom;
			memcpy(out->data + hdr.regions.offset + region_index * sizeof(r), &r,
			       sizeof(r));
		}
	}
	mk_buf_align(out, 8);
	if (out->out_of_memory)
		goto oom;
	if (out->len > UINT32_MAX) {
		sd_error(d, -1, NULL, "the boot payload would be %zu bytes; the format allows 4 GiB",
			 out->len);
		goto fail;
	}
	hdr.payload_size = out->len;
	memcpy(out->data, &hdr, sizeof(hdr));
	mk_buf_free(&strings);
	mk_free_layouts(layouts, sys->task_count);
	return 0;
oom:
	sd_error(d, -1, NULL, "out of memory building the boot payload");
fail:
	mk_buf_free(&strings);
	mk_buf_free(out);
	mk_free_layouts(layouts, sys->task_count);
	return -1;
}

void mk_payload_set_phys(struct mk_buf *payload, uint64_t phys)
{
	if (payload->len >= sizeof(struct bw_bootinfo))
		memcpy(payload->data + offsetof(struct bw_bootinfo, payload_phys), &phys,
		       sizeof(phys));
}
