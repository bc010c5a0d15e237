/* Printing an explanation (explain.h) in sentences and policy language:
 * constraints and conditions are turned back from the binary policy's
 * postfix form into the infix a policy author writes. */
#include "explain.h"

#include <stdbool.h>
#include <string.h>

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
