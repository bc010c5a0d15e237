/* The bootable image: the kernel ELF with the boot payload appended as one
 * more PT_LOAD segment and its physical address patched into the kernel's
 * `bw_boot_payload` variable (section .bootptr). */
#ifndef MKIMAGE_KIMAGE_H
#define MKIMAGE_KIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "sysdesc.h"

#define MK_BOOTPTR_SECTION ".bootptr"

/* Places payload after the kernel, patches it and the kernel copy, and
 * returns the image in out.  kernel_name names the kernel in messages.
 * Returns 0, or -1 after reporting through d. */
int mk_link_image(const struct sd_system *sys, const char *kernel_name, const uint8_t *kernel,
		  size_t kernel_size, struct mk_buf *payload, struct mk_buf *out, uint64_t *phys_out,
		  struct sd_diag *d);

#endif
