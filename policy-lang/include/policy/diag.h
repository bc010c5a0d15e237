/* Diagnostics of the policy compiler: located errors and warnings in the
 * `FILE:LINE:COL: error: MESSAGE` form editors and CI logs understand.
 *
 * A policy with many mistakes should show all of them in one run, but a
 * flood (say a binary file given as source) must not bury the first, useful
 * ones: only the first PL_DIAG_MAX_PRINTED errors are printed, the rest are
 * counted and summarised by pl_diag_finish. */
#ifndef POLICY_DIAG_H
#define POLICY_DIAG_H

#include <stdint.h>
#include <stdio.h>

#define PL_DIAG_MAX_PRINTED 50

typedef struct pl_diag {
	FILE *out;          /* where messages go; NULL counts only */
	uint32_t nerrors;
	uint32_t nwarnings;
	uint32_t max_printed;
	/* The first error, kept for callers (tests, the fuzzer) that need to
	 * look at it without parsing output. */
	char first_error[512];
} pl_diag;

void pl_diag_init(pl_diag *d, FILE *out);

/* file may be NULL for errors with no location (I/O, limits). */
void pl_diag_error(pl_diag *d, const char *file, uint32_t line, uint32_t col,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void pl_diag_warning(pl_diag *d, const char *file, uint32_t line, uint32_t col,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Prints how many errors were not shown, if any. */
void pl_diag_finish(pl_diag *d);

#endif
