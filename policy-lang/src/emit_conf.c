/* pl_emit_conf: the expanded policy written back as one policy.conf that
 * Debian's checkpolicy 3.4 compiles to the same decisions as polc's binary.
 *
 * The input is already expanded (attributes kept where the author wrote
 * them, `-`/`~`/`*`/`self` resolved), so every statement is written in its
 * plainest form and checkpolicy re-derives nothing that could differ.  What
 * checkpolicy insists on and polc does not (a user, an initial sid with a
 * context) is added as scaffolding that can only make extra contexts valid,
 * never change a decision; docs/POLICY-LANGUAGE.md lists it. */
#include "policy/emit_conf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Words checkpolicy's lexer turns into tokens (all-lowercase or all-uppercase
 * spelling), so a symbol spelled like one of them cannot be written back.
 * Checked one by one against checkpolicy 3.4. */
static const char *const checkpolicy_keywords[] = {
	"alias", "allow", "allowxperm", "and", "attribute", "attribute_role", "auditallow",
	"auditallowxperm", "auditdeny", "bool", "category", "class", "clone", "common",
	"constrain", "default_range", "default_role", "default_type", "default_user",
	"devicetreecon", "dom", "domby", "dominance", "dontaudit", "dontauditxperm", "else",
	"eq", "expandattribute", "false", "fs_use_task", "fs_use_trans", "fs_use_xattr",
	"fscon", "genfscon", "glblub", "h1", "h2", "high", "ibendportcon", "ibpkeycon", "if",
	"incomp", "inherits", "iomemcon", "ioportcon", "l1", "l2", "level", "low", "low-high",
	"mlsconstrain", "mlsvalidatetrans", "module", "netifcon", "neverallow",
	"neverallowxperm", "nodecon", "not", "optional", "or", "pcidevicecon", "permissive",
	"pirqcon", "policycap", "portcon", "r1", "r2", "r3", "range", "range_transition",
	"require", "role", "role_transition", "roleattribute", "roles", "sameuser", "self",
	"sensitivity", "sid", "source", "t1", "t2", "t3", "target", "true", "tunable", "type",
	"type_change", "type_member", "type_transition", "typealias", "typeattribute",
	"typebounds", "types", "u1", "u2", "u3", "user", "validatetrans", "xor",
};

/* The capabilities checkpolicy 3.4 knows; any other name is a hard error there. */
static const char *const checkpolicy_policycaps[] = {
	"network_peer_controls", "open_perms", "extended_socket_class",
	"always_check_network", "cgroup_seclabel", "nnp_nosuid_transition",
	"genfs_seclabel_symlinks", "ioctl_skip_cloexec",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Names of the scaffolding.  The user and the sid are only added where the
 * policy has none of their kind, so they cannot collide; the type is only
 * added where there is no type, and steps around attributes' names. */
#define SCAFFOLD_USER "system_u"
#define SCAFFOLD_SID "kernel"
#define SCAFFOLD_TYPE "unlabeled_t"

typedef struct emitter {
	const pl_policy *p;
	FILE *out;
	char *err;
	size_t errlen;
	bool failed;
	/* Scaffolding decided before anything is written. */
	bool add_user;
	bool add_sid;
	bool add_type;
	char scaffold_type[64];
	/* Output position, for line wrapping (see put_wrapped). */
	uint32_t col;
	bool in_comment, in_quote;
} emitter;

static void fail(emitter *e, const char *fmt, ...)
{
	if (e->failed)
		return;
	e->failed = true;
	if (e->err && e->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->err, e->errlen, fmt, ap);
		va_end(ap);
	}
}

/* checkpolicy's lexer keeps the current line in a fixed buffer and fails on a
 * line of 8192 bytes or more, and sets (role types, constraint names) grow
 * with the policy.  Whitespace separates tokens anywhere in policy.conf, so
 * lines are broken at a space once they pass this column (never inside a
 * comment or a quoted object name); with names of at most MAX_NAME_LEN
 * bytes every line stays far below the limit. */
#define WRAP_COLUMN 100
#define MAX_NAME_LEN 2000

static void put_wrapped(emitter *e, const char *s, size_t n)
{
	size_t start = 0; /* s[start .. i) is written but not yet flushed */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n') {
			e->col = 0;
			e->in_comment = false;
			continue;
		}
		if (e->in_comment)
			continue;
		if (c == '#' && !e->in_quote) {
			e->in_comment = true;
		} else if (c == '"') {
			e->in_quote = !e->in_quote;
		} else if (c == ' ' && !e->in_quote && e->col >= WRAP_COLUMN) {
			fwrite(s + start, 1, i - start, e->out);
			fputs("\n\t", e->out);
			start = i + 1;
			e->col = 8;
			continue;
		}
		e->col++;
	}
	fwrite(s + start, 1, n - start, e->out);
}

static void out(emitter *e, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		fail(e, "cannot format output");
		return;
	}
	if ((size_t)n < sizeof(small)) {
		put_wrapped(e, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		fail(e, "out of memory");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	put_wrapped(e, big, (size_t)n);
	free(big);
}

/* ---- names ------------------------------------------------------------ */

static bool is_keyword(const char *s)
{
	char lower[32];
	size_t n = strlen(s);
	if (n >= sizeof(lower))
		return false;
	bool all_upper = true, all_lower = true;
	for (size_t i = 0; i < n; i++) {
		if (islower((unsigned char)s[i]))
			all_upper = false;
		if (isupper((unsigned char)s[i]))
			all_lower = false;
		lower[i] = (char)tolower((unsigned char)s[i]);
	}
	lower[n] = '\0';
	if (!all_upper && !all_lower)
		return false;
	for (size_t i = 0; i < ARRAY_LEN(checkpolicy_keywords); i++)
		if (strcmp(lower, checkpolicy_keywords[i]) == 0)
			return true;
	return false;
}

/* checkpolicy's identifier: a letter, then letters, digits, '_' and '-',
 * with single dots between them.  For types, roles and users a dot also
 * means "bounded by the part before it", a hierarchy polc does not have, so
 * dotted names of those kinds are refused rather than silently re-bounded. */
static void check_name(emitter *e, const char *kind, const char *name, bool dot_ok)
{
	if (e->failed)
		return;
	if (name && strlen(name) > MAX_NAME_LEN) {
		fail(e, "%s name '%.40s...' is longer than %d bytes; checkpolicy cannot read it", kind,
		     name, MAX_NAME_LEN);
		return;
	}
	if (!name || !isalpha((unsigned char)name[0])) {
		fail(e, "%s name '%s' does not start with a letter; checkpolicy cannot read it", kind,
		     name ? name : "(null)");
		return;
	}
	for (const char *c = name; *c; c++) {
		if (isalnum((unsigned char)*c) || *c == '_' || *c == '-')
			continue;
		if (*c == '.' && dot_ok && c[1] && c[1] != '.')
			continue;
		if (*c == '.' && !dot_ok)
			fail(e, "%s name '%s' contains '.', which checkpolicy reads as a hierarchy "
				"(bounded by the name before the dot); policy.conf cannot express it",
			     kind, name);
		else
			fail(e, "%s name '%s' has character '%c' that checkpolicy cannot read", kind,
			     name, *c);
		return;
	}
	if (is_keyword(name))
		fail(e, "%s name '%s' is a checkpolicy keyword; policy.conf cannot express it", kind,
		     name);
}

static bool name_taken_by_type(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].name, name) == 0)
			return true;
	for (uint32_t i = 0; i < p->naliases; i++)
		if (strcmp(p->aliases[i].name, name) == 0)
			return true;
	return false;
}

static void check_names(emitter *e)
{
	const pl_policy *p = e->p;
	for (uint32_t i = 0; i < p->ncommons; i++) {
		check_name(e, "common", p->commons[i].name, true);
		for (uint32_t k = 0; k < p->commons[i].nperms && k < PL_MAX_PERMS; k++)
			check_name(e, "permission", p->commons[i].perms[k], true);
	}
	for (uint32_t i = 0; i < p->nclasses; i++) {
		check_name(e, "class", p->classes[i].name, true);
		for (uint32_t k = 0; k < p->classes[i].nperms && k < PL_MAX_PERMS; k++)
			check_name(e, "permission", p->classes[i].perms[k], true);
	}
	for (uint32_t i = 0; i < p->ntypes; i++)
		check_name(e, p->types[i].is_attr ? "attribute" : "type", p->types[i].name, false);
	for (uint32_t i = 0; i < p->naliases; i++)
		check_name(e, "alias", p->aliases[i].name, false);
	for (uint32_t i = 1; i < p->nroles; i++)
		check_name(e, "role", p->roles[i].name, false);
	for (uint32_t i = 0; i < p->nusers; i++)
		check_name(e, "user", p->users[i].name, false);
	for (uint32_t i = 0; i < p->nbools; i++)
		check_name(e, "boolean", p->bools[i].name, true);
	for (uint32_t i = 0; i < p->nisids; i++)
		check_name(e, "initial sid", p->isids[i].name, true);
}

/* ---- consistency of the indices the emitter follows ------------------- */

static void check_indices(emitter *e)
{
	const pl_policy *p = e->p;
	if (p->nroles == 0) {
		fail(e, "policy has no object_r role; not a policy from the front end");
		return;
	}
	for (uint32_t i = 0; i < p->nclasses && !e->failed; i++) {
		const pl_class *c = &p->classes[i];
		if (c->common >= 0 && (uint32_t)c->common >= p->ncommons) {
			fail(e, "class '%s' inherits no known common", c->name);
			break;
		}
		uint32_t inherited = c->common >= 0 ? p->commons[c->common].nperms : 0;
		if (c->nperms > PL_MAX_PERMS || inherited > c->nperms)
			fail(e, "class '%s' has inconsistent permissions", c->name);
	}
	for (uint32_t i = 0; i < p->ncommons && !e->failed; i++)
		if (p->commons[i].nperms > PL_MAX_PERMS)
			fail(e, "common '%s' has more than %d permissions", p->commons[i].name,
			     PL_MAX_PERMS);
	for (uint32_t i = 0; i < p->naliases && !e->failed; i++)
		if (p->aliases[i].type >= p->ntypes)
			fail(e, "alias '%s' names no type", p->aliases[i].name);
	for (uint32_t i = 0; i < p->navrules && !e->failed; i++) {
		const pl_avrule *r = &p->avrules[i];
		if (r->source >= p->ntypes || r->target >= p->ntypes || r->cls >= p->nclasses ||
		    (r->cond != PL_UNCOND && r->cond >= p->nconds))
			fail(e, "access-vector rule %u has an index out of range", i);
	}
	for (uint32_t i = 0; i < p->nterules && !e->failed; i++) {
		const pl_terule *r = &p->terules[i];
		if (r->source >= p->ntypes || r->target >= p->ntypes || r->cls >= p->nclasses ||
		    r->deflt >= p->ntypes || (r->cond != PL_UNCOND && r->cond >= p->nconds))
			fail(e, "type rule %u has an index out of range", i);
	}
	for (uint32_t i = 0; i < p->nrole_allows && !e->failed; i++)
		if (p->role_allows[i].role >= p->nroles || p->role_allows[i].new_role >= p->nroles)
			fail(e, "role allow %u has an index out of range", i);
	for (uint32_t i = 0; i < p->nrole_trans && !e->failed; i++) {
		const pl_role_trans *r = &p->role_trans[i];
		if (r->role >= p->nroles || r->new_role >= p->nroles || r->type >= p->ntypes ||
		    r->cls >= p->nclasses)
			fail(e, "role transition %u has an index out of range", i);
	}
	for (uint32_t i = 0; i < p->nconstraints && !e->failed; i++)
		if (p->constraints[i].cls >= p->nclasses)
			fail(e, "constraint %u names no class", i);
	for (uint32_t i = 0; i < p->nisids && !e->failed; i++) {
		const pl_isid *s = &p->isids[i];
		if (s->has_context && (s->context.user >= p->nusers || s->context.role >= p->nroles ||
				       s->context.type >= p->ntypes))
			fail(e, "initial sid '%s' has a context out of range", s->name);
	}
}

/* ---- scaffolding ------------------------------------------------------ */

static int32_t first_plain_type(const pl_policy *p)
{
	for (uint32_t i = 0; i < p->ntypes; i++)
		if (!p->types[i].is_attr)
			return (int32_t)i;
	return -1;
}

static bool any_isid_context(const pl_policy *p)
{
	for (uint32_t i = 0; i < p->nisids; i++)
		if (p->isids[i].has_context)
			return true;
	return false;
}

static bool class_has_own_av(const pl_policy *p, const pl_class *c)
{
	uint32_t inherited = c->common >= 0 ? p->commons[c->common].nperms : 0;
	return inherited > 0 || c->nperms > inherited;
}

static void plan_scaffolding(emitter *e)
{
	const pl_policy *p = e->p;
	bool any_av = false;
	for (uint32_t i = 0; i < p->nclasses; i++)
		any_av = any_av || class_has_own_av(p, &p->classes[i]);
	if (!any_av) {
		fail(e, "policy.conf needs at least one class with permissions; this policy has none");
		return;
	}
	e->add_user = p->nusers == 0;
	e->add_sid = !any_isid_context(p);
	if (e->add_sid && first_plain_type(p) < 0) {
		e->add_type = true;
		snprintf(e->scaffold_type, sizeof(e->scaffold_type), "%s", SCAFFOLD_TYPE);
		for (unsigned n = 1; name_taken_by_type(p, e->scaffold_type) && n < 1000; n++)
			snprintf(e->scaffold_type, sizeof(e->scaffold_type), "%s%u", SCAFFOLD_TYPE, n);
		if (name_taken_by_type(p, e->scaffold_type))
			fail(e, "no free name for the initial sid's scaffold type");
	}
}

/* ---- pieces ----------------------------------------------------------- */

static void out_perms(emitter *e, const pl_class *c, uint32_t perms)
{
	out(e, "{");
	for (uint32_t b = 0; b < c->nperms; b++)
		if (perms & (UINT32_C(1) << b))
			out(e, " %s", c->perms[b]);
	out(e, " }");
}

static const char *type_name(const emitter *e, uint32_t t)
{
	return e->p->types[t].name;
}

static void out_role_set(emitter *e, const pl_bitset *roles)
{
	uint32_t n = 0;
	PL_BITSET_FOREACH (roles, r)
		if (r != PL_OBJECT_R && r < e->p->nroles)
			n++;
	if (n == 0) {
		/* object_r is every user's implicitly, so naming it adds nothing. */
		out(e, "object_r");
		return;
	}
	out(e, "{");
	PL_BITSET_FOREACH (roles, r)
		if (r != PL_OBJECT_R && r < e->p->nroles)
			out(e, " %s", e->p->roles[r].name);
	out(e, " }");
}

/* A growable string, for the infix forms of postfix expressions. */
typedef struct strbuf {
	char *s;
	size_t len, cap;
} strbuf;

static bool sb_add(strbuf *b, const char *text)
{
	size_t n = strlen(text);
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return false;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, text, n + 1);
	b->len += n;
	return true;
}

/* Postfix to infix with an explicit stack, so hostile depth cannot overflow
 * the C stack.  Each entry remembers whether it is atomic (needs no
 * parentheses as an operand). */
typedef struct infix_stack {
	strbuf *items;
	bool *atomic;
	uint32_t depth, cap;
} infix_stack;

static strbuf *push_entry(infix_stack *st, bool atomic)
{
	if (st->depth == st->cap) {
		uint32_t cap = st->cap ? st->cap * 2 : 16;
		strbuf *items = realloc(st->items, cap * sizeof(*items));
		if (!items)
			return NULL;
		st->items = items;
		bool *at = realloc(st->atomic, cap * sizeof(*at));
		if (!at)
			return NULL;
		st->atomic = at;
		st->cap = cap;
	}
	st->items[st->depth] = (strbuf){0};
	st->atomic[st->depth] = atomic;
	return &st->items[st->depth++];
}

static void stack_free(infix_stack *st)
{
	for (uint32_t i = 0; i < st->depth; i++)
		free(st->items[i].s);
	free(st->items);
	free(st->atomic);
}

static bool add_operand(strbuf *dst, const strbuf *src, bool atomic)
{
	if (atomic)
		return sb_add(dst, src->s ? src->s : "");
	return sb_add(dst, "(") && sb_add(dst, src->s ? src->s : "") && sb_add(dst, ")");
}

/* Pops one (unary) or two (binary) operands and pushes "OP a" or "a OP b". */
static bool combine(infix_stack *st, const char *op, bool unary)
{
	uint32_t need = unary ? 1 : 2;
	if (st->depth < need)
		return false;
	strbuf res = {0};
	bool ok;
	if (unary) {
		strbuf *a = &st->items[st->depth - 1];
		ok = sb_add(&res, op) && add_operand(&res, a, st->atomic[st->depth - 1]);
	} else {
		strbuf *a = &st->items[st->depth - 2], *b = &st->items[st->depth - 1];
		ok = add_operand(&res, a, st->atomic[st->depth - 2]) && sb_add(&res, " ") &&
		     sb_add(&res, op) && sb_add(&res, " ") &&
		     add_operand(&res, b, st->atomic[st->depth - 1]);
	}
	for (uint32_t i = 0; i < need; i++)
		free(st->items[--st->depth].s);
	if (!ok) {
		free(res.s);
		return false;
	}
	/* A prefix operator binds tighter than every binary one, so "!x" and
	 * "not (x)" need no further parentheses as operands. */
	strbuf *slot = push_entry(st, unary);
	if (!slot) {
		free(res.s);
		return false;
	}
	*slot = res;
	return true;
}

/* Returns the malloc'd infix text of a boolean condition, or NULL. */
static char *cond_infix(emitter *e, uint32_t ci)
{
	const pl_cond *c = &e->p->conds[ci];
	infix_stack st = {0};
	bool ok = c->nnodes > 0 && c->nodes;
	for (uint32_t i = 0; ok && i < c->nnodes; i++) {
		const pl_cond_node *n = &c->nodes[i];
		switch (n->op) {
		case PL_COND_BOOL: {
			strbuf *b = n->arg < e->p->nbools ? push_entry(&st, true) : NULL;
			ok = b && sb_add(b, e->p->bools[n->arg].name);
			break;
		}
		case PL_COND_NOT:
			/* Consecutive NOTs in postfix negate the same operand:
			 * cancel them in pairs.  checkpolicy 3.4 mis-compiles
			 * four or more leading `!` (the last of its four
			 * stripping passes forgets to swap the branches). */
			if (i + 1 < c->nnodes && c->nodes[i + 1].op == PL_COND_NOT) {
				i++;
				break;
			}
			ok = combine(&st, "!", true);
			break;
		case PL_COND_OR: ok = combine(&st, "||", false); break;
		case PL_COND_AND: ok = combine(&st, "&&", false); break;
		case PL_COND_XOR: ok = combine(&st, "^", false); break;
		case PL_COND_EQ: ok = combine(&st, "==", false); break;
		case PL_COND_NEQ: ok = combine(&st, "!=", false); break;
		default: ok = false; break;
		}
	}
	char *text = NULL;
	if (ok && st.depth == 1) {
		text = st.items[0].s;
		st.items[0].s = NULL;
	}
	stack_free(&st);
	if (!text)
		fail(e, "conditional expression %u is malformed or out of memory", ci);
	return text;
}

static const char cexpr_letter[] = {[PL_CATTR_USER] = 'u', [PL_CATTR_ROLE] = 'r',
				    [PL_CATTR_TYPE] = 't'};

static const char *cexpr_op_text(enum pl_cexpr_op op)
{
	switch (op) {
	case PL_COP_EQ: return "==";
	case PL_COP_NEQ: return "!=";
	case PL_COP_DOM: return "dom";
	case PL_COP_DOMBY: return "domby";
	case PL_COP_INCOMP: return "incomp";
	}
	return NULL;
}

static const char *symbol_name(const pl_policy *p, uint32_t kind, uint32_t idx)
{
	switch (kind) {
	case PL_CATTR_USER: return idx < p->nusers ? p->users[idx].name : NULL;
	case PL_CATTR_ROLE: return idx < p->nroles ? p->roles[idx].name : NULL;
	case PL_CATTR_TYPE: return idx < p->ntypes ? p->types[idx].name : NULL;
	}
	return NULL;
}

/* One leaf of a constraint expression, e.g. "u1 == u2" or "t2 != { a b }". */
static bool cexpr_leaf(emitter *e, const pl_cexpr *x, strbuf *b)
{
	uint32_t kind = x->attr & ~(uint32_t)PL_CATTR_TARGET;
	const char *op = cexpr_op_text(x->op);
	if (kind < PL_CATTR_USER || kind > PL_CATTR_TYPE || !op)
		return false;
	char lhs[3] = {cexpr_letter[kind], '1', '\0'};
	char rhs[3] = {cexpr_letter[kind], '2', '\0'};
	if (x->kind == PL_CEXPR_ATTR) {
		if (x->op > PL_COP_NEQ && kind != PL_CATTR_ROLE)
			return false;
		return sb_add(b, lhs) && sb_add(b, " ") && sb_add(b, op) && sb_add(b, " ") &&
		       sb_add(b, rhs);
	}
	if (x->op != PL_COP_EQ && x->op != PL_COP_NEQ)
		return false;
	if (x->attr & PL_CATTR_TARGET)
		lhs[1] = '2';
	if (pl_bitset_empty(&x->names)) {
		/* policy.conf has no empty name set: an empty set never matches,
		 * so write the same constant as a contradiction or a tautology. */
		return sb_add(b, x->op == PL_COP_EQ ? "(u1 == u2 and u1 != u2)"
						    : "(u1 == u2 or u1 != u2)");
	}
	if (!(sb_add(b, lhs) && sb_add(b, " ") && sb_add(b, op) && sb_add(b, " {")))
		return false;
	PL_BITSET_FOREACH (&x->names, n) {
		const char *name = symbol_name(e->p, kind, n);
		if (!name || !(sb_add(b, " ") && sb_add(b, name)))
			return false;
	}
	return sb_add(b, " }");
}

static char *constraint_infix(emitter *e, const pl_constraint *c)
{
	infix_stack st = {0};
	bool ok = c->nexpr > 0 && c->expr;
	for (uint32_t i = 0; ok && i < c->nexpr; i++) {
		const pl_cexpr *x = &c->expr[i];
		switch (x->kind) {
		case PL_CEXPR_NOT: ok = combine(&st, "not ", true); break;
		case PL_CEXPR_AND: ok = combine(&st, "and", false); break;
		case PL_CEXPR_OR: ok = combine(&st, "or", false); break;
		case PL_CEXPR_ATTR:
		case PL_CEXPR_NAMES: {
			strbuf *b = push_entry(&st, false);
			ok = b && cexpr_leaf(e, x, b);
			break;
		}
		default: ok = false; break;
		}
	}
	char *text = NULL;
	if (ok && st.depth == 1) {
		text = st.items[0].s;
		st.items[0].s = NULL;
	}
	stack_free(&st);
	if (!text)
		fail(e, "constraint on class '%s' has a malformed expression or out of memory",
		     e->p->classes[c->cls].name);
	return text;
}

/* ---- sections --------------------------------------------------------- */

static void emit_header(emitter *e)
{
	out(e, "# policy.conf written by polc --emit-conf for SELinux's own tools.\n"
	       "# Same decisions as polc's binary policy; see docs/POLICY-LANGUAGE.md.\n");
	const char *added[3];
	size_t n = 0;
	if (e->add_type)
		added[n++] = "a type for the initial sid";
	if (e->add_sid)
		added[n++] = "an initial sid with a context";
	if (e->add_user)
		added[n++] = "user " SCAFFOLD_USER " (role object_r only)";
	if (n == 0)
		return;
	out(e, "# Added because checkpolicy requires it (marked \"scaffolding\" below): ");
	for (size_t i = 0; i < n; i++)
		out(e, "%s%s", added[i], i + 1 < n ? "; " : ".\n");
}

static void emit_classes_and_sids(emitter *e)
{
	const pl_policy *p = e->p;
	out(e, "\n# Classes\n");
	for (uint32_t i = 0; i < p->nclasses; i++)
		out(e, "class %s\n", p->classes[i].name);
	out(e, "\n# Initial sids\n");
	for (uint32_t i = 0; i < p->nisids; i++)
		out(e, "sid %s\n", p->isids[i].name);
	if (e->add_sid && p->nisids == 0)
		out(e, "sid %s\n", SCAFFOLD_SID);
}

static void emit_access_vectors(emitter *e)
{
	const pl_policy *p = e->p;
	out(e, "\n# Common and class permissions\n");
	for (uint32_t i = 0; i < p->ncommons; i++) {
		const pl_common *c = &p->commons[i];
		if (c->nperms == 0)
			continue; /* not expressible, and contributes no bits to a class */
		out(e, "common %s {", c->name);
		for (uint32_t k = 0; k < c->nperms; k++)
			out(e, " %s", c->perms[k]);
		out(e, " }\n");
	}
	for (uint32_t i = 0; i < p->nclasses; i++) {
		const pl_class *c = &p->classes[i];
		uint32_t inherited = c->common >= 0 ? p->commons[c->common].nperms : 0;
		if (!class_has_own_av(p, c))
			continue; /* checkpolicy accepts a class with no permission line */
		out(e, "class %s", c->name);
		if (inherited > 0)
			out(e, " inherits %s", p->commons[c->common].name);
		if (c->nperms > inherited) {
			out(e, " {");
			for (uint32_t k = inherited; k < c->nperms; k++)
				out(e, " %s", c->perms[k]);
			out(e, " }");
		}
		out(e, "\n");
	}
}

static bool is_known_policycap(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(checkpolicy_policycaps); i++)
		if (strcmp(name, checkpolicy_policycaps[i]) == 0)
			return true;
	return false;
}

static void emit_type_declarations(emitter *e)
{
	const pl_policy *p = e->p;
	out(e, "\n# Type enforcement declarations\n");
	for (uint32_t i = 0; i < p->npolicycaps; i++) {
		if (!p->policycaps[i])
			continue;
		if (is_known_policycap(p->policycaps[i]))
			out(e, "policycap %s;\n", p->policycaps[i]);
		else
			out(e, "# policycap %s; dropped: checkpolicy 3.4 does not know it\n",
			    p->policycaps[i]);
	}
	for (uint32_t i = 0; i < p->ntypes; i++)
		if (p->types[i].is_attr)
			out(e, "attribute %s;\n", p->types[i].name);
	for (uint32_t i = 0; i < p->ntypes; i++) {
		if (p->types[i].is_attr)
			continue;
		out(e, "type %s", p->types[i].name);
		uint32_t naliases = 0;
		for (uint32_t a = 0; a < p->naliases; a++)
			if (p->aliases[a].type == i)
				out(e, "%s %s", naliases++ ? "" : " alias {", p->aliases[a].name);
		out(e, "%s;\n", naliases ? " }" : "");
	}
	if (e->add_type)
		out(e, "type %s; # scaffolding: the initial sid's type\n", e->scaffold_type);
	for (uint32_t a = 0; a < p->naliases; a++)
		if (p->types[p->aliases[a].type].is_attr)
			out(e, "typealias %s alias %s;\n", type_name(e, p->aliases[a].type),
			    p->aliases[a].name);
}

/* Membership is recorded on both sides (attribute members, type attrs);
 * either one is enough. */
static void emit_typeattributes(emitter *e)
{
	const pl_policy *p = e->p;
	for (uint32_t t = 0; t < p->ntypes; t++) {
		if (p->types[t].is_attr)
			continue;
		uint32_t n = 0;
		for (uint32_t a = 0; a < p->ntypes; a++) {
			if (!p->types[a].is_attr)
				continue;
			if (!pl_bitset_test(&p->types[a].members, t) &&
			    !pl_bitset_test(&p->types[t].attrs, a))
				continue;
			if (n++ == 0)
				out(e, "typeattribute %s %s", p->types[t].name, p->types[a].name);
			else
				out(e, ", %s", p->types[a].name);
		}
		if (n)
			out(e, ";\n");
	}
}

static void emit_bools(emitter *e)
{
	for (uint32_t i = 0; i < e->p->nbools; i++)
		out(e, "bool %s %s;\n", e->p->bools[i].name, e->p->bools[i].value ? "true" : "false");
}

static const char *av_keyword(enum pl_av_kind k)
{
	switch (k) {
	case PL_AV_ALLOW: return "allow";
	case PL_AV_AUDITALLOW: return "auditallow";
	case PL_AV_DONTAUDIT: return "dontaudit";
	case PL_AV_NEVERALLOW: return "neverallow";
	}
	return NULL;
}

static void emit_avrule(emitter *e, const pl_avrule *r, const char *indent)
{
	const pl_class *c = &e->p->classes[r->cls];
	const char *kw = av_keyword(r->kind);
	uint32_t valid = c->nperms >= 32 ? UINT32_MAX : (UINT32_C(1) << c->nperms) - 1;
	if (!kw) {
		fail(e, "access-vector rule of unknown kind %d", (int)r->kind);
		return;
	}
	if (r->perms & ~valid) {
		fail(e, "%s rule on class '%s' has permission bits the class does not define", kw,
		     c->name);
		return;
	}
	if (r->perms == 0)
		return; /* grants and silences nothing; `{ }` is not valid policy.conf */
	out(e, "%s%s %s %s:%s ", indent, kw, type_name(e, r->source), type_name(e, r->target),
	    c->name);
	out_perms(e, c, r->perms);
	out(e, ";\n");
}

static const char *te_keyword(enum pl_te_kind k)
{
	switch (k) {
	case PL_TE_TRANSITION: return "type_transition";
	case PL_TE_MEMBER: return "type_member";
	case PL_TE_CHANGE: return "type_change";
	}
	return NULL;
}

static void emit_terule(emitter *e, const pl_terule *r, const char *indent)
{
	const char *kw = te_keyword(r->kind);
	if (!kw) {
		fail(e, "type rule of unknown kind %d", (int)r->kind);
		return;
	}
	out(e, "%s%s %s %s:%s %s", indent, kw, type_name(e, r->source), type_name(e, r->target),
	    e->p->classes[r->cls].name, type_name(e, r->deflt));
	if (r->objname) {
		if (r->cond != PL_UNCOND || r->kind != PL_TE_TRANSITION) {
			fail(e, "checkpolicy allows an object name only on an unconditional "
				"type_transition");
			return;
		}
		if (strlen(r->objname) > MAX_NAME_LEN) {
			fail(e, "object name of a type_transition is longer than %d bytes", MAX_NAME_LEN);
			return;
		}
		for (const char *s = r->objname; *s; s++)
			if (*s == '"' || !isprint((unsigned char)*s)) {
				fail(e, "object name of a type_transition has a character policy.conf "
					"cannot quote");
				return;
			}
		out(e, " \"%s\"", r->objname);
	}
	out(e, ";\n");
}

static void emit_unconditional_avrules(emitter *e)
{
	out(e, "\n# Access-vector rules\n");
	for (uint32_t i = 0; i < e->p->navrules && !e->failed; i++)
		if (e->p->avrules[i].cond == PL_UNCOND)
			emit_avrule(e, &e->p->avrules[i], "");
}

/* Conditional rules grouped by (condition, branch) with a counting sort, so
 * the blocks are written in one pass however many conditions there are.
 * Bucket k = 2 * cond + (branch ? 0 : 1) holds rule indices
 * idx[start[k] .. start[k + 1]). */
typedef struct cond_buckets {
	uint32_t *start;
	uint32_t *idx;
} cond_buckets;

static uint32_t bucket_of(uint32_t cond, bool branch)
{
	return 2 * cond + (branch ? 0 : 1);
}

/* The bucket of rule i, or UINT32_MAX for an unconditional rule. */
typedef uint32_t (*rule_bucket_fn)(const pl_policy *p, uint32_t i);

static uint32_t avrule_bucket(const pl_policy *p, uint32_t i)
{
	const pl_avrule *r = &p->avrules[i];
	return r->cond == PL_UNCOND ? UINT32_MAX : bucket_of(r->cond, r->branch);
}

static uint32_t terule_bucket(const pl_policy *p, uint32_t i)
{
	const pl_terule *r = &p->terules[i];
	return r->cond == PL_UNCOND ? UINT32_MAX : bucket_of(r->cond, r->branch);
}

static bool bucket_rules(cond_buckets *b, const pl_policy *p, uint32_t n, rule_bucket_fn key)
{
	size_t nb = 2 * (size_t)p->nconds;
	b->start = calloc(nb + 2, sizeof(*b->start));
	b->idx = malloc(((size_t)n + 1) * sizeof(*b->idx));
	if (!b->start || !b->idx)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (key(p, i) != UINT32_MAX)
			b->start[key(p, i) + 2]++;
	for (size_t k = 2; k < nb + 2; k++)
		b->start[k] += b->start[k - 1];
	for (uint32_t i = 0; i < n; i++)
		if (key(p, i) != UINT32_MAX)
			b->idx[b->start[key(p, i) + 1]++] = i;
	return true;
}

static void free_buckets(cond_buckets *b)
{
	free(b->start);
	free(b->idx);
}

static uint32_t bucket_size(const cond_buckets *b, uint32_t k)
{
	return b->start[k + 1] - b->start[k];
}

static void emit_branch(emitter *e, const cond_buckets *av, const cond_buckets *te, uint32_t k)
{
	const pl_policy *p = e->p;
	for (uint32_t i = av->start[k]; i < av->start[k + 1] && !e->failed; i++) {
		const pl_avrule *r = &p->avrules[av->idx[i]];
		if (r->kind == PL_AV_NEVERALLOW) {
			fail(e, "neverallow inside a conditional cannot be written as policy.conf");
			return;
		}
		emit_avrule(e, r, "\t");
	}
	for (uint32_t i = te->start[k]; i < te->start[k + 1] && !e->failed; i++)
		emit_terule(e, &p->terules[te->idx[i]], "\t");
}

static void emit_conditionals(emitter *e)
{
	const pl_policy *p = e->p;
	cond_buckets av = {0}, te = {0};
	if (!bucket_rules(&av, p, p->navrules, avrule_bucket) ||
	    !bucket_rules(&te, p, p->nterules, terule_bucket)) {
		fail(e, "out of memory");
		goto out;
	}
	bool heading = false;
	for (uint32_t ci = 0; ci < p->nconds && !e->failed; ci++) {
		uint32_t kt = bucket_of(ci, true), kf = bucket_of(ci, false);
		bool t = bucket_size(&av, kt) + bucket_size(&te, kt) > 0;
		bool f = bucket_size(&av, kf) + bucket_size(&te, kf) > 0;
		if (!t && !f)
			continue;
		char *expr = cond_infix(e, ci);
		if (!expr)
			goto out;
		if (!heading) {
			out(e, "\n# Conditional rules\n");
			heading = true;
		}
		out(e, "if (%s) {\n", expr);
		free(expr);
		emit_branch(e, &av, &te, kt);
		out(e, "}");
		if (f) {
			out(e, " else {\n");
			emit_branch(e, &av, &te, kf);
			out(e, "}");
		}
		out(e, "\n");
	}
out:
	free_buckets(&av);
	free_buckets(&te);
}

static void emit_unconditional_terules(emitter *e)
{
	const pl_policy *p = e->p;
	if (p->nterules)
		out(e, "\n# Type rules\n");
	for (uint32_t i = 0; i < p->nterules && !e->failed; i++)
		if (p->terules[i].cond == PL_UNCOND)
			emit_terule(e, &p->terules[i], "");
	for (uint32_t i = 0; i < p->ntypes; i++)
		if (p->types[i].permissive && !p->types[i].is_attr)
			out(e, "permissive %s;\n", p->types[i].name);
}

static void emit_roles(emitter *e)
{
	const pl_policy *p = e->p;
	out(e, "\n# Roles\n");
	/* `role R types ...` alone does not declare R in checkpolicy 3.4. */
	for (uint32_t r = 1; r < p->nroles; r++) {
		out(e, "role %s;\n", p->roles[r].name);
		uint32_t n = 0;
		PL_BITSET_FOREACH (&p->roles[r].types, t) {
			if (t >= p->ntypes || p->types[t].is_attr)
				continue;
			if (n++ == 0)
				out(e, "role %s types {", p->roles[r].name);
			out(e, " %s", p->types[t].name);
		}
		if (n)
			out(e, " };\n");
	}
	for (uint32_t i = 0; i < p->nrole_allows; i++)
		out(e, "allow %s %s;\n", p->roles[p->role_allows[i].role].name,
		    p->roles[p->role_allows[i].new_role].name);
	for (uint32_t i = 0; i < p->nrole_trans; i++) {
		const pl_role_trans *rt = &p->role_trans[i];
		out(e, "role_transition %s %s:%s %s;\n", p->roles[rt->role].name,
		    type_name(e, rt->type), p->classes[rt->cls].name, p->roles[rt->new_role].name);
	}
}

static void emit_users(emitter *e)
{
	const pl_policy *p = e->p;
	out(e, "\n# Users\n");
	for (uint32_t u = 0; u < p->nusers; u++) {
		out(e, "user %s roles ", p->users[u].name);
		out_role_set(e, &p->users[u].roles);
		out(e, ";\n");
	}
	if (e->add_user)
		out(e, "user %s roles object_r; # scaffolding: checkpolicy needs a user\n",
		    SCAFFOLD_USER);
}

static void emit_constraints(emitter *e)
{
	const pl_policy *p = e->p;
	if (p->nconstraints)
		out(e, "\n# Constraints\n");
	for (uint32_t i = 0; i < p->nconstraints && !e->failed; i++) {
		const pl_constraint *c = &p->constraints[i];
		const pl_class *cls = &p->classes[c->cls];
		uint32_t valid = cls->nperms >= 32 ? UINT32_MAX : (UINT32_C(1) << cls->nperms) - 1;
		if (c->perms & ~valid) {
			fail(e, "constraint on class '%s' has permission bits the class does not define",
			     cls->name);
			return;
		}
		if (c->perms == 0)
			continue; /* restricts nothing */
		char *expr = constraint_infix(e, c);
		if (!expr)
			return;
		out(e, "constrain %s ", cls->name);
		out_perms(e, cls, c->perms);
		out(e, " (%s);\n", expr);
		free(expr);
	}
}

static void emit_isid_contexts(emitter *e)
{
	const pl_policy *p = e->p;
	out(e, "\n# Initial sid contexts\n");
	for (uint32_t i = 0; i < p->nisids; i++) {
		const pl_isid *s = &p->isids[i];
		if (!s->has_context)
			continue;
		out(e, "sid %s %s:%s:%s\n", s->name, p->users[s->context.user].name,
		    p->roles[s->context.role].name, type_name(e, s->context.type));
	}
	if (!e->add_sid)
		return;
	/* object_r needs no role or user authorisation, so this context is valid
	 * without granting any role a type. */
	int32_t t = first_plain_type(p);
	out(e, "sid %s %s:object_r:%s # scaffolding: checkpolicy needs one sid context\n",
	    p->nisids ? p->isids[0].name : SCAFFOLD_SID,
	    p->nusers ? p->users[0].name : SCAFFOLD_USER,
	    t >= 0 ? type_name(e, (uint32_t)t) : e->scaffold_type);
}

int pl_emit_conf(const pl_policy *p, FILE *outf, char *err, size_t errlen)
{
	emitter e = {.p = p, .out = outf, .err = err, .errlen = errlen};
	if (err && errlen)
		err[0] = '\0';
	if (!p || !outf) {
		fail(&e, "no policy or no output");
		return -1;
	}
	/* Each step relies on the checks before it. */
	check_indices(&e);
	if (!e.failed)
		check_names(&e);
	if (!e.failed)
		plan_scaffolding(&e);
	if (e.failed)
		return -1;

	emit_header(&e);
	emit_classes_and_sids(&e);
	emit_access_vectors(&e);
	emit_type_declarations(&e);
	emit_typeattributes(&e);
	emit_bools(&e);
	emit_unconditional_avrules(&e);
	emit_conditionals(&e);
	emit_unconditional_terules(&e);
	emit_roles(&e);
	emit_users(&e);
	emit_constraints(&e);
	emit_isid_contexts(&e);

	if (!e.failed && (fflush(outf) != 0 || ferror(outf)))
		fail(&e, "write error");
	return e.failed ? -1 : 0;
}
