/* Type enforcement: type sets, attributes, access-vector rules (merged into
 * avtab-shaped keys), neverallow checking and type rules. */
#include <stdlib.h>
#include <string.h>

#include "sema.h"

/* ---- word-level helpers over bitsets sized to the type count ---- */

static void bs_reset(pl_bitset *b, uint32_t nbits)
{
	if (b->nbits < nbits && nbits)
		pl_bitset_set(b, nbits - 1);
	if (b->nbits)
		memset(b->words, 0, (b->nbits / 64) * sizeof *b->words);
}

static uint32_t first_common(const pl_bitset *a, const pl_bitset *b, const pl_bitset *c)
{
	uint32_t n = a->nbits < b->nbits ? a->nbits : b->nbits;
	if (c && c->nbits < n)
		n = c->nbits;
	for (uint32_t w = 0; w < n / 64; w++) {
		uint64_t x = a->words[w] & b->words[w];
		if (c)
			x &= c->words[w];
		if (x)
			return w * 64 + (uint32_t)__builtin_ctzll(x);
	}
	return UINT32_MAX;
}

void rset_free(rset *r)
{
	free(r->pos);
	free(r->neg);
	memset(r, 0, sizeof *r);
}

bool sema_no_star(checker *c, const ast_set *set, const char *where)
{
	if (!set->star && !set->compl)
		return true;
	sema_err(c, set->n ? set->items[0].pos : c->cur, "'%s' is not allowed in %s", set->star ? "*" : "~", where);
	return false;
}

/* checkpolicy takes `*` and `~` type sets in neverallow rules only. */
bool sema_resolve_types(checker *c, const ast_set *set, uint32_t block, bool allow_self,
			bool star_ok, rset *out)
{
	out->npos = out->nneg = 0;
	out->star = set->star;
	out->compl = set->compl;
	out->self = false;
	bool ok = star_ok || sema_no_star(c, set, "this kind of rule's type sets (only in neverallow)");
	for (uint32_t i = 0; i < set->n; i++) {
		const ast_name *it = &set->items[i];
		bool neg = ast_set_neg(set, i);
		if (strcmp(it->name, "self") == 0) {
			if (!allow_self || neg || set->compl) {
				sema_err(c, it->pos, "'self' is only allowed as a plain target");
				ok = false;
			} else {
				out->self = true;
			}
			continue;
		}
		uint32_t s = sema_resolve(c, it, NS_TYPE, block, "type or attribute");
		if (s == AST_NONE || c->syms[s].index == AST_NONE) {
			ok = false;
			continue;
		}
		uint32_t idx = c->syms[s].index;
		if (neg)
			*PL_PUSH(out->neg, out->nneg, out->capneg) = idx;
		else
			*PL_PUSH(out->pos, out->npos, out->cappos) = idx;
	}
	return ok;
}

static void or_type(checker *c, pl_bitset *out, uint32_t idx)
{
	const pl_type *t = &c->pol->types[idx];
	if (t->is_attr)
		pl_bitset_or(out, &t->members);
	else
		pl_bitset_set(out, idx);
}

/* libsepol's type_set_expand with every attribute expanded: positives,
 * minus negatives; `*` is every type minus negatives; `~` complements the
 * result within the types (attributes are never members of a result). */
void sema_expand_types(checker *c, const rset *rs, pl_bitset *out)
{
	uint32_t n = c->pol->ntypes;
	bs_reset(out, n);
	if (rs->star) {
		pl_bitset_or(out, &c->all_types);
	} else {
		for (uint32_t i = 0; i < rs->npos; i++)
			or_type(c, out, rs->pos[i]);
	}
	if (rs->nneg) {
		pl_bitset neg = {0};
		for (uint32_t i = 0; i < rs->nneg; i++)
			or_type(c, &neg, rs->neg[i]);
		pl_bitset_andnot(out, &neg);
		pl_bitset_free(&neg);
	}
	if (rs->compl && !rs->star) {
		for (uint32_t w = 0; w < out->nbits / 64; w++) {
			uint64_t all = w < c->all_types.nbits / 64 ? c->all_types.words[w] : 0;
			out->words[w] = ~out->words[w] & all;
		}
	}
}

bool sema_resolve_classes(checker *c, const ast_set *set, uint32_t block, uint32_t **out, uint32_t *n)
{
	uint32_t ncls = c->pol->nclasses;
	bool *chosen = pl_xcalloc(ncls ? ncls : 1, sizeof *chosen);
	bool ok = sema_no_star(c, set, "a class set");
	if (set->star)
		for (uint32_t i = 0; i < ncls; i++)
			chosen[i] = true;
	for (uint32_t i = 0; i < set->n; i++) {
		if (ast_set_neg(set, i)) {
			sema_err(c, set->items[i].pos, "'-' is not allowed in a class set");
			ok = false;
			continue;
		}
		uint32_t s = sema_resolve(c, &set->items[i], NS_CLASS, block, "class");
		if (s == AST_NONE) {
			ok = false;
			continue;
		}
		chosen[c->syms[s].index] = true;
	}
	uint32_t cnt = 0;
	*out = pl_xmalloc((ncls ? ncls : 1) * sizeof **out);
	for (uint32_t i = 0; i < ncls; i++)
		if (chosen[i] != set->compl)
			(*out)[cnt++] = i;
	*n = cnt;
	free(chosen);
	return ok;
}

static uint32_t class_mask(const pl_class *cl)
{
	return cl->nperms >= 32 ? UINT32_MAX : (UINT32_C(1) << cl->nperms) - 1;
}

/* Permissions of one class named by a set; as checkpolicy, a name the class
 * lacks is an error even when other classes of the rule have it. */
static bool perms_for_class(checker *c, const ast_set *set, uint32_t cls, uint32_t *out)
{
	const pl_class *cl = &c->pol->classes[cls];
	uint32_t v = 0;
	bool ok = true;
	if (set->star)
		v = class_mask(cl);
	for (uint32_t i = 0; i < set->n; i++) {
		const ast_name *it = &set->items[i];
		if (ast_set_neg(set, i)) {
			sema_err(c, it->pos, "'-' is not allowed in a permission set");
			ok = false;
			continue;
		}
		int32_t bit = sema_perm_bit(c, cls, it->name);
		if (bit < 0) {
			sema_err(c, it->pos, "permission '%s' is not defined for class '%s'", it->name, cl->name);
			ok = false;
			continue;
		}
		v |= UINT32_C(1) << bit;
	}
	if (set->compl)
		v = ~v & class_mask(cl);
	*out = v;
	return ok;
}

void sema_attributes(checker *c)
{
	ast_program *p = c->prog;
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_TYPE && s->kind != ST_TYPEATTRIBUTE)
			continue;
		if (!s->u.type.nattrs)
			continue;
		bool on = sema_block_enabled(c, s->block);
		uint32_t t;
		if (s->kind == ST_TYPE) {
			t = sema_lookup(c, s->name.name, NS_TYPE);
			if (t == AST_NONE || c->syms[t].stmt != i)
				continue; /* a duplicate, already reported */
		} else {
			t = sema_resolve(c, &s->name, NS_TYPE, s->block, "type");
			if (t == AST_NONE)
				continue;
			if (c->syms[t].kind != SK_TYPE) {
				sema_err(c, s->name.pos, "'%s' is an attribute; typeattribute needs a type", s->name.name);
				continue;
			}
		}
		for (uint32_t j = 0; j < s->u.type.nattrs; j++) {
			const ast_name *an = &s->u.type.attrs[j];
			uint32_t a = sema_resolve(c, an, NS_TYPE, s->block, "attribute");
			if (a == AST_NONE)
				continue;
			if (c->syms[a].kind != SK_ATTR) {
				sema_err(c, an->pos, "'%s' is not an attribute", an->name);
				continue;
			}
			if (!on || c->syms[t].index == AST_NONE || c->syms[a].index == AST_NONE)
				continue;
			uint32_t ti = c->syms[t].index, ai = c->syms[a].index;
			pl_bitset_set(&c->pol->types[ti].attrs, ai);
			pl_bitset_set(&c->pol->types[ai].members, ti);
		}
	}
}

/* ---- access-vector rules ---- */

static uint32_t av_hash(enum pl_av_kind kind, uint32_t src, uint32_t tgt, uint32_t cls,
			uint32_t cond, bool branch)
{
	uint64_t h = ((uint64_t)src << 32 | tgt) * 0x9E3779B97F4A7C15ull;
	h ^= ((uint64_t)cls << 32 | cond) * 0xBF58476D1CE4E5B9ull;
	h ^= (uint64_t)(kind * 2 + branch) * 0x94D049BB133111EBull;
	return (uint32_t)(h ^ (h >> 29));
}

static void av_rehash(checker *c)
{
	uint32_t ncap = c->avcap ? c->avcap * 2 : 1024;
	uint32_t *slots = pl_xmalloc((size_t)ncap * sizeof *slots);
	memset(slots, 0xff, (size_t)ncap * sizeof *slots);
	for (uint32_t i = 0; i < c->pol->navrules; i++) {
		const pl_avrule *r = &c->pol->avrules[i];
		uint32_t j = av_hash(r->kind, r->source, r->target, r->cls, r->cond, r->branch) & (ncap - 1);
		while (slots[j] != UINT32_MAX)
			j = (j + 1) & (ncap - 1);
		slots[j] = i;
	}
	free(c->avslots);
	c->avslots = slots;
	c->avcap = ncap;
}

/* Rules with equal (kind, source, target, class, cond, branch) merge. */
static void add_av(checker *c, enum pl_av_kind kind, uint32_t src, uint32_t tgt, uint32_t cls,
		   uint32_t cond, bool branch, uint32_t perms, pl_srcpos pos)
{
	pl_policy *pol = c->pol;
	if ((pol->navrules + 1) * 2 > c->avcap)
		av_rehash(c);
	uint32_t j = av_hash(kind, src, tgt, cls, cond, branch) & (c->avcap - 1);
	for (;; j = (j + 1) & (c->avcap - 1)) {
		uint32_t i = c->avslots[j];
		if (i == UINT32_MAX)
			break;
		pl_avrule *r = &pol->avrules[i];
		if (r->source == src && r->target == tgt && r->cls == cls && r->kind == kind &&
		    r->cond == cond && r->branch == branch) {
			r->perms |= perms;
			return;
		}
	}
	c->avslots[j] = pol->navrules;
	pl_avrule *r = PL_PUSH(pol->avrules, pol->navrules, c->capav);
	r->kind = kind;
	r->source = src;
	r->target = tgt;
	r->cls = cls;
	r->perms = perms;
	r->cond = cond;
	r->branch = branch;
	r->pos = pos;
}

/* Keys a rule is stored under: the names as written (attributes kept) when
 * the set is a plain list, else the expanded types, as libsepol does. */
static uint32_t *set_keys(checker *c, const rset *rs, pl_bitset *scratch, uint32_t *n)
{
	uint32_t *keys;
	uint32_t cnt = 0;
	if (!rs->star && !rs->compl && !rs->nneg) {
		keys = pl_xmalloc((rs->npos ? rs->npos : 1) * sizeof *keys);
		for (uint32_t i = 0; i < rs->npos; i++) {
			bool dup = false;
			for (uint32_t j = 0; j < cnt && !dup; j++)
				dup = keys[j] == rs->pos[i];
			if (!dup)
				keys[cnt++] = rs->pos[i];
		}
	} else {
		sema_expand_types(c, rs, scratch);
		keys = pl_xmalloc((pl_bitset_count(scratch) + 1) * sizeof *keys);
		PL_BITSET_FOREACH(scratch, t)
			keys[cnt++] = t;
	}
	*n = cnt;
	return keys;
}

static uint32_t stmt_cond(const checker *c, const ast_stmt *s)
{
	return s->cond == AST_NONE ? PL_UNCOND : c->if_cond[s->cond];
}

static bool stmt_branch(const checker *c, const ast_stmt *s)
{
	return s->cond != AST_NONE && (s->branch != c->if_swap[s->cond]);
}

static void perm_names(const pl_class *cl, uint32_t perms, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (uint32_t b = 0; b < cl->nperms && off + 2 < len; b++)
		if (perms & (UINT32_C(1) << b)) {
			int w = snprintf(buf + off, len - off, "%s%s", off ? " " : "", cl->perms[b]);
			if (w < 0)
				break;
			off += (size_t)w;
		}
}

static void report_violation(checker *c, const ast_stmt *s, const neverallow *n, uint32_t cls,
			     uint32_t perms, uint32_t src, uint32_t tgt)
{
	const ast_stmt *ns = &c->prog->stmts[n->stmt];
	const pl_class *cl = &c->pol->classes[cls];
	char pn[512];
	perm_names(cl, perms, pn, sizeof pn);
	sema_err(c, s->pos,
		 "allow rule violates the neverallow at %s:%u:%u: it allows %s %s:%s { %s }",
		 ns->pos.file, ns->pos.line, ns->pos.col, c->pol->types[src].name,
		 c->pol->types[tgt].name, cl->name, pn);
}

static void check_neverallows(checker *c, const ast_stmt *s, const uint32_t *classes, uint32_t ncls,
			      const uint32_t *perms, const pl_bitset *sa, const pl_bitset *ta, bool self_a)
{
	for (uint32_t k = 0; k < c->nnevers; k++) {
		const neverallow *n = &c->nevers[k];
		for (uint32_t ci = 0; ci < ncls; ci++) {
			uint32_t hit = perms[ci] & n->perms[classes[ci]];
			if (!hit)
				continue;
			uint32_t a = UINT32_MAX, b = UINT32_MAX;
			if (n->has_tgt) {
				a = first_common(sa, &n->src, NULL);
				b = a == UINT32_MAX ? a : first_common(ta, &n->tgt, NULL);
				if (b == UINT32_MAX && self_a) {
					a = first_common(sa, &n->src, &n->tgt);
					b = a;
				}
			}
			if (b == UINT32_MAX && n->self) {
				a = first_common(sa, &n->src, ta);
				if (a == UINT32_MAX && self_a)
					a = first_common(sa, &n->src, NULL);
				b = a;
			}
			if (a != UINT32_MAX && b != UINT32_MAX) {
				report_violation(c, s, n, classes[ci], hit, a, b);
				break;
			}
		}
	}
}

static void collect_neverallows(checker *c)
{
	ast_program *p = c->prog;
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_AVRULE || s->u.av.kind != PL_AV_NEVERALLOW)
			continue;
		c->cur = s->pos;
		uint32_t *classes = NULL, ncls = 0;
		bool ok = sema_resolve_types(c, &s->u.av.src, s->block, false, true, &c->rs_src);
		ok &= sema_resolve_types(c, &s->u.av.tgt, s->block, true, true, &c->rs_tgt);
		ok &= sema_resolve_classes(c, &s->u.av.cls, s->block, &classes, &ncls);
		uint32_t *pm = pl_xcalloc(c->pol->nclasses + 1, sizeof *pm);
		for (uint32_t ci = 0; ci < ncls; ci++)
			ok &= perms_for_class(c, &s->u.av.perms, classes[ci], &pm[classes[ci]]);
		if (!ok || !sema_block_enabled(c, s->block)) {
			free(classes);
			free(pm);
			continue;
		}
		neverallow *n = PL_PUSH(c->nevers, c->nnevers, c->capnevers);
		n->stmt = i;
		n->perms = pm;
		n->self = c->rs_tgt.self;
		sema_expand_types(c, &c->rs_src, &n->src);
		sema_expand_types(c, &c->rs_tgt, &n->tgt);
		n->has_tgt = !pl_bitset_empty(&n->tgt);
		/* Listed too, for rule listings; never reaches the binary. */
		uint32_t ns, nt;
		uint32_t *sk = set_keys(c, &c->rs_src, &c->scratch_src, &ns);
		uint32_t *tk = set_keys(c, &c->rs_tgt, &c->scratch_tgt, &nt);
		for (uint32_t ci = 0; ci < ncls; ci++) {
			uint32_t cl = classes[ci];
			if (!pm[cl])
				continue;
			for (uint32_t a = 0; a < ns; a++)
				for (uint32_t b = 0; b < nt; b++)
					add_av(c, PL_AV_NEVERALLOW, sk[a], tk[b], cl, PL_UNCOND, false, pm[cl], s->pos);
			if (n->self)
				PL_BITSET_FOREACH(&n->src, t)
					add_av(c, PL_AV_NEVERALLOW, t, t, cl, PL_UNCOND, false, pm[cl], s->pos);
		}
		free(sk);
		free(tk);
		free(classes);
	}
}

static void av_rules(checker *c)
{
	ast_program *p = c->prog;
	pl_bitset sa = {0}, ta = {0};
	uint32_t *perms = pl_xcalloc(c->pol->nclasses + 1, sizeof *perms);
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_AVRULE || s->u.av.kind == PL_AV_NEVERALLOW)
			continue;
		c->cur = s->pos;
		uint32_t *classes = NULL, ncls = 0;
		bool ok = sema_resolve_types(c, &s->u.av.src, s->block, false, false, &c->rs_src);
		ok &= sema_resolve_types(c, &s->u.av.tgt, s->block, true, false, &c->rs_tgt);
		ok &= sema_resolve_classes(c, &s->u.av.cls, s->block, &classes, &ncls);
		for (uint32_t ci = 0; ci < ncls; ci++)
			ok &= perms_for_class(c, &s->u.av.perms, classes[ci], &perms[ci]);
		if (!ok || !sema_block_enabled(c, s->block)) {
			free(classes);
			continue;
		}
		uint32_t cond = stmt_cond(c, s);
		bool branch = stmt_branch(c, s);
		uint32_t ns, nt;
		uint32_t *sk = set_keys(c, &c->rs_src, &c->scratch_src, &ns);
		uint32_t *tk = set_keys(c, &c->rs_tgt, &c->scratch_tgt, &nt);
		bool self = c->rs_tgt.self;
		if (self || (c->nnevers && s->u.av.kind == PL_AV_ALLOW))
			sema_expand_types(c, &c->rs_src, &sa);
		for (uint32_t ci = 0; ci < ncls; ci++) {
			if (!perms[ci])
				continue;
			for (uint32_t a = 0; a < ns; a++)
				for (uint32_t b = 0; b < nt; b++)
					add_av(c, s->u.av.kind, sk[a], tk[b], classes[ci], cond, branch,
					       perms[ci], s->pos);
			if (self)
				PL_BITSET_FOREACH(&sa, t)
					add_av(c, s->u.av.kind, t, t, classes[ci], cond, branch, perms[ci], s->pos);
		}
		if (c->nnevers && s->u.av.kind == PL_AV_ALLOW) {
			sema_expand_types(c, &c->rs_tgt, &ta);
			check_neverallows(c, s, classes, ncls, perms, &sa, &ta, self);
		}
		free(sk);
		free(tk);
		free(classes);
	}
	free(perms);
	pl_bitset_free(&sa);
	pl_bitset_free(&ta);
}

/* ---- type rules ---- */

static const char *te_name(enum pl_te_kind k)
{
	return k == PL_TE_TRANSITION ? "type_transition" : k == PL_TE_MEMBER ? "type_member" : "type_change";
}

/* Returns false on a conflict (reported).  As libsepol's expansion: one
 * (kind, source, target, class) has one new type; the same rule again is
 * harmless only when both copies are unconditional or in the same branch of
 * the same conditional, and the two branches of one conditional are
 * independent. */
static bool add_te(checker *c, const ast_stmt *s, uint32_t stmt, uint32_t src, uint32_t tgt,
		   uint32_t cls, uint32_t deflt, uint32_t cond, bool branch)
{
	pl_policy *pol = c->pol;
	enum pl_te_kind kind = s->u.te.kind;
	if (s->u.te.objname) {
		int inserted;
		uint32_t *slot = pl_map_put(&c->fname_trans, (uint64_t)(uintptr_t)s->u.te.objname,
					    ((uint64_t)src << 32) | tgt, cls, &inserted);
		if (!inserted) {
			const pl_terule *o = &pol->terules[*slot];
			sema_err(c, s->pos, "duplicate filename type_transition for %s %s:%s \"%s\" (first at %s:%u:%u)",
				 pol->types[src].name, pol->types[tgt].name, pol->classes[cls].name,
				 s->u.te.objname, o->pos.file, o->pos.line, o->pos.col);
			return false;
		}
		*slot = pol->nterules;
	} else {
		int inserted;
		uint32_t *head = pl_map_put(&c->temap, ((uint64_t)kind << 32) | cls,
					    ((uint64_t)src << 32) | tgt, 0, &inserted);
		for (uint32_t e = *head; e != AST_NONE; e = c->te_entries[e].next) {
			const te_entry *te = &c->te_entries[e];
			bool same_cond = te->cond == cond;
			if (same_cond && cond != PL_UNCOND && te->branch != branch)
				continue;
			const pl_srcpos *o = &c->prog->stmts[te->stmt].pos;
			if (te->deflt != deflt) {
				sema_err(c, s->pos, "conflicting %s rules for (%s, %s:%s): '%s' here, '%s' at %s:%u:%u",
					 te_name(kind), pol->types[src].name, pol->types[tgt].name,
					 pol->classes[cls].name, pol->types[deflt].name,
					 pol->types[te->deflt].name, o->file, o->line, o->col);
				return false;
			}
			if (same_cond)
				return true; /* the same rule again */
			sema_err(c, s->pos, "duplicate %s rule for (%s, %s:%s) in a different conditional context "
				 "(first at %s:%u:%u)", te_name(kind), pol->types[src].name, pol->types[tgt].name,
				 pol->classes[cls].name, o->file, o->line, o->col);
			return false;
		}
		te_entry *ne = PL_PUSH(c->te_entries, c->nte_entries, c->capte_entries);
		ne->cond = cond;
		ne->branch = branch;
		ne->deflt = deflt;
		ne->stmt = stmt;
		ne->next = *head;
		head = pl_map_put(&c->temap, ((uint64_t)kind << 32) | cls, ((uint64_t)src << 32) | tgt, 0, NULL);
		*head = c->nte_entries - 1;
	}
	pl_terule *r = PL_PUSH(pol->terules, pol->nterules, c->capte);
	r->kind = kind;
	r->source = src;
	r->target = tgt;
	r->cls = cls;
	r->deflt = deflt;
	r->cond = cond;
	r->branch = branch;
	r->objname = s->u.te.objname ? pl_xstrdup(s->u.te.objname) : NULL;
	r->pos = s->pos;
	return true;
}

static void te_rules(checker *c)
{
	ast_program *p = c->prog;
	pl_bitset sa = {0}, ta = {0};
	for (uint32_t i = 0; i < p->nstmts; i++) {
		const ast_stmt *s = &p->stmts[i];
		if (s->kind != ST_TERULE)
			continue;
		c->cur = s->pos;
		uint32_t *classes = NULL, ncls = 0;
		bool ok = sema_resolve_types(c, &s->u.te.src, s->block, false, false, &c->rs_src);
		ok &= sema_resolve_types(c, &s->u.te.tgt, s->block, true, false, &c->rs_tgt);
		ok &= sema_resolve_classes(c, &s->u.te.cls, s->block, &classes, &ncls);
		uint32_t d = sema_resolve(c, &s->u.te.deflt, NS_TYPE, s->block, "type");
		if (d != AST_NONE && c->syms[d].kind != SK_TYPE) {
			sema_err(c, s->u.te.deflt.pos, "the new type of a %s must be a type, and '%s' is an attribute",
				 te_name(s->u.te.kind), s->u.te.deflt.name);
			ok = false;
		}
		if (!ok || d == AST_NONE || c->syms[d].index == AST_NONE || !sema_block_enabled(c, s->block)) {
			free(classes);
			continue;
		}
		uint32_t deflt = c->syms[d].index;
		uint32_t cond = stmt_cond(c, s);
		bool branch = stmt_branch(c, s);
		sema_expand_types(c, &c->rs_src, &sa);
		sema_expand_types(c, &c->rs_tgt, &ta);
		bool self = c->rs_tgt.self;
		bool failed = false;
		PL_BITSET_FOREACH(&sa, st) {
			PL_BITSET_FOREACH(&ta, tt)
				for (uint32_t ci = 0; ci < ncls && !failed; ci++)
					failed = !add_te(c, s, i, st, tt, classes[ci], deflt, cond, branch);
			if (self && !pl_bitset_test(&ta, st))
				for (uint32_t ci = 0; ci < ncls && !failed; ci++)
					failed = !add_te(c, s, i, st, st, classes[ci], deflt, cond, branch);
			if (failed)
				break;
		}
		free(classes);
	}
	pl_bitset_free(&sa);
	pl_bitset_free(&ta);
}

void sema_te_rules(checker *c)
{
	collect_neverallows(c);
	av_rules(c);
	te_rules(c);
}
