/* Checks that span nodes — names resolved, exclusive ownership of devices,
 * MMIO pages and IRQ lines, overlapping memory — and the SID assignment. */
#include <stdlib.h>
#include <string.h>

#include "interval.h"
#include "sysdesc_reader.h"

/* A device, with its IRQ, has exactly one driver. */
void sd_check_exclusive_grants(struct sd_reader *r)
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

void sd_check_irqs(struct sd_reader *r)
{
	struct sd_system *sys = r->sys;
	char hint[96];
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
			sd_error(r->d, o->node, "notify", "device '%s' notifies unknown object '%s'%s",
				 o->name, o->notify, sd_suggest_object(sys, o->notify, hint, sizeof(hint)));
		else if (sys->objects[o->notify_object].type != BW_BOOT_OBJ_NOTIFICATION)
			sd_error(r->d, o->node, "notify",
				 "device '%s' notifies '%s', which is a %s, not a notification", o->name,
				 o->notify, sd_type_name(sys->objects[o->notify_object].type));
	}
}

/* Task and thread objects name tasks, which are read after the objects. */
void sd_resolve_task_objects(struct sd_reader *r)
{
	struct sd_system *sys = r->sys;
	char hint[96];
	for (size_t i = 0; i < sys->object_count; i++) {
		struct sd_object *o = &sys->objects[i];
		if ((o->type != BW_BOOT_OBJ_TASK && o->type != BW_BOOT_OBJ_THREAD) || !o->task)
			continue;
		o->task_index = sd_find_task(sys, o->task);
		if (o->task_index == BW_BOOT_NONE)
			sd_error(r->d, o->node, "task", "%s '%s' names unknown task '%s'%s",
				 sd_type_name(o->type), o->name, o->task,
				 sd_suggest_task(sys, o->task, hint, sizeof(hint)));
	}
}

static void report_mmio_overlap(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct sd_reader *r = ctx;
	const struct sd_object *first = &r->sys->objects[a->owner];
	const struct sd_object *second = &r->sys->objects[b->owner];
	if (first == second)
		sd_error(r->d, second->node, "mmio",
			 "MMIO ranges of device '%s' share the page(s) at 0x%llx: write them as "
			 "one range",
			 second->name, (unsigned long long)sd_overlap_start(a, b));
	else
		sd_error(r->d, second->node, "mmio",
			 "MMIO page 0x%llx of device '%s' is granted twice: also part of device "
			 "'%s'",
			 (unsigned long long)sd_overlap_start(a, b),
			 second->name, first->name);
}

static void report_shm_overlap(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct sd_reader *r = ctx;
	const struct sd_object *first = &r->sys->objects[a->owner];
	const struct sd_object *second = &r->sys->objects[b->owner];
	sd_error(r->d, second->node, "phys-addr", "memory of shm '%s' overlaps shm '%s' at 0x%llx",
		 second->name, first->name,
		 (unsigned long long)sd_overlap_start(a, b));
}

void sd_check_physical_overlaps(struct sd_reader *r)
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

uint32_t sd_find_task(const struct sd_system *sys, const char *name)
{
	for (size_t t = 0; t < sys->task_count; t++)
		if (strcmp(sys->tasks[t].name, name) == 0)
			return (uint32_t)t;
	return BW_BOOT_NONE;
}

static void report_map_overlap(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct sd_reader *r = ctx;
	const struct sd_handle *first = &r->sys->handles[a->owner];
	const struct sd_handle *second = &r->sys->handles[b->owner];
	sd_error(r->d, second->node, "map-vaddr",
		 "mapping of '%s' in task '%s' overlaps the mapping of '%s' at 0x%llx",
		 second->object, r->sys->tasks[second->task].name, first->object,
		 (unsigned long long)sd_overlap_start(a, b));
}

void sd_check_mappings(struct sd_reader *r)
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
			    !sd_page_aligned(h->map_vaddr) || h->map_vaddr >= SD_USER_VA_LIMIT)
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
void sd_assign_sids(struct sd_reader *r)
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
