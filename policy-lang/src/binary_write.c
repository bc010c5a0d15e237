/* Serialises the expanded in-memory policy (policydb.h) into the binary
 * format of binary_format.h.  The writer does the expensive work once, on the
 * host, so that the device's reader only validates and the engine only
 * probes: AV rules are folded into one hash entry per (source, target, class)
 * with attributes expanded to types when that stays within a size bound, and
 * every name table gets a sorted index for context parsing. */
#include "policy/binary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/binary_format.h"
#include "policy/binary_tuning.h"
#include "policy/engine.h"

_Static_assert(PL_AV_ALLOW == PL_BIN_AV_ALLOW && PL_AV_AUDITALLOW == PL_BIN_AV_AUDITALLOW &&
		       PL_AV_DONTAUDIT == PL_BIN_AV_DONTAUDIT,
	       "AV kinds are stored as policydb.h numbers them");
_Static_assert(PL_TE_TRANSITION == PL_BIN_TE_TRANSITION && PL_TE_MEMBER == PL_BIN_TE_MEMBER &&
		       PL_TE_CHANGE == PL_BIN_TE_CHANGE,
	       "TE kinds are stored as policydb.h numbers them");
_Static_assert(PL_COND_BOOL == PL_BIN_COND_BOOL && PL_COND_NEQ == PL_BIN_COND_NEQ,
	       "cond ops are stored as policydb.h numbers them");
_Static_assert(PL_CEXPR_NAMES == PL_BIN_CEXPR_NAMES && PL_CATTR_TYPE == PL_BIN_CATTR_TYPE &&
		       PL_CATTR_TARGET == PL_BIN_CATTR_TARGET && PL_COP_INCOMP == PL_BIN_COP_INCOMP,
	       "constraint codes are stored as policydb.h numbers them");

/* Expanding attributes multiplies entries; beyond this many (source type,
 * target type, class) entries the table keeps attribute keys instead and the
 * engine walks attribute pairs (see docs/POLICY-BINARY.md). */
uint32_t pl_binary_expand_limit = PL_BINARY_EXPAND_LIMIT;

typedef struct vec {
	uint8_t *data;
	size_t len, cap;
} vec;

typedef struct writer {
	const pl_policy *p;
	vec sec[PL_SEC_COUNT];
	bool oom;
	char *err;
	size_t errlen;
	int failed;
} writer;

static void fail(writer *w, const char *fmt, ...)
{
	if (w->failed)
		return;
	w->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
}

static void *vec_push(writer *w, vec *v, const void *rec, size_t n)
{
	if (n == 0)
		return v->data; /* an empty record (zero-width bitmap): nothing to add */
	if (v->len + n > v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		while (cap < v->len + n)
			cap *= 2;
		uint8_t *d = realloc(v->data, cap);
		if (!d) {
			w->oom = true;
			fail(w, "out of memory");
			return NULL;
		}
		v->data = d;
		v->cap = cap;
	}
	void *dst = v->data + v->len;
	if (rec)
		memcpy(dst, rec, n);
	else
		memset(dst, 0, n);
	v->len += n;
	return dst;
}

static uint32_t count_of(const writer *w, int sec, size_t entsize)
{
	return (uint32_t)(w->sec[sec].len / entsize);
}

static void push_u32(writer *w, int sec, uint32_t x)
{
	vec_push(w, &w->sec[sec], &x, sizeof x);
}

static uint32_t add_string(writer *w, const char *s)
{
	vec *v = &w->sec[PL_SEC_STRINGS];
	if (!s)
		s = "";
	size_t off = v->len;
	if (off > UINT32_MAX - 1) {
		fail(w, "string table too large");
		return 0;
	}
	vec_push(w, v, s, strlen(s) + 1);
	return (uint32_t)off;
}

/* ---- sorting with a context (qsort has none in C11) ---- */

typedef int (*cmp_fn)(const void *ctx, uint32_t a, uint32_t b);

static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n, cmp_fn cmp, const void *ctx)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(a, tmp, h, cmp, ctx);
	merge_sort(a + h, tmp, n - h, cmp, ctx);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = cmp(ctx, a[j], a[i]) < 0 ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof *a);
}

/* Stable: equal keys keep their original order, which the engine relies on
 * for "first matching rule" semantics. */
static uint32_t *sorted_order(writer *w, uint32_t n, cmp_fn cmp, const void *ctx)
{
	uint32_t *a = malloc(((size_t)n + 1) * sizeof *a);
	uint32_t *tmp = malloc(((size_t)n + 1) * sizeof *tmp);
	if (!a || !tmp) {
		free(a);
		free(tmp);
		w->oom = true;
		fail(w, "out of memory");
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++)
		a[i] = i;
	merge_sort(a, tmp, n, cmp, ctx);
	free(tmp);
	return a;
}

/* ---- name indices ---- */

typedef struct names {
	const void *base;
	size_t stride; /* the name is the struct's first member, a char * */
} names;

static const char *name_at(const names *nm, uint32_t i)
{
	return *(char *const *)((const char *)nm->base + (size_t)i * nm->stride);
}

static int cmp_names(const void *ctx, uint32_t a, uint32_t b)
{
	return strcmp(name_at(ctx, a), name_at(ctx, b));
}

static void write_index(writer *w, int sec, const void *base, size_t stride, uint32_t n,
			const char *what)
{
	names nm = {base, stride};
	uint32_t *ord = sorted_order(w, n, cmp_names, &nm);
	if (!ord)
		return;
	for (uint32_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(name_at(&nm, ord[i - 1]), name_at(&nm, ord[i])) == 0)
			fail(w, "duplicate %s name '%s'", what, name_at(&nm, ord[i]));
		push_u32(w, sec, ord[i]);
	}
	free(ord);
}

/* ---- bitmaps ---- */

static uint32_t words_for(uint32_t nbits)
{
	return (nbits + 31) / 32;
}

/* Appends a bitmap of nbits bits taken from b; bits beyond nbits must be
 * clear, since they would name nothing. */
static uint32_t add_bitmap(writer *w, const pl_bitset *b, uint32_t nbits, const char *what)
{
	uint32_t first = count_of(w, PL_SEC_BITMAPS, 4);
	uint32_t nw = words_for(nbits);
	for (uint32_t i = 0; i < nw; i++) {
		uint32_t word = 0;
		for (uint32_t j = 0; j < 32 && i * 32 + j < nbits; j++)
			if (pl_bitset_test(b, i * 32 + j))
				word |= 1u << j;
		push_u32(w, PL_SEC_BITMAPS, word);
	}
	uint32_t next = pl_bitset_next(b, nbits);
	if (next != UINT32_MAX)
		fail(w, "%s refers to index %u, out of range", what, next);
	return first;
}

/* ---- symbols ---- */

static uint32_t class_mask(const pl_class *c)
{
	return c->nperms >= 32 ? 0xffffffffu : (1u << c->nperms) - 1;
}

static void write_symbols(writer *w)
{
	const pl_policy *p = w->p;
	for (uint32_t i = 0; i < p->ncommons; i++) {
		const pl_common *c = &p->commons[i];
		if (c->nperms > PL_MAX_PERMS)
			fail(w, "common '%s' has more than 32 permissions", c->name);
		pl_bin_common r = {add_string(w, c->name), c->nperms,
				   count_of(w, PL_SEC_PERMNAMES, 4)};
		for (uint32_t k = 0; k < c->nperms && k < PL_MAX_PERMS; k++)
			push_u32(w, PL_SEC_PERMNAMES, add_string(w, c->perms[k]));
		vec_push(w, &w->sec[PL_SEC_COMMONS], &r, sizeof r);
	}
	for (uint32_t i = 0; i < p->nclasses; i++) {
		const pl_class *c = &p->classes[i];
		if (c->nperms > PL_MAX_PERMS)
			fail(w, "class '%s' has more than 32 permissions", c->name);
		if (c->common >= 0 && (uint32_t)c->common >= p->ncommons)
			fail(w, "class '%s' inherits an unknown common", c->name);
		pl_bin_class r = {add_string(w, c->name), c->common < 0 ? PL_BIN_NONE : (uint32_t)c->common,
				  c->nperms, count_of(w, PL_SEC_PERMNAMES, 4), 0, 0};
		for (uint32_t k = 0; k < c->nperms && k < PL_MAX_PERMS; k++)
			push_u32(w, PL_SEC_PERMNAMES, add_string(w, c->perms[k]));
		vec_push(w, &w->sec[PL_SEC_CLASSES], &r, sizeof r);
	}
	uint32_t nattrs = 0;
	for (uint32_t i = 0; i < p->ntypes; i++) {
		const pl_type *t = &p->types[i];
		const pl_bitset *list = t->is_attr ? &t->members : &t->attrs;
		pl_bin_type r = {add_string(w, t->name),
				 (t->is_attr ? PL_BIN_TYPE_ATTR : 0) |
					 (t->permissive ? PL_BIN_TYPE_PERMISSIVE : 0),
				 count_of(w, PL_SEC_TYPELISTS, 4), 0, t->is_attr ? nattrs++ : PL_BIN_NONE};
		PL_BITSET_FOREACH(list, k) {
			if (k >= p->ntypes || p->types[k].is_attr == t->is_attr) {
				fail(w, "%s '%s' lists a bad %s index %u", t->is_attr ? "attribute" : "type",
				     t->name, t->is_attr ? "member" : "attribute", k);
				break;
			}
			push_u32(w, PL_SEC_TYPELISTS, k);
			r.nlist++;
		}
		vec_push(w, &w->sec[PL_SEC_TYPES], &r, sizeof r);
	}
	for (uint32_t i = 0; i < p->naliases; i++) {
		const pl_alias *a = &p->aliases[i];
		if (a->type >= p->ntypes || p->types[a->type].is_attr)
			fail(w, "alias '%s' names no type", a->name);
		pl_bin_alias r = {add_string(w, a->name), a->type};
		vec_push(w, &w->sec[PL_SEC_ALIASES], &r, sizeof r);
	}
	if (p->nroles == 0)
		fail(w, "policy has no roles (object_r must be role 0)");
	for (uint32_t i = 0; i < p->nroles; i++) {
		const pl_role *ro = &p->roles[i];
		pl_bin_role r = {add_string(w, ro->name), add_bitmap(w, &ro->types, p->ntypes, ro->name)};
		PL_BITSET_FOREACH(&ro->types, k) {
			if (k < p->ntypes && p->types[k].is_attr) {
				fail(w, "role '%s' lists attribute '%s'", ro->name, p->types[k].name);
				break;
			}
		}
		vec_push(w, &w->sec[PL_SEC_ROLES], &r, sizeof r);
	}
	for (uint32_t i = 0; i < p->nusers; i++) {
		const pl_user *u = &p->users[i];
		pl_bin_user r = {add_string(w, u->name), add_bitmap(w, &u->roles, p->nroles, u->name)};
		vec_push(w, &w->sec[PL_SEC_USERS], &r, sizeof r);
	}
	for (uint32_t i = 0; i < p->nbools; i++) {
		pl_bin_bool r = {add_string(w, p->bools[i].name), p->bools[i].value ? 1u : 0u};
		vec_push(w, &w->sec[PL_SEC_BOOLS], &r, sizeof r);
	}
	for (uint32_t i = 0; i < p->nisids; i++) {
		const pl_isid *s = &p->isids[i];
		pl_bin_isid r = {add_string(w, s->name), s->has_context ? 1u : 0u, 0, 0, 0};
		if (s->has_context) {
			r.user = s->context.user;
			r.role = s->context.role;
			r.type = s->context.type;
			if (r.user >= p->nusers || r.role >= p->nroles || r.type >= p->ntypes)
				fail(w, "initial sid '%s' has a context out of range", s->name);
		}
		vec_push(w, &w->sec[PL_SEC_ISIDS], &r, sizeof r);
	}
}

/* ---- conditionals ---- */

static void write_conds(writer *w)
{
	const pl_policy *p = w->p;
	for (uint32_t i = 0; i < p->nconds; i++) {
		const pl_cond *c = &p->conds[i];
		pl_bin_cond r = {count_of(w, PL_SEC_CONDEXPR, sizeof(pl_bin_cond_node)), c->nnodes};
		int depth = 0, maxdepth = 0;
		for (uint32_t k = 0; k < c->nnodes; k++) {
			const pl_cond_node *n = &c->nodes[k];
			pl_bin_cond_node bn = {(uint32_t)n->op, 0};
			if (n->op == PL_COND_BOOL) {
				if (n->arg >= p->nbools)
					fail(w, "conditional %u names boolean %u, out of range", i, n->arg);
				bn.arg = n->arg;
				depth++;
			} else if (n->op == PL_COND_NOT) {
				if (depth < 1)
					depth = -1000;
			} else if (n->op >= PL_COND_OR && n->op <= PL_COND_NEQ) {
				depth--;
			} else {
				fail(w, "conditional %u has an unknown operator %d", i, (int)n->op);
			}
			if (depth < 1)
				fail(w, "conditional %u is not a well-formed expression", i);
			if (depth > maxdepth)
				maxdepth = depth;
			vec_push(w, &w->sec[PL_SEC_CONDEXPR], &bn, sizeof bn);
		}
		if (depth != 1)
			fail(w, "conditional %u is not a well-formed expression", i);
		if (maxdepth > (int)PL_BIN_MAX_DEPTH)
			fail(w, "conditional %u nests deeper than %u", i, PL_BIN_MAX_DEPTH);
		vec_push(w, &w->sec[PL_SEC_CONDS], &r, sizeof r);
	}
}

/* ---- the AV table: rules merged per (source key, target key, class) in a
 * hash map, then laid out as rows (binary_format.h) ---- */

typedef struct av_acc {
	uint32_t src, tgt, cls;
	uint32_t rank; /* the target's attr_rank, PL_BIN_NONE for a type */
	pl_bin_avent e;
	uint32_t cond_head; /* list in the contribution pool, PL_BIN_NONE-terminated */
} av_acc;

typedef struct cond_contrib {
	pl_bin_condav c;
	uint32_t next;
} cond_contrib;

typedef struct av_map {
	av_acc *ents;
	uint32_t n, cap;
	uint32_t *slots; /* entry index + 1; 0 empty */
	uint32_t mask;
	cond_contrib *pool;
	uint32_t npool, poolcap;
} av_map;

static void av_map_free(av_map *m)
{
	free(m->ents);
	free(m->slots);
	free(m->pool);
	memset(m, 0, sizeof *m);
}

static uint32_t av_hash(uint32_t src, uint32_t tgt, uint32_t cls)
{
	uint32_t h = src * 0x9e3779b1u;
	h ^= tgt * 0x85ebca77u + (h >> 16);
	h ^= cls * 0xc2b2ae3du + (h >> 13);
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	return h ^ (h >> 12);
}

static int av_map_grow(av_map *m)
{
	uint32_t nsize = m->slots ? (m->mask + 1) * 2 : 1024;
	uint32_t *ns = calloc(nsize, sizeof *ns);
	if (!ns)
		return -1;
	for (uint32_t i = 0; i < m->n; i++) {
		uint32_t h = av_hash(m->ents[i].src, m->ents[i].tgt, m->ents[i].cls) & (nsize - 1);
		while (ns[h])
			h = (h + 1) & (nsize - 1);
		ns[h] = i + 1;
	}
	free(m->slots);
	m->slots = ns;
	m->mask = nsize - 1;
	return 0;
}

static av_acc *av_map_get(av_map *m, uint32_t s, uint32_t t, uint32_t c)
{
	if (!m->slots || (uint64_t)(m->n + 1) * 2 > (uint64_t)m->mask + 1)
		if (av_map_grow(m) < 0)
			return NULL;
	uint32_t h = av_hash(s, t, c) & m->mask;
	while (m->slots[h]) {
		av_acc *a = &m->ents[m->slots[h] - 1];
		if (a->src == s && a->tgt == t && a->cls == c)
			return a;
		h = (h + 1) & m->mask;
	}
	if (m->n == m->cap) {
		uint32_t ncap = m->cap ? m->cap * 2 : 1024;
		av_acc *ne = realloc(m->ents, (size_t)ncap * sizeof *ne);
		if (!ne)
			return NULL;
		m->ents = ne;
		m->cap = ncap;
	}
	av_acc *a = &m->ents[m->n];
	memset(a, 0, sizeof *a);
	a->src = s;
	a->tgt = t;
	a->cls = c;
	a->cond_head = PL_BIN_NONE;
	m->slots[h] = ++m->n;
	return a;
}

static int av_add(av_map *m, uint32_t s, uint32_t t, const pl_avrule *r)
{
	av_acc *a = av_map_get(m, s, t, r->cls);
	if (!a)
		return -1;
	if (r->cond == PL_UNCOND) {
		if (r->kind == PL_AV_ALLOW)
			a->e.allowed |= r->perms;
		else if (r->kind == PL_AV_AUDITALLOW)
			a->e.auditallow |= r->perms;
		else
			a->e.dontaudit |= r->perms;
		return 0;
	}
	uint32_t kind = (uint32_t)r->kind | (r->branch ? PL_BIN_CONDAV_BRANCH : 0);
	for (uint32_t i = a->cond_head; i != PL_BIN_NONE; i = m->pool[i].next) {
		if (m->pool[i].c.cond == r->cond && m->pool[i].c.kind == kind) {
			m->pool[i].c.perms |= r->perms;
			return 0;
		}
	}
	if (m->npool == m->poolcap) {
		uint32_t ncap = m->poolcap ? m->poolcap * 2 : 1024;
		cond_contrib *np = realloc(m->pool, (size_t)ncap * sizeof *np);
		if (!np)
			return -1;
		m->pool = np;
		m->poolcap = ncap;
	}
	cond_contrib *c = &m->pool[m->npool];
	c->c.cond = r->cond;
	c->c.kind = kind;
	c->c.perms = r->perms;
	/* Appending keeps contributions in rule order. */
	c->next = PL_BIN_NONE;
	if (a->cond_head == PL_BIN_NONE) {
		a->cond_head = m->npool;
	} else {
		uint32_t i = a->cond_head;
		while (m->pool[i].next != PL_BIN_NONE)
			i = m->pool[i].next;
		m->pool[i].next = m->npool;
	}
	m->npool++;
	return 0;
}

/* Iterates an attribute's members, or the single type `single`. */
static uint32_t first_of(const pl_bitset *members, uint32_t single)
{
	return single != UINT32_MAX ? single : pl_bitset_next(members, 0);
}

static uint32_t next_of(const pl_bitset *members, uint32_t single, uint32_t cur)
{
	return single != UINT32_MAX ? UINT32_MAX : pl_bitset_next(members, cur + 1);
}

/* Returns 1 when the expansion would exceed EXPAND_LIMIT, -1 on OOM. */
static int av_fill(const pl_policy *p, av_map *m, bool expand, uint32_t limit)
{
	for (uint32_t i = 0; i < p->navrules; i++) {
		const pl_avrule *r = &p->avrules[i];
		if (r->kind == PL_AV_NEVERALLOW)
			continue;
		const pl_type *st = &p->types[r->source], *tt = &p->types[r->target];
		if (!expand || (!st->is_attr && !tt->is_attr)) {
			if (av_add(m, r->source, r->target, r) < 0)
				return -1;
			if (expand && m->n > limit)
				return 1;
			continue;
		}
		uint32_t s_only = st->is_attr ? UINT32_MAX : r->source;
		uint32_t t_only = tt->is_attr ? UINT32_MAX : r->target;
		for (uint32_t s = first_of(&st->members, s_only); s != UINT32_MAX;
		     s = next_of(&st->members, s_only, s)) {
			for (uint32_t t = first_of(&tt->members, t_only); t != UINT32_MAX;
			     t = next_of(&tt->members, t_only, t)) {
				if (av_add(m, s, t, r) < 0)
					return -1;
				if (m->n > limit)
					return 1;
			}
		}
	}
	return 0;
}

/* Summaries (see binary_format.h); left out when they would be large. */
#define SUMMARY_MAX_BYTES (32u << 20)

static void summarise_row(writer *w, uint64_t *sum, uint32_t nw, uint32_t key, uint32_t cls)
{
	const pl_bin_avrow *r = (const pl_bin_avrow *)w->sec[PL_SEC_AVROWS].data + (size_t)key * w->p->nclasses + cls;
	if (!(r->nattr | r->ntype))
		return;
	const uint32_t *tg = (const uint32_t *)w->sec[PL_SEC_AVTGT].data + r->first_tgt;
	if (r->nattr) {
		for (uint32_t i = 0; i < nw; i++)
			sum[i] |= tg[2 * i] | (uint64_t)tg[2 * i + 1] << 32;
		tg += 2 * nw + r->nattr;
	}
	for (uint32_t i = 0; i < r->ntype; i++) {
		uint32_t h = pl_bin_type_bloom(tg[i]);
		sum[nw + h / 64] |= (uint64_t)1 << (h % 64);
	}
}

static void write_summaries(writer *w, uint32_t nw)
{
	const pl_policy *p = w->p;
	uint32_t per = nw + PL_BIN_SUM_BLOOM_WORDS;
	if ((uint64_t)p->ntypes * p->nclasses * per * 8 > SUMMARY_MAX_BYTES)
		return;
	const pl_bin_type *bt = (const pl_bin_type *)w->sec[PL_SEC_TYPES].data;
	for (uint32_t t = 0; t < p->ntypes; t++) {
		uint64_t words[PL_BIN_ROWBITS_MAX_WORDS] = {0};
		if (!p->types[t].is_attr)
			PL_BITSET_FOREACH(&p->types[t].attrs, a)
				words[bt[a].attr_rank / 64] |= (uint64_t)1 << (bt[a].attr_rank % 64);
		vec_push(w, &w->sec[PL_SEC_TYPEBITS], words, (size_t)nw * 8);
	}
	for (uint32_t s = 0; s < p->ntypes && !w->failed; s++) {
		for (uint32_t c = 0; c < p->nclasses; c++) {
			uint64_t sum[PL_BIN_ROWBITS_MAX_WORDS + PL_BIN_SUM_BLOOM_WORDS] = {0};
			/* Attributes get an empty summary: no context has one as
			 * its type. */
			if (!p->types[s].is_attr) {
				summarise_row(w, sum, nw, s, c);
				PL_BITSET_FOREACH(&p->types[s].attrs, a)
					summarise_row(w, sum, nw, a, c);
			}
			vec_push(w, &w->sec[PL_SEC_AVSUM], sum, (size_t)per * 8);
		}
	}
}

static int cmp_av_acc(const void *ctx, uint32_t a, uint32_t b)
{
	const av_acc *x = (const av_acc *)ctx + a, *y = (const av_acc *)ctx + b;
	/* Attribute targets first (rank order is index order), then types. */
	uint32_t kx[4] = {x->src, x->cls, x->rank == PL_BIN_NONE, x->tgt};
	uint32_t ky[4] = {y->src, y->cls, y->rank == PL_BIN_NONE, y->tgt};
	for (int i = 0; i < 4; i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	return 0;
}

static void write_avtab(writer *w, uint32_t *flags)
{
	const pl_policy *p = w->p;
	for (uint32_t i = 0; i < p->navrules; i++) {
		const pl_avrule *r = &p->avrules[i];
		if (r->kind < PL_AV_ALLOW || r->kind > PL_AV_NEVERALLOW || r->source >= p->ntypes ||
		    r->target >= p->ntypes || r->cls >= p->nclasses ||
		    (r->cond != PL_UNCOND && r->cond >= p->nconds)) {
			fail(w, "AV rule %u is out of range", i);
			return;
		}
		if (r->perms & ~class_mask(&p->classes[r->cls])) {
			fail(w, "AV rule %u has permissions outside its class", i);
			return;
		}
	}
	/* Skip an expansion that cannot fit: the sum of |S| x |T| over the
	 * rules bounds its size from above, and filling a map only to drop
	 * it would dominate the compile time of large policies. */
	uint64_t bound = 0;
	for (uint32_t i = 0; i < p->navrules; i++) {
		const pl_type *st = &p->types[p->avrules[i].source], *tt = &p->types[p->avrules[i].target];
		bound += (uint64_t)(st->is_attr ? pl_bitset_count(&st->members) : 1) *
			 (tt->is_attr ? pl_bitset_count(&tt->members) : 1);
	}
	/* The environment may lower the limit, so that test suites can run
	 * whole policies through the attribute-keyed layout. */
	uint32_t limit = pl_binary_expand_limit;
	const char *env = getenv("PL_BINARY_EXPAND_LIMIT");
	if (env && *env) {
		char *end;
		unsigned long x = strtoul(env, &end, 10);
		if (*end == '\0' && x < limit)
			limit = (uint32_t)x;
	}
	av_map m = {0};
	int rc = bound > 4 * (uint64_t)limit ? 1 : av_fill(p, &m, true, limit);
	*flags |= PL_BIN_F_EXPANDED;
	if (rc == 1) {
		av_map_free(&m);
		*flags &= ~PL_BIN_F_EXPANDED;
		rc = av_fill(p, &m, false, limit);
	}
	if (rc < 0) {
		av_map_free(&m);
		w->oom = true;
		fail(w, "out of memory building the AV table");
		return;
	}
	const pl_bin_type *bt = (const pl_bin_type *)w->sec[PL_SEC_TYPES].data;
	for (uint32_t i = 0; i < m.n; i++)
		m.ents[i].rank = bt[m.ents[i].tgt].attr_rank;
	uint32_t *ord = sorted_order(w, m.n, cmp_av_acc, m.ents);
	uint64_t nrows = (uint64_t)p->ntypes * p->nclasses;
	if (!ord || nrows > (1u << 28)) {
		if (ord)
			fail(w, "too many types times classes for the AV row table");
		free(ord);
		av_map_free(&m);
		return;
	}
	uint32_t nattrs = 0;
	for (uint32_t i = 0; i < p->ntypes; i++)
		nattrs += p->types[i].is_attr;
	uint32_t bitwords = (nattrs + 63) / 64;
	bool rowbits = bitwords <= PL_BIN_ROWBITS_MAX_WORDS;
	pl_bin_avrow empty = {0, 0, 0, 0};
	for (uint64_t i = 0; i < nrows; i++)
		vec_push(w, &w->sec[PL_SEC_AVROWS], &empty, sizeof empty);
	/* One row per run of entries with the same (source, class). */
	for (uint32_t g = 0, end; g < m.n && !w->failed; g = end) {
		const av_acc *first = &m.ents[ord[g]];
		pl_bin_avrow r = {0, 0, 0, count_of(w, PL_SEC_AVENT, sizeof(pl_bin_avent))};
		for (end = g; end < m.n && m.ents[ord[end]].src == first->src && m.ents[ord[end]].cls == first->cls; end++) {
			if (m.ents[ord[end]].rank == PL_BIN_NONE)
				r.ntype++;
			else
				r.nattr++;
		}
		if (r.nattr && rowbits && count_of(w, PL_SEC_AVTGT, 4) % 2)
			push_u32(w, PL_SEC_AVTGT, 0); /* the bitmap's words are 8-byte aligned */
		r.first_tgt = count_of(w, PL_SEC_AVTGT, 4);
		if (r.nattr && rowbits) {
			for (uint32_t k = 0; k < 2 * bitwords; k++)
				push_u32(w, PL_SEC_AVTGT, 0);
			if (w->failed)
				break;
			uint32_t *bits = (uint32_t *)w->sec[PL_SEC_AVTGT].data + r.first_tgt;
			for (uint32_t k = g; k < g + r.nattr; k++) {
				uint32_t rank = m.ents[ord[k]].rank;
				bits[2 * (rank / 64) + (rank % 64) / 32] |= 1u << (rank % 32);
			}
		}
		for (uint32_t k = g; k < end; k++) {
			const av_acc *a = &m.ents[ord[k]];
			push_u32(w, PL_SEC_AVTGT, a->rank == PL_BIN_NONE ? a->tgt : a->rank);
		}
		for (uint32_t k = g; k < end; k++) {
			av_acc *a = &m.ents[ord[k]];
			a->e.cond_first = count_of(w, PL_SEC_CONDAV, sizeof(pl_bin_condav));
			a->e.ncond = 0;
			for (uint32_t c = a->cond_head; c != PL_BIN_NONE; c = m.pool[c].next) {
				vec_push(w, &w->sec[PL_SEC_CONDAV], &m.pool[c].c, sizeof m.pool[c].c);
				a->e.ncond++;
			}
			vec_push(w, &w->sec[PL_SEC_AVENT], &a->e, sizeof a->e);
		}
		if (!w->failed)
			((pl_bin_avrow *)w->sec[PL_SEC_AVROWS].data)[(size_t)first->src * p->nclasses + first->cls] = r;
	}
	free(ord);
	av_map_free(&m);
	if (!(*flags & PL_BIN_F_EXPANDED) && rowbits && !w->failed)
		write_summaries(w, bitwords);
}

/* ---- type rules, role rules, constraints ---- */

static int cmp_terule(const void *ctx, uint32_t a, uint32_t b)
{
	const pl_terule *x = (const pl_terule *)ctx + a, *y = (const pl_terule *)ctx + b;
	uint32_t kx[4] = {(uint32_t)x->kind, x->source, x->target, x->cls};
	uint32_t ky[4] = {(uint32_t)y->kind, y->source, y->target, y->cls};
	for (int i = 0; i < 4; i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	return 0;
}

static int cmp_role_allow(const void *ctx, uint32_t a, uint32_t b)
{
	const pl_role_allow *x = (const pl_role_allow *)ctx + a, *y = (const pl_role_allow *)ctx + b;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->new_role != y->new_role)
		return x->new_role < y->new_role ? -1 : 1;
	return 0;
}

static int cmp_role_trans(const void *ctx, uint32_t a, uint32_t b)
{
	const pl_role_trans *x = (const pl_role_trans *)ctx + a, *y = (const pl_role_trans *)ctx + b;
	uint32_t kx[3] = {x->role, x->type, x->cls}, ky[3] = {y->role, y->type, y->cls};
	for (int i = 0; i < 3; i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	return 0;
}

static void write_rules(writer *w)
{
	const pl_policy *p = w->p;
	uint32_t *ord = sorted_order(w, p->nterules, cmp_terule, p->terules);
	if (!ord)
		return;
	for (uint32_t i = 0; i < p->nterules; i++) {
		const pl_terule *r = &p->terules[ord[i]];
		if (r->kind < PL_TE_TRANSITION || r->kind > PL_TE_CHANGE || r->source >= p->ntypes ||
		    r->target >= p->ntypes || r->cls >= p->nclasses || r->deflt >= p->ntypes ||
		    (r->cond != PL_UNCOND && r->cond >= p->nconds)) {
			fail(w, "type rule %u is out of range", ord[i]);
			break;
		}
		/* Filename transitions never apply to compute_create (libsepol
		 * keeps them in a separate table), so they are not written. */
		if (r->objname)
			continue;
		pl_bin_terule b = {(uint32_t)r->kind, r->source, r->target, r->cls,
				   r->cond == PL_UNCOND ? PL_BIN_NONE : r->cond, r->branch ? 1u : 0u, r->deflt};
		vec_push(w, &w->sec[PL_SEC_TERULES], &b, sizeof b);
	}
	free(ord);

	ord = sorted_order(w, p->nrole_allows, cmp_role_allow, p->role_allows);
	if (!ord)
		return;
	for (uint32_t i = 0; i < p->nrole_allows; i++) {
		const pl_role_allow *r = &p->role_allows[ord[i]];
		if (r->role >= p->nroles || r->new_role >= p->nroles) {
			fail(w, "role allow %u is out of range", ord[i]);
			break;
		}
		if (i > 0 && cmp_role_allow(p->role_allows, ord[i - 1], ord[i]) == 0)
			continue;
		pl_bin_role_allow b = {r->role, r->new_role};
		vec_push(w, &w->sec[PL_SEC_ROLEALLOW], &b, sizeof b);
	}
	free(ord);

	ord = sorted_order(w, p->nrole_trans, cmp_role_trans, p->role_trans);
	if (!ord)
		return;
	for (uint32_t i = 0; i < p->nrole_trans; i++) {
		const pl_role_trans *r = &p->role_trans[ord[i]];
		if (r->role >= p->nroles || r->new_role >= p->nroles || r->type >= p->ntypes ||
		    r->cls >= p->nclasses) {
			fail(w, "role transition %u is out of range", ord[i]);
			break;
		}
		pl_bin_role_trans b = {r->role, r->type, r->cls, r->new_role};
		vec_push(w, &w->sec[PL_SEC_ROLETRANS], &b, sizeof b);
	}
	free(ord);

	for (uint32_t i = 0; i < p->navrules; i++) {
		const pl_avrule *r = &p->avrules[i];
		if (r->kind == PL_AV_NEVERALLOW)
			continue;
		pl_bin_rule b = {(uint32_t)r->kind, r->source, r->target, r->cls, r->perms,
				 r->cond == PL_UNCOND ? PL_BIN_NONE : r->cond, r->branch ? 1u : 0u};
		vec_push(w, &w->sec[PL_SEC_RULES], &b, sizeof b);
	}
}

static uint32_t names_width(const pl_policy *p, uint32_t attr)
{
	switch (attr & ~PL_CATTR_TARGET) {
	case PL_CATTR_USER:
		return p->nusers;
	case PL_CATTR_ROLE:
		return p->nroles;
	case PL_CATTR_TYPE:
		return p->ntypes;
	}
	return 0;
}

static void write_constraint_expr(writer *w, const pl_constraint *c, uint32_t ci)
{
	const pl_policy *p = w->p;
	int depth = 0, maxdepth = 0;
	for (uint32_t k = 0; k < c->nexpr; k++) {
		const pl_cexpr *e = &c->expr[k];
		pl_bin_cexpr b = {(uint32_t)e->kind, e->attr, (uint32_t)e->op, 0, 0};
		uint32_t base = e->attr & ~PL_CATTR_TARGET;
		switch (e->kind) {
		case PL_CEXPR_NOT:
			if (depth < 1)
				depth = -1000;
			break;
		case PL_CEXPR_AND:
		case PL_CEXPR_OR:
			depth--;
			break;
		case PL_CEXPR_ATTR:
			if ((e->attr & PL_CATTR_TARGET) || base < PL_CATTR_USER || base > PL_CATTR_TYPE ||
			    e->op < PL_COP_EQ || e->op > PL_COP_INCOMP ||
			    (e->op > PL_COP_NEQ && base != PL_CATTR_ROLE))
				fail(w, "constraint %u has a bad comparison", ci);
			depth++;
			break;
		case PL_CEXPR_NAMES: {
			if (base < PL_CATTR_USER || base > PL_CATTR_TYPE || (e->attr & ~(PL_CATTR_TARGET | 3u)) ||
			    (e->op != PL_COP_EQ && e->op != PL_COP_NEQ))
				fail(w, "constraint %u has a bad name comparison", ci);
			uint32_t width = names_width(p, e->attr);
			b.names = add_bitmap(w, &e->names, width, "constraint name set");
			b.nwords = words_for(width);
			depth++;
			break;
		}
		default:
			fail(w, "constraint %u has an unknown node %d", ci, (int)e->kind);
		}
		if (depth < 1)
			fail(w, "constraint %u is not a well-formed expression", ci);
		if (depth > maxdepth)
			maxdepth = depth;
		vec_push(w, &w->sec[PL_SEC_CEXPR], &b, sizeof b);
	}
	if (depth != 1)
		fail(w, "constraint %u is not a well-formed expression", ci);
	if (maxdepth > (int)PL_BIN_MAX_DEPTH)
		fail(w, "constraint %u nests deeper than %u", ci, PL_BIN_MAX_DEPTH);
}

static void write_constraints(writer *w)
{
	const pl_policy *p = w->p;
	pl_bin_class *classes = (pl_bin_class *)w->sec[PL_SEC_CLASSES].data;
	/* Grouped by class, in source order within a class: libsepol applies
	 * a class's constraints in its list order, and the result does not
	 * depend on it, but listings read better. */
	for (uint32_t cls = 0; cls < p->nclasses && !w->failed; cls++) {
		classes = (pl_bin_class *)w->sec[PL_SEC_CLASSES].data;
		uint32_t first = count_of(w, PL_SEC_CONSTRAINTS, sizeof(pl_bin_constraint)), n = 0;
		for (uint32_t i = 0; i < p->nconstraints; i++) {
			const pl_constraint *c = &p->constraints[i];
			if (c->cls >= p->nclasses) {
				fail(w, "constraint %u names no class", i);
				return;
			}
			if (c->cls != cls)
				continue;
			if (c->perms & ~class_mask(&p->classes[cls]))
				fail(w, "constraint %u has permissions outside its class", i);
			pl_bin_constraint b = {c->perms, count_of(w, PL_SEC_CEXPR, sizeof(pl_bin_cexpr)), c->nexpr};
			write_constraint_expr(w, c, i);
			vec_push(w, &w->sec[PL_SEC_CONSTRAINTS], &b, sizeof b);
			n++;
		}
		classes = (pl_bin_class *)w->sec[PL_SEC_CLASSES].data;
		if (classes) {
			classes[cls].cons_first = first;
			classes[cls].ncons = n;
		}
	}
}

/* ---- assembly ---- */

static uint8_t *assemble(writer *w, uint32_t flags, size_t *outlen)
{
	size_t total = sizeof(pl_bin_header);
	for (int i = 0; i < PL_SEC_COUNT; i++) {
		total = (total + PL_BIN_ALIGN - 1) & ~(size_t)(PL_BIN_ALIGN - 1);
		total += w->sec[i].len;
	}
	total = (total + PL_BIN_ALIGN - 1) & ~(size_t)(PL_BIN_ALIGN - 1);
	if (total > UINT32_MAX) {
		fail(w, "binary policy would exceed 4 GiB");
		return NULL;
	}
	uint8_t *out = calloc(1, total);
	if (!out) {
		fail(w, "out of memory");
		return NULL;
	}
	pl_bin_header h;
	memset(&h, 0, sizeof h);
	h.magic = PL_BIN_MAGIC;
	h.version = PL_BIN_VERSION;
	h.total_len = (uint32_t)total;
	h.flags = flags;
	h.nsections = PL_SEC_COUNT;
	size_t off = sizeof h;
	for (int i = 0; i < PL_SEC_COUNT; i++) {
		off = (off + PL_BIN_ALIGN - 1) & ~(size_t)(PL_BIN_ALIGN - 1);
		h.sec[i].offset = (uint32_t)off;
		h.sec[i].size = (uint32_t)w->sec[i].len;
		h.sec[i].entsize = pl_bin_entsize[i];
		h.sec[i].count = (uint32_t)(w->sec[i].len / pl_bin_entsize[i]);
		if (w->sec[i].len)
			memcpy(out + off, w->sec[i].data, w->sec[i].len);
		off += w->sec[i].len;
	}
	memcpy(out, &h, sizeof h);
	uint32_t crc = pl_crc32(out + 16, total - 16);
	memcpy(out + 12, &crc, sizeof crc);
	*outlen = total;
	return out;
}

int pl_binary_write(const pl_policy *p, uint8_t **out, size_t *len, char *err, size_t errlen)
{
	writer w;
	memset(&w, 0, sizeof w);
	w.p = p;
	w.err = err;
	w.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	*out = NULL;
	*len = 0;

	/* Offset 0 is the empty string, so a zeroed name field is harmless. */
	add_string(&w, "");
	write_symbols(&w);
	write_conds(&w);
	uint32_t flags = 0;
	if (!w.failed)
		write_avtab(&w, &flags);
	if (!w.failed)
		write_rules(&w);
	if (!w.failed)
		write_constraints(&w);
	write_index(&w, PL_SEC_CLASS_IDX, p->classes, sizeof *p->classes, p->nclasses, "class");
	write_index(&w, PL_SEC_TYPE_IDX, p->types, sizeof *p->types, p->ntypes, "type");
	write_index(&w, PL_SEC_ALIAS_IDX, p->aliases, sizeof *p->aliases, p->naliases, "alias");
	write_index(&w, PL_SEC_ROLE_IDX, p->roles, sizeof *p->roles, p->nroles, "role");
	write_index(&w, PL_SEC_USER_IDX, p->users, sizeof *p->users, p->nusers, "user");
	write_index(&w, PL_SEC_BOOL_IDX, p->bools, sizeof *p->bools, p->nbools, "boolean");

	uint8_t *buf = NULL;
	if (!w.failed)
		buf = assemble(&w, flags, len);
	for (int i = 0; i < PL_SEC_COUNT; i++)
		free(w.sec[i].data);
	if (!buf)
		return -1;
	*out = buf;
	return 0;
}
