/* Symbols: collecting declarations, scopes of optional blocks, deciding
 * which optional blocks survive, and laying out the policy's symbol tables. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sema.h"

static const char *const ns_names[NS_COUNT] = {
	[NS_TYPE] = "type", [NS_ROLE] = "role", [NS_USER] = "user", [NS_BOOL] = "boolean",
	[NS_CLASS] = "class", [NS_COMMON] = "common", [NS_SID] = "initial sid",
};

void sema_err(checker *c, pl_srcpos pos, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pl_diag_error(c->diag, pos.file, pos.line, pos.col, "%s", msg);
}

uint32_t sema_lookup(const checker *c, const char *name, enum ast_ns ns)
{
	return pl_map_get(&c->names, (uint64_t)(uintptr_t)name, (uint64_t)ns, 0);
}

static uint32_t new_sym(checker *c, const ast_name *nm, enum ast_ns ns, enum sym_kind kind,
			uint32_t block, uint32_t stmt)
{
	sym *s = PL_PUSH(c->syms, c->nsyms, c->capsyms);
	s->ns = ns;
	s->kind = kind;
	s->name = nm->name;
	s->pos = nm->pos;
	s->block = block;
	s->next_decl = AST_NONE;
	s->stmt = stmt;
	s->def_stmt = AST_NONE;
	s->alias_of = AST_NONE;
	s->index = AST_NONE;
	return c->nsyms - 1;
}

static uint32_t declare(checker *c, const ast_name *nm, enum ast_ns ns, enum sym_kind kind,
			uint32_t block, uint32_t stmt)
{
	if (ns == NS_TYPE && strcmp(nm->name, "self") == 0) {
		sema_err(c, nm->pos, "'self' is a reserved type name");
		return AST_NONE;
	}
	int inserted;
	uint32_t *slot = pl_map_put(&c->names, (uint64_t)(uintptr_t)nm->name, (uint64_t)ns, 0, &inserted);
	if (!inserted) {
		const sym *old = &c->syms[*slot];
		const char *what = ns == NS_TYPE ? (old->kind == SK_ATTR ? "attribute" :
						    old->kind == SK_ALIAS ? "alias" : "type")
						 : ns_names[ns];
		sema_err(c, nm->pos, "duplicate declaration of '%s' (already declared as %s at %s:%u:%u)",
			 nm->name, what, old->pos.file, old->pos.line, old->pos.col);
		return AST_NONE;
	}
	uint32_t id = new_sym(c, nm, ns, kind, block, stmt);
	slot = pl_map_put(&c->names, (uint64_t)(uintptr_t)nm->name, (uint64_t)ns, 0, NULL);
	*slot = id;
	return id;
}

static bool is_ancestor(const checker *c, uint32_t anc, uint32_t b)
{
	for (; b != AST_NONE; b = c->prog->blocks[b].parent)
		if (b == anc)
			return true;
	return false;
}

static bool required_in_scope(const checker *c, const char *name, enum ast_ns ns, uint32_t block)
{
	if (!c->reqs.count)
		return false;
	for (uint32_t b = block; b != AST_NONE; b = c->prog->blocks[b].parent)
		if (pl_map_get(&c->reqs, (uint64_t)(uintptr_t)name, (uint64_t)ns, b) != AST_NONE)
			return true;
	return false;
}

static bool declared_in_scope(const checker *c, uint32_t s, uint32_t block)
{
	for (uint32_t x = s; x != AST_NONE; x = c->syms[x].next_decl)
		if (is_ancestor(c, c->syms[x].block, block))
			return true;
	return false;
}

bool sema_block_enabled(const checker *c, uint32_t block)
{
	return c->prog->blocks[block].enabled;
}

static bool sym_enabled(const checker *c, uint32_t s)
{
	for (uint32_t x = s; x != AST_NONE; x = c->syms[x].next_decl)
		if (c->prog->blocks[c->syms[x].block].enabled)
			return true;
	return false;
}

/* Roles and users may be declared again (checkpolicy merges them); a
 * statement naming one that is required or already visible only adds to it. */
static void declare_mergeable(checker *c, const ast_name *nm, enum ast_ns ns, uint32_t block,
			      uint32_t stmt)
{
	uint32_t s = sema_lookup(c, nm->name, ns);
	if (s == AST_NONE) {
		declare(c, nm, ns, SK_PLAIN, block, stmt);
		return;
	}
	if (declared_in_scope(c, s, block) || required_in_scope(c, nm->name, ns, block))
		return;
	uint32_t id = new_sym(c, nm, ns, SK_PLAIN, block, stmt);
	uint32_t x = s;
	while (c->syms[x].next_decl != AST_NONE)
		x = c->syms[x].next_decl;
	c->syms[x].next_decl = id;
}

void sema_collect(checker *c)
{
	ast_program *p = c->prog;
	ast_name objr = {pl_intern_str(p->strings, "object_r", 8), {0}};
	declare(c, &objr, NS_ROLE, SK_PLAIN, 0, AST_NONE);

	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_REQUIRE)
			continue;
		for (uint32_t j = 0; j < s->u.req.n; j++) {
			uint32_t *slot = pl_map_put(&c->reqs, (uint64_t)(uintptr_t)s->u.req.names[j].name,
						    (uint64_t)s->u.req.ns, s->block, NULL);
			*slot = i;
		}
	}

	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		uint32_t b = s->block;
		switch (s->kind) {
		case ST_CLASS_DECL:
		case ST_CLASS_DEF: {
			uint32_t id = sema_lookup(c, s->name.name, NS_CLASS);
			if (id == AST_NONE) {
				id = declare(c, &s->name, NS_CLASS, SK_PLAIN, b, AST_NONE);
			}
			sym *cs = &c->syms[id];
			uint32_t *field = s->kind == ST_CLASS_DECL ? &cs->stmt : &cs->def_stmt;
			if (*field != AST_NONE) {
				const pl_srcpos *o = &p->stmts[*field].pos;
				sema_err(c, s->name.pos, s->kind == ST_CLASS_DECL
					 ? "duplicate declaration of class '%s' (first at %s:%u:%u)"
					 : "duplicate permission definition for class '%s' (first at %s:%u:%u)",
					 s->name.name, o->file, o->line, o->col);
			} else {
				*field = i;
			}
			break;
		}
		case ST_COMMON:
			declare(c, &s->name, NS_COMMON, SK_PLAIN, b, i);
			break;
		case ST_SID_DECL:
			declare(c, &s->name, NS_SID, SK_PLAIN, b, i);
			break;
		case ST_TYPE: {
			uint32_t t = declare(c, &s->name, NS_TYPE, SK_TYPE, b, i);
			for (uint32_t j = 0; j < s->u.type.naliases; j++) {
				uint32_t a = declare(c, &s->u.type.aliases[j], NS_TYPE, SK_ALIAS, b, i);
				if (a != AST_NONE)
					c->syms[a].alias_of = t;
			}
			break;
		}
		case ST_TYPEALIAS:
			for (uint32_t j = 0; j < s->u.type.naliases; j++)
				declare(c, &s->u.type.aliases[j], NS_TYPE, SK_ALIAS, b, i);
			break;
		case ST_ATTRIBUTE:
			declare(c, &s->name, NS_TYPE, SK_ATTR, b, i);
			break;
		case ST_BOOL:
			declare(c, &s->name, NS_BOOL, SK_PLAIN, b, i);
			break;
		case ST_ROLE:
			/* As checkpolicy: `role R types ...` adds to a role that a
			 * plain `role R;` declares (anywhere, here). */
			if (!s->u.role.has_types)
				declare_mergeable(c, &s->name, NS_ROLE, b, i);
			break;
		case ST_USER:
			declare_mergeable(c, &s->name, NS_USER, b, i);
			break;
		default:
			break;
		}
	}

	/* A require names the kind too: type and attribute must agree. */
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_REQUIRE || s->u.req.ns != NS_TYPE)
			continue;
		for (uint32_t j = 0; j < s->u.req.n; j++) {
			uint32_t t = sema_lookup(c, s->u.req.names[j].name, NS_TYPE);
			if (t == AST_NONE || (c->syms[t].kind == SK_ATTR) == s->u.req.is_attr)
				continue;
			sema_err(c, s->u.req.names[j].pos, "'%s' is required as %s but declared as %s",
				 s->u.req.names[j].name, s->u.req.is_attr ? "an attribute" : "a type",
				 c->syms[t].kind == SK_ATTR ? "an attribute" : "a type");
		}
	}

	/* typealias targets may be declared after the alias. */
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_TYPEALIAS)
			continue;
		uint32_t t = sema_lookup(c, s->name.name, NS_TYPE);
		if (t == AST_NONE) {
			sema_err(c, s->name.pos, "unknown type '%s'", s->name.name);
			continue;
		}
		if (c->syms[t].kind == SK_ALIAS && c->syms[t].alias_of != AST_NONE)
			t = c->syms[t].alias_of; /* an alias of an alias names the type */
		if (c->syms[t].kind != SK_TYPE) {
			sema_err(c, s->name.pos, "'%s' is %s, not a type: only types have aliases",
				 s->name.name, c->syms[t].kind == SK_ATTR ? "an attribute" : "an unresolved alias");
			continue;
		}
		if (!declared_in_scope(c, t, s->block) && !required_in_scope(c, s->name.name, NS_TYPE, s->block)) {
			sema_err(c, s->name.pos, "type '%s' is not in scope here", s->name.name);
			continue;
		}
		for (uint32_t j = 0; j < s->u.type.naliases; j++) {
			uint32_t a = sema_lookup(c, s->u.type.aliases[j].name, NS_TYPE);
			if (a != AST_NONE && c->syms[a].kind == SK_ALIAS && c->syms[a].stmt == i)
				c->syms[a].alias_of = t;
		}
	}
}

uint32_t sema_resolve(checker *c, const ast_name *nm, enum ast_ns ns, uint32_t block,
		      const char *what)
{
	uint32_t s = sema_lookup(c, nm->name, ns);
	bool req = false;
	if (s == AST_NONE || !declared_in_scope(c, s, block)) {
		req = required_in_scope(c, nm->name, ns, block);
		if (!req) {
			if (s == AST_NONE) {
				sema_err(c, nm->pos, "unknown %s '%s'", what ? what : ns_names[ns], nm->name);
			} else {
				const pl_srcpos *d = &c->syms[s].pos;
				sema_err(c, nm->pos,
					 "%s '%s' is not in scope here: it is declared in an optional block "
					 "(%s:%u:%u) that does not enclose this statement; require it",
					 ns_names[ns], nm->name, d->file, d->line, d->col);
			}
			return AST_NONE;
		}
		/* Required: exists only if its declaring block survived. */
		if (s == AST_NONE || !sym_enabled(c, s)) {
			if (sema_block_enabled(c, block))
				sema_err(c, nm->pos, "required %s '%s' is not declared", ns_names[ns], nm->name);
			return AST_NONE;
		}
	}
	if (c->syms[s].kind == SK_ALIAS) {
		if (c->syms[s].alias_of == AST_NONE)
			return AST_NONE; /* its typealias statement was already reported */
		s = c->syms[s].alias_of;
	}
	return s;
}

/* An optional block survives when everything it requires is declared in a
 * surviving block; dropping one block can starve another, so iterate. */
static bool requires_met(checker *c, uint32_t block, const uint32_t *req_head, const uint32_t *req_next)
{
	for (uint32_t i = req_head[block]; i != AST_NONE; i = req_next[i]) {
		const ast_stmt *s = &c->prog->stmts[i];
		for (uint32_t j = 0; j < s->u.req.n; j++) {
			uint32_t sy = sema_lookup(c, s->u.req.names[j].name, s->u.req.ns);
			if (sy == AST_NONE || !sym_enabled(c, sy))
				return false;
			if (s->u.req.ns == NS_TYPE && c->syms[sy].kind == SK_ALIAS &&
			    c->syms[sy].alias_of != AST_NONE && !sym_enabled(c, c->syms[sy].alias_of))
				return false;
		}
	}
	return true;
}

void sema_enable_optionals(checker *c)
{
	ast_program *p = c->prog;
	if (p->nblocks <= 1)
		return;
	uint32_t *req_head = pl_xmalloc(p->nblocks * sizeof *req_head);
	uint32_t *req_next = pl_xmalloc(p->nstmts * sizeof *req_next);
	for (uint32_t b = 0; b < p->nblocks; b++)
		req_head[b] = AST_NONE;
	for (uint32_t i = p->nstmts; i-- > 0;) {
		if (p->stmts[i].kind != ST_REQUIRE)
			continue;
		req_next[i] = req_head[p->stmts[i].block];
		req_head[p->stmts[i].block] = i;
	}
	for (uint32_t b = 1; b < p->nblocks; b++)
		p->blocks[b].enabled = !p->blocks[b].is_else;
	bool changed = true;
	while (changed) {
		changed = false;
		for (uint32_t b = 1; b < p->nblocks; b++) {
			ast_block *blk = &p->blocks[b];
			if (blk->is_else || !blk->enabled)
				continue;
			if (!p->blocks[blk->parent].enabled || !requires_met(c, b, req_head, req_next)) {
				blk->enabled = false;
				changed = true;
			}
		}
	}
	/* Else branches hold no declarations, so deciding them last is exact. */
	for (uint32_t b = 1; b < p->nblocks; b++) {
		ast_block *blk = &p->blocks[b];
		if (!blk->is_else)
			continue;
		blk->enabled = p->blocks[blk->parent].enabled && !p->blocks[blk->main_block].enabled &&
			       requires_met(c, b, req_head, req_next);
	}
	free(req_head);
	free(req_next);
}

int32_t sema_perm_bit(const checker *c, uint32_t cls, const char *perm)
{
	uint32_t v = pl_map_get(&c->perm_bits, (uint64_t)(uintptr_t)perm, cls, 1);
	return v == AST_NONE ? -1 : (int32_t)v;
}

static int32_t common_perm_bit(const checker *c, uint32_t common, const char *perm)
{
	uint32_t v = pl_map_get(&c->perm_bits, (uint64_t)(uintptr_t)perm, common, 2);
	return v == AST_NONE ? -1 : (int32_t)v;
}

static bool add_perm(checker *c, char **perms, uint32_t *n, const ast_name *nm, uint64_t owner,
		     uint64_t space, const char *what, const char *ownername)
{
	int inserted;
	uint32_t *slot = pl_map_put(&c->perm_bits, (uint64_t)(uintptr_t)nm->name, owner, space, &inserted);
	if (!inserted) {
		sema_err(c, nm->pos, "duplicate permission '%s' in %s '%s'", nm->name, what, ownername);
		return false;
	}
	if (*n >= PL_MAX_PERMS) {
		sema_err(c, nm->pos, "%s '%s' has more than %d permissions", what, ownername, PL_MAX_PERMS);
		*slot = AST_NONE;
		return false;
	}
	*slot = *n;
	perms[(*n)++] = pl_xstrdup(nm->name);
	return true;
}

static void build_classes(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	uint32_t ncommons = 0, nclasses = 0;
	for (uint32_t i = 0; i < c->nsyms; i++) {
		if (c->syms[i].ns == NS_COMMON)
			ncommons++;
		else if (c->syms[i].ns == NS_CLASS)
			nclasses++;
	}
	pol->commons = pl_xcalloc(ncommons, sizeof *pol->commons);
	pol->classes = pl_xcalloc(nclasses, sizeof *pol->classes);
	for (uint32_t i = 0; i < c->nsyms; i++) {
		sym *s = &c->syms[i];
		if (s->ns != NS_COMMON)
			continue;
		uint32_t idx = pol->ncommons++;
		s->index = idx;
		pl_common *cm = &pol->commons[idx];
		cm->name = pl_xstrdup(s->name);
		const ast_stmt *st = &p->stmts[s->stmt];
		for (uint32_t j = 0; j < st->u.cls.nperms; j++)
			if (!add_perm(c, cm->perms, &cm->nperms, &st->u.cls.perms[j], idx, 2, "common", s->name))
				if (cm->nperms >= PL_MAX_PERMS)
					break;
	}
	for (uint32_t i = 0; i < c->nsyms; i++) {
		sym *s = &c->syms[i];
		if (s->ns != NS_CLASS)
			continue;
		uint32_t idx = pol->nclasses++;
		s->index = idx;
		pl_class *cl = &pol->classes[idx];
		cl->name = pl_xstrdup(s->name);
		cl->common = -1;
		if (s->def_stmt == AST_NONE)
			continue;
		const ast_stmt *st = &p->stmts[s->def_stmt];
		if (st->u.cls.has_common) {
			uint32_t cm = sema_lookup(c, st->u.cls.common.name, NS_COMMON);
			if (cm == AST_NONE) {
				sema_err(c, st->u.cls.common.pos, "unknown common '%s'", st->u.cls.common.name);
			} else {
				const pl_common *com = &pol->commons[c->syms[cm].index];
				cl->common = (int32_t)c->syms[cm].index;
				for (uint32_t j = 0; j < com->nperms; j++) {
					uint32_t *slot = pl_map_put(&c->perm_bits,
								    (uint64_t)(uintptr_t)pl_intern_str(p->strings, com->perms[j], strlen(com->perms[j])),
								    idx, 1, NULL);
					*slot = j;
					cl->perms[cl->nperms++] = pl_xstrdup(com->perms[j]);
				}
			}
		}
		for (uint32_t j = 0; j < st->u.cls.nperms; j++) {
			const ast_name *pn = &st->u.cls.perms[j];
			if (cl->common >= 0 && common_perm_bit(c, (uint32_t)cl->common, pn->name) >= 0) {
				sema_err(c, pn->pos, "permission '%s' of class '%s' is already inherited from common '%s'",
					 pn->name, s->name, pol->commons[cl->common].name);
				continue;
			}
			if (!add_perm(c, cl->perms, &cl->nperms, pn, idx, 1, "class", s->name) &&
			    cl->nperms >= PL_MAX_PERMS)
				break;
		}
	}
}

static char *dup_name(const char *s)
{
	return pl_xstrdup(s);
}

void sema_build_tables(checker *c)
{
	ast_program *p = c->prog;
	pl_policy *pol = c->pol;
	build_classes(c);

	uint32_t ntypes = 0, naliases = 0, nroles = 0, nusers = 0, nbools = 0, nsids = 0;
	for (uint32_t i = 0; i < c->nsyms; i++) {
		const sym *s = &c->syms[i];
		bool on = p->blocks[s->block].enabled;
		switch (s->ns) {
		case NS_TYPE:
			if (!on)
				break;
			if (s->kind == SK_ALIAS)
				naliases++;
			else
				ntypes++;
			break;
		case NS_ROLE: nroles++; break;
		case NS_USER: nusers++; break;
		case NS_BOOL: nbools += on; break;
		case NS_SID: nsids++; break;
		default: break;
		}
	}
	pol->types = pl_xcalloc(ntypes, sizeof *pol->types);
	pol->aliases = pl_xcalloc(naliases, sizeof *pol->aliases);
	pol->roles = pl_xcalloc(nroles, sizeof *pol->roles);
	pol->users = pl_xcalloc(nusers, sizeof *pol->users);
	pol->bools = pl_xcalloc(nbools, sizeof *pol->bools);
	pol->isids = pl_xcalloc(nsids, sizeof *pol->isids);
	c->type_sym = pl_xcalloc(ntypes, sizeof *c->type_sym);

	for (uint32_t i = 0; i < c->nsyms; i++) {
		sym *s = &c->syms[i];
		if (s->ns != NS_TYPE || s->kind == SK_ALIAS || !p->blocks[s->block].enabled)
			continue;
		uint32_t idx = pol->ntypes++;
		s->index = idx;
		c->type_sym[idx] = i;
		pol->types[idx].name = dup_name(s->name);
		pol->types[idx].is_attr = s->kind == SK_ATTR;
		if (s->kind == SK_TYPE)
			pl_bitset_set(&c->all_types, idx);
	}
	for (uint32_t i = 0; i < c->nsyms; i++) {
		sym *s = &c->syms[i];
		if (s->ns != NS_TYPE || s->kind != SK_ALIAS || !p->blocks[s->block].enabled ||
		    s->alias_of == AST_NONE || c->syms[s->alias_of].index == AST_NONE)
			continue;
		pl_alias *a = &pol->aliases[pol->naliases++];
		a->name = dup_name(s->name);
		a->type = c->syms[s->alias_of].index;
		s->index = a->type;
	}
	for (uint32_t i = 0; i < c->nsyms; i++) {
		sym *s = &c->syms[i];
		if (s->ns == NS_ROLE || s->ns == NS_USER) {
			/* Only the first declaration names the symbol. */
			if (sema_lookup(c, s->name, s->ns) != i || !sym_enabled(c, i))
				continue;
			if (s->ns == NS_ROLE) {
				s->index = pol->nroles++;
				pol->roles[s->index].name = dup_name(s->name);
			} else {
				s->index = pol->nusers++;
				pol->users[s->index].name = dup_name(s->name);
			}
		} else if (s->ns == NS_BOOL && p->blocks[s->block].enabled) {
			s->index = pol->nbools++;
			pol->bools[s->index].name = dup_name(s->name);
			pol->bools[s->index].value = p->stmts[s->stmt].u.boolean.value;
		} else if (s->ns == NS_SID) {
			s->index = pol->nisids++;
			pol->isids[s->index].name = dup_name(s->name);
		}
	}
	/* Secondary declarations of roles and users share the first's index. */
	for (uint32_t i = 0; i < c->nsyms; i++) {
		sym *s = &c->syms[i];
		if ((s->ns == NS_ROLE || s->ns == NS_USER) && s->index != AST_NONE)
			for (uint32_t x = s->next_decl; x != AST_NONE; x = c->syms[x].next_decl)
				c->syms[x].index = s->index;
	}

	/* A required class must have the permissions its require names. */
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_REQUIRE || s->u.req.ns != NS_CLASS || !s->u.req.n)
			continue;
		uint32_t cs = sema_lookup(c, s->u.req.names[0].name, NS_CLASS);
		if (cs == AST_NONE) {
			/* Classes are global, so a missing one is a mistake, not
			 * a reason to drop the block (checkpolicy agrees). */
			sema_err(c, s->u.req.names[0].pos, "require of unknown class '%s'", s->u.req.names[0].name);
			continue;
		}
		for (uint32_t j = 0; j < s->u.req.nperms; j++)
			if (sema_perm_bit(c, c->syms[cs].index, s->u.req.perms[j].name) < 0)
				sema_err(c, s->u.req.perms[j].pos,
					 "require of permission '%s' which class '%s' does not have",
					 s->u.req.perms[j].name, s->u.req.names[0].name);
	}
}
