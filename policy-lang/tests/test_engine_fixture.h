/* Builds pl_policy values by hand for the binary and engine tests, so they
 * do not depend on the parser: small helpers that take names and
 * space-separated lists, and abort on misuse (a broken fixture is a bug in
 * the test, not a result). */
#ifndef TEST_ENGINE_FIXTURE_H
#define TEST_ENGINE_FIXTURE_H

#pragma GCC diagnostic ignored "-Wunused-function"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/binary.h"
#include "policy/engine.h"
#include "policy/policydb.h"

#define FX_GROW(arr, n) \
	do { \
		void *fx_np_ = realloc((arr), ((size_t)(n) + 1) * sizeof *(arr)); \
		if (!fx_np_) \
			abort(); \
		(arr) = fx_np_; \
		memset(&(arr)[(n)], 0, sizeof *(arr)); \
	} while (0)

static char *fx_strdup(const char *s)
{
	char *d = malloc(strlen(s) + 1);
	if (!d)
		abort();
	return strcpy(d, s);
}

static void fx_die(const char *what, const char *name)
{
	fprintf(stderr, "fixture: %s '%s'\n", what, name);
	abort();
}

/* Calls fn(ctx, word) for each space-separated word of list. */
static void fx_words(const char *list, void (*fn)(void *, const char *), void *ctx)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", list);
	char *save = NULL;
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		fn(ctx, w);
}

static int32_t fx_type_idx(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->ntypes; i++)
		if (!strcmp(p->types[i].name, name))
			return (int32_t)i;
	for (uint32_t i = 0; i < p->naliases; i++)
		if (!strcmp(p->aliases[i].name, name))
			return (int32_t)p->aliases[i].type;
	return -1;
}

static uint32_t fx_t(const pl_policy *p, const char *name)
{
	int32_t t = fx_type_idx(p, name);
	if (t < 0)
		fx_die("no type", name);
	return (uint32_t)t;
}

static uint32_t fx_r(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nroles; i++)
		if (!strcmp(p->roles[i].name, name))
			return i;
	fx_die("no role", name);
	return 0;
}

static uint32_t fx_u(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nusers; i++)
		if (!strcmp(p->users[i].name, name))
			return i;
	fx_die("no user", name);
	return 0;
}

static uint32_t fx_c(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nclasses; i++)
		if (!strcmp(p->classes[i].name, name))
			return i;
	fx_die("no class", name);
	return 0;
}

static uint32_t fx_b(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nbools; i++)
		if (!strcmp(p->bools[i].name, name))
			return i;
	fx_die("no bool", name);
	return 0;
}

static void fx_init(pl_policy *p)
{
	memset(p, 0, sizeof *p);
	FX_GROW(p->roles, p->nroles);
	p->roles[p->nroles++].name = fx_strdup("object_r");
}

static void add_perm_(void *ctx, const char *w)
{
	pl_class *c = ctx;
	if (c->nperms >= PL_MAX_PERMS)
		fx_die("too many perms", w);
	c->perms[c->nperms++] = fx_strdup(w);
}

static uint32_t fx_common(pl_policy *p, const char *name, const char *perms)
{
	pl_class tmp = {0};
	fx_words(perms, add_perm_, &tmp);
	FX_GROW(p->commons, p->ncommons);
	pl_common *c = &p->commons[p->ncommons];
	c->name = fx_strdup(name);
	c->nperms = tmp.nperms;
	memcpy(c->perms, tmp.perms, sizeof c->perms);
	return p->ncommons++;
}

static uint32_t fx_class(pl_policy *p, const char *name, int32_t common, const char *perms)
{
	FX_GROW(p->classes, p->nclasses);
	pl_class *c = &p->classes[p->nclasses];
	c->name = fx_strdup(name);
	c->common = common;
	if (common >= 0)
		for (uint32_t i = 0; i < p->commons[common].nperms; i++)
			c->perms[c->nperms++] = fx_strdup(p->commons[common].perms[i]);
	fx_words(perms, add_perm_, c);
	return p->nclasses++;
}

static uint32_t fx_perms(const pl_policy *p, uint32_t cls, const char *list)
{
	uint32_t bits = 0;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", list);
	char *save = NULL;
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		uint32_t k;
		for (k = 0; k < p->classes[cls].nperms; k++)
			if (!strcmp(p->classes[cls].perms[k], w))
				break;
		if (k == p->classes[cls].nperms)
			fx_die("no perm", w);
		bits |= 1u << k;
	}
	return bits;
}

static uint32_t fx_type_(pl_policy *p, const char *name, bool attr)
{
	FX_GROW(p->types, p->ntypes);
	p->types[p->ntypes].name = fx_strdup(name);
	p->types[p->ntypes].is_attr = attr;
	return p->ntypes++;
}

static uint32_t fx_type(pl_policy *p, const char *name)
{
	return fx_type_(p, name, false);
}

static uint32_t fx_attr(pl_policy *p, const char *name)
{
	return fx_type_(p, name, true);
}

static void fx_typeattr(pl_policy *p, const char *type, const char *attr)
{
	uint32_t t = fx_t(p, type), a = fx_t(p, attr);
	if (pl_bitset_set(&p->types[t].attrs, a) || pl_bitset_set(&p->types[a].members, t))
		abort();
}

static void fx_alias(pl_policy *p, const char *name, const char *type)
{
	FX_GROW(p->aliases, p->naliases);
	p->aliases[p->naliases].name = fx_strdup(name);
	p->aliases[p->naliases].type = fx_t(p, type);
	p->naliases++;
}

typedef struct fx_set_ctx {
	pl_policy *p;
	pl_bitset *set;
	int kind; /* 0 types (attributes expanded), 1 roles, 2 users */
} fx_set_ctx;

static void fx_set_add_(void *ctx, const char *w)
{
	fx_set_ctx *c = ctx;
	uint32_t i = c->kind == 0 ? fx_t(c->p, w) : c->kind == 1 ? fx_r(c->p, w) : fx_u(c->p, w);
	if (c->kind == 0 && c->p->types[i].is_attr) {
		if (pl_bitset_or(c->set, &c->p->types[i].members))
			abort();
		return;
	}
	if (pl_bitset_set(c->set, i))
		abort();
}

static uint32_t fx_role(pl_policy *p, const char *name, const char *types)
{
	FX_GROW(p->roles, p->nroles);
	p->roles[p->nroles].name = fx_strdup(name);
	fx_set_ctx c = {p, &p->roles[p->nroles].types, 0};
	fx_words(types, fx_set_add_, &c);
	return p->nroles++;
}

static uint32_t fx_user(pl_policy *p, const char *name, const char *roles)
{
	FX_GROW(p->users, p->nusers);
	p->users[p->nusers].name = fx_strdup(name);
	fx_set_ctx c = {p, &p->users[p->nusers].roles, 1};
	fx_words(roles, fx_set_add_, &c);
	return p->nusers++;
}

static uint32_t fx_bool(pl_policy *p, const char *name, bool value)
{
	FX_GROW(p->bools, p->nbools);
	p->bools[p->nbools].name = fx_strdup(name);
	p->bools[p->nbools].value = value;
	return p->nbools++;
}

/* rpn: "b1 b2 && !" with operators ! || && ^ == != */
static uint32_t fx_cond(pl_policy *p, const char *rpn)
{
	FX_GROW(p->conds, p->nconds);
	pl_cond *c = &p->conds[p->nconds];
	char buf[512];
	snprintf(buf, sizeof buf, "%s", rpn);
	char *save = NULL;
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		c->nodes = realloc(c->nodes, (c->nnodes + 1) * sizeof *c->nodes);
		if (!c->nodes)
			abort();
		pl_cond_node *n = &c->nodes[c->nnodes++];
		n->arg = 0;
		if (!strcmp(w, "!"))
			n->op = PL_COND_NOT;
		else if (!strcmp(w, "||"))
			n->op = PL_COND_OR;
		else if (!strcmp(w, "&&"))
			n->op = PL_COND_AND;
		else if (!strcmp(w, "^"))
			n->op = PL_COND_XOR;
		else if (!strcmp(w, "=="))
			n->op = PL_COND_EQ;
		else if (!strcmp(w, "!="))
			n->op = PL_COND_NEQ;
		else {
			n->op = PL_COND_BOOL;
			n->arg = fx_b(p, w);
		}
	}
	return p->nconds++;
}

static void fx_av(pl_policy *p, enum pl_av_kind kind, const char *src, const char *tgt,
		  const char *cls, const char *perms, uint32_t cond, bool branch)
{
	FX_GROW(p->avrules, p->navrules);
	pl_avrule *r = &p->avrules[p->navrules++];
	r->kind = kind;
	r->source = fx_t(p, src);
	r->target = fx_t(p, tgt);
	r->cls = fx_c(p, cls);
	r->perms = fx_perms(p, r->cls, perms);
	r->cond = cond;
	r->branch = branch;
}

static void fx_te(pl_policy *p, enum pl_te_kind kind, const char *src, const char *tgt,
		  const char *cls, const char *deflt, uint32_t cond, bool branch)
{
	FX_GROW(p->terules, p->nterules);
	pl_terule *r = &p->terules[p->nterules++];
	r->kind = kind;
	r->source = fx_t(p, src);
	r->target = fx_t(p, tgt);
	r->cls = fx_c(p, cls);
	r->deflt = fx_t(p, deflt);
	r->cond = cond;
	r->branch = branch;
}

static void fx_role_allow(pl_policy *p, const char *from, const char *to)
{
	FX_GROW(p->role_allows, p->nrole_allows);
	p->role_allows[p->nrole_allows].role = fx_r(p, from);
	p->role_allows[p->nrole_allows].new_role = fx_r(p, to);
	p->nrole_allows++;
}

static void fx_role_trans(pl_policy *p, const char *role, const char *type, const char *cls,
			  const char *new_role)
{
	FX_GROW(p->role_trans, p->nrole_trans);
	pl_role_trans *r = &p->role_trans[p->nrole_trans++];
	r->role = fx_r(p, role);
	r->type = fx_t(p, type);
	r->cls = fx_c(p, cls);
	r->new_role = fx_r(p, new_role);
}

/* Constraint expression tokens (postfix):
 *   not and or
 *   u1==u2 u1!=u2 r1==r2 r1!=r2 t1==t2 t1!=t2 r1dom r1domby r1incomp
 *   t1=NAME,NAME  t2!NAME  u1=...  r2=...   (names; '=' is ==, '!' is !=) */
static void fx_constraint(pl_policy *p, const char *cls, const char *perms, const char *rpn)
{
	FX_GROW(p->constraints, p->nconstraints);
	pl_constraint *c = &p->constraints[p->nconstraints++];
	c->cls = fx_c(p, cls);
	c->perms = fx_perms(p, c->cls, perms);
	char buf[512];
	snprintf(buf, sizeof buf, "%s", rpn);
	char *save = NULL;
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		c->expr = realloc(c->expr, (c->nexpr + 1) * sizeof *c->expr);
		if (!c->expr)
			abort();
		pl_cexpr *e = &c->expr[c->nexpr++];
		memset(e, 0, sizeof *e);
		uint32_t attr = w[0] == 'u' ? PL_CATTR_USER : w[0] == 'r' ? PL_CATTR_ROLE : PL_CATTR_TYPE;
		if (!strcmp(w, "not")) {
			e->kind = PL_CEXPR_NOT;
		} else if (!strcmp(w, "and")) {
			e->kind = PL_CEXPR_AND;
		} else if (!strcmp(w, "or")) {
			e->kind = PL_CEXPR_OR;
		} else if (strstr(w, "dom") || strstr(w, "incomp")) {
			e->kind = PL_CEXPR_ATTR;
			e->attr = PL_CATTR_ROLE;
			e->op = strstr(w, "domby") ? PL_COP_DOMBY : strstr(w, "dom") ? PL_COP_DOM : PL_COP_INCOMP;
		} else if (strstr(w, "==") || strstr(w, "!=")) {
			e->kind = PL_CEXPR_ATTR;
			e->attr = attr;
			e->op = strstr(w, "==") ? PL_COP_EQ : PL_COP_NEQ;
		} else {
			e->kind = PL_CEXPR_NAMES;
			e->attr = attr | (w[1] == '2' ? PL_CATTR_TARGET : 0);
			e->op = w[2] == '=' ? PL_COP_EQ : PL_COP_NEQ;
			char names[256];
			snprintf(names, sizeof names, "%s", w + 3);
			for (char *q = names; *q; q++)
				if (*q == ',')
					*q = ' ';
			fx_set_ctx sc = {p, &e->names, attr == PL_CATTR_TYPE ? 0 : attr == PL_CATTR_ROLE ? 1 : 2};
			fx_words(names, fx_set_add_, &sc);
		}
	}
}

static void fx_free(pl_policy *p)
{
	pl_policy_free(p);
}

/* A compiled and loaded policy with its evaluation state. */
typedef struct fx_loaded {
	uint8_t *bin;
	size_t len;
	pl_view v;
	pl_state st;
	uint8_t *mem;
} fx_loaded;

static int fx_load(const pl_policy *p, fx_loaded *l)
{
	char err[256];
	memset(l, 0, sizeof *l);
	if (pl_binary_write(p, &l->bin, &l->len, err, sizeof err) != 0) {
		fprintf(stderr, "write: %s\n", err);
		return -1;
	}
	pl_load_error e;
	if (pl_view_load(&l->v, l->bin, l->len, 0, &e) != PL_OK) {
		fprintf(stderr, "load: %s at %u\n", e.msg, e.offset);
		return -1;
	}
	l->mem = malloc(pl_state_size(&l->v) + 1);
	if (!l->mem || pl_state_init(&l->st, &l->v, l->mem, pl_state_size(&l->v) + 1) != PL_OK)
		return -1;
	return 0;
}

static void fx_unload(fx_loaded *l)
{
	free(l->bin);
	free(l->mem);
	memset(l, 0, sizeof *l);
}

/* The decision as polq prints its sets, for readable assertions:
 * "allowed= { read } auditallow= { } auditdeny= { read write }" */
static void fx_set_text(const pl_view *v, uint32_t cls, uint32_t bits, char *out, size_t n)
{
	size_t len = (size_t)snprintf(out, n, "{ ");
	for (uint32_t b = 0; b < pl_class_nperms(v, cls); b++)
		if (bits & (1u << b))
			len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s ", pl_perm_name(v, cls, b));
	snprintf(out + len, n > len ? n - len : 0, "}");
}

static const char *fx_query(fx_loaded *l, const char *scon, const char *tcon, const char *cls)
{
	static char out[1024];
	pl_ctx s, t;
	int rc;
	if ((rc = pl_context_parse(&l->v, scon, &s)) || (rc = pl_context_parse(&l->v, tcon, &t))) {
		snprintf(out, sizeof out, "error: %s", pl_strerror(rc));
		return out;
	}
	int32_t c = pl_find_class_n(&l->v, cls, strlen(cls));
	if (c < 0)
		return "error: unknown class";
	pl_av av;
	if (pl_compute_av(&l->v, &l->st, &s, &t, (uint32_t)c, &av))
		return "error: compute";
	char a[300], b[300], d[300];
	fx_set_text(&l->v, (uint32_t)c, av.allowed, a, sizeof a);
	fx_set_text(&l->v, (uint32_t)c, av.auditallow, b, sizeof b);
	fx_set_text(&l->v, (uint32_t)c, av.auditdeny, d, sizeof d);
	snprintf(out, sizeof out, "allowed= %s auditallow= %s auditdeny= %s", a, b, d);
	return out;
}

static const char *fx_create(fx_loaded *l, const char *scon, const char *tcon, const char *cls,
			     uint32_t kind)
{
	static char out[512];
	pl_ctx s, t, n;
	int rc;
	if ((rc = pl_context_parse(&l->v, scon, &s)) || (rc = pl_context_parse(&l->v, tcon, &t))) {
		snprintf(out, sizeof out, "error: %s", pl_strerror(rc));
		return out;
	}
	int32_t c = pl_find_class_n(&l->v, cls, strlen(cls));
	if (c < 0)
		return "error: unknown class";
	rc = pl_compute_create(&l->v, &l->st, &s, &t, (uint32_t)c, kind, &n);
	if (rc) {
		snprintf(out, sizeof out, "error: %s", pl_strerror(rc));
		return out;
	}
	snprintf(out, sizeof out, "%s:%s:%s", pl_user_name(&l->v, n.user), pl_role_name(&l->v, n.role),
		 pl_type_name(&l->v, n.type));
	return out;
}

#endif
