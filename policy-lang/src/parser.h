#ifndef PL_PARSER_H
#define PL_PARSER_H

#include <stddef.h>

#include "ast.h"
#include "policy/diag.h"

/* Parses one source into prog (appending: several sources make one policy).
 * Errors go to diag; the parser resynchronises at `;` and `}` so one run
 * reports every syntax error.  Nesting is bounded, never recursion-limited. */
void pl_parse(ast_program *prog, const char *file, const char *text, size_t len,
	      pl_diag *diag);

#endif
