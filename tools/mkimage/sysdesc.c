/* Reading the system description from a flattened tree and checking it.
 *
 * The reader never trusts the tree: the blob's header and structure are
 * validated first, then every property is checked for its length and type
 * before use (sysdesc_props.c).  Checking continues after an error so that
 * an integrator sees every problem at once (sd_diag bounds the count). */
#include "sysdesc.h"

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "sysdesc_reader.h"

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
	struct sd_reader r = {.sys = sys, .d = d, .fdt = fdt};
	sd_read_root(&r);
	sd_read_kernel(&r);
	sd_read_platform(&r);
	sd_read_objects(&r);
	sd_read_tasks(&r);
	sd_resolve_task_objects(&r);
	sd_check_vms(&r);
	sd_check_exclusive_grants(&r);
	sd_check_irqs(&r);
	sd_check_physical_overlaps(&r);
	sd_check_mappings(&r);
	sd_assign_sids(&r);
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
