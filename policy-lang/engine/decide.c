/* The decision functions, mirroring libsepol 3.4 (services.c) for a non-MLS
 * policy: context_struct_compute_av and sepol_compute_sid.  Nothing here
 * allocates or checks what pl_view_load already proved. */
#include "policy/engine.h"

/* libsepol's evaluation stacks; an expression needing more is "undefined"
 * (conditionals: both branches off) or false (constraints: permissions
 * removed).  Matching these bounds is part of matching libsepol. */
#define SEPOL_COND_MAXDEPTH 10
#define SEPOL_CEXPR_MAXDEPTH 5

#define COND_FALSE 0
#define COND_TRUE 1
#define COND_UNDEFINED 2

size_t pl_state_size(const pl_view *v)
{
	return (size_t)v->nbools + v->nconds;
}

static uint8_t eval_cond(const pl_state *st, uint32_t cond)
{
	const pl_bin_cond *c = &st->cond_defs[cond];
	uint8_t s[SEPOL_COND_MAXDEPTH];
	int sp = -1;
	for (uint32_t k = 0; k < c->nexpr; k++) {
		const pl_bin_cond_node *n = &st->cond_nodes[c->expr_first + k];
		switch (n->op) {
		case PL_BIN_COND_BOOL:
			if (sp == SEPOL_COND_MAXDEPTH - 1)
				return COND_UNDEFINED;
			s[++sp] = st->bools[n->arg];
			break;
		case PL_BIN_COND_NOT:
			s[sp] = !s[sp];
			break;
		case PL_BIN_COND_OR:
			sp--;
			s[sp] = s[sp] | s[sp + 1];
			break;
		case PL_BIN_COND_AND:
			sp--;
			s[sp] = s[sp] & s[sp + 1];
			break;
		case PL_BIN_COND_XOR:
			sp--;
			s[sp] = s[sp] ^ s[sp + 1];
			break;
		case PL_BIN_COND_EQ:
			sp--;
			s[sp] = s[sp] == s[sp + 1];
			break;
		default: /* PL_BIN_COND_NEQ: the reader admits no other op */
			sp--;
			s[sp] = s[sp] != s[sp + 1];
			break;
		}
	}
	return s[0] ? COND_TRUE : COND_FALSE;
}

static void eval_all(pl_state *st)
{
	for (uint32_t i = 0; i < st->nconds; i++)
		st->conds[i] = eval_cond(st, i);
}

int pl_state_init(pl_state *st, const pl_view *v, void *mem, size_t memlen)
{
	if (memlen < pl_state_size(v))
		return PL_E_NOSPACE;
	st->bools = mem;
	st->conds = st->bools + v->nbools;
	st->cond_defs = v->conds;
	st->cond_nodes = v->condexpr;
	st->nbools = v->nbools;
	st->nconds = v->nconds;
	for (uint32_t i = 0; i < v->nbools; i++)
		st->bools[i] = (uint8_t)v->bools[i].dflt;
	eval_all(st);
	return PL_OK;
}

int pl_state_set_bool(pl_state *st, uint32_t b, bool value)
{
	if (b >= st->nbools)
		return PL_E_NO_BOOL;
	st->bools[b] = value ? 1 : 0;
	eval_all(st);
	return PL_OK;
}

static bool bit(const uint32_t *words, uint32_t i)
{
	return (words[i / 32] >> (i % 32)) & 1;
}

static void av_apply(const pl_view *v, const pl_state *st, const pl_bin_avent *e, pl_av *av)
{
	av->allowed |= e->allowed;
	av->auditallow |= e->auditallow;
	av->auditdeny &= ~e->dontaudit;
	for (uint32_t k = 0; k < e->ncond; k++) {
		const pl_bin_condav *c = &v->condav[e->cond_first + k];
		uint8_t want = (c->kind & PL_BIN_CONDAV_BRANCH) ? COND_TRUE : COND_FALSE;
		if (st->conds[c->cond] != want)
			continue;
		switch (c->kind & ~PL_BIN_CONDAV_BRANCH) {
		case PL_BIN_AV_ALLOW:
			av->allowed |= c->perms;
			break;
		case PL_BIN_AV_AUDITALLOW:
			av->auditallow |= c->perms;
			break;
		default:
			av->auditdeny &= ~c->perms;
			break;
		}
	}
}

/* Index of t in the ascending list a[0..n), or n.  Short lists (most rows)
 * are scanned: one cache line, no unpredictable branches. */
static uint32_t find_u32(const uint32_t *a, uint32_t n, uint32_t t)
{
	if (n <= 16) {
		uint32_t at = n;
		for (uint32_t i = 0; i < n; i++)
			if (a[i] == t)
				at = i;
		return at;
	}
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == t ? lo : n;
}

/* What a query knows about its target: the type, and its attributes both as
 * a rank bitmap (when the policy stores row bitmaps) and as a rank list. */
typedef struct target {
	uint32_t type;
	const uint64_t *bm;
	const pl_bin_type *ty;
} target;

/* One (source key, class) row against the target. */
static void row_apply(const pl_view *v, const pl_state *st, const pl_bin_avrow *row,
		      const target *t, pl_av *av)
{
	const uint32_t *tg = v->avtgt + row->first_tgt;
	const pl_bin_avent *e = v->avent + row->first_ent;
	if (row->nattr) {
		uint32_t nw = v->rowbits_words;
		if (nw) {
			/* Aligned: the reader checked first_tgt is even. */
			const uint64_t *rb = (const uint64_t *)(const void *)tg;
			uint64_t any = 0;
			for (uint32_t i = 0; i < nw; i++)
				any |= rb[i] & t->bm[i];
			tg += 2 * nw;
			if (any)
				for (uint32_t k = 0; k < row->nattr; k++)
					if ((t->bm[tg[k] / 64] >> (tg[k] % 64)) & 1)
						av_apply(v, st, &e[k], av);
		} else {
			/* Too many attributes for bitmaps: merge two sorted lists. */
			uint32_t a = 0, k = 0;
			while (a < row->nattr && k < t->ty->nlist) {
				uint32_t rank = v->types[v->typelists[t->ty->list_first + k]].attr_rank;
				if (tg[a] < rank) {
					a++;
				} else if (tg[a] > rank) {
					k++;
				} else {
					av_apply(v, st, &e[a], av);
					a++;
					k++;
				}
			}
		}
		tg += row->nattr;
	}
	uint32_t at = find_u32(tg, row->ntype, t->type);
	if (at < row->ntype)
		av_apply(v, st, &e[row->nattr + at], av);
}

/* libsepol's pairs walk: every source key in {s} + attrs(s) against every
 * target key in {t} + attrs(t), visiting one row per source key.  The rows
 * are independent, so their cache lines are prefetched together before any
 * is used: the walk then waits for memory about once rather than once per
 * key. */
static void av_lookup(const pl_view *v, const pl_state *st, uint32_t s, uint32_t t, uint32_t cls,
		      pl_av *av)
{
	const pl_bin_avrow *rows = v->avrows + cls;
	uint32_t ncls = v->nclasses;
	const pl_bin_type *sty = &v->types[s];
	uint64_t words[PL_BIN_ROWBITS_MAX_WORDS];
	target tg = {t, words, &v->types[t]};
	if (v->flags & PL_BIN_F_EXPANDED) {
		row_apply(v, st, rows + (size_t)s * ncls, &tg, av);
		return;
	}
	uint32_t nw = v->rowbits_words;
	if (v->avsum) {
		/* One cache line tells whether any row can match at all. */
		tg.bm = v->typebits + (size_t)t * nw;
		const uint64_t *sum = v->avsum + ((size_t)s * ncls + cls) * (nw + PL_BIN_SUM_BLOOM_WORDS);
		uint32_t h = pl_bin_type_bloom(t);
		uint64_t any = (sum[nw + h / 64] >> (h % 64)) & 1;
		for (uint32_t i = 0; i < nw; i++)
			any |= sum[i] & tg.bm[i];
		if (!any)
			return;
	} else {
		for (uint32_t i = 0; i < nw; i++)
			words[i] = 0;
		for (uint32_t k = 0; nw && k < tg.ty->nlist; k++) {
			uint32_t rank = v->types[v->typelists[tg.ty->list_first + k]].attr_rank;
			words[rank / 64] |= (uint64_t)1 << (rank % 64);
		}
	}
	const uint32_t *skeys = v->typelists + sty->list_first;
	for (uint32_t i = 0; i < sty->nlist; i++)
		__builtin_prefetch(rows + (size_t)skeys[i] * ncls);
	for (uint32_t i = 0; i < sty->nlist; i++) {
		const pl_bin_avrow *row = rows + (size_t)skeys[i] * ncls;
		if (row->nattr | row->ntype)
			__builtin_prefetch(v->avtgt + row->first_tgt);
	}
	row_apply(v, st, rows + (size_t)s * ncls, &tg, av);
	for (uint32_t i = 0; i < sty->nlist; i++) {
		const pl_bin_avrow *row = rows + (size_t)skeys[i] * ncls;
		if (row->nattr | row->ntype)
			row_apply(v, st, row, &tg, av);
	}
}

static bool cexpr_eval(const pl_view *v, const pl_bin_constraint *con, const pl_ctx *s,
		       const pl_ctx *t)
{
	uint8_t stack[SEPOL_CEXPR_MAXDEPTH];
	int sp = -1;
	for (uint32_t k = 0; k < con->nexpr; k++) {
		const pl_bin_cexpr *e = &v->cexpr[con->expr_first + k];
		switch (e->kind) {
		case PL_BIN_CEXPR_NOT:
			stack[sp] = !stack[sp];
			break;
		case PL_BIN_CEXPR_AND:
			sp--;
			stack[sp] = stack[sp] && stack[sp + 1];
			break;
		case PL_BIN_CEXPR_OR:
			sp--;
			stack[sp] = stack[sp] || stack[sp + 1];
			break;
		case PL_BIN_CEXPR_ATTR: {
			if (sp == SEPOL_CEXPR_MAXDEPTH - 1)
				return false;
			uint32_t a = e->attr == PL_BIN_CATTR_USER   ? s->user
				     : e->attr == PL_BIN_CATTR_ROLE ? s->role
								    : s->type;
			uint32_t b = e->attr == PL_BIN_CATTR_USER   ? t->user
				     : e->attr == PL_BIN_CATTR_ROLE ? t->role
								    : t->type;
			/* No dominance statements in this language: checkpolicy
			 * makes each declared role dominate itself, but the
			 * implicit object_r dominates nothing, not even itself. */
			bool dom = a == b && !(e->attr == PL_BIN_CATTR_ROLE && a == PL_BIN_OBJECT_R);
			switch (e->op) {
			case PL_BIN_COP_EQ:
				stack[++sp] = a == b;
				break;
			case PL_BIN_COP_NEQ:
				stack[++sp] = a != b;
				break;
			case PL_BIN_COP_DOM:
			case PL_BIN_COP_DOMBY:
				stack[++sp] = dom;
				break;
			default: /* INCOMP: neither dominates the other */
				stack[++sp] = !dom;
				break;
			}
			break;
		}
		default: { /* PL_BIN_CEXPR_NAMES */
			if (sp == SEPOL_CEXPR_MAXDEPTH - 1)
				return false;
			const pl_ctx *c = (e->attr & PL_BIN_CATTR_TARGET) ? t : s;
			uint32_t base = e->attr & ~PL_BIN_CATTR_TARGET;
			uint32_t val = base == PL_BIN_CATTR_USER ? c->user : base == PL_BIN_CATTR_ROLE ? c->role : c->type;
			bool in = val < e->nwords * 32 && bit(v->bitmaps + e->names, val);
			stack[++sp] = e->op == PL_BIN_COP_EQ ? in : !in;
			break;
		}
		}
	}
	return stack[0];
}

/* Indices in range and a type that is not an attribute: the lookups index
 * with them and read a type's attribute list. */
static bool ctx_ok(const pl_view *v, const pl_ctx *c)
{
	return c->user < v->nusers && c->role < v->nroles && c->type < v->ntypes &&
	       !(v->types[c->type].flags & PL_BIN_TYPE_ATTR);
}

static bool role_allowed(const pl_view *v, uint32_t role, uint32_t new_role)
{
	uint32_t lo = 0, hi = v->nrole_allows;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const pl_bin_role_allow *r = &v->role_allows[mid];
		if (r->role == role && r->new_role == new_role)
			return true;
		if (r->role < role || (r->role == role && r->new_role < new_role))
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

int pl_compute_av(const pl_view *v, const pl_state *st, const pl_ctx *s, const pl_ctx *t,
		  uint32_t cls, pl_av *out)
{
	if (cls >= v->nclasses || !ctx_ok(v, s) || !ctx_ok(v, t))
		return PL_E_RANGE;
	pl_av av = {0, 0, 0xffffffffu};
	av_lookup(v, st, s->type, t->type, cls, &av);

	const pl_bin_class *c = &v->classes[cls];
	for (uint32_t k = 0; k < c->ncons; k++) {
		const pl_bin_constraint *con = &v->constraints[c->cons_first + k];
		if ((con->perms & av.allowed) && !cexpr_eval(v, con, s, t))
			av.allowed &= ~con->perms;
	}

	if (cls == v->process_class && (av.allowed & v->process_trans_dyntrans) && s->role != t->role &&
	    !role_allowed(v, s->role, t->role))
		av.allowed &= ~v->process_trans_dyntrans;

	uint32_t mask = c->nperms >= 32 ? 0xffffffffu : (1u << c->nperms) - 1;
	av.auditdeny &= mask;
	*out = av;
	return PL_OK;
}

/* First type rule for the key: an unconditional one wins, else the first
 * whose branch is enabled. */
static const pl_bin_terule *te_find(const pl_view *v, const pl_state *st, uint32_t kind,
				    uint32_t s, uint32_t t, uint32_t cls)
{
	uint32_t key[4] = {kind, s, t, cls};
	uint32_t lo = 0, hi = v->nterules;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const uint32_t *k = &v->terules[mid].kind;
		int c = 0;
		for (int i = 0; i < 4 && !c; i++)
			c = k[i] < key[i] ? -1 : k[i] > key[i] ? 1 : 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const pl_bin_terule *found = 0;
	for (uint32_t i = lo; i < v->nterules; i++) {
		const pl_bin_terule *r = &v->terules[i];
		if (r->kind != kind || r->src != s || r->tgt != t || r->cls != cls)
			break;
		if (r->cond == PL_BIN_NONE)
			return r;
		if (!found && st->conds[r->cond] == (r->branch ? COND_TRUE : COND_FALSE))
			found = r;
	}
	return found;
}

static const pl_bin_role_trans *role_trans_find(const pl_view *v, uint32_t role, uint32_t type,
						uint32_t cls)
{
	uint32_t key[3] = {role, type, cls};
	uint32_t lo = 0, hi = v->nrole_trans;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const uint32_t *k = &v->role_trans[mid].role;
		int c = 0;
		for (int i = 0; i < 3 && !c; i++)
			c = k[i] < key[i] ? -1 : k[i] > key[i] ? 1 : 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->nrole_trans) {
		const pl_bin_role_trans *r = &v->role_trans[lo];
		if (r->role == role && r->type == type && r->cls == cls)
			return r;
	}
	return 0;
}

int pl_compute_create(const pl_view *v, const pl_state *st, const pl_ctx *s, const pl_ctx *t,
		      uint32_t cls, uint32_t kind, pl_ctx *out)
{
	if (cls >= v->nclasses || !ctx_ok(v, s) || !ctx_ok(v, t) || kind < PL_BIN_TE_TRANSITION ||
	    kind > PL_BIN_TE_CHANGE)
		return PL_E_RANGE;
	pl_ctx n;
	n.user = kind == PL_BIN_TE_MEMBER ? t->user : s->user;
	if (cls == v->process_class) {
		n.role = s->role;
		n.type = s->type;
	} else {
		n.role = PL_BIN_OBJECT_R;
		n.type = t->type;
	}
	const pl_bin_terule *r = te_find(v, st, kind, s->type, t->type, cls);
	if (r)
		n.type = r->deflt;
	if (kind == PL_BIN_TE_TRANSITION) {
		const pl_bin_role_trans *rt = role_trans_find(v, s->role, t->type, cls);
		if (rt)
			n.role = rt->new_role;
	}
	*out = n;
	return pl_context_valid(v, &n) ? PL_OK : PL_E_INVALID_CONTEXT;
}
