/* Explaining one denied permission (explain.h).  Every "would it be
 * allowed if ..." question is put to the engine's own pl_compute_av, on a
 * view whose class record is altered (no constraints, or one constraint)
 * or on a copy of the boolean state: the engine stays the one authority. */
#include "explain.h"

#include <stdlib.h>
#include <string.h>

const char *explain_kind_name(enum explain_kind k)
{
	switch (k) {
	case EXPLAIN_MISSING_RULE:
		return "missing-rule";
	case EXPLAIN_BOOLEAN:
		return "boolean";
	case EXPLAIN_CONSTRAINT:
		return "constraint";
	case EXPLAIN_ROLE:
		return "role";
	case EXPLAIN_ALLOWED_NOW:
		return "allowed-now";
	default:
		return "policy-changed";
	}
}

/* A view identical to v but for class cls's constraint slice. */
typedef struct class_patch {
	pl_view view;
	pl_bin_class *classes;
} class_patch;

static int patch_init(class_patch *p, const pl_view *v)
{
	p->view = *v;
	p->classes = malloc((v->nclasses ? v->nclasses : 1) * sizeof *p->classes);
	if (!p->classes)
		return -1;
	memcpy(p->classes, v->classes, v->nclasses * sizeof *p->classes);
	p->view.classes = p->classes;
	return 0;
}

static void patch_constraints(class_patch *p, const pl_view *v, uint32_t cls, uint32_t first, uint32_t n)
{
	p->classes[cls].cons_first = v->classes[cls].cons_first + first;
	p->classes[cls].ncons = n;
}

static bool allows(const pl_view *v, const pl_state *st, const explanation *e)
{
	pl_av av;
	return pl_compute_av(v, st, &e->s, &e->t, e->cls, &av) == PL_OK && (av.allowed & e->perm_bit);
}

/* A scratch boolean state: the caller's values, then changed at will. */
typedef struct scratch {
	pl_state st;
	uint8_t *mem;
} scratch;

static int scratch_init(scratch *s, const pl_view *v)
{
	size_t n = pl_state_size(v) + 1;
	s->mem = malloc(n);
	return s->mem && pl_state_init(&s->st, v, s->mem, n) == PL_OK ? 0 : -1;
}

/* The caller's values; the conditionals are re-evaluated by the
 * pl_state_set_bool that always follows (once, not once per boolean). */
static void scratch_load(scratch *s, const pl_state *from)
{
	memcpy(s->st.bools, from->bools, from->nbools);
}

static void add_alt(explanation *e, const pl_view *full, const pl_state *st, uint32_t n, const uint32_t *b,
		    const pl_state *cur)
{
	if (e->nalts == EXPLAIN_MAX_ALTS)
		return;
	explain_bools *a = &e->alts[e->nalts++];
	a->n = n;
	for (uint32_t i = 0; i < n; i++) {
		a->b[i] = b[i];
		a->value[i] = (uint8_t)!cur->bools[b[i]];
	}
	a->constrained = !allows(full, st, e);
}

/* Flip one boolean, then two: the smallest changes that allow it.  Pairs
 * are tried only when no single boolean does, and only for policies with
 * few enough booleans that n^2 decisions stay instant. */
static int find_booleans(const pl_view *v, const pl_view *unconstrained, const pl_state *cur, explanation *e)
{
	scratch s;
	if (scratch_init(&s, v) < 0) {
		free(s.mem);
		return -1;
	}
	for (uint32_t b = 0; b < v->nbools; b++) {
		scratch_load(&s, cur);
		pl_state_set_bool(&s.st, b, !cur->bools[b]);
		if (allows(unconstrained, &s.st, e))
			add_alt(e, v, &s.st, 1, &b, cur);
	}
	for (uint32_t b = 0; !e->nalts && b < v->nbools && v->nbools <= 256; b++)
		for (uint32_t c = b + 1; c < v->nbools; c++) {
			scratch_load(&s, cur);
			pl_state_set_bool(&s.st, b, !cur->bools[b]);
			pl_state_set_bool(&s.st, c, !cur->bools[c]);
			if (allows(unconstrained, &s.st, e)) {
				uint32_t pair[2] = {b, c};
				add_alt(e, v, &s.st, 2, pair, cur);
			}
		}
	free(s.mem);
	return 0;
}

/* A process transition or dyntransition to another role is refused after
 * the type rules unless `allow ROLE NEWROLE;` says so: it is that check
 * when the same request with the target in the source's role passes. */
static bool role_refuses(const pl_view *unconstrained, const pl_state *st, const explanation *e)
{
	if (e->cls != unconstrained->process_class || !(e->perm_bit & unconstrained->process_trans_dyntrans) ||
	    e->s.role == e->t.role)
		return false;
	explanation same = *e;
	same.t.role = e->s.role;
	return allows(unconstrained, st, &same);
}

static void unknown(explanation *e, enum explain_unknown what, int status)
{
	e->kind = EXPLAIN_UNKNOWN;
	e->unknown = what;
	e->status = status;
}

int explain_denial(const pl_view *v, const pl_state *st, const char *scontext, const char *tcontext,
		   const char *cls, const char *perm, explanation *out)
{
	explanation *e = out;
	memset(e, 0, sizeof *e);
	int32_t c = pl_find_class_n(v, cls, strlen(cls));
	if (c < 0) {
		unknown(e, UNKNOWN_CLASS, PL_E_NO_CLASS);
		return 0;
	}
	e->cls = (uint32_t)c;
	int32_t p = pl_find_perm_n(v, e->cls, perm, strlen(perm));
	if (p < 0) {
		unknown(e, UNKNOWN_PERM, PL_E_NO_CLASS);
		return 0;
	}
	e->perm_bit = 1u << p;
	int rc = pl_context_parse(v, scontext, &e->s);
	if (rc != PL_OK) {
		unknown(e, UNKNOWN_SCONTEXT, rc);
		return 0;
	}
	rc = pl_context_parse(v, tcontext, &e->t);
	if (rc != PL_OK) {
		unknown(e, UNKNOWN_TCONTEXT, rc);
		return 0;
	}
	e->permissive_type = (v->types[e->s.type].flags & PL_BIN_TYPE_PERMISSIVE) != 0;
	if (allows(v, st, e)) {
		e->kind = EXPLAIN_ALLOWED_NOW;
		return 0;
	}

	class_patch np;
	if (patch_init(&np, v) < 0)
		return -1;
	patch_constraints(&np, v, e->cls, 0, 0);
	int status = 0;
	if (allows(&np.view, st, e)) {
		/* The type rules allow it: which constraint refuses it? */
		uint32_t ncons = v->classes[e->cls].ncons;
		for (uint32_t k = 0; k < ncons && k < 64; k++) {
			patch_constraints(&np, v, e->cls, k, 1);
			if (!allows(&np.view, st, e))
				e->constraints |= (uint64_t)1 << k;
		}
		e->kind = EXPLAIN_CONSTRAINT;
	} else if (role_refuses(&np.view, st, e)) {
		e->kind = EXPLAIN_ROLE;
	} else {
		status = find_booleans(v, &np.view, st, e);
		e->kind = e->nalts ? EXPLAIN_BOOLEAN : EXPLAIN_MISSING_RULE;
	}
	free(np.classes);
	return status;
}
