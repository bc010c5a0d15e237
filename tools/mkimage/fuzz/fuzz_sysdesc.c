/* libFuzzer target: arbitrary bytes as a DTB through the description reader,
 * the checker and the payload builder (without task images).  Any crash,
 * sanitizer report or leak is a bug: bad input must only produce errors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
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
	/* A private copy: the reader keeps pointers into the blob. */
	uint8_t *blob = malloc(size ? size : 1);
	if (!blob)
		return 0;
	memcpy(blob, data, size);
	struct sd_diag d;
	sd_diag_init(&d, "fuzz.dtb", discard, NULL);
	struct sd_system sys;
	if (sd_load(&sys, blob, size, &d) == 0) {
		const uint8_t **images = calloc(sys.task_count + 1, sizeof(*images));
		size_t *sizes = calloc(sys.task_count + 1, sizeof(*sizes));
		if (images && sizes) {
			struct mk_inputs in = {images, sizes, NULL, 0};
			struct mk_buf out;
			if (mk_build_payload(&sys, &in, &out, &d) == 0)
				mk_buf_free(&out);
		}
		free(images);
		free(sizes);
	}
	sd_free(&sys);
	free(blob);
	return 0;
}
