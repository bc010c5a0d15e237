/* The binary policy: the compact, self-checking form that polc writes and the
 * security server loads.  The format itself is documented in
 * docs/POLICY-BINARY.md; the reader that validates it lives in the engine
 * (policy/engine.h) because it runs on the device. */
#ifndef POLICY_BINARY_H
#define POLICY_BINARY_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policydb.h"

/* Serialise p.  On success returns 0 and a malloc'd buffer in *out (the
 * caller frees it).  On failure returns -1 and a message in err. */
int pl_binary_write(const pl_policy *p, uint8_t **out, size_t *len, char *err, size_t errlen);

#endif
