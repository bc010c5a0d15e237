/* libFuzzer target: arbitrary bytes as a task's ELF image through the
 * payload builder, as the kernel ELF through the image linker, and as a boot
 * payload through its validating reader.  All read untrusted bytes; any
 * crash or sanitizer report is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "dump.h"
#include "kimage.h"
#include "payload.h"
#include "sysdesc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void discard(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *file = malloc(size ? size : 1);
	if (!file)
		return 0;
	memcpy(file, data, size);

	/* One task, one shared region mapped into it, built without a tree. */
	static const char *contexts[] = {"u:r:kernel_t", "u:r:app_t", "u:r:ring_t"};
	struct sd_object ring = {.name = "ring", .node = -1, .type = BW_BOOT_OBJ_SHM,
				 .context = contexts[2], .sid = 3, .size = 0x2000,
				 .notify_object = BW_BOOT_NONE, .task_index = BW_BOOT_NONE};
	struct sd_handle handle = {.name = "ring", .node = -1, .object = "ring", .object_index = 0,
				   .slot = BW_BOOT_FIRST_SLOT, .rights = BW_BOOT_RIGHT_READ,
				   .map_vaddr = 0x20000000};
	struct sd_task task = {.name = "app", .node = -1, .image = "fuzz.elf",
			       .context = contexts[1], .sid = 2, .priority = 1,
			       .time_slice_us = 1000, .stack_size = 0x4000,
			       .memory_quota = 0x10000, .fault_handler_object = BW_BOOT_NONE,
			       .first_handle = 0, .handle_count = 1};
	struct sd_system sys = {.kernel_node = -1, .kernel_context = contexts[0], .kernel_sid = 1,
				.ram_base = SD_DEFAULT_RAM_BASE, .ram_size = SD_DEFAULT_RAM_SIZE,
				.tasks = &task, .task_count = 1, .objects = &ring,
				.object_count = 1, .handles = &handle, .handle_count = 1,
				.contexts = contexts, .context_count = 3};
	struct sd_diag d;
	sd_diag_init(&d, "fuzz", discard, NULL);

	const uint8_t *images[1] = {file};
	size_t sizes[1] = {size};
	struct mk_inputs in = {images, sizes, NULL, 0};
	struct mk_buf payload;
	if (mk_build_payload(&sys, &in, &payload, &d) == 0)
		mk_buf_free(&payload);

	/* The same bytes as the kernel, with a small valid payload. */
	mk_buf_init(&payload);
	mk_buf_append(&payload, NULL, sizeof(struct bw_bootinfo));
	struct mk_buf image;
	uint64_t phys;
	d.errors = 0;
	if (mk_link_image(&sys, "fuzz", file, size, &payload, &image, &phys, &d) == 0)
		mk_buf_free(&image);
	mk_buf_free(&payload);

	/* And as a boot payload, read the way the kernel reads it. */
	char err[200];
	mk_dump_payload(NULL, file, size, err, sizeof(err));
	free(file);
	return 0;
}
