/* The two reports of `audit` (cli/audit.c reads the log): the summary
 * table and the explanation of each denial. */
#ifndef AUDIT_REPORT_H
#define AUDIT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "avc_parse.h"
#include "changes.h"
#include "policy/engine.h"
#include "tally.h"

typedef struct totals {
	uint64_t records[AVC_LOST + 1]; /* by kind; SUPPRESSED/LOST: lines */
	uint64_t denied_enforcing, denied_permissive;
	uint64_t suppressed, lost, malformed, lines;
} totals;

/* Ends the program with status 2: a report half printed is worse than none. */
_Noreturn void oom(void);

/* Record callbacks for reading the log: what each report groups by. */
void summary_record(const avc_record *r, uint64_t line, void *arg);
void explain_record(const avc_record *r, uint64_t line, void *arg);

void print_summary(FILE *out, const char *name, const totals *tot, const tally *t);
/* Each distinct denial (first seen first), its explanation against v under
 * st, the policy changes ch after it, then audit2allow's listing of the
 * missing rules.  Returns 0. */
int run_explain(FILE *out, const pl_view *v, const pl_state *st, const tally *t, const changes *ch);

#endif
