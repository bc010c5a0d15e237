/* Why was it denied?  audit2why for Bulwark: one denied permission
 * (scontext, tcontext, class, permission) weighed against a binary policy
 * with the decision engine itself (policy/engine.h), so an explanation is
 * what policyd would decide, not a second reading of the rules.
 *
 * The questions are asked in the order the engine decides: are the names
 * known at all; is it allowed now; do the type rules allow it (then a
 * constraint, or for a process transition the role allow, refused it); would
 * changing one or two booleans make a conditional rule allow it; otherwise
 * no rule allows it. */
#ifndef AVC_EXPLAIN_H
#define AVC_EXPLAIN_H

#include <stdint.h>
#include <stdio.h>

#include "policy/engine.h"

enum explain_kind {
	EXPLAIN_MISSING_RULE,  /* no allow rule, under any boolean values tried */
	EXPLAIN_BOOLEAN,       /* a conditional allow rule, under other boolean values */
	EXPLAIN_CONSTRAINT,    /* the type rules allow it, a constraint refuses */
	EXPLAIN_ROLE,          /* process transition to another role without role allow */
	EXPLAIN_ALLOWED_NOW,   /* this policy allows it: the record predates a change */
	EXPLAIN_UNKNOWN,       /* a name the policy does not define: the policy changed */
};

/* Which name EXPLAIN_UNKNOWN is about. */
enum explain_unknown {
	UNKNOWN_CLASS,
	UNKNOWN_PERM,
	UNKNOWN_SCONTEXT,
	UNKNOWN_TCONTEXT,
};

/* Boolean settings that would allow it: each alternative sets one boolean,
 * or two at once when no single one is enough. */
#define EXPLAIN_MAX_ALTS 8
typedef struct explain_bools {
	uint32_t n;           /* booleans in this alternative: 1 or 2 */
	uint32_t b[2];        /* boolean indices */
	uint8_t value[2];     /* the value each must take */
	uint8_t constrained;  /* ... and a constraint would still refuse it */
} explain_bools;

typedef struct explanation {
	enum explain_kind kind;
	/* EXPLAIN_UNKNOWN */
	enum explain_unknown unknown;
	int status;                /* the engine's reason (PL_E_NO_TYPE ...) */
	/* resolved when known */
	pl_ctx s, t;
	uint32_t cls, perm_bit;
	/* EXPLAIN_BOOLEAN */
	uint32_t nalts;
	explain_bools alts[EXPLAIN_MAX_ALTS];
	/* EXPLAIN_CONSTRAINT: the refusing constraints, as indices within the
	 * class's constraints (bit k: the k-th constraint of the class) */
	uint64_t constraints;
	/* The source type is permissive in this policy (audited, not enforced). */
	uint8_t permissive_type;
} explanation;

/* Explains one permission.  st holds the boolean values the device runs
 * with (pl_state_init's defaults, or what the user says).  Returns 0, or -1
 * when memory runs out. */
int explain_denial(const pl_view *v, const pl_state *st, const char *scontext, const char *tcontext,
		   const char *cls, const char *perm, explanation *out);

/* One-word name of a kind, for output and tests. */
const char *explain_kind_name(enum explain_kind k);

/* Prints the explanation, indented, in sentences and policy language:
 * the rule audit2allow would write, the booleans and their values, the
 * constraint's expression.  The names are those of the record. */
void explain_print(FILE *out, const pl_view *v, const explanation *e, const char *scontext,
		   const char *tcontext, const char *cls, const char *perm);

/* "allow SOURCE TARGET:CLASS { perms };" as audit2allow writes it: `self`
 * when source and target types are the same, one name without braces. */
void explain_print_allow(FILE *out, const char *stype, const char *ttype, const char *cls,
			 const char *const *perms, uint32_t nperms);

#endif
