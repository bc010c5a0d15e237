/* Booleans and conditionals, roles, users, constraints, initial sids and
 * the small statements (permissive, policycap). */
#include <stdlib.h>
#include <string.h>

#include "sema.h"

/* ---- conditionals ----
 * Normalised as libsepol does, so that rules land in the same conditional
 * (which decides what counts as a duplicate or conflicting type rule): a
 * trailing NOT is dropped by swapping the branches, and expressions over at
 * most COND_MAX_BOOLS booleans are equal when they use the same booleans in
 * the same order of appearance and have the same truth table. */

#define COND_MAX_BOOLS 5
#define COND_EXPR_MAXDEPTH 10
#define CEXPR_MAXDEPTH 5

typedef struct cond_sig {
	uint32_t nbools;
	uint32_t ids[COND_MAX_BOOLS];
	uint32_t table;
} cond_sig;

static bool eval_rpn(const pl_cond_node *n, uint32_t cnt, const cond_sig *sig, uint32_t assign)
{
	bool stack[256];
	uint32_t sp = 0;
	for (uint32_t i = 0; i < cnt; i++) {
		if (n[i].op == PL_COND_BOOL) {
			uint32_t k = 0;
			while (sig->ids[k] != n[i].arg)
				k++;
			if (sp < 256)
				stack[sp++] = (assign >> k) & 1;
			continue;
		}
		if (n[i].op == PL_COND_NOT) {
			if (sp)
				stack[sp - 1] = !stack[sp - 1];
			continue;
		}
		if (sp < 2)
			return false;
		bool b = stack[--sp], a = stack[sp - 1], r = false;
		switch (n[i].op) {
		case PL_COND_OR: r = a || b; break;
		case PL_COND_AND: r = a && b; break;
		case PL_COND_XOR: r = a != b; break;
		case PL_COND_EQ: r = a == b; break;
		case PL_COND_NEQ: r = a != b; break;
		default: break;
		}
		stack[sp - 1] = r;
	}
	return sp ? stack[sp - 1] : false;
}

static void signature(const pl_cond_node *n, uint32_t cnt, cond_sig *sig)
{
	memset(sig, 0, sizeof *sig);
	for (uint32_t i = 0; i < cnt; i++) {
		if (n[i].op != PL_COND_BOOL)
			continue;
		uint32_t k = 0;
		while (k < sig->nbools && k < COND_MAX_BOOLS && sig->ids[k] != n[i].arg)
			k++;
		if (k == sig->nbools) {
			if (sig->nbools < COND_MAX_BOOLS)
				sig->ids[k] = n[i].arg;
			sig->nbools++;
		}
	}
	/* Truth tables need the whole stack bounded; deeper ones compare as written. */
	if (sig->nbools > COND_MAX_BOOLS || cnt > 256)
		return;
	for (uint32_t a = 0; a < (UINT32_C(1) << sig->nbools); a++)
		if (eval_rpn(n, cnt, sig, a))
			sig->table |= UINT32_C(1) << a;
}

static bool same_cond(const pl_cond *a, const cond_sig *sa, const pl_cond_node *n, uint32_t cnt,
		      const cond_sig *sb)
{
	if (sa->nbools != sb->nbools)
		return false;
	if (sa->nbools <= COND_MAX_BOOLS && a->nnodes <= 256 && cnt <= 256)
		return memcmp(sa->ids, sb->ids, sa->nbools * sizeof sa->ids[0]) == 0 && sa->table == sb->table;
	return a->nnodes == cnt && memcmp(a->nodes, n, cnt * sizeof *n) == 0;
}

static uint64_t hash_sig(const cond_sig *sig, const pl_cond_node *n, uint32_t cnt)
{
	uint64_t h = 1469598103934665603ull ^ sig->nbools;
	if (sig->nbools <= COND_MAX_BOOLS && cnt <= 256) {
		for (uint32_t i = 0; i < sig->nbools; i++)
			h = (h ^ sig->ids[i]) * 1099511628211ull;
		return (h ^ sig->table) * 1099511628211ull;
	}
	for (uint32_t i = 0; i < cnt; i++)
		h = (h ^ (((uint64_t)n[i].op << 32) | n[i].arg)) * 1099511628211ull;
	return h;
}

void sema_conds(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	pl_map dedup = {0};
	cond_sig *sigs = NULL;
	uint32_t capsigs = 0;
	c->if_cond = pl_xmalloc((p->nifs ? p->nifs : 1) * sizeof *c->if_cond);
	c->if_swap = pl_xcalloc(p->nifs ? p->nifs : 1, sizeof *c->if_swap);
	for (uint32_t i = 0; i < p->nifs; i++) {
		const ast_if *f = &p->ifs[i];
		c->if_cond[i] = AST_NONE;
		pl_cond_node *nodes = pl_xmalloc((f->n ? f->n : 1) * sizeof *nodes);
		bool ok = true;
		for (uint32_t j = 0; j < f->n; j++) {
			nodes[j].op = f->terms[j].op;
			nodes[j].arg = 0;
			if (f->terms[j].op != PL_COND_BOOL)
				continue;
			uint32_t b = sema_resolve(c, &f->terms[j].boolname, NS_BOOL, f->block, "boolean");
			if (b == AST_NONE || c->syms[b].index == AST_NONE)
				ok = false;
			else
				nodes[j].arg = c->syms[b].index;
		}
		/* The kernel evaluates on a fixed stack; checkpolicy refuses what
		 * would not fit, and so do we. */
		uint32_t depth = 0, maxdepth = 0;
		for (uint32_t j = 0; j < f->n; j++) {
			if (nodes[j].op == PL_COND_BOOL)
				depth++;
			else if (nodes[j].op != PL_COND_NOT)
				depth--;
			if (depth > maxdepth)
				maxdepth = depth;
		}
		if (maxdepth > COND_EXPR_MAXDEPTH) {
			sema_err(c, f->pos, "conditional expression is too deep: it needs a stack of %u, at most %d",
				 maxdepth, COND_EXPR_MAXDEPTH);
			ok = false;
		}
		if (!ok || !sema_block_enabled(c, f->block) || f->n == 0) {
			free(nodes);
			continue;
		}
		uint32_t n = f->n;
		if (n > 1 && nodes[n - 1].op == PL_COND_NOT) {
			n--;
			c->if_swap[i] = true;
		}
		cond_sig sig;
		signature(nodes, n, &sig);
		uint64_t h = hash_sig(&sig, nodes, n);
		for (uint64_t probe = 0;; probe++) {
			int inserted;
			uint32_t *slot = pl_map_put(&dedup, h, probe, 0, &inserted);
			if (inserted) {
				*slot = pol->nconds;
				pl_grow((void **)&sigs, &capsigs, pol->nconds + 1, sizeof *sigs);
				sigs[pol->nconds] = sig;
				pl_cond *cd = PL_PUSH(pol->conds, pol->nconds, c->capconds);
				cd->nnodes = n;
				cd->nodes = nodes;
				c->if_cond[i] = *slot;
				break;
			}
			if (same_cond(&pol->conds[*slot], &sigs[*slot], nodes, n, &sig)) {
				c->if_cond[i] = *slot;
				free(nodes);
				break;
			}
		}
	}
	free(sigs);
	pl_map_free(&dedup);
}

/* ---- role and user sets ---- */

/* Resolves a set of roles (or users) into a bitset over their indices. */
static bool resolve_named_set(checker *c, const ast_set *set, enum ast_ns ns, uint32_t block,
			      uint32_t count, pl_bitset *out, const char *what)
{
	bool ok = sema_no_star(c, set, ns == NS_ROLE ? "a role set" : "a user set");
	pl_bitset neg = {0};
	if (out->nbits)
		memset(out->words, 0, (out->nbits / 64) * sizeof *out->words);
	if (set->star)
		for (uint32_t i = 0; i < count; i++)
			pl_bitset_set(out, i);
	for (uint32_t i = 0; i < set->n; i++) {
		uint32_t s = sema_resolve(c, &set->items[i], ns, block, what);
		if (s == AST_NONE || c->syms[s].index == AST_NONE) {
			ok = false;
			continue;
		}
		pl_bitset_set(ast_set_neg(set, i) ? &neg : out, c->syms[s].index);
	}
	pl_bitset_andnot(out, &neg);
	if (set->compl) {
		pl_bitset_complement(out, count);
	}
	pl_bitset_free(&neg);
	return ok;
}

/* checkpolicy gathers the `role R types ...` statements of a role that stand
 * in one scope (the global block, or one optional or else block) into one
 * type set and expands it once, then ORs the scopes together (libsepol's
 * role_copy_callback).  So a type excluded with `-` leaves the role for the
 * whole scope, even where another statement of that scope names it. */
typedef struct role_scope {
	uint32_t role, block;
	pl_bitset pos, neg;
} role_scope;

static role_scope *role_scope_get(role_scope **v, uint32_t *n, uint32_t *cap, uint32_t role,
				  uint32_t block)
{
	for (uint32_t i = *n; i-- > 0;)
		if ((*v)[i].role == role && (*v)[i].block == block)
			return &(*v)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = pl_xrealloc(*v, *cap * sizeof **v);
	}
	role_scope *rs = &(*v)[(*n)++];
	*rs = (role_scope){.role = role, .block = block};
	return rs;
}

static void roles_and_users(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	role_scope *scopes = NULL;
	uint32_t nscopes = 0, capscopes = 0;
	pl_bitset types = {0}, set = {0};
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		bool on = sema_block_enabled(c, s->block);
		c->cur = s->pos;
		if (s->kind == ST_ROLE) {
			uint32_t r = sema_resolve(c, &s->name, NS_ROLE, s->block, "role");
			if (!s->u.role.has_types)
				continue;
			if (!sema_resolve_types(c, &s->u.role.types, s->block, false, false, &c->rs_src) ||
			    r == AST_NONE || !on || c->syms[r].index == AST_NONE)
				continue;
			role_scope *rs = role_scope_get(&scopes, &nscopes, &capscopes, c->syms[r].index,
							s->block);
			rset part = c->rs_src;
			part.nneg = 0;
			sema_expand_types(c, &part, &types);
			pl_bitset_or(&rs->pos, &types);
			part.pos = c->rs_src.neg;
			part.npos = c->rs_src.nneg;
			sema_expand_types(c, &part, &types);
			pl_bitset_or(&rs->neg, &types);
		} else if (s->kind == ST_USER) {
			uint32_t u = sema_resolve(c, &s->name, NS_USER, s->block, "user");
			if (!resolve_named_set(c, &s->u.user.roles, NS_ROLE, s->block, pol->nroles, &set, "role") ||
			    u == AST_NONE || !on || c->syms[u].index == AST_NONE)
				continue;
			pl_bitset_or(&pol->users[c->syms[u].index].roles, &set);
		}
	}
	for (uint32_t i = 0; i < nscopes; i++) {
		pl_bitset_andnot(&scopes[i].pos, &scopes[i].neg);
		pl_bitset_or(&pol->roles[scopes[i].role].types, &scopes[i].pos);
		pl_bitset_free(&scopes[i].pos);
		pl_bitset_free(&scopes[i].neg);
	}
	free(scopes);
	pl_bitset_free(&types);
	pl_bitset_free(&set);
}

static void role_allows(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	pl_bitset from = {0}, to = {0};
	pl_map seen = {0};
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_ROLE_ALLOW)
			continue;
		c->cur = s->pos;
		bool ok = resolve_named_set(c, &s->u.rallow.from, NS_ROLE, s->block, pol->nroles, &from, "role");
		ok &= resolve_named_set(c, &s->u.rallow.to, NS_ROLE, s->block, pol->nroles, &to, "role");
		if (!ok || !sema_block_enabled(c, s->block))
			continue;
		PL_BITSET_FOREACH(&from, r)
			PL_BITSET_FOREACH(&to, nr) {
				int inserted;
				pl_map_put(&seen, r, nr, 0, &inserted);
				if (!inserted)
					continue;
				pl_role_allow *ra = PL_PUSH(pol->role_allows, pol->nrole_allows, c->caprallow);
				ra->role = r;
				ra->new_role = nr;
			}
	}
	pl_map_free(&seen);
	pl_bitset_free(&from);
	pl_bitset_free(&to);
}

static void role_transitions(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	pl_bitset roles = {0}, types = {0};
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_ROLE_TRANS)
			continue;
		c->cur = s->pos;
		bool ok = resolve_named_set(c, &s->u.rtrans.roles, NS_ROLE, s->block, pol->nroles, &roles, "role");
		ok &= sema_resolve_types(c, &s->u.rtrans.types, s->block, false, false, &c->rs_src);
		uint32_t *classes = NULL, ncls = 0;
		if (s->u.rtrans.has_cls) {
			ok &= sema_resolve_classes(c, &s->u.rtrans.cls, s->block, &classes, &ncls);
		} else {
			/* As checkpolicy: the class defaults to process. */
			const char *proc = pl_intern_str(p->strings, "process", 7);
			uint32_t cs = sema_lookup(c, proc, NS_CLASS);
			if (cs == AST_NONE) {
				sema_err(c, s->pos, "role_transition without a class needs class 'process', which is not declared");
				ok = false;
			} else {
				classes = pl_xmalloc(sizeof *classes);
				classes[0] = c->syms[cs].index;
				ncls = 1;
			}
		}
		uint32_t nr = sema_resolve(c, &s->u.rtrans.deflt, NS_ROLE, s->block, "role");
		if (!ok || nr == AST_NONE || c->syms[nr].index == AST_NONE || !sema_block_enabled(c, s->block)) {
			free(classes);
			continue;
		}
		sema_expand_types(c, &c->rs_src, &types);
		bool failed = false;
		PL_BITSET_FOREACH(&roles, r) {
			PL_BITSET_FOREACH(&types, t)
				for (uint32_t ci = 0; ci < ncls && !failed; ci++) {
					int inserted;
					uint32_t *slot = pl_map_put(&c->rtrans_keys, r, t, classes[ci], &inserted);
					if (!inserted) {
						/* As checkpolicy: even an identical one. */
						sema_err(c, s->pos, "duplicate role_transition for (%s, %s, %s)",
							 pol->roles[r].name, pol->types[t].name,
							 pol->classes[classes[ci]].name);
						failed = true;
						break;
					}
					*slot = pol->nrole_trans;
					pl_role_trans *rt = PL_PUSH(pol->role_trans, pol->nrole_trans, c->caprtrans);
					rt->role = r;
					rt->type = t;
					rt->cls = classes[ci];
					rt->new_role = c->syms[nr].index;
				}
			if (failed)
				break;
		}
		free(classes);
	}
	pl_bitset_free(&roles);
	pl_bitset_free(&types);
}

void sema_rbac(checker *c)
{
	roles_and_users(c);
	role_allows(c);
	role_transitions(c);
}

/* ---- constraints ---- */

static bool cexpr_names(checker *c, const ast_cexpr *e, uint32_t block, pl_bitset *out)
{
	uint32_t attr = e->attr & ~PL_CATTR_TARGET;
	bool ok = true;
	for (uint32_t i = 0; i < e->names.n; i++) {
		const ast_name *nm = &e->names.items[i];
		if (attr == PL_CATTR_USER || attr == PL_CATTR_ROLE) {
			uint32_t s = sema_resolve(c, nm, attr == PL_CATTR_USER ? NS_USER : NS_ROLE, block, NULL);
			if (s == AST_NONE || c->syms[s].index == AST_NONE) {
				ok = false;
				continue;
			}
			pl_bitset_set(out, c->syms[s].index);
		} else {
			uint32_t s = sema_resolve(c, nm, NS_TYPE, block, "type or attribute");
			if (s == AST_NONE || c->syms[s].index == AST_NONE) {
				ok = false;
				continue;
			}
			const pl_type *t = &c->pol->types[c->syms[s].index];
			if (t->is_attr)
				pl_bitset_or(out, &t->members);
			else
				pl_bitset_set(out, c->syms[s].index);
		}
	}
	return ok;
}

/* Postfix by an explicit stack: long `and` chains make deep trees. */
typedef struct cx_frame {
	const ast_cexpr *e;
	uint8_t visited; /* children already pushed */
} cx_frame;

static bool cexpr_postfix(checker *c, const ast_cexpr *root, uint32_t block, pl_cexpr **out, uint32_t *n)
{
	cx_frame *stack = NULL;
	uint32_t sp = 0, cap = 0, nout = 0, capout = 0;
	pl_cexpr *res = NULL;
	bool ok = true;
	*PL_PUSH(stack, sp, cap) = (cx_frame){root, 0};
	while (sp) {
		cx_frame *f = &stack[sp - 1];
		const ast_cexpr *e = f->e;
		bool binary = e->kind == CX_AND || e->kind == CX_OR;
		if ((binary || e->kind == CX_NOT) && f->visited < (binary ? 2 : 1)) {
			const ast_cexpr *child = f->visited == 0 ? e->left : e->right;
			f->visited++;
			*PL_PUSH(stack, sp, cap) = (cx_frame){child, 0};
			continue;
		}
		pl_cexpr *x = PL_PUSH(res, nout, capout);
		switch (e->kind) {
		case CX_NOT: x->kind = PL_CEXPR_NOT; break;
		case CX_AND: x->kind = PL_CEXPR_AND; break;
		case CX_OR: x->kind = PL_CEXPR_OR; break;
		case CX_ATTR:
			x->kind = PL_CEXPR_ATTR;
			x->attr = e->attr;
			x->op = e->op;
			break;
		case CX_NAMES:
			x->kind = PL_CEXPR_NAMES;
			x->attr = e->attr;
			x->op = e->op;
			ok &= cexpr_names(c, e, block, &x->names);
			break;
		}
		sp--;
	}
	free(stack);
	*out = res;
	*n = nout;
	return ok;
}

static void free_cexprs(pl_cexpr *e, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		pl_bitset_free(&e[i].names);
	free(e);
}

void sema_constraints(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_CONSTRAIN)
			continue;
		c->cur = s->pos;
		uint32_t *classes = NULL, ncls = 0;
		bool ok = sema_resolve_classes(c, &s->u.cons.cls, s->block, &classes, &ncls);
		uint32_t *perms = pl_xcalloc(ncls + 1, sizeof *perms);
		for (uint32_t ci = 0; ci < ncls; ci++) {
			const pl_class *cl = &pol->classes[classes[ci]];
			uint32_t mask = cl->nperms >= 32 ? UINT32_MAX : (UINT32_C(1) << cl->nperms) - 1;
			uint32_t v = s->u.cons.perms.star ? mask : 0;
			for (uint32_t j = 0; j < s->u.cons.perms.n; j++) {
				const ast_name *pn = &s->u.cons.perms.items[j];
				int32_t bit = sema_perm_bit(c, classes[ci], pn->name);
				if (bit < 0 || ast_set_neg(&s->u.cons.perms, j)) {
					sema_err(c, pn->pos, "permission '%s' is not defined for class '%s'", pn->name, cl->name);
					ok = false;
					continue;
				}
				v |= UINT32_C(1) << bit;
			}
			if (s->u.cons.perms.compl)
				v = ~v & mask;
			perms[ci] = v;
		}
		pl_cexpr *expr = NULL;
		uint32_t nexpr = 0;
		ok &= cexpr_postfix(c, s->u.cons.expr, s->block, &expr, &nexpr);
		uint32_t depth = 0, maxdepth = 0;
		for (uint32_t j = 0; j < nexpr; j++) {
			if (expr[j].kind == PL_CEXPR_ATTR || expr[j].kind == PL_CEXPR_NAMES)
				depth++;
			else if (expr[j].kind != PL_CEXPR_NOT)
				depth--;
			if (depth > maxdepth)
				maxdepth = depth;
		}
		if (maxdepth > CEXPR_MAXDEPTH) {
			sema_err(c, s->pos, "constraint expression is too deep: it needs a stack of %u, at most %d",
				 maxdepth, CEXPR_MAXDEPTH);
			ok = false;
		}
		if (ok && sema_block_enabled(c, s->block)) {
			for (uint32_t ci = 0; ci < ncls; ci++) {
				pl_constraint *k = PL_PUSH(pol->constraints, pol->nconstraints, c->capcons);
				k->cls = classes[ci];
				k->perms = perms[ci];
				k->pos = s->pos;
				k->nexpr = nexpr;
				k->expr = pl_xcalloc(nexpr, sizeof *k->expr);
				for (uint32_t j = 0; j < nexpr; j++) {
					k->expr[j] = expr[j];
					memset(&k->expr[j].names, 0, sizeof k->expr[j].names);
					pl_bitset_copy(&k->expr[j].names, &expr[j].names);
				}
			}
		}
		free_cexprs(expr, nexpr);
		free(perms);
		free(classes);
	}
}

/* ---- initial sids ---- */

void sema_isids(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_SID_CTX)
			continue;
		uint32_t sid = sema_lookup(c, s->name.name, NS_SID);
		if (sid == AST_NONE) {
			sema_err(c, s->name.pos, "unknown initial sid '%s'", s->name.name);
			continue;
		}
		uint32_t u = sema_resolve(c, &s->u.sid.ctx[0], NS_USER, 0, "user");
		uint32_t r = sema_resolve(c, &s->u.sid.ctx[1], NS_ROLE, 0, "role");
		uint32_t t = sema_resolve(c, &s->u.sid.ctx[2], NS_TYPE, 0, "type");
		if (u == AST_NONE || r == AST_NONE || t == AST_NONE)
			continue;
		pl_isid *is = &pol->isids[c->syms[sid].index];
		if (is->has_context) {
			sema_err(c, s->pos, "initial sid '%s' already has a context", s->name.name);
			continue;
		}
		if (c->syms[t].kind != SK_TYPE) {
			sema_err(c, s->u.sid.ctx[2].pos, "'%s' is an attribute, not a type", s->u.sid.ctx[2].name);
			continue;
		}
		pl_context ctx = {c->syms[u].index, c->syms[r].index, c->syms[t].index};
		if (ctx.role != PL_OBJECT_R) {
			if (!pl_bitset_test(&pol->roles[ctx.role].types, ctx.type)) {
				sema_err(c, s->pos, "invalid context for initial sid '%s': role '%s' is not authorised for type '%s'",
					 s->name.name, pol->roles[ctx.role].name, pol->types[ctx.type].name);
				continue;
			}
			if (!pl_bitset_test(&pol->users[ctx.user].roles, ctx.role)) {
				sema_err(c, s->pos, "invalid context for initial sid '%s': user '%s' is not authorised for role '%s'",
					 s->name.name, pol->users[ctx.user].name, pol->roles[ctx.role].name);
				continue;
			}
		}
		is->has_context = true;
		is->context = ctx;
	}
}

/* ---- permissive, policycap ---- */

static const char *const known_caps[] = {
	"network_peer_controls", "open_perms", "extended_socket_class", "always_check_network",
	"cgroup_seclabel", "nnp_nosuid_transition", "genfs_seclabel_symlinks", "ioctl_skip_cloexec",
};

void sema_misc(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	uint32_t ncaps = 0;
	for (uint32_t i = 0; i < p->nstmts; i++)
		ncaps += p->stmts[i].kind == ST_POLICYCAP;
	pol->policycaps = pl_xcalloc(ncaps, sizeof *pol->policycaps);
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind == ST_PERMISSIVE) {
			uint32_t t = sema_resolve(c, &s->name, NS_TYPE, s->block, "type");
			if (t == AST_NONE)
				continue;
			if (c->syms[t].kind != SK_TYPE) {
				sema_err(c, s->name.pos, "'%s' is an attribute; only types can be permissive", s->name.name);
				continue;
			}
			if (sema_block_enabled(c, s->block) && c->syms[t].index != AST_NONE)
				pol->types[c->syms[t].index].permissive = true;
		} else if (s->kind == ST_POLICYCAP) {
			bool known = false;
			for (size_t k = 0; k < sizeof known_caps / sizeof known_caps[0]; k++)
				known |= strcmp(known_caps[k], s->name.name) == 0;
			if (!known) {
				sema_err(c, s->name.pos, "unknown policy capability '%s'", s->name.name);
				continue;
			}
			bool dup = false;
			for (uint32_t k = 0; k < pol->npolicycaps; k++)
				dup |= strcmp(pol->policycaps[k], s->name.name) == 0;
			if (!dup)
				pol->policycaps[pol->npolicycaps++] = pl_xstrdup(s->name.name);
		}
	}
}
