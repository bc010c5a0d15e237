/* A task's static ELF image turned into what the kernel maps: page-aligned
 * regions with their rights and initial bytes, plus the stack.  This is
 * where images are checked: static, AArch64, W^X, inside the user range,
 * entry in code, no two segments on one page, nothing overlapping the
 * task's boot-time mappings. */
#ifndef MKIMAGE_TASKIMAGE_H
#define MKIMAGE_TASKIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "sysdesc.h"

/* Where a region's bytes come from in its task's image. */
struct mk_region_src {
	const uint8_t *bytes; /* file bytes, or NULL */
	uint64_t lead;        /* zero bytes before them: the segment's page offset */
	uint64_t filesz;
};

struct mk_task_layout {
	struct bw_boot_region *regions;
	struct mk_region_src *src;
	size_t count;
	uint64_t entry;
	uint64_t stack_top;
};
/* Lays out task t (whose image is size bytes at image) into *out.  Returns
 * 0, or -1 after reporting at the task's image property; *out must be freed
 * with mk_free_layouts either way. */
int mk_layout_task(const struct sd_system *sys, const struct sd_task *t, const uint8_t *image,
		   size_t size, struct mk_task_layout *out, struct sd_diag *d);

/* Frees n layouts and the array holding them. */
void mk_free_layouts(struct mk_task_layout *l, size_t n);

#endif
