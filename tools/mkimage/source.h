/* Getting a description into memory: a .dtb is read as is; anything else is
 * device-tree source, compiled by dtc into a blob plus the annotated form
 * that maps nodes and properties back to source lines. */
#ifndef MKIMAGE_SOURCE_H
#define MKIMAGE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "linemap.h"

/* Reads the whole file at path into *data (malloc'd).  Returns 0, or -1 with
 * errno set. */
int mk_read_file(const char *path, uint8_t **data, size_t *size);

/* Loads the description at path.  *lines is NULL for a .dtb input.  dtc's
 * own messages go to standard error.  Returns 0, or -1 after reporting. */
int mk_load_source(const char *path, uint8_t **blob, size_t *size, struct sd_linemap **lines,
		   struct sd_diag *d);

#endif
