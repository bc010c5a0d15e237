/* Turning a checked system description and its task images into the boot
 * payload of include/bulwark/bootinfo.h. */
#ifndef MKIMAGE_PAYLOAD_H
#define MKIMAGE_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "sysdesc.h"

/* The bytes of each task's image (images[i] for sys->tasks[i]; NULL when it
 * could not be read, which the caller has reported) and of the compiled
 * policy (NULL for none). */
struct mk_inputs {
	const uint8_t *const *images;
	const size_t *image_sizes;
	const uint8_t *policy;
	size_t policy_size;
};

/* Builds the payload into out (payload_phys left 0; the image writer sets
 * it).  Problems in task images are reported at the task's image property.
 * Returns 0, or -1 after reporting. */
int mk_build_payload(const struct sd_system *sys, const struct mk_inputs *in, struct mk_buf *out,
		     struct sd_diag *d);

/* Writes phys into a built payload's header. */
void mk_payload_set_phys(struct mk_buf *payload, uint64_t phys);

#endif
