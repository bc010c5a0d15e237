/* mkimage: checks a system description and builds the bootable image.
 *
 *   mkimage [--check] [-k KERNEL.elf] [-o IMAGE.elf] [-p POLICY.bin [--allow-denied-grants]]
 *           [-L DIR]... SYSTEM.dts
 *   mkimage --guest VM [--guest-dts FILE] [--vm-header FILE] [--initrd-size N]
 *           [--guest-platform FILE] [-p POLICY.bin] SYSTEM.dts
 *
 * The second form writes what the VMM of the description's vm VM is built
 * with (its guest's device tree, its header); task images are not read, as
 * the VMM's own image is what is being built.
 * Task images named in the description are looked up relative to the
 * description's folder, then in each -L folder in order.  With --check only
 * the description and the task images are checked; nothing is written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "dump.h"
#include "guestdt.h"
#include "kimage.h"
#include "linemap.h"
#include "payload.h"
#include "policycheck.h"
#include "source.h"
#include "sysdesc.h"

#define MAX_SEARCH_DIRS 32

struct options {
	const char *system;
	const char *kernel;
	const char *output;
	const char *policy;
	const char *dirs[MAX_SEARCH_DIRS];
	size_t dir_count;
	int check_only;
	int list;
	int allow_denied_grants;
	const char *guest;
	const char *guest_dts;
	const char *vm_header;
	const char *initrd_size;
	const char *platform;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: mkimage [--check] [-k KERNEL.elf] [-o IMAGE.elf] [-p POLICY.bin] "
		   "[-L DIR]... SYSTEM.dts|SYSTEM.dtb\n"
		   "  -k, --kernel FILE   the kernel ELF (needs section .bootptr)\n"
		   "  -o, --output FILE   the bootable image to write\n"
		   "  -p, --policy FILE   compiled policy to embed (polc output)\n"
		   "  -L DIR              also look for task images in DIR\n"
		   "      --check         check the description and task images only\n"
		   "      --list          print the boot payload's tasks, regions, handles, SIDs\n"
		   "      --allow-denied-grants  grants the policy does not allow are warnings, not\n"
		   "                      errors (images that test the kernel's denial itself)\n"
		   "usage: mkimage --guest VM [--guest-dts FILE] [--vm-header FILE] [--initrd-size N]\n"
		   "               [-p POLICY.bin] SYSTEM.dts|SYSTEM.dtb\n"
		   "      --guest VM      write what the VMM of vm VM is built with:\n"
		   "      --guest-dts FILE  its guest's device-tree source\n"
		   "      --vm-header FILE  its C header (handle slots, guest RAM, initrd address)\n"
		   "      --initrd-size N   the initrd's size, for the device tree's bounds\n"
		   "      --guest-platform FILE  device-tree source of the devices the VMM emulates,\n"
		   "                        included instead of the built-in GICv3/timer/PL011\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (!strcmp(a, "-k") || !strcmp(a, "--kernel"))
			slot = &o->kernel;
		else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
			slot = &o->output;
		else if (!strcmp(a, "-p") || !strcmp(a, "--policy"))
			slot = &o->policy;
		else if (!strcmp(a, "--guest"))
			slot = &o->guest;
		else if (!strcmp(a, "--guest-dts"))
			slot = &o->guest_dts;
		else if (!strcmp(a, "--vm-header"))
			slot = &o->vm_header;
		else if (!strcmp(a, "--initrd-size"))
			slot = &o->initrd_size;
		else if (!strcmp(a, "--guest-platform"))
			slot = &o->platform;
		else if (!strcmp(a, "-L")) {
			if (o->dir_count == MAX_SEARCH_DIRS) {
				fprintf(stderr, "mkimage: at most %d -L folders\n", MAX_SEARCH_DIRS);
				return -1;
			}
			slot = &o->dirs[o->dir_count++];
		} else if (!strncmp(a, "-L", 2) && a[2]) {
			if (o->dir_count == MAX_SEARCH_DIRS) {
				fprintf(stderr, "mkimage: at most %d -L folders\n", MAX_SEARCH_DIRS);
				return -1;
			}
			o->dirs[o->dir_count++] = a + 2;
			continue;
		} else if (!strcmp(a, "--check")) {
			o->check_only = 1;
			continue;
		} else if (!strcmp(a, "--allow-denied-grants")) {
			o->allow_denied_grants = 1;
			continue;
		} else if (!strcmp(a, "--list")) {
			o->list = 1;
			continue;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mkimage: unknown option %s\n", a);
			return -1;
		} else if (o->system) {
			fprintf(stderr, "mkimage: more than one system description given\n");
			return -1;
		} else {
			o->system = a;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "mkimage: %s needs an argument\n", a);
			return -1;
		}
		*slot = argv[++i];
	}
	if (!o->system) {
		fprintf(stderr, "mkimage: no system description given\n");
		return -1;
	}
	if (!o->guest && (o->guest_dts || o->vm_header || o->initrd_size || o->platform)) {
		fprintf(stderr, "mkimage: --guest-dts, --vm-header, --initrd-size and --guest-platform "
				"need --guest VM\n");
		return -1;
	}
	if (!o->check_only && !o->guest && (!o->kernel || !o->output)) {
		fprintf(stderr, "mkimage: -k KERNEL and -o OUTPUT are needed (or --check)\n");
		return -1;
	}
	return 0;
}

/* Finds and reads a task's image.  Returns 0, or -1 after reporting. */
static int load_image(const struct options *o, const struct sd_task *t, uint8_t **data,
		      size_t *size, struct sd_diag *d)
{
	char path[4096];
	const char *dirs[MAX_SEARCH_DIRS + 1];
	size_t n = 0;
	char sysdir[4096];
	snprintf(sysdir, sizeof(sysdir), "%s", o->system);
	char *slash = strrchr(sysdir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(sysdir, sizeof(sysdir), ".");
	if (t->image[0] == '/') {
		dirs[n++] = NULL;
	} else {
		dirs[n++] = sysdir;
		for (size_t i = 0; i < o->dir_count; i++)
			dirs[n++] = o->dirs[i];
	}
	for (size_t i = 0; i < n; i++) {
		if (dirs[i])
			snprintf(path, sizeof(path), "%s/%s", dirs[i], t->image);
		else
			snprintf(path, sizeof(path), "%s", t->image);
		if (access(path, F_OK) < 0)
			continue;
		if (mk_read_file(path, data, size) < 0) {
			sd_error(d, t->node, "image", "cannot read image '%s' of task '%s': %s", path,
				 t->name, strerror(errno));
			return -1;
		}
		return 0;
	}
	char where[1024] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && dirs[i] && used < sizeof(where); i++)
		used += (size_t)snprintf(where + used, sizeof(where) - used, "%s%s", i ? ", " : "",
					 dirs[i]);
	sd_error(d, t->node, "image", "image '%s' of task '%s' not found%s%s%s", t->image, t->name,
		 n && dirs[0] ? " (looked in " : "", where, n && dirs[0] ? ")" : "");
	return -1;
}

/* Writes through a temporary file, so a failed run leaves no half file
 * ("-" is standard output). */
static int emit(const char *path, const struct sd_system *sys, uint32_t vm, uint64_t initrd_size,
		const char *platform, int dts, struct sd_diag *d)
{
	if (!strcmp(path, "-"))
		return dts ? mk_write_guest_dts(stdout, sys, vm, initrd_size, platform, d)
			   : mk_write_vm_header(stdout, sys, vm, d);
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		sd_error(d, -1, NULL, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	int rc = dts ? mk_write_guest_dts(f, sys, vm, initrd_size, platform, d)
		     : mk_write_vm_header(f, sys, vm, d);
	if (fclose(f) != 0 || (rc == 0 && rename(tmp, path) < 0)) {
		sd_error(d, -1, NULL, "cannot write '%s': %s", path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* mkimage --guest: the description checked as usual (without task images),
 * then the VMM's inputs written. */
static int guest_outputs(const struct options *o, const struct sd_system *sys, struct sd_diag *d)
{
	uint64_t initrd_size = 0;
	if (o->initrd_size) {
		char *end;
		errno = 0;
		initrd_size = strtoull(o->initrd_size, &end, 0);
		if (errno || *end || end == o->initrd_size) {
			sd_error(d, -1, NULL, "--initrd-size '%s' is not a number", o->initrd_size);
			return -1;
		}
	}
	uint32_t vm = mk_find_vm(sys, o->guest, d);
	if (vm == BW_BOOT_NONE)
		return -1;
	if (o->guest_dts && emit(o->guest_dts, sys, vm, initrd_size, o->platform, 1, d) < 0)
		return -1;
	if (o->vm_header && emit(o->vm_header, sys, vm, 0, NULL, 0, d) < 0)
		return -1;
	return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t size)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, size, f) == size;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	if (parse_args(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	struct sd_diag d;
	sd_diag_init(&d, o.system, NULL, NULL);

	uint8_t *blob = NULL;
	size_t blob_size = 0;
	struct sd_linemap *lines = NULL;
	if (mk_load_source(o.system, &blob, &blob_size, &lines, &d) < 0) {
		fprintf(stderr, "mkimage: %u error%s\n", d.errors, d.errors == 1 ? "" : "s");
		return 1;
	}
	d.lines = lines;

	struct sd_system sys;
	int rc = sd_load(&sys, blob, blob_size, &d);
	if (o.guest) {
		uint8_t *pol = NULL;
		size_t pol_size = 0;
		if (o.policy && mk_read_file(o.policy, &pol, &pol_size) < 0)
			sd_error(&d, -1, NULL, "cannot read policy '%s': %s", o.policy, strerror(errno));
		if (pol && sys.fdt)
			mk_check_policy(&sys, pol, pol_size, o.policy, o.allow_denied_grants, &d);
		if (rc == 0 && d.errors == 0)
			guest_outputs(&o, &sys, &d);
		free(pol);
		if (d.errors)
			fprintf(stderr, "mkimage: %u error%s\n", d.errors, d.errors == 1 ? "" : "s");
		sd_free(&sys);
		sd_linemap_free(lines);
		free(blob);
		return d.errors ? 1 : 0;
	}

	uint8_t **images = calloc(sys.task_count ? sys.task_count : 1, sizeof(*images));
	size_t *sizes = calloc(sys.task_count ? sys.task_count : 1, sizeof(*sizes));
	uint8_t *policy = NULL, *kernel = NULL;
	size_t policy_size = 0, kernel_size = 0;
	struct mk_buf payload, image;
	mk_buf_init(&payload);
	mk_buf_init(&image);
	if (!images || !sizes) {
		sd_error(&d, -1, NULL, "out of memory");
		goto done;
	}
	/* Images are checked even when the description has errors, so that
	 * one run reports everything. */
	for (size_t i = 0; i < sys.task_count; i++)
		if (sys.tasks[i].image)
			load_image(&o, &sys.tasks[i], &images[i], &sizes[i], &d);
	if (o.policy && mk_read_file(o.policy, &policy, &policy_size) < 0)
		sd_error(&d, -1, NULL, "cannot read policy '%s': %s", o.policy, strerror(errno));
	if (o.kernel && mk_read_file(o.kernel, &kernel, &kernel_size) < 0)
		sd_error(&d, -1, NULL, "cannot read kernel '%s': %s", o.kernel, strerror(errno));
	if (policy && sys.fdt && mk_check_policy(&sys, policy, policy_size, o.policy, o.allow_denied_grants, &d) < 0)
		rc = -1;
	if (rc == 0) {
		struct mk_inputs in = {(const uint8_t *const *)images, sizes, policy, policy_size};
		rc = mk_build_payload(&sys, &in, &payload, &d);
	}
	/* The payload must pass the same reading the kernel gives it; a
	 * failure here is mkimage's own bug. */
	char why[200];
	if (rc == 0 && d.errors == 0 && mk_dump_payload(NULL, payload.data, payload.len, why,
							sizeof(why)) < 0)
		sd_error(&d, -1, NULL, "internal error: the boot payload fails its own check: %s",
			 why);
	if (rc == 0 && d.errors == 0 && kernel) {
		uint64_t phys = 0;
		rc = mk_link_image(&sys, o.kernel, kernel, kernel_size, &payload, &image, &phys, &d);
		if (rc == 0 && !o.check_only) {
			if (write_file(o.output, image.data, image.len) < 0)
				sd_error(&d, -1, NULL, "cannot write '%s': %s", o.output,
					 strerror(errno));
			else
				printf("mkimage: %s: %zu tasks, %zu objects, %zu handles, %zu SIDs; "
				       "boot payload %zu bytes at 0x%llx\n",
				       o.output, sys.task_count, sys.object_count, sys.handle_count,
				       sys.context_count, payload.len, (unsigned long long)phys);
		}
	}
	if (o.list && rc == 0 && d.errors == 0)
		mk_dump_payload(stdout, payload.data, payload.len, why, sizeof(why));
done:
	if (d.errors)
		fprintf(stderr, "mkimage: %u error%s\n", d.errors, d.errors == 1 ? "" : "s");
	for (size_t i = 0; images && i < sys.task_count; i++)
		free(images[i]);
	free(images);
	free(sizes);
	free(policy);
	free(kernel);
	mk_buf_free(&payload);
	mk_buf_free(&image);
	sd_free(&sys);
	sd_linemap_free(lines);
	free(blob);
	return d.errors ? 1 : 0;
}
