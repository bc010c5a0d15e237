/* Internal to the description reader (sysdesc*.c): the reading context, the
 * typed property accessors, and the phases sd_load runs in order. */
#ifndef MKIMAGE_SYSDESC_READER_H
#define MKIMAGE_SYSDESC_READER_H

#include <stddef.h>
#include <stdint.h>

#include "sysdesc.h"

struct sd_reader {
	struct sd_system *sys;
	struct sd_diag *d;
	const void *fdt;
};

/* ---- properties (sysdesc_props.c) ---- */

/* Reports every property of node not in allowed (NULL-terminated). */
void sd_check_known_props(struct sd_reader *r, int node, const char *what,
			  const char *const *allowed);
/* One non-empty string, or NULL: absent (reported if required) or malformed
 * (always reported). */
const char *sd_get_string(struct sd_reader *r, int node, const char *name, int required,
			  const char *what);
/* Numbers: 1 if present and well formed, 0 if absent, -1 if malformed
 * (reported).  A 64-bit number may be one cell, two cells or /bits/ 64. */
int sd_get_u32(struct sd_reader *r, int node, const char *name, uint32_t *out, const char *what);
int sd_get_u64(struct sd_reader *r, int node, const char *name, uint64_t *out, const char *what);
/* The node's "context", required and of the form user:role:type. */
const char *sd_get_context(struct sd_reader *r, int node, const char *what);
/* The node's "rights" list as BW_BOOT_RIGHT_* bits; 0 or -1 after reporting. */
int sd_read_rights(struct sd_reader *r, int node, const char *what, uint32_t *out);
/* The name of the first right in rights. */
const char *sd_first_right(uint32_t rights);
/* The rights an object type gives meaning to. */
uint32_t sd_type_rights(uint32_t type);
/* An object type by name, 0 if unknown. */
uint32_t sd_type_from_name(const char *s);
uint32_t sd_be32(const void *p);
uint64_t sd_be64(const void *p);
int sd_page_aligned(uint64_t v);
/* " (did you mean 'x'?)" for a misspelt object or task name, or "". */
const char *sd_suggest_object(const struct sd_system *sys, const char *name, char *buf, size_t len);
const char *sd_suggest_task(const struct sd_system *sys, const char *name, char *buf, size_t len);

/* ---- nodes (sysdesc_read.c), in the order sd_load calls them ---- */

void sd_read_root(struct sd_reader *r);
void sd_read_kernel(struct sd_reader *r);
void sd_read_platform(struct sd_reader *r);
void sd_read_objects(struct sd_reader *r);
void sd_read_tasks(struct sd_reader *r);

/* ---- virtual machines (sysdesc_vm.c) ---- */

/* A vm object's own properties, and the guest-RAM properties of an shm. */
void sd_read_vm(struct sd_reader *r, struct sd_object *o, const char *what);
void sd_read_guest_ram(struct sd_reader *r, struct sd_object *o, const char *what);
/* After the tasks: VMMs, guest RAM and their grants. */
void sd_check_vms(struct sd_reader *r);

/* ---- across nodes (sysdesc_check.c), after reading ---- */

void sd_resolve_task_objects(struct sd_reader *r);
void sd_check_exclusive_grants(struct sd_reader *r);
void sd_check_irqs(struct sd_reader *r);
void sd_check_physical_overlaps(struct sd_reader *r);
void sd_check_mappings(struct sd_reader *r);
void sd_assign_sids(struct sd_reader *r);

#endif
