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

static void scratch_load(scratch *s, const pl_state *from)
{
	for (uint32_t b = 0; b < from->nbools; b++)
		pl_state_set_bool(&s->st, b, from->bools[b]);
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

/* ---- printing ---- */

static const char *attr_name(uint32_t attr, int side)
{
	static const char *const names[2][4] = {{"", "u1", "r1", "t1"}, {"", "u2", "r2", "t2"}};
	uint32_t base = attr & ~(uint32_t)PL_BIN_CATTR_TARGET;
	return base >= 1 && base <= 3 ? names[side][base] : "?";
}

static const char *cop_text(uint32_t op)
{
	static const char *const ops[] = {"?", "==", "!=", "dom", "domby", "incomp"};
	return op < sizeof ops / sizeof *ops ? ops[op] : "?";
}

static const char *named(const pl_view *v, uint32_t base, uint32_t i)
{
	if (base == PL_BIN_CATTR_USER)
		return pl_user_name(v, i);
	if (base == PL_BIN_CATTR_ROLE)
		return pl_role_name(v, i);
	return pl_type_name(v, i);
}

/* The constraint's postfix expression in constrain-statement infix, fully
 * parenthesised.  Strings are built in one buffer per stack slot. */
static void print_cexpr(FILE *out, const pl_view *v, const pl_bin_constraint *con)
{
	enum { SLOT = 1024 };
	char stack[PL_BIN_MAX_DEPTH][SLOT];
	int sp = 0;
	bool binary = false; /* the top of the stack is already parenthesised */
	for (uint32_t k = 0; k < con->nexpr; k++) {
		const pl_bin_cexpr *x = &v->cexpr[con->expr_first + k];
		char buf[SLOT];
		if (x->kind == PL_BIN_CEXPR_NOT && sp >= 1) {
			snprintf(buf, sizeof buf, "not (%s)", stack[sp - 1]);
			memcpy(stack[sp - 1], buf, SLOT);
			binary = false;
		} else if ((x->kind == PL_BIN_CEXPR_AND || x->kind == PL_BIN_CEXPR_OR) && sp >= 2) {
			snprintf(buf, sizeof buf, "(%s %s %s)", stack[sp - 2], x->kind == PL_BIN_CEXPR_AND ? "and" : "or",
				 stack[sp - 1]);
			memcpy(stack[sp - 2], buf, SLOT);
			sp--;
			binary = true;
		} else if (x->kind == PL_BIN_CEXPR_ATTR && sp < PL_BIN_MAX_DEPTH) {
			snprintf(stack[sp++], SLOT, "%s %s %s", attr_name(x->attr, 0), cop_text(x->op),
				 attr_name(x->attr, 1));
			binary = false;
		} else if (x->kind == PL_BIN_CEXPR_NAMES && sp < PL_BIN_MAX_DEPTH) {
			uint32_t base = x->attr & ~(uint32_t)PL_BIN_CATTR_TARGET;
			int side = (x->attr & PL_BIN_CATTR_TARGET) ? 1 : 0;
			size_t n = (size_t)snprintf(buf, sizeof buf, "%s %s {", attr_name(x->attr, side), cop_text(x->op));
			for (uint32_t i = 0; i < x->nwords * 32 && n < sizeof buf; i++)
				if ((v->bitmaps[x->names + i / 32] >> (i % 32)) & 1)
					n += (size_t)snprintf(buf + n, sizeof buf - n, " %s", named(v, base, i));
			if (n < sizeof buf)
				snprintf(buf + n, sizeof buf - n, " }");
			memcpy(stack[sp++], buf, SLOT);
			binary = false;
		} else {
			fputs("(an expression this tool cannot print)", out);
			return;
		}
	}
	if (sp != 1)
		fputs("(?)", out);
	else
		fprintf(out, binary ? "%s" : "(%s)", stack[0]);
}

/* A conditional expression, postfix to fully parenthesised infix: the
 * whole in one pair of parentheses, as an if statement wants it. */
static void print_cond(FILE *out, const pl_view *v, uint32_t cond)
{
	enum { SLOT = 512 };
	static const char *const ops[] = {"", "", "!", "||", "&&", "^", "==", "!="};
	char stack[PL_BIN_MAX_DEPTH][SLOT];
	int sp = 0;
	bool binary = false; /* the top of the stack is already parenthesised */
	const pl_bin_cond *c = &v->conds[cond];
	for (uint32_t k = 0; k < c->nexpr; k++) {
		const pl_bin_cond_node *n = &v->condexpr[c->expr_first + k];
		char buf[SLOT];
		if (n->op == PL_BIN_COND_BOOL && sp < PL_BIN_MAX_DEPTH) {
			snprintf(stack[sp++], SLOT, "%s", pl_bool_name(v, n->arg));
			binary = false;
		} else if (n->op == PL_BIN_COND_NOT && sp >= 1) {
			snprintf(buf, sizeof buf, "!%s", stack[sp - 1]);
			memcpy(stack[sp - 1], buf, SLOT);
			binary = false;
		} else if (n->op > PL_BIN_COND_NOT && n->op <= PL_BIN_COND_NEQ && sp >= 2) {
			snprintf(buf, sizeof buf, "(%s %s %s)", stack[sp - 2], ops[n->op], stack[sp - 1]);
			memcpy(stack[sp - 2], buf, SLOT);
			sp--;
			binary = true;
		} else {
			fputs("(?)", out);
			return;
		}
	}
	if (sp != 1)
		fputs("(?)", out);
	else
		fprintf(out, binary ? "%s" : "(%s)", stack[0]);
}

/* A rule key (type or attribute) covers the type when it is the type or
 * one of its attributes. */
static bool key_covers(const pl_view *v, uint32_t key, uint32_t type)
{
	if (key == type)
		return true;
	const pl_bin_type *t = &v->types[type];
	for (uint32_t i = 0; i < t->nlist; i++)
		if (v->typelists[t->list_first + i] == key)
			return true;
	return false;
}

/* braces: always, as constrain wants; else only around several names. */
static void print_perm_set(FILE *out, const pl_view *v, uint32_t cls, uint32_t perms, bool braces)
{
	uint32_t n = braces ? 2 : 0;
	for (uint32_t b = 0; b < pl_class_nperms(v, cls) && !braces; b++)
		n += (perms >> b) & 1;
	if (n != 1)
		fputs("{", out);
	for (uint32_t b = 0; b < pl_class_nperms(v, cls); b++)
		if ((perms >> b) & 1)
			fprintf(out, n == 1 ? "%s" : " %s", pl_perm_name(v, cls, b));
	if (n != 1)
		fputs(" }", out);
}

/* The conditional allow rules that would grant it, as written in the
 * policy (attributes kept), with their condition. */
static void print_cond_rules(FILE *out, const pl_view *v, const explanation *e)
{
	for (uint32_t i = 0; i < v->nrules; i++) {
		const pl_bin_rule *r = &v->rules[i];
		if (r->kind != PL_BIN_AV_ALLOW || r->cond == PL_BIN_NONE || r->cls != e->cls ||
		    !(r->perms & e->perm_bit) || !key_covers(v, r->src, e->s.type) || !key_covers(v, r->tgt, e->t.type))
			continue;
		fputs("      if ", out);
		print_cond(out, v, r->cond);
		fprintf(out, " {%s allow %s %s:%s ", r->branch ? "" : " } else {", pl_type_name(v, r->src),
			pl_type_name(v, r->tgt), pl_class_name(v, r->cls));
		print_perm_set(out, v, r->cls, r->perms, false);
		fputs("; }\n", out);
	}
}

static const char *status_text(int status)
{
	switch (status) {
	case PL_E_CONTEXT_SYNTAX:
		return "is not user:role:type";
	case PL_E_NO_USER:
		return "names a user this policy does not define";
	case PL_E_NO_ROLE:
		return "names a role this policy does not define";
	case PL_E_NO_TYPE:
		return "names a type this policy does not define (or an attribute)";
	case PL_E_INVALID_CONTEXT:
		return "is not a valid context in this policy (role or user not authorised)";
	default:
		return pl_strerror(status);
	}
}

static const char *context_type(const char *ctx, char *buf, size_t cap)
{
	const char *a = strchr(ctx, ':');
	const char *b = a ? strchr(a + 1, ':') : NULL;
	if (!b) {
		snprintf(buf, cap, "%s", ctx);
		return buf;
	}
	const char *end = strchr(b + 1, ':');
	size_t n = end ? (size_t)(end - b - 1) : strlen(b + 1);
	snprintf(buf, cap, "%.*s", (int)n, b + 1);
	return buf;
}

void explain_print_allow(FILE *out, const char *stype, const char *ttype, const char *cls,
			 const char *const *perms, uint32_t nperms)
{
	fprintf(out, "allow %s %s:%s ", stype, strcmp(stype, ttype) ? ttype : "self", cls);
	if (nperms == 1) {
		fprintf(out, "%s;\n", perms[0]);
		return;
	}
	fputs("{", out);
	for (uint32_t i = 0; i < nperms; i++)
		fprintf(out, " %s", perms[i]);
	fputs(" };\n", out);
}

void explain_print(FILE *out, const pl_view *v, const explanation *e, const char *scontext,
		   const char *tcontext, const char *cls, const char *perm)
{
	char st[256], tt[256];
	fprintf(out, "  %s: [%s] ", perm, explain_kind_name(e->kind));
	switch (e->kind) {
	case EXPLAIN_MISSING_RULE:
		fputs("no allow rule grants it, whatever the booleans. The rule that would:\n    ", out);
		explain_print_allow(out, context_type(scontext, st, sizeof st), context_type(tcontext, tt, sizeof tt),
				    cls, &perm, 1);
		break;
	case EXPLAIN_BOOLEAN:
		fputs("a conditional rule allows it under other boolean values:\n", out);
		for (uint32_t i = 0; i < e->nalts; i++) {
			const explain_bools *a = &e->alts[i];
			fputs("    setbool", out);
			for (uint32_t k = 0; k < a->n; k++)
				fprintf(out, " %s %s", pl_bool_name(v, a->b[k]), a->value[k] ? "true" : "false");
			fputs(a->constrained ? "   (but a constraint would still refuse it)\n" : "\n", out);
		}
		print_cond_rules(out, v, e);
		break;
	case EXPLAIN_CONSTRAINT: {
		fputs("the type rules allow it; refused by\n", out);
		const pl_bin_class *c = &v->classes[e->cls];
		for (uint32_t k = 0; k < c->ncons && k < 64; k++) {
			if (!((e->constraints >> k) & 1))
				continue;
			const pl_bin_constraint *con = &v->constraints[c->cons_first + k];
			fprintf(out, "    constrain %s ", pl_class_name(v, e->cls));
			print_perm_set(out, v, e->cls, con->perms, true);
			fputs(" ", out);
			print_cexpr(out, v, con);
			fprintf(out, ";   (constraint %u of class %s)\n", k + 1, pl_class_name(v, e->cls));
		}
		break;
	}
	case EXPLAIN_ROLE:
		fprintf(out, "the type rules allow it, but role %s may not change to role %s; the rule that would:\n"
			     "    allow %s %s;\n",
			pl_role_name(v, e->s.role), pl_role_name(v, e->t.role), pl_role_name(v, e->s.role),
			pl_role_name(v, e->t.role));
		break;
	case EXPLAIN_ALLOWED_NOW:
		fputs("this policy allows it: the record predates a policy load, a boolean or enforcing change,\n"
		      "    or the decision failed closed (policyd stopped, restarting or silent)\n",
		      out);
		break;
	case EXPLAIN_UNKNOWN:
		switch (e->unknown) {
		case UNKNOWN_CLASS:
			fprintf(out, "class %s is not in this policy: the policy changed (a kernel class the policy\n"
				     "    lacks is denied, as SELinux's deny_unknown)\n",
				cls);
			break;
		case UNKNOWN_PERM:
			fprintf(out, "class %s has no permission %s in this policy: the policy changed\n", cls, perm);
			break;
		case UNKNOWN_SCONTEXT:
			fprintf(out, "scontext %s %s: the policy changed\n", scontext, status_text(e->status));
			break;
		default:
			fprintf(out, "tcontext %s %s: the policy changed\n", tcontext, status_text(e->status));
			break;
		}
		return;
	}
	if (e->permissive_type)
		fprintf(out, "    note: %s is a permissive type in this policy: its denials are audited, not enforced\n",
			pl_type_name(v, e->s.type));
}
