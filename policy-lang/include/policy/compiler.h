/* The policy compiler's front end: policy.conf sources (optionally through
 * m4) to the expanded in-memory policy (policy/policydb.h).
 *
 * Results follow polc's exit status: 0 success (warnings allowed), 1 the
 * policy has errors (all reported to the diag), 2 a source could not be
 * read or m4 could not be run. */
#ifndef POLICY_COMPILER_H
#define POLICY_COMPILER_H

#include <stddef.h>

#include "policy/diag.h"
#include "policy/policydb.h"

enum {
	PL_COMPILE_OK = 0,
	PL_COMPILE_POLICY_ERROR = 1,
	PL_COMPILE_IO_ERROR = 2,
};

typedef struct pl_compile_options {
	const char *const *include_dirs; /* passed to m4 as -I */
	size_t ninclude_dirs;
	/* Macro library folder: every *.m4 in it, sorted by name, is read
	 * before the user's m4 sources.  NULL: $POLC_SUPPORT_DIR, else the
	 * folder built in at compile time. */
	const char *support_dir;
} pl_compile_options;

/* Compiles the sources as one policy.  Sources ending in .te, .if or .m4
 * go through one m4 run together (so interfaces defined in one file serve
 * the others); the rest are read as plain policy.conf.  On success *out
 * holds the policy (free with pl_policy_free); on failure *out is empty. */
int pl_compile_files(const char *const *paths, size_t npaths, const pl_compile_options *opt,
		     pl_diag *diag, pl_policy *out);

/* Compiles one in-memory policy.conf source, no m4: for tests and fuzzing. */
int pl_compile_string(const char *name, const char *text, size_t len, pl_diag *diag,
		      pl_policy *out);

#endif
