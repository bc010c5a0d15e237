#ifndef PL_M4_H
#define PL_M4_H

#include <stddef.h>

#include "policy/compiler.h"

/* Runs `m4 -s` over the support library and the given sources; returns 0
 * with the output in *out (malloc'd), or PL_COMPILE_POLICY_ERROR when m4
 * reported errors (relayed to diag with their locations), or
 * PL_COMPILE_IO_ERROR when m4 could not be run. */
int pl_run_m4(const char *const *paths, size_t npaths, const pl_compile_options *opt,
	      pl_diag *diag, char **out, size_t *outlen);

#endif
