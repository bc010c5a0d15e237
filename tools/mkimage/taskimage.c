#include "taskimage.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfread.h"
#include "interval.h"


#define PAGE BW_BOOT_PAGE_SIZE

static uint64_t page_down(uint64_t v)
{
	return v & ~(PAGE - 1);
}

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

struct overlap_ctx {
	struct sd_diag *d;
	const struct sd_system *sys;
	const struct sd_task *task;
	const struct mk_task_layout *layout;
};

static const char *region_what(const struct overlap_ctx *c, const struct sd_interval *iv, char *buf,
			       size_t len)
{
	if (iv->tag == 0)
		snprintf(buf, len, "segment at 0x%llx",
			 (unsigned long long)c->layout->regions[iv->owner].vaddr);
	else if (iv->tag == 1)
		snprintf(buf, len, "the stack");
	else
		snprintf(buf, len, "the mapping of '%s'", c->sys->handles[iv->owner].object);
	return buf;
}

static void report_region_overlap(void *ctx, const struct sd_interval *a,
				  const struct sd_interval *b)
{
	struct overlap_ctx *c = ctx;
	char wa[128], wb[128];
	uint64_t at = sd_overlap_start(a, b);
	if (a->tag == 2 && b->tag == 2)
		return; /* the description check reports these */
	if (a->tag == 2) {
		const struct sd_interval *t = a;
		a = b;
		b = t;
	}
	if (b->tag == 2)
		sd_error(c->d, c->sys->handles[b->owner].node, "map-vaddr",
			 "%s overlaps %s of task '%s' at 0x%llx", region_what(c, b, wb, sizeof(wb)),
			 region_what(c, a, wa, sizeof(wa)), c->task->name, (unsigned long long)at);
	else
		sd_error(c->d, c->task->node, "image",
			 "image '%s': %s overlaps %s at page 0x%llx (link segments on separate "
			 "pages)",
			 c->task->image, region_what(c, b, wb, sizeof(wb)),
			 region_what(c, a, wa, sizeof(wa)), (unsigned long long)at);
}

/* Turns one task's ELF into regions plus a stack.  Returns 0 or -1 after
 * reporting at the task's image property. */
int mk_layout_task(const struct sd_system *sys, const struct sd_task *t, const uint8_t *image,
		       size_t size, struct mk_task_layout *out, struct sd_diag *d)
{
	memset(out, 0, sizeof(*out));
	char err[200];
	struct mk_elf elf;
	if (mk_elf_parse(&elf, image, size, err, sizeof(err)) < 0) {
		sd_error(d, t->node, "image", "image '%s' of task '%s': %s", t->image, t->name, err);
		return -1;
	}
	unsigned before = d->errors;
	if (elf.type != ET_EXEC || elf.has_interp)
		sd_error(d, t->node, "image",
			 "image '%s' of task '%s' is not a static executable (link with -static, "
			 "no PIE)",
			 t->image, t->name);
	out->regions = calloc((size_t)elf.phnum + 1, sizeof(*out->regions));
	out->src = calloc((size_t)elf.phnum + 1, sizeof(*out->src));
	if (!out->regions || !out->src) {
		sd_error(d, t->node, "image", "out of memory");
		mk_elf_free(&elf);
		return -1;
	}
	uint64_t highest = 0;
	int entry_ok = 0;
	for (uint16_t i = 0; i < elf.phnum; i++) {
		const struct mk_segment *s = &elf.segments[i];
		if (s->type != PT_LOAD || s->memsz == 0)
			continue;
		uint64_t start = page_down(s->vaddr);
		if (start < PAGE || s->vaddr + s->memsz > SD_USER_VA_LIMIT) {
			sd_error(d, t->node, "image",
				 "image '%s': segment %u at 0x%llx+0x%llx is outside the user "
				 "address range 0x1000..0x%llx",
				 t->image, i, (unsigned long long)s->vaddr,
				 (unsigned long long)s->memsz, SD_USER_VA_LIMIT);
			continue;
		}
		uint32_t rights = 0;
		if (s->flags & PF_R)
			rights |= BW_BOOT_RIGHT_READ;
		if (s->flags & PF_W)
			rights |= BW_BOOT_RIGHT_WRITE;
		if (s->flags & PF_X)
			rights |= BW_BOOT_RIGHT_EXEC;
		if ((rights & BW_BOOT_RIGHT_WRITE) && (rights & BW_BOOT_RIGHT_EXEC))
			sd_error(d, t->node, "image",
				 "image '%s': segment %u at 0x%llx is writable and executable "
				 "(W^X)",
				 t->image, i, (unsigned long long)s->vaddr);
		struct bw_boot_region *r = &out->regions[out->count];
		struct mk_region_src *src = &out->src[out->count];
		out->count++;
		r->vaddr = start;
		r->size = page_up(s->vaddr + s->memsz) - start;
		r->rights = rights;
		r->kind = BW_BOOT_REGION_ELF;
		src->lead = s->vaddr - start;
		src->filesz = s->filesz;
		src->bytes = image + s->offset;
		r->data_size = s->filesz ? src->lead + s->filesz : 0;
		if (start + r->size > highest)
			highest = start + r->size;
		if ((rights & BW_BOOT_RIGHT_EXEC) && elf.entry >= s->vaddr &&
		    elf.entry - s->vaddr < s->memsz)
			entry_ok = 1;
	}
	if (out->count == 0)
		sd_error(d, t->node, "image", "image '%s' of task '%s' has no loadable segment",
			 t->image, t->name);
	else if (!entry_ok)
		sd_error(d, t->node, "image",
			 "image '%s': entry point 0x%llx is not in an executable segment", t->image,
			 (unsigned long long)elf.entry);
	out->entry = elf.entry;

	/* The stack goes above the image with an unmapped guard page between,
	 * so an overflow faults instead of corrupting data. */
	uint64_t stack = highest + PAGE;
	if (out->count && stack + t->stack_size <= SD_USER_VA_LIMIT) {
		struct bw_boot_region *r = &out->regions[out->count++];
		r->vaddr = stack;
		r->size = t->stack_size;
		r->rights = BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_WRITE;
		r->kind = BW_BOOT_REGION_STACK;
		out->stack_top = stack + t->stack_size;
	} else if (out->count) {
		sd_error(d, t->node, "stack-size", "the stack of task '%s' does not fit below 0x%llx",
			 t->name, SD_USER_VA_LIMIT);
	}

	struct sd_intervals iv;
	sd_intervals_init(&iv);
	for (size_t i = 0; i < out->count; i++)
		sd_intervals_add(&iv, out->regions[i].vaddr,
				 out->regions[i].vaddr + out->regions[i].size, i,
				 out->regions[i].kind == BW_BOOT_REGION_STACK ? 1 : 0);
	for (size_t k = 0; k < t->handle_count; k++) {
		size_t hi = t->first_handle + k;
		const struct sd_handle *h = &sys->handles[hi];
		if (!h->map_vaddr || h->object_index == BW_BOOT_NONE)
			continue;
		const struct sd_object *o = &sys->objects[h->object_index];
		uint64_t sz = 0;
		if (o->type == BW_BOOT_OBJ_SHM)
			sz = o->size;
		else if (o->type == BW_BOOT_OBJ_DEVICE)
			for (size_t m = 0; m < o->mmio_count; m++)
				sz += sys->mmio[o->first_mmio + m].size;
		sd_intervals_add(&iv, h->map_vaddr, h->map_vaddr + sz, hi, 2);
	}
	struct overlap_ctx c = {d, sys, t, out};
	sd_intervals_overlaps(&iv, report_region_overlap, &c);
	sd_intervals_free(&iv);
	mk_elf_free(&elf);
	return d->errors == before ? 0 : -1;
}

void mk_free_layouts(struct mk_task_layout *l, size_t n)
{
	if (!l)
		return;
	for (size_t i = 0; i < n; i++) {
		free(l[i].regions);
		free(l[i].src);
	}
	free(l);
}
