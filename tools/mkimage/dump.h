/* A readable listing of a boot payload, for integrators (mkimage --list)
 * and tests.  It reads the payload as the kernel does, distrusting every
 * offset, so it also serves as the host-side check of the format. */
#ifndef MKIMAGE_DUMP_H
#define MKIMAGE_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Validates the payload (len bytes) and, when out is not NULL, lists it.
 * Returns 0, or -1 with the first problem in err. */
int mk_dump_payload(FILE *out, const uint8_t *payload, size_t len, char *err, size_t errlen);

#endif
