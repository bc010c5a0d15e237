#include "parser.h"

#include <stdlib.h>
#include <string.h>

#include "lexer.h"

/* Bounds on nesting: deep enough for any real policy, shallow enough that a
 * hostile input cannot exhaust the stack. */
#define MAX_BLOCK_DEPTH 64
#define MAX_EXPR_DEPTH 128
#define MAX_SET_DEPTH 16

typedef struct parser {
	pl_lexer lx;
	pl_token tok;
	pl_token la;
	bool has_la;
	ast_program *prog;
	pl_diag *diag;
	uint32_t block;
	uint32_t cond;
	bool branch;
	uint32_t block_depth;
	uint32_t expr_depth;
} parser;

void ast_program_init(ast_program *p)
{
	memset(p, 0, sizeof *p);
	p->strings = pl_xcalloc(1, sizeof *p->strings);
	ast_block *b = PL_PUSH(p->blocks, p->nblocks, p->capblocks);
	b->parent = AST_NONE;
	b->else_block = AST_NONE;
	b->main_block = AST_NONE;
	b->enabled = true;
}

void ast_program_free(ast_program *p)
{
	pl_arena_free(&p->arena);
	if (p->strings) {
		pl_intern_free(p->strings);
		free(p->strings);
	}
	free(p->stmts);
	free(p->blocks);
	free(p->ifs);
	free(p->warned);
	memset(p, 0, sizeof *p);
}

static void advance(parser *ps)
{
	if (ps->has_la) {
		ps->tok = ps->la;
		ps->has_la = false;
	} else {
		pl_lexer_next(&ps->lx, &ps->tok);
	}
}

static const pl_token *peek(parser *ps)
{
	if (!ps->has_la) {
		pl_lexer_next(&ps->lx, &ps->la);
		ps->has_la = true;
	}
	return &ps->la;
}

static void error_at(parser *ps, pl_srcpos pos, const char *fmt, const char *arg)
{
	pl_diag_error(ps->diag, pos.file, pos.line, pos.col, fmt, arg);
}

static void unexpected(parser *ps, const char *expected)
{
	char what[96];
	pl_token_describe(&ps->tok, what, sizeof what);
	char msg[256];
	snprintf(msg, sizeof msg, "expected %s, found %s", expected, what);
	error_at(ps, ps->tok.pos, "%s", msg);
}

static bool is_punct(const parser *ps, char c)
{
	return ps->tok.kind == TK_PUNCT && ps->tok.ch == c;
}

/* Keywords are matched in lower case or all upper case, as checkpolicy does. */
static bool kw_eq(const char *text, const char *kw)
{
	if (strcmp(text, kw) == 0)
		return true;
	size_t i = 0;
	for (; kw[i]; i++) {
		char c = text[i];
		char k = kw[i];
		if (k >= 'a' && k <= 'z')
			k = (char)(k - 'a' + 'A');
		if (c != k)
			return false;
	}
	return text[i] == '\0';
}

static bool is_kw(const parser *ps, const char *kw)
{
	return ps->tok.kind == TK_ID && kw_eq(ps->tok.text, kw);
}

static bool expect_punct(parser *ps, char c)
{
	if (is_punct(ps, c)) {
		advance(ps);
		return true;
	}
	char exp[8];
	snprintf(exp, sizeof exp, "'%c'", c);
	unexpected(ps, exp);
	return false;
}

static bool expect_name(parser *ps, ast_name *out, const char *what)
{
	if (ps->tok.kind != TK_ID) {
		unexpected(ps, what);
		return false;
	}
	out->name = ps->tok.text;
	out->pos = ps->tok.pos;
	advance(ps);
	return true;
}

static bool starts_statement(const parser *ps);

/* Skips the rest of a broken statement: through the next `;` at this
 * nesting level, or up to (not through) a `}` that closes the enclosing
 * block.  Iterative, so deep junk cannot blow the stack. */
static void sync(parser *ps)
{
	uint64_t depth = 0;
	while (ps->tok.kind != TK_EOF) {
		/* A forgotten `;` should cost one error, not the next statement
		 * too: a statement keyword opening a line starts afresh. */
		if (depth == 0 && ps->tok.first_on_line && starts_statement(ps))
			return;
		if (is_punct(ps, '{')) {
			depth++;
		} else if (is_punct(ps, '}')) {
			if (depth == 0)
				return;
			depth--;
			if (depth == 0) {
				advance(ps);
				/* A braced statement (if/optional/class) ends at
				 * its brace; an `else` may still follow. */
				if (is_kw(ps, "else"))
					continue;
				return;
			}
		} else if (is_punct(ps, ';') && depth == 0) {
			advance(ps);
			return;
		}
		advance(ps);
	}
}

/* ---- small growable lists built in the arena ---- */

typedef struct name_list {
	ast_name *items;
	uint32_t n, cap;
} name_list;

static void list_push(name_list *l, ast_name nm)
{
	*PL_PUSH(l->items, l->n, l->cap) = nm;
}

static ast_name *list_finish(parser *ps, name_list *l, uint32_t *n)
{
	*n = l->n;
	ast_name *out = NULL;
	if (l->n) {
		out = pl_arena_alloc(&ps->prog->arena, l->n * sizeof *out);
		memcpy(out, l->items, l->n * sizeof *out);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
	return out;
}

/* Inside braces: names, `-name`, nested braces (flattened). */
static bool parse_brace_items(parser *ps, name_list *l, name_list *neg, uint32_t depth)
{
	pl_srcpos open = ps->tok.pos;
	if (depth > MAX_SET_DEPTH) {
		error_at(ps, open, "%s", "set nested too deeply");
		return false;
	}
	advance(ps); /* '{' */
	if (is_punct(ps, '}')) {
		/* checkpolicy's grammar wants at least one name. */
		error_at(ps, open, "%s", "empty set '{ }'");
		return false;
	}
	for (;;) {
		if (is_punct(ps, '}')) {
			advance(ps);
			return true;
		}
		if (ps->tok.kind == TK_ID) {
			list_push(l, (ast_name){ps->tok.text, ps->tok.pos});
			advance(ps);
		} else if (is_punct(ps, '-')) {
			advance(ps);
			if (ps->tok.kind != TK_ID) {
				unexpected(ps, "a name after '-'");
				return false;
			}
			list_push(neg, (ast_name){ps->tok.text, ps->tok.pos});
			advance(ps);
		} else if (is_punct(ps, '*')) {
			/* checkpolicy's grammar has no `*` among listed names. */
			error_at(ps, ps->tok.pos, "%s", "'*' cannot be combined with other names; write it alone");
			return false;
		} else if (is_punct(ps, '{')) {
			if (!parse_brace_items(ps, l, neg, depth + 1))
				return false;
		} else if (ps->tok.kind == TK_EOF) {
			error_at(ps, open, "%s", "'{' is never closed");
			return false;
		} else {
			unexpected(ps, "a name or '}'");
			return false;
		}
	}
}

/* names: `*` | `~` names | name [`-` name] | `{ ... }` */
static bool parse_set(parser *ps, ast_set *set, const char *what)
{
	memset(set, 0, sizeof *set);
	name_list l = {0}, neg = {0};
	bool ok = true;
	if (is_punct(ps, '~')) {
		set->compl = true;
		advance(ps);
	}
	if (is_punct(ps, '*')) {
		set->star = true;
		advance(ps);
	} else if (is_punct(ps, '{')) {
		ok = parse_brace_items(ps, &l, &neg, 0);
	} else if (ps->tok.kind == TK_ID) {
		list_push(&l, (ast_name){ps->tok.text, ps->tok.pos});
		advance(ps);
		if (!set->compl && is_punct(ps, '-')) {
			advance(ps);
			if (ps->tok.kind == TK_ID) {
				list_push(&neg, (ast_name){ps->tok.text, ps->tok.pos});
				advance(ps);
			} else {
				unexpected(ps, "a name after '-'");
				ok = false;
			}
		}
	} else {
		unexpected(ps, what);
		ok = false;
	}
	for (uint32_t i = 0; i < neg.n; i++)
		list_push(&l, neg.items[i]);
	set->nneg = neg.n;
	free(neg.items);
	set->items = list_finish(ps, &l, &set->n);
	return ok;
}

static ast_stmt *new_stmt(parser *ps, enum ast_stmt_kind kind, pl_srcpos pos)
{
	ast_program *p = ps->prog;
	ast_stmt *s = PL_PUSH(p->stmts, p->nstmts, p->capstmts);
	s->kind = kind;
	s->block = ps->block;
	s->cond = ps->cond;
	s->branch = ps->branch;
	s->pos = pos;
	return s;
}

/* A statement whose `;` is missing but is followed by a new statement on
 * the next line is still recorded: the error is reported once, and the
 * names it declares do not turn into a cascade of "unknown" errors. */
static bool end_stmt(parser *ps)
{
	if (!is_punct(ps, ';') && ps->tok.first_on_line && starts_statement(ps)) {
		unexpected(ps, "';'");
		return true;
	}
	return expect_punct(ps, ';');
}

/* ---- declarations ---- */

static bool parse_perm_list(parser *ps, name_list *l)
{
	pl_srcpos open = ps->tok.pos;
	if (!expect_punct(ps, '{'))
		return false;
	while (!is_punct(ps, '}')) {
		if (ps->tok.kind == TK_EOF) {
			error_at(ps, open, "%s", "'{' is never closed");
			return false;
		}
		ast_name nm;
		if (!expect_name(ps, &nm, "a permission name"))
			return false;
		list_push(l, nm);
	}
	advance(ps);
	return true;
}

static bool parse_class(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a class name"))
		return false;
	if (!is_punct(ps, '{') && !is_kw(ps, "inherits")) {
		ast_stmt *s = new_stmt(ps, ST_CLASS_DECL, pos);
		s->name = nm;
		if (is_punct(ps, ';'))
			advance(ps);
		return true;
	}
	name_list l = {0};
	ast_name common = {0};
	bool has_common = false, has_perms = false;
	if (is_kw(ps, "inherits")) {
		advance(ps);
		if (!expect_name(ps, &common, "a common name"))
			return false;
		has_common = true;
	}
	if (is_punct(ps, '{')) {
		has_perms = true;
		if (!parse_perm_list(ps, &l)) {
			free(l.items);
			return false;
		}
	}
	ast_stmt *s = new_stmt(ps, ST_CLASS_DEF, pos);
	s->name = nm;
	s->u.cls.common = common;
	s->u.cls.has_common = has_common;
	s->u.cls.has_perms = has_perms;
	s->u.cls.perms = list_finish(ps, &l, &s->u.cls.nperms);
	if (is_punct(ps, ';'))
		advance(ps);
	return true;
}

static bool parse_common(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a common name"))
		return false;
	name_list l = {0};
	if (!parse_perm_list(ps, &l)) {
		free(l.items);
		return false;
	}
	ast_stmt *s = new_stmt(ps, ST_COMMON, pos);
	s->name = nm;
	s->u.cls.has_perms = true;
	s->u.cls.perms = list_finish(ps, &l, &s->u.cls.nperms);
	if (is_punct(ps, ';'))
		advance(ps);
	return true;
}

/* user:role:type; a fourth field is an MLS level. */
static bool parse_context(parser *ps, ast_name ctx[3], const char *stmt)
{
	pl_srcpos start = ps->tok.pos;
	for (int i = 0; i < 3; i++) {
		if (i && !expect_punct(ps, ':'))
			return false;
		if (!expect_name(ps, &ctx[i], i == 0 ? "a user name" : i == 1 ? "a role name" : "a type name"))
			return false;
	}
	if (is_punct(ps, ':')) {
		char msg[128];
		snprintf(msg, sizeof msg, "MLS is not supported yet (context with a level in %s)", stmt);
		error_at(ps, start, "%s", msg);
		return false;
	}
	return true;
}

static bool parse_sid(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "an initial sid name"))
		return false;
	if (ps->tok.kind == TK_ID && peek(ps)->kind == TK_PUNCT && peek(ps)->ch == ':') {
		ast_name ctx[3];
		if (!parse_context(ps, ctx, "sid"))
			return false;
		ast_stmt *s = new_stmt(ps, ST_SID_CTX, pos);
		s->name = nm;
		memcpy(s->u.sid.ctx, ctx, sizeof ctx);
	} else {
		ast_stmt *s = new_stmt(ps, ST_SID_DECL, pos);
		s->name = nm;
	}
	if (is_punct(ps, ';'))
		advance(ps);
	return true;
}

static bool parse_alias_names(parser *ps, name_list *l)
{
	ast_set set;
	pl_srcpos at = ps->tok.pos;
	if (!parse_set(ps, &set, "an alias name"))
		return false;
	if (set.star || set.compl || set.nneg) {
		error_at(ps, at, "%s", "aliases must be plain names");
		return false;
	}
	for (uint32_t i = 0; i < set.n; i++)
		list_push(l, set.items[i]);
	return true;
}

static bool parse_type(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a type name"))
		return false;
	name_list aliases = {0}, attrs = {0};
	bool ok = true;
	if (is_kw(ps, "alias")) {
		advance(ps);
		ok = parse_alias_names(ps, &aliases);
	}
	while (ok && is_punct(ps, ',')) {
		advance(ps);
		ast_name a;
		ok = expect_name(ps, &a, "an attribute name");
		if (ok)
			list_push(&attrs, a);
	}
	if (ok)
		ok = end_stmt(ps);
	if (!ok) {
		free(aliases.items);
		free(attrs.items);
		return false;
	}
	ast_stmt *s = new_stmt(ps, ST_TYPE, pos);
	s->name = nm;
	s->u.type.aliases = list_finish(ps, &aliases, &s->u.type.naliases);
	s->u.type.attrs = list_finish(ps, &attrs, &s->u.type.nattrs);
	return true;
}

static bool parse_typealias(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a type name"))
		return false;
	if (!is_kw(ps, "alias")) {
		unexpected(ps, "'alias'");
		return false;
	}
	advance(ps);
	name_list aliases = {0};
	if (!parse_alias_names(ps, &aliases) || !end_stmt(ps)) {
		free(aliases.items);
		return false;
	}
	ast_stmt *s = new_stmt(ps, ST_TYPEALIAS, pos);
	s->name = nm;
	s->u.type.aliases = list_finish(ps, &aliases, &s->u.type.naliases);
	return true;
}

static bool parse_simple_decl(parser *ps, pl_srcpos pos, enum ast_stmt_kind kind, const char *what)
{
	ast_name nm;
	if (!expect_name(ps, &nm, what) || !end_stmt(ps))
		return false;
	new_stmt(ps, kind, pos)->name = nm;
	return true;
}

static bool parse_typeattribute(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a type name"))
		return false;
	name_list attrs = {0};
	bool ok = true;
	do {
		ast_name a;
		ok = expect_name(ps, &a, "an attribute name");
		if (ok)
			list_push(&attrs, a);
	} while (ok && is_punct(ps, ',') && (advance(ps), true));
	if (ok)
		ok = end_stmt(ps);
	if (!ok) {
		free(attrs.items);
		return false;
	}
	ast_stmt *s = new_stmt(ps, ST_TYPEATTRIBUTE, pos);
	s->name = nm;
	s->u.type.attrs = list_finish(ps, &attrs, &s->u.type.nattrs);
	return true;
}

static bool parse_bool(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a boolean name"))
		return false;
	bool value;
	if (is_kw(ps, "true")) {
		value = true;
	} else if (is_kw(ps, "false")) {
		value = false;
	} else {
		unexpected(ps, "'true' or 'false'");
		return false;
	}
	advance(ps);
	if (!end_stmt(ps))
		return false;
	ast_stmt *s = new_stmt(ps, ST_BOOL, pos);
	s->name = nm;
	s->u.boolean.value = value;
	return true;
}

/* ---- rules ---- */

static bool parse_allow_like(parser *ps, pl_srcpos pos, enum pl_av_kind kind, bool role_allow_ok)
{
	ast_set src, tgt, cls, perms;
	if (!parse_set(ps, &src, "a source type set") || !parse_set(ps, &tgt, "a target type set"))
		return false;
	if (role_allow_ok && is_punct(ps, ';')) {
		if (ps->cond != AST_NONE) {
			error_at(ps, pos, "%s", "role allow rules are not allowed inside a conditional block");
			return false;
		}
		advance(ps);
		ast_stmt *s = new_stmt(ps, ST_ROLE_ALLOW, pos);
		s->u.rallow.from = src;
		s->u.rallow.to = tgt;
		return true;
	}
	if (!expect_punct(ps, ':') || !parse_set(ps, &cls, "a class or class set") ||
	    !parse_set(ps, &perms, "a permission set") || !end_stmt(ps))
		return false;
	ast_stmt *s = new_stmt(ps, ST_AVRULE, pos);
	s->u.av.src = src;
	s->u.av.tgt = tgt;
	s->u.av.cls = cls;
	s->u.av.perms = perms;
	s->u.av.kind = kind;
	return true;
}

static bool parse_terule(parser *ps, pl_srcpos pos, enum pl_te_kind kind)
{
	ast_set src, tgt, cls;
	ast_name deflt;
	if (!parse_set(ps, &src, "a source type set") || !parse_set(ps, &tgt, "a target type set") ||
	    !expect_punct(ps, ':') || !parse_set(ps, &cls, "a class or class set") ||
	    !expect_name(ps, &deflt, "the new type"))
		return false;
	const char *objname = NULL;
	if (ps->tok.kind == TK_STR) {
		if (kind != PL_TE_TRANSITION) {
			error_at(ps, ps->tok.pos, "%s", "only type_transition takes an object name");
			return false;
		}
		objname = ps->tok.text;
		advance(ps);
	}
	if (!end_stmt(ps))
		return false;
	if (objname && ps->cond != AST_NONE) {
		error_at(ps, pos, "%s", "a type_transition with an object name is not allowed inside a conditional block");
		return true;
	}
	ast_stmt *s = new_stmt(ps, ST_TERULE, pos);
	s->u.te.src = src;
	s->u.te.tgt = tgt;
	s->u.te.cls = cls;
	s->u.te.deflt = deflt;
	s->u.te.objname = objname;
	s->u.te.kind = kind;
	return true;
}

static bool parse_role(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a role name"))
		return false;
	ast_stmt tmp = {0};
	if (is_kw(ps, "types")) {
		advance(ps);
		if (!parse_set(ps, &tmp.u.role.types, "a type set"))
			return false;
		tmp.u.role.has_types = true;
	}
	if (is_kw(ps, "dominance") || is_punct(ps, '{')) {
		error_at(ps, ps->tok.pos, "%s", "role dominance is not supported");
		return false;
	}
	if (!end_stmt(ps))
		return false;
	ast_stmt *s = new_stmt(ps, ST_ROLE, pos);
	s->name = nm;
	s->u.role = tmp.u.role;
	return true;
}

static bool parse_role_transition(parser *ps, pl_srcpos pos)
{
	ast_stmt tmp = {0};
	if (!parse_set(ps, &tmp.u.rtrans.roles, "a role set") ||
	    !parse_set(ps, &tmp.u.rtrans.types, "a type set"))
		return false;
	if (is_punct(ps, ':')) {
		advance(ps);
		if (!parse_set(ps, &tmp.u.rtrans.cls, "a class or class set"))
			return false;
		tmp.u.rtrans.has_cls = true;
	}
	if (!expect_name(ps, &tmp.u.rtrans.deflt, "the new role") || !end_stmt(ps))
		return false;
	ast_stmt *s = new_stmt(ps, ST_ROLE_TRANS, pos);
	s->u.rtrans = tmp.u.rtrans;
	return true;
}

static bool parse_user(parser *ps, pl_srcpos pos)
{
	ast_name nm;
	if (!expect_name(ps, &nm, "a user name"))
		return false;
	if (!is_kw(ps, "roles")) {
		unexpected(ps, "'roles'");
		return false;
	}
	advance(ps);
	ast_set roles;
	if (!parse_set(ps, &roles, "a role set"))
		return false;
	if (is_kw(ps, "level") || is_kw(ps, "range")) {
		char msg[96];
		snprintf(msg, sizeof msg, "MLS is not supported yet (user %s)", ps->tok.text);
		error_at(ps, ps->tok.pos, "%s", msg);
		return false;
	}
	if (!end_stmt(ps))
		return false;
	ast_stmt *s = new_stmt(ps, ST_USER, pos);
	s->name = nm;
	s->u.user.roles = roles;
	return true;
}

/* ---- constraint expressions ----
 * Precedence as checkpolicy's grammar: or < and < not; a primary compares
 * two context attributes or one attribute with a set of names. */

static ast_cexpr *new_cexpr(parser *ps, enum ast_cx_kind kind, pl_srcpos pos)
{
	ast_cexpr *e = pl_arena_alloc(&ps->prog->arena, sizeof *e);
	e->kind = kind;
	e->pos = pos;
	return e;
}

static ast_cexpr *parse_cexpr_or(parser *ps);

static int operand_attr(const char *t, bool *target)
{
	static const struct { const char *kw; int attr; bool target; } ops[] = {
		{"u1", PL_CATTR_USER, false}, {"u2", PL_CATTR_USER, true},
		{"r1", PL_CATTR_ROLE, false}, {"r2", PL_CATTR_ROLE, true},
		{"t1", PL_CATTR_TYPE, false}, {"t2", PL_CATTR_TYPE, true},
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (kw_eq(t, ops[i].kw)) {
			*target = ops[i].target;
			return ops[i].attr;
		}
	return 0;
}

static ast_cexpr *parse_cexpr_prim(parser *ps)
{
	pl_srcpos pos = ps->tok.pos;
	if (is_punct(ps, '(')) {
		if (++ps->expr_depth > MAX_EXPR_DEPTH) {
			error_at(ps, pos, "%s", "expression nested too deeply");
			return NULL;
		}
		advance(ps);
		ast_cexpr *e = parse_cexpr_or(ps);
		ps->expr_depth--;
		if (!e || !expect_punct(ps, ')'))
			return NULL;
		return e;
	}
	if (ps->tok.kind != TK_ID) {
		unexpected(ps, "a constraint expression");
		return NULL;
	}
	const char *t = ps->tok.text;
	if (kw_eq(t, "l1") || kw_eq(t, "l2") || kw_eq(t, "h1") || kw_eq(t, "h2")) {
		error_at(ps, pos, "%s", "MLS is not supported yet (level in a constraint)");
		return NULL;
	}
	if (kw_eq(t, "u3") || kw_eq(t, "r3") || kw_eq(t, "t3")) {
		error_at(ps, pos, "%s", "u3/r3/t3 are only valid in validatetrans");
		return NULL;
	}
	bool target;
	int attr = operand_attr(t, &target);
	if (!attr) {
		unexpected(ps, "u1, u2, r1, r2, t1 or t2");
		return NULL;
	}
	advance(ps);
	enum pl_cexpr_op op;
	if (ps->tok.kind == TK_EQ)
		op = PL_COP_EQ;
	else if (ps->tok.kind == TK_NE)
		op = PL_COP_NEQ;
	else if (is_kw(ps, "dom"))
		op = PL_COP_DOM;
	else if (is_kw(ps, "domby"))
		op = PL_COP_DOMBY;
	else if (is_kw(ps, "incomp"))
		op = PL_COP_INCOMP;
	else {
		unexpected(ps, "'==', '!=', 'dom', 'domby' or 'incomp'");
		return NULL;
	}
	pl_srcpos oppos = ps->tok.pos;
	advance(ps);
	bool rtarget;
	int rattr = ps->tok.kind == TK_ID ? operand_attr(ps->tok.text, &rtarget) : 0;
	if (rattr) {
		if (rattr != attr || target || !rtarget) {
			error_at(ps, ps->tok.pos, "%s", "a constraint compares u1 with u2, r1 with r2, or t1 with t2");
			return NULL;
		}
		if (op > PL_COP_NEQ && attr != PL_CATTR_ROLE) {
			error_at(ps, oppos, "%s", "dom, domby and incomp compare roles only");
			return NULL;
		}
		advance(ps);
		ast_cexpr *e = new_cexpr(ps, CX_ATTR, pos);
		e->attr = (uint32_t)attr;
		e->op = op;
		return e;
	}
	if (op > PL_COP_NEQ) {
		error_at(ps, oppos, "%s", "dom, domby and incomp compare r1 with r2 only");
		return NULL;
	}
	ast_cexpr *e = new_cexpr(ps, CX_NAMES, pos);
	e->attr = (uint32_t)attr | (target ? PL_CATTR_TARGET : 0);
	e->op = op;
	pl_srcpos at = ps->tok.pos;
	if (!parse_set(ps, &e->names, "a name or set of names"))
		return NULL;
	if (e->names.star || e->names.compl) {
		error_at(ps, at, "%s", "'*' and '~' are not allowed in constraint names");
		return NULL;
	}
	if (e->names.nneg) {
		error_at(ps, e->names.items[e->names.n - e->names.nneg].pos, "%s",
			 "'-' is not allowed in constraint names");
		return NULL;
	}
	return e;
}

static ast_cexpr *parse_cexpr_not(parser *ps)
{
	if (is_kw(ps, "not") || (is_punct(ps, '!'))) {
		pl_srcpos pos = ps->tok.pos;
		if (++ps->expr_depth > MAX_EXPR_DEPTH) {
			error_at(ps, pos, "%s", "expression nested too deeply");
			return NULL;
		}
		advance(ps);
		ast_cexpr *inner = parse_cexpr_not(ps);
		ps->expr_depth--;
		if (!inner)
			return NULL;
		ast_cexpr *e = new_cexpr(ps, CX_NOT, pos);
		e->left = inner;
		return e;
	}
	return parse_cexpr_prim(ps);
}

static ast_cexpr *parse_cexpr_and(parser *ps)
{
	ast_cexpr *l = parse_cexpr_not(ps);
	while (l && (is_kw(ps, "and") || ps->tok.kind == TK_AND)) {
		pl_srcpos pos = ps->tok.pos;
		advance(ps);
		ast_cexpr *r = parse_cexpr_not(ps);
		if (!r)
			return NULL;
		ast_cexpr *e = new_cexpr(ps, CX_AND, pos);
		e->left = l;
		e->right = r;
		l = e;
	}
	return l;
}

static ast_cexpr *parse_cexpr_or(parser *ps)
{
	ast_cexpr *l = parse_cexpr_and(ps);
	while (l && (is_kw(ps, "or") || ps->tok.kind == TK_OR)) {
		pl_srcpos pos = ps->tok.pos;
		advance(ps);
		ast_cexpr *r = parse_cexpr_and(ps);
		if (!r)
			return NULL;
		ast_cexpr *e = new_cexpr(ps, CX_OR, pos);
		e->left = l;
		e->right = r;
		l = e;
	}
	return l;
}

static bool parse_constrain(parser *ps, pl_srcpos pos)
{
	ast_set cls, perms;
	if (!parse_set(ps, &cls, "a class or class set") || !parse_set(ps, &perms, "a permission set"))
		return false;
	ps->expr_depth = 0;
	ast_cexpr *e = parse_cexpr_or(ps);
	if (!e || !end_stmt(ps))
		return false;
	ast_stmt *s = new_stmt(ps, ST_CONSTRAIN, pos);
	s->u.cons.cls = cls;
	s->u.cons.perms = perms;
	s->u.cons.expr = e;
	return true;
}

/* ---- boolean expressions, emitted straight to postfix ----
 * Precedence as checkpolicy: || < ^ < && < ! < == != */

typedef struct term_list {
	ast_cond_term *items;
	uint32_t n, cap;
} term_list;

static bool cond_or(parser *ps, term_list *out);
static bool cond_not(parser *ps, term_list *out);

static void emit_op(term_list *out, enum pl_cond_op op)
{
	*PL_PUSH(out->items, out->n, out->cap) = (ast_cond_term){op, {0}};
}

static bool cond_prim(parser *ps, term_list *out)
{
	if (is_punct(ps, '(')) {
		pl_srcpos pos = ps->tok.pos;
		if (++ps->expr_depth > MAX_EXPR_DEPTH) {
			error_at(ps, pos, "%s", "expression nested too deeply");
			return false;
		}
		advance(ps);
		bool ok = cond_or(ps, out) && expect_punct(ps, ')');
		ps->expr_depth--;
		return ok;
	}
	if (ps->tok.kind != TK_ID) {
		unexpected(ps, "a boolean name or '('");
		return false;
	}
	ast_cond_term *t = PL_PUSH(out->items, out->n, out->cap);
	t->op = PL_COND_BOOL;
	t->boolname = (ast_name){ps->tok.text, ps->tok.pos};
	advance(ps);
	return true;
}

static bool cond_eq(parser *ps, term_list *out)
{
	if (!cond_prim(ps, out))
		return false;
	while (ps->tok.kind == TK_EQ || ps->tok.kind == TK_NE) {
		enum pl_cond_op op = ps->tok.kind == TK_EQ ? PL_COND_EQ : PL_COND_NEQ;
		advance(ps);
		/* `a == !b` is `a == (!b)`; `!` binds looser than `==` only on
		 * the left, as in checkpolicy's precedence grammar. */
		bool ok = is_punct(ps, '!') || is_kw(ps, "not") ? cond_not(ps, out) : cond_prim(ps, out);
		if (!ok)
			return false;
		emit_op(out, op);
	}
	return true;
}

static bool cond_not(parser *ps, term_list *out)
{
	if (is_punct(ps, '!') || is_kw(ps, "not")) {
		pl_srcpos pos = ps->tok.pos;
		if (++ps->expr_depth > MAX_EXPR_DEPTH) {
			error_at(ps, pos, "%s", "expression nested too deeply");
			return false;
		}
		advance(ps);
		bool ok = cond_not(ps, out);
		ps->expr_depth--;
		if (ok)
			emit_op(out, PL_COND_NOT);
		return ok;
	}
	return cond_eq(ps, out);
}

static bool cond_and(parser *ps, term_list *out)
{
	if (!cond_not(ps, out))
		return false;
	while (ps->tok.kind == TK_AND || is_kw(ps, "and")) {
		advance(ps);
		if (!cond_not(ps, out))
			return false;
		emit_op(out, PL_COND_AND);
	}
	return true;
}

static bool cond_xor(parser *ps, term_list *out)
{
	if (!cond_and(ps, out))
		return false;
	while (is_punct(ps, '^') || is_kw(ps, "xor")) {
		advance(ps);
		if (!cond_and(ps, out))
			return false;
		emit_op(out, PL_COND_XOR);
	}
	return true;
}

static bool cond_or(parser *ps, term_list *out)
{
	if (!cond_xor(ps, out))
		return false;
	while (ps->tok.kind == TK_OR || is_kw(ps, "or")) {
		advance(ps);
		if (!cond_xor(ps, out))
			return false;
		emit_op(out, PL_COND_OR);
	}
	return true;
}

/* ---- statements and blocks ---- */

static void parse_block_body(parser *ps, pl_srcpos open, bool in_require);

static bool parse_statement(parser *ps);

static const char *const linux_only[] = {
	"fs_use_xattr", "fs_use_task", "fs_use_trans", "genfscon", "portcon", "netifcon",
	"nodecon", "pirqcon", "iomemcon", "ioportcon", "pcidevicecon", "devicetreecon",
	"ibpkeycon", "ibendportcon", "validatetrans",
};

/* How many contexts close a Linux statement that has no `;`. */
static int trailing_contexts(const char *kw)
{
	if (strcmp(kw, "netifcon") == 0)
		return 2;
	if (strncmp(kw, "fs_use", 6) == 0 || strcmp(kw, "validatetrans") == 0)
		return 0;
	return 1;
}

static void warn_once(parser *ps, pl_srcpos pos, const char *kw)
{
	ast_program *p = ps->prog;
	for (uint32_t i = 0; i < p->nwarned; i++)
		if (p->warned[i].file == pos.file && strcmp(p->warned[i].kind, kw) == 0)
			return;
	PL_PUSH(p->warned, p->nwarned, p->capwarned);
	p->warned[p->nwarned - 1].file = pos.file;
	p->warned[p->nwarned - 1].kind = kw;
	pl_diag_warning(ps->diag, pos.file, pos.line, pos.col,
			"'%s' statements only make sense on Linux; ignored", kw);
}

/* Words that come before the contexts and may themselves contain `:`
 * (IPv6 addresses, subnet prefixes). */
static int leading_words(const char *kw)
{
	if (strcmp(kw, "nodecon") == 0)
		return 2;
	if (strcmp(kw, "ibpkeycon") == 0)
		return 1;
	return 0;
}

/* A word is a run of tokens with no blank between them. */
static void skip_word(parser *ps)
{
	advance(ps);
	while (ps->tok.kind != TK_EOF && !ps->tok.space_before)
		advance(ps);
}

/* Matches a user:role:type word without reporting anything else; a fourth
 * field is an MLS level. */
static int match_context(parser *ps, const char *kw)
{
	pl_srcpos start = ps->tok.pos;
	for (int field = 0; field < 3; field++) {
		if (ps->tok.kind != TK_ID || (field && ps->tok.space_before))
			return 0;
		advance(ps);
		if (field < 2) {
			if (!is_punct(ps, ':') || ps->tok.space_before)
				return 0;
			advance(ps);
		}
	}
	if (is_punct(ps, ':') && !ps->tok.space_before) {
		char msg[128];
		snprintf(msg, sizeof msg, "MLS is not supported yet (context with a level in %s)", kw);
		error_at(ps, start, "%s", msg);
		return -1;
	}
	return 1;
}

/* Skips a Linux-only statement.  The ones that end in `;` are skipped to it;
 * the others end after their last context (user:role:type). */
static bool skip_linux_statement(parser *ps, const char *kw)
{
	int want = trailing_contexts(kw);
	if (want == 0) {
		sync(ps);
		return true;
	}
	for (int i = leading_words(kw); i > 0 && ps->tok.kind != TK_EOF && !ps->tok.first_on_line; i--)
		skip_word(ps);
	int seen = 0;
	while (ps->tok.kind != TK_EOF && seen < want) {
		if (is_punct(ps, ';') || is_punct(ps, '}') || is_punct(ps, '{') ||
		    (ps->tok.first_on_line && starts_statement(ps))) {
			unexpected(ps, "a security context");
			return false;
		}
		if (ps->tok.kind == TK_ID && ps->tok.space_before) {
			int m = match_context(ps, kw);
			if (m < 0)
				return false;
			seen += m;
			continue;
		}
		advance(ps);
	}
	if (seen < want) {
		unexpected(ps, "a security context");
		return false;
	}
	if (is_punct(ps, ';'))
		advance(ps);
	return true;
}

static const char *const mls_only[] = {
	"sensitivity", "dominance", "category", "level", "mlsconstrain",
	"mlsvalidatetrans", "range_transition",
};

/* Statements checkpolicy knows that polc rejects (clearly, not as syntax). */
static const char *const unsupported[] = {
	"typebounds", "default_user", "default_role", "default_type", "default_range",
	"attribute_role", "roleattribute", "expandattribute", "allowxperm",
	"auditallowxperm", "dontauditxperm", "neverallowxperm", "auditdeny",
	"userbounds", "rolebounds", "tunable",
};

static bool decl_allowed_here(parser *ps, pl_srcpos pos, const char *what, bool global_only)
{
	if (ps->cond != AST_NONE) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s is not allowed inside a conditional block", what);
		error_at(ps, pos, "%s", msg);
		return false;
	}
	if (global_only && ps->block != 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s is only allowed at global scope, not in an optional block", what);
		error_at(ps, pos, "%s", msg);
		return false;
	}
	if (ps->prog->blocks[ps->block].is_else) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s: declarations are not allowed in the else branch of an optional block", what);
		error_at(ps, pos, "%s", msg);
		return false;
	}
	return true;
}

static uint32_t new_block(parser *ps, uint32_t parent, pl_srcpos pos, bool is_else)
{
	ast_program *p = ps->prog;
	ast_block *b = PL_PUSH(p->blocks, p->nblocks, p->capblocks);
	b->parent = parent;
	b->else_block = AST_NONE;
	b->main_block = AST_NONE;
	b->is_else = is_else;
	b->enabled = true;
	b->pos = pos;
	return p->nblocks - 1;
}

static bool parse_optional(parser *ps, pl_srcpos pos)
{
	if (ps->cond != AST_NONE) {
		error_at(ps, pos, "%s", "optional blocks are not allowed inside a conditional block");
		return false;
	}
	if (ps->block_depth >= MAX_BLOCK_DEPTH) {
		error_at(ps, pos, "%s", "blocks nested too deeply");
		return false;
	}
	if (!is_punct(ps, '{')) {
		unexpected(ps, "'{'");
		return false;
	}
	uint32_t outer = ps->block;
	uint32_t main = new_block(ps, outer, pos, false);
	pl_srcpos open = ps->tok.pos;
	advance(ps);
	ps->block = main;
	ps->block_depth++;
	parse_block_body(ps, open, false);
	if (is_kw(ps, "else")) {
		advance(ps);
		if (is_punct(ps, '{')) {
			uint32_t alt = new_block(ps, outer, pos, true);
			ps->prog->blocks[main].else_block = alt;
			ps->prog->blocks[alt].main_block = main;
			open = ps->tok.pos;
			advance(ps);
			ps->block = alt;
			parse_block_body(ps, open, false);
		} else {
			unexpected(ps, "'{'");
		}
	}
	ps->block_depth--;
	ps->block = outer;
	return true;
}

static bool parse_if(parser *ps, pl_srcpos pos)
{
	if (ps->cond != AST_NONE) {
		error_at(ps, pos, "%s", "conditional blocks cannot be nested");
		return false;
	}
	/* The parentheses are part of the expression: `if b { ... }` is valid. */
	term_list terms = {0};
	ps->expr_depth = 0;
	if (!cond_or(ps, &terms)) {
		free(terms.items);
		return false;
	}
	if (!is_punct(ps, '{')) {
		free(terms.items);
		unexpected(ps, "'{'");
		return false;
	}
	ast_program *p = ps->prog;
	ast_if *c = PL_PUSH(p->ifs, p->nifs, p->capifs);
	c->pos = pos;
	c->block = ps->block;
	c->n = terms.n;
	c->terms = pl_arena_alloc(&p->arena, terms.n * sizeof *c->terms);
	memcpy(c->terms, terms.items, terms.n * sizeof *c->terms);
	free(terms.items);
	uint32_t id = p->nifs - 1;
	pl_srcpos open = ps->tok.pos;
	advance(ps);
	ps->cond = id;
	ps->branch = true;
	parse_block_body(ps, open, false);
	if (is_kw(ps, "else")) {
		advance(ps);
		if (is_punct(ps, '{')) {
			open = ps->tok.pos;
			advance(ps);
			ps->branch = false;
			parse_block_body(ps, open, false);
		} else {
			unexpected(ps, "'{'");
		}
	}
	ps->cond = AST_NONE;
	ps->branch = false;
	return true;
}

static bool parse_require_item(parser *ps)
{
	pl_srcpos pos = ps->tok.pos;
	if (ps->tok.kind != TK_ID) {
		unexpected(ps, "a require statement (type, attribute, role, user, bool or class)");
		return false;
	}
	const char *kw = ps->tok.text;
	enum ast_ns ns;
	bool is_attr = false;
	if (kw_eq(kw, "type")) ns = NS_TYPE;
	else if (kw_eq(kw, "attribute")) { ns = NS_TYPE; is_attr = true; }
	else if (kw_eq(kw, "role")) ns = NS_ROLE;
	else if (kw_eq(kw, "user")) ns = NS_USER;
	else if (kw_eq(kw, "bool")) ns = NS_BOOL;
	else if (kw_eq(kw, "class")) ns = NS_CLASS;
	else if (kw_eq(kw, "sensitivity") || kw_eq(kw, "category")) {
		error_at(ps, pos, "MLS is not supported yet (%s)", kw);
		return false;
	} else {
		char msg[128];
		snprintf(msg, sizeof msg, "'%.60s' cannot be required", kw);
		error_at(ps, pos, "%s", msg);
		return false;
	}
	advance(ps);
	name_list names = {0}, perms = {0};
	bool ok;
	if (ns == NS_CLASS) {
		ast_name cls;
		ok = expect_name(ps, &cls, "a class name");
		if (ok) {
			list_push(&names, cls);
			if (is_punct(ps, '{')) {
				ok = parse_perm_list(ps, &perms);
			} else {
				ast_name perm;
				ok = expect_name(ps, &perm, "a permission or '{'");
				if (ok)
					list_push(&perms, perm);
			}
		}
	} else {
		ok = true;
		do {
			ast_name nm;
			ok = expect_name(ps, &nm, "a name");
			if (ok)
				list_push(&names, nm);
		} while (ok && is_punct(ps, ',') && (advance(ps), true));
	}
	if (ok)
		ok = end_stmt(ps);
	if (!ok) {
		free(names.items);
		free(perms.items);
		return false;
	}
	ast_stmt *s = new_stmt(ps, ST_REQUIRE, pos);
	s->u.req.ns = ns;
	s->u.req.is_attr = is_attr;
	s->u.req.names = list_finish(ps, &names, &s->u.req.n);
	s->u.req.perms = list_finish(ps, &perms, &s->u.req.nperms);
	return true;
}

static bool parse_require(parser *ps, pl_srcpos pos)
{
	if (ps->block == 0 || ps->cond != AST_NONE) {
		error_at(ps, pos, "%s", "require blocks are only allowed inside an optional block");
		return false;
	}
	if (!is_punct(ps, '{')) {
		unexpected(ps, "'{'");
		return false;
	}
	pl_srcpos open = ps->tok.pos;
	advance(ps);
	parse_block_body(ps, open, true);
	return true;
}

static bool in_list(const char *kw, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (kw_eq(kw, list[i]))
			return true;
	return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const statement_keywords[] = {
	"class", "common", "sid", "type", "typealias", "attribute", "typeattribute", "bool",
	"allow", "auditallow", "dontaudit", "neverallow", "type_transition", "type_change",
	"type_member", "role", "role_transition", "user", "constrain", "permissive",
	"policycap", "if", "optional", "require",
};

static bool starts_statement(const parser *ps)
{
	if (ps->tok.kind != TK_ID)
		return false;
	const char *t = ps->tok.text;
	return in_list(t, statement_keywords, COUNT(statement_keywords)) ||
	       in_list(t, linux_only, COUNT(linux_only)) || in_list(t, mls_only, COUNT(mls_only)) ||
	       in_list(t, unsupported, COUNT(unsupported));
}

static bool parse_statement(parser *ps)
{
	pl_srcpos pos = ps->tok.pos;
	if (ps->tok.kind != TK_ID) {
		unexpected(ps, "a statement");
		return false;
	}
	const char *kw = ps->tok.text;
	bool in_if = ps->cond != AST_NONE;
	/* Only rules may appear in a conditional block. */
	if (in_if && !kw_eq(kw, "allow") && !kw_eq(kw, "auditallow") && !kw_eq(kw, "dontaudit") &&
	    !kw_eq(kw, "type_transition") && !kw_eq(kw, "type_change") && !kw_eq(kw, "type_member")) {
		char msg[160];
		snprintf(msg, sizeof msg, "'%.60s' is not allowed inside a conditional block", kw);
		error_at(ps, pos, "%s", msg);
		return false;
	}
	if (kw_eq(kw, "class")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "a class declaration", true) && parse_class(ps, pos);
	}
	if (kw_eq(kw, "common")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "a common declaration", true) && parse_common(ps, pos);
	}
	if (kw_eq(kw, "sid")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "an initial sid", true) && parse_sid(ps, pos);
	}
	if (kw_eq(kw, "type")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "a type declaration", false) && parse_type(ps, pos);
	}
	if (kw_eq(kw, "typealias")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "a typealias declaration", false) && parse_typealias(ps, pos);
	}
	if (kw_eq(kw, "attribute")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "an attribute declaration", false) &&
		       parse_simple_decl(ps, pos, ST_ATTRIBUTE, "an attribute name");
	}
	if (kw_eq(kw, "typeattribute")) {
		advance(ps);
		return parse_typeattribute(ps, pos);
	}
	if (kw_eq(kw, "bool")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "a boolean declaration", false) && parse_bool(ps, pos);
	}
	if (kw_eq(kw, "allow")) {
		advance(ps);
		return parse_allow_like(ps, pos, PL_AV_ALLOW, true);
	}
	if (kw_eq(kw, "auditallow")) {
		advance(ps);
		return parse_allow_like(ps, pos, PL_AV_AUDITALLOW, false);
	}
	if (kw_eq(kw, "dontaudit")) {
		advance(ps);
		return parse_allow_like(ps, pos, PL_AV_DONTAUDIT, false);
	}
	if (kw_eq(kw, "neverallow")) {
		advance(ps);
		return parse_allow_like(ps, pos, PL_AV_NEVERALLOW, false);
	}
	if (kw_eq(kw, "type_transition")) {
		advance(ps);
		return parse_terule(ps, pos, PL_TE_TRANSITION);
	}
	if (kw_eq(kw, "type_change")) {
		advance(ps);
		return parse_terule(ps, pos, PL_TE_CHANGE);
	}
	if (kw_eq(kw, "type_member")) {
		advance(ps);
		return parse_terule(ps, pos, PL_TE_MEMBER);
	}
	if (kw_eq(kw, "role")) {
		advance(ps);
		return parse_role(ps, pos);
	}
	if (kw_eq(kw, "role_transition")) {
		advance(ps);
		return parse_role_transition(ps, pos);
	}
	if (kw_eq(kw, "user")) {
		advance(ps);
		return parse_user(ps, pos);
	}
	if (kw_eq(kw, "constrain")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "a constraint", true) && parse_constrain(ps, pos);
	}
	if (kw_eq(kw, "permissive")) {
		advance(ps);
		return parse_simple_decl(ps, pos, ST_PERMISSIVE, "a type name");
	}
	if (kw_eq(kw, "policycap")) {
		advance(ps);
		return decl_allowed_here(ps, pos, "policycap", true) &&
		       parse_simple_decl(ps, pos, ST_POLICYCAP, "a policy capability name");
	}
	if (kw_eq(kw, "if")) {
		advance(ps);
		return parse_if(ps, pos);
	}
	if (kw_eq(kw, "optional")) {
		advance(ps);
		return parse_optional(ps, pos);
	}
	if (kw_eq(kw, "require")) {
		advance(ps);
		return parse_require(ps, pos);
	}
	if (kw_eq(kw, "else")) {
		error_at(ps, pos, "%s", "'else' without a matching 'if' or 'optional'");
		advance(ps);
		return false;
	}
	for (size_t i = 0; i < COUNT(linux_only); i++)
		if (kw_eq(kw, linux_only[i])) {
			warn_once(ps, pos, linux_only[i]);
			advance(ps);
			return skip_linux_statement(ps, linux_only[i]);
		}
	if (in_list(kw, mls_only, COUNT(mls_only))) {
		error_at(ps, pos, "MLS is not supported yet (%s)", kw);
		advance(ps);
		return false;
	}
	if (in_list(kw, unsupported, COUNT(unsupported))) {
		error_at(ps, pos, "'%s' is not supported", kw);
		advance(ps);
		return false;
	}
	char msg[128];
	snprintf(msg, sizeof msg, "unknown statement '%.60s'", kw);
	error_at(ps, pos, "%s", msg);
	return false;
}

/* Parses statements until the `}` that closes the block opened at `open`
 * (consumed), or to end of file when open.file is NULL (top level). */
static void parse_block_body(parser *ps, pl_srcpos open, bool in_require)
{
	bool top = open.file == NULL;
	for (;;) {
		if (ps->tok.kind == TK_EOF) {
			if (!top)
				error_at(ps, open, "%s", "'{' is never closed (end of file reached)");
			return;
		}
		if (is_punct(ps, '}')) {
			if (top) {
				error_at(ps, ps->tok.pos, "%s", "'}' without a matching '{'");
				advance(ps);
				continue;
			}
			advance(ps);
			return;
		}
		if (is_punct(ps, ';')) {
			advance(ps); /* empty statement: harmless */
			continue;
		}
		pl_srcpos before = ps->tok.pos;
		bool ok = in_require ? parse_require_item(ps) : parse_statement(ps);
		if (!ok) {
			sync(ps);
			/* Recovery must make progress, whatever stopped it. */
			if (ps->tok.pos.file == before.file && ps->tok.pos.line == before.line &&
			    ps->tok.pos.col == before.col && ps->tok.kind != TK_EOF)
				advance(ps);
		}
	}
}

void pl_parse(ast_program *prog, const char *file, const char *text, size_t len,
	      pl_diag *diag)
{
	parser ps;
	memset(&ps, 0, sizeof ps);
	ps.prog = prog;
	ps.diag = diag;
	ps.cond = AST_NONE;
	pl_lexer_init(&ps.lx, file, text, len, prog->strings, diag);
	/* Nearly every statement ends in `;`: reserving that many up front
	 * avoids the doubling growth's slack on big policies. */
	uint32_t semis = 0;
	for (const char *q = text; q < text + len && (q = memchr(q, ';', (size_t)(text + len - q))); q++)
		semis++;
	if (semis > 64 && prog->nstmts + semis > prog->capstmts)
		pl_grow((void **)&prog->stmts, &prog->capstmts, prog->nstmts + semis, sizeof *prog->stmts);
	advance(&ps);
	pl_srcpos top = {0};
	parse_block_body(&ps, top, false);
	/* Statements are the biggest structure the compiler keeps; give back
	 * the slack of the doubling growth. */
	if (prog->nstmts && prog->capstmts > prog->nstmts) {
		prog->stmts = pl_xrealloc(prog->stmts, prog->nstmts * sizeof *prog->stmts);
		prog->capstmts = prog->nstmts;
	}
}
