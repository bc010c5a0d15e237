/* Validates a binary policy completely before anything uses it.
 *
 * The file may be corrupt or hostile (it crosses a trust boundary on the
 * device), so every count, offset, length, index, bitmap width, string and
 * expression is checked here, once; the lookup paths then index without
 * checks.  All arithmetic on file values is done in 64 bits so no sum can
 * wrap. */
#include "policy/engine.h"

typedef struct checker {
	pl_view *v;
	const pl_bin_header *h;
	pl_load_error *err;
} checker;

static int bad(checker *c, const char *msg, uint32_t offset)
{
	if (c->err) {
		c->err->msg = msg;
		c->err->offset = offset;
	}
	return PL_E_CORRUPT;
}

/* File offset of record i of section sec, for error messages. */
static uint32_t at(const checker *c, int sec, uint32_t i)
{
	uint64_t off = (uint64_t)c->h->sec[sec].offset + (uint64_t)i * c->h->sec[sec].entsize;
	return off > 0xffffffffu ? 0xffffffffu : (uint32_t)off;
}

static bool str_ok(const pl_view *v, uint32_t off)
{
	return off < v->strings_len;
}

static bool slice_ok(uint32_t first, uint32_t n, uint32_t total)
{
	return (uint64_t)first + n <= total;
}

static int check_layout(checker *c, const uint8_t *base, size_t len, unsigned flags)
{
	/* Sections are 8-byte aligned from the file start and some hold 64-bit
	 * words, so the buffer must be too. */
	if (((uintptr_t)base & (PL_BIN_ALIGN - 1)) != 0)
		return bad(c, "buffer is not 8-byte aligned", 0);
	if (len < sizeof(pl_bin_header))
		return bad(c, "file shorter than the header", 0);
	if (len > 0xffffffffu)
		return bad(c, "file larger than 4 GiB", 0);
	const pl_bin_header *h = (const pl_bin_header *)base;
	c->h = h;
	if (h->magic != PL_BIN_MAGIC)
		return bad(c, "bad magic: not a Bulwark binary policy", 0);
	if (h->version != PL_BIN_VERSION)
		return bad(c, "unsupported format version", 4);
	if (h->total_len != len)
		return bad(c, "length field does not match the file size", 8);
	if (!(flags & PL_LOAD_SKIP_CHECKSUM) && pl_crc32(base + 16, len - 16) != h->checksum)
		return bad(c, "checksum mismatch", 12);
	if (h->flags & ~PL_BIN_F_EXPANDED)
		return bad(c, "unknown header flags", 16);
	if (h->nsections != PL_SEC_COUNT)
		return bad(c, "wrong number of sections", 20);
	uint64_t end = sizeof(pl_bin_header);
	for (int i = 0; i < PL_SEC_COUNT; i++) {
		const pl_bin_section_desc *s = &h->sec[i];
		uint32_t where = (uint32_t)((const uint8_t *)s - base);
		if (s->entsize != pl_bin_entsize[i])
			return bad(c, "section record size is wrong", where);
		if ((uint64_t)s->count * s->entsize != s->size)
			return bad(c, "section size does not match its count", where);
		if (s->offset % PL_BIN_ALIGN != 0)
			return bad(c, "section is not aligned", where);
		if (s->offset < end)
			return bad(c, "sections overlap or are out of order", where);
		end = (uint64_t)s->offset + s->size;
		if (end > len)
			return bad(c, "section extends past the end of the file", where);
	}
	return PL_OK;
}

static void map_sections(pl_view *v, const uint8_t *base, const pl_bin_header *h)
{
#define SEC(i) ((const void *)(base + h->sec[i].offset))
#define CNT(i) (h->sec[i].count)
	v->strings = SEC(PL_SEC_STRINGS);
	v->strings_len = CNT(PL_SEC_STRINGS);
	v->commons = SEC(PL_SEC_COMMONS);
	v->ncommons = CNT(PL_SEC_COMMONS);
	v->classes = SEC(PL_SEC_CLASSES);
	v->nclasses = CNT(PL_SEC_CLASSES);
	v->permnames = SEC(PL_SEC_PERMNAMES);
	v->npermnames = CNT(PL_SEC_PERMNAMES);
	v->types = SEC(PL_SEC_TYPES);
	v->ntypes = CNT(PL_SEC_TYPES);
	v->typelists = SEC(PL_SEC_TYPELISTS);
	v->ntypelists = CNT(PL_SEC_TYPELISTS);
	v->aliases = SEC(PL_SEC_ALIASES);
	v->naliases = CNT(PL_SEC_ALIASES);
	v->roles = SEC(PL_SEC_ROLES);
	v->nroles = CNT(PL_SEC_ROLES);
	v->users = SEC(PL_SEC_USERS);
	v->nusers = CNT(PL_SEC_USERS);
	v->bitmaps = SEC(PL_SEC_BITMAPS);
	v->nbitmaps = CNT(PL_SEC_BITMAPS);
	v->bools = SEC(PL_SEC_BOOLS);
	v->nbools = CNT(PL_SEC_BOOLS);
	v->conds = SEC(PL_SEC_CONDS);
	v->nconds = CNT(PL_SEC_CONDS);
	v->condexpr = SEC(PL_SEC_CONDEXPR);
	v->ncondexpr = CNT(PL_SEC_CONDEXPR);
	v->avrows = SEC(PL_SEC_AVROWS);
	v->navrows = CNT(PL_SEC_AVROWS);
	v->avent = SEC(PL_SEC_AVENT);
	v->navent = CNT(PL_SEC_AVENT);
	v->typebits = CNT(PL_SEC_AVSUM) ? SEC(PL_SEC_TYPEBITS) : 0;
	v->avsum = CNT(PL_SEC_AVSUM) ? SEC(PL_SEC_AVSUM) : 0;
	v->avtgt = SEC(PL_SEC_AVTGT);
	v->navtgt = CNT(PL_SEC_AVTGT);
	v->condav = SEC(PL_SEC_CONDAV);
	v->ncondav = CNT(PL_SEC_CONDAV);
	v->terules = SEC(PL_SEC_TERULES);
	v->nterules = CNT(PL_SEC_TERULES);
	v->role_allows = SEC(PL_SEC_ROLEALLOW);
	v->nrole_allows = CNT(PL_SEC_ROLEALLOW);
	v->role_trans = SEC(PL_SEC_ROLETRANS);
	v->nrole_trans = CNT(PL_SEC_ROLETRANS);
	v->constraints = SEC(PL_SEC_CONSTRAINTS);
	v->nconstraints = CNT(PL_SEC_CONSTRAINTS);
	v->cexpr = SEC(PL_SEC_CEXPR);
	v->ncexpr = CNT(PL_SEC_CEXPR);
	v->isids = SEC(PL_SEC_ISIDS);
	v->nisids = CNT(PL_SEC_ISIDS);
	v->rules = SEC(PL_SEC_RULES);
	v->nrules = CNT(PL_SEC_RULES);
	v->class_idx = SEC(PL_SEC_CLASS_IDX);
	v->type_idx = SEC(PL_SEC_TYPE_IDX);
	v->alias_idx = SEC(PL_SEC_ALIAS_IDX);
	v->role_idx = SEC(PL_SEC_ROLE_IDX);
	v->user_idx = SEC(PL_SEC_USER_IDX);
	v->bool_idx = SEC(PL_SEC_BOOL_IDX);
#undef SEC
#undef CNT
	v->nattrs = 0; /* counted while the types are checked */
	v->type_words = (v->ntypes + 31) / 32;
	v->role_words = (v->nroles + 31) / 32;
}

/* A bitmap of nbits bits at word `first`: in range, no bit set past nbits. */
static bool bitmap_ok(const pl_view *v, uint32_t first, uint32_t nbits)
{
	uint32_t nw = (nbits + 31) / 32;
	if (!slice_ok(first, nw, v->nbitmaps))
		return false;
	if (nbits % 32 && (v->bitmaps[first + nw - 1] >> (nbits % 32)) != 0)
		return false;
	return true;
}

static int check_perm_slice(checker *c, uint32_t first, uint32_t n, uint32_t where)
{
	const pl_view *v = c->v;
	if (n > 32)
		return bad(c, "more than 32 permissions", where);
	if (!slice_ok(first, n, v->npermnames))
		return bad(c, "permission names out of range", where);
	for (uint32_t k = 0; k < n; k++)
		if (!str_ok(v, v->permnames[first + k]))
			return bad(c, "permission name offset out of range", at(c, PL_SEC_PERMNAMES, first + k));
	return PL_OK;
}

static int check_classes(checker *c)
{
	pl_view *v = c->v;
	for (uint32_t i = 0; i < v->ncommons; i++) {
		const pl_bin_common *co = &v->commons[i];
		if (!str_ok(v, co->name))
			return bad(c, "common name offset out of range", at(c, PL_SEC_COMMONS, i));
		int rc = check_perm_slice(c, co->perm_first, co->nperms, at(c, PL_SEC_COMMONS, i));
		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < v->nclasses; i++) {
		const pl_bin_class *cl = &v->classes[i];
		uint32_t where = at(c, PL_SEC_CLASSES, i);
		if (!str_ok(v, cl->name))
			return bad(c, "class name offset out of range", where);
		if (cl->common != PL_BIN_NONE &&
		    (cl->common >= v->ncommons || v->commons[cl->common].nperms > cl->nperms))
			return bad(c, "class inherits a bad common", where);
		int rc = check_perm_slice(c, cl->perm_first, cl->nperms, where);
		if (rc)
			return rc;
		if (!slice_ok(cl->cons_first, cl->ncons, v->nconstraints))
			return bad(c, "class constraints out of range", where);
	}
	return PL_OK;
}

static int check_types(checker *c)
{
	pl_view *v = c->v;
	for (uint32_t i = 0; i < v->ntypes; i++) {
		const pl_bin_type *t = &v->types[i];
		uint32_t where = at(c, PL_SEC_TYPES, i);
		if (!str_ok(v, t->name))
			return bad(c, "type name offset out of range", where);
		if (t->flags & ~(PL_BIN_TYPE_ATTR | PL_BIN_TYPE_PERMISSIVE))
			return bad(c, "unknown type flags", where);
		if (!slice_ok(t->list_first, t->nlist, v->ntypelists))
			return bad(c, "type list out of range", where);
		bool is_attr = t->flags & PL_BIN_TYPE_ATTR;
		if (t->attr_rank != (is_attr ? v->nattrs++ : PL_BIN_NONE))
			return bad(c, "bad attribute rank", where);
		for (uint32_t k = 0; k < t->nlist; k++) {
			uint32_t x = v->typelists[t->list_first + k];
			if (x >= v->ntypes || ((v->types[x].flags & PL_BIN_TYPE_ATTR) != 0) == is_attr)
				return bad(c, "type list names a bad type", at(c, PL_SEC_TYPELISTS, t->list_first + k));
			/* Sorted, so the engine can merge it with an AV row. */
			if (k > 0 && v->typelists[t->list_first + k - 1] >= x)
				return bad(c, "type list is not sorted", at(c, PL_SEC_TYPELISTS, t->list_first + k));
		}
	}
	for (uint32_t i = 0; i < v->naliases; i++) {
		const pl_bin_alias *a = &v->aliases[i];
		if (!str_ok(v, a->name) || a->type >= v->ntypes ||
		    (v->types[a->type].flags & PL_BIN_TYPE_ATTR))
			return bad(c, "bad alias", at(c, PL_SEC_ALIASES, i));
	}
	if (v->nroles == 0)
		return bad(c, "no roles (object_r is required)", at(c, PL_SEC_ROLES, 0));
	for (uint32_t i = 0; i < v->nroles; i++) {
		const pl_bin_role *r = &v->roles[i];
		if (!str_ok(v, r->name) || !bitmap_ok(v, r->types, v->ntypes))
			return bad(c, "bad role", at(c, PL_SEC_ROLES, i));
	}
	for (uint32_t i = 0; i < v->nusers; i++) {
		const pl_bin_user *u = &v->users[i];
		if (!str_ok(v, u->name) || !bitmap_ok(v, u->roles, v->nroles))
			return bad(c, "bad user", at(c, PL_SEC_USERS, i));
	}
	for (uint32_t i = 0; i < v->nbools; i++) {
		const pl_bin_bool *b = &v->bools[i];
		if (!str_ok(v, b->name) || b->dflt > 1)
			return bad(c, "bad boolean", at(c, PL_SEC_BOOLS, i));
	}
	for (uint32_t i = 0; i < v->nisids; i++) {
		const pl_bin_isid *s = &v->isids[i];
		if (!str_ok(v, s->name) || s->has_context > 1 ||
		    (s->has_context &&
		     (s->user >= v->nusers || s->role >= v->nroles || s->type >= v->ntypes)))
			return bad(c, "bad initial sid", at(c, PL_SEC_ISIDS, i));
	}
	return PL_OK;
}

static int check_conds(checker *c)
{
	pl_view *v = c->v;
	for (uint32_t i = 0; i < v->nconds; i++) {
		const pl_bin_cond *cd = &v->conds[i];
		uint32_t where = at(c, PL_SEC_CONDS, i);
		if (!slice_ok(cd->expr_first, cd->nexpr, v->ncondexpr))
			return bad(c, "conditional expression out of range", where);
		uint32_t depth = 0;
		for (uint32_t k = 0; k < cd->nexpr; k++) {
			const pl_bin_cond_node *n = &v->condexpr[cd->expr_first + k];
			uint32_t nwhere = at(c, PL_SEC_CONDEXPR, cd->expr_first + k);
			if (n->op == PL_BIN_COND_BOOL) {
				if (n->arg >= v->nbools)
					return bad(c, "conditional names a bad boolean", nwhere);
				if (++depth > PL_BIN_MAX_DEPTH)
					return bad(c, "conditional expression too deep", nwhere);
			} else if (n->op == PL_BIN_COND_NOT) {
				if (depth < 1)
					return bad(c, "conditional expression underflows", nwhere);
			} else if (n->op >= PL_BIN_COND_OR && n->op <= PL_BIN_COND_NEQ) {
				if (depth < 2)
					return bad(c, "conditional expression underflows", nwhere);
				depth--;
			} else {
				return bad(c, "unknown conditional operator", nwhere);
			}
		}
		if (depth != 1)
			return bad(c, "conditional expression does not leave one value", where);
	}
	return PL_OK;
}

static int check_constraints(checker *c)
{
	pl_view *v = c->v;
	for (uint32_t i = 0; i < v->nconstraints; i++) {
		const pl_bin_constraint *co = &v->constraints[i];
		uint32_t where = at(c, PL_SEC_CONSTRAINTS, i);
		if (!slice_ok(co->expr_first, co->nexpr, v->ncexpr))
			return bad(c, "constraint expression out of range", where);
		uint32_t depth = 0;
		for (uint32_t k = 0; k < co->nexpr; k++) {
			const pl_bin_cexpr *e = &v->cexpr[co->expr_first + k];
			uint32_t ew = at(c, PL_SEC_CEXPR, co->expr_first + k);
			uint32_t base = e->attr & ~PL_BIN_CATTR_TARGET;
			switch (e->kind) {
			case PL_BIN_CEXPR_NOT:
				if (depth < 1)
					return bad(c, "constraint expression underflows", ew);
				break;
			case PL_BIN_CEXPR_AND:
			case PL_BIN_CEXPR_OR:
				if (depth < 2)
					return bad(c, "constraint expression underflows", ew);
				depth--;
				break;
			case PL_BIN_CEXPR_ATTR:
				if (e->attr < PL_BIN_CATTR_USER || e->attr > PL_BIN_CATTR_TYPE ||
				    e->op < PL_BIN_COP_EQ || e->op > PL_BIN_COP_INCOMP ||
				    (e->op > PL_BIN_COP_NEQ && e->attr != PL_BIN_CATTR_ROLE))
					return bad(c, "bad constraint comparison", ew);
				depth++;
				break;
			case PL_BIN_CEXPR_NAMES: {
				if (base < PL_BIN_CATTR_USER || base > PL_BIN_CATTR_TYPE ||
				    (e->op != PL_BIN_COP_EQ && e->op != PL_BIN_COP_NEQ))
					return bad(c, "bad constraint name comparison", ew);
				uint32_t width = base == PL_BIN_CATTR_USER ? v->nusers
						 : base == PL_BIN_CATTR_ROLE ? v->nroles
									     : v->ntypes;
				if (e->nwords != (width + 31) / 32 || !bitmap_ok(v, e->names, width))
					return bad(c, "constraint name set has the wrong size", ew);
				depth++;
				break;
			}
			default:
				return bad(c, "unknown constraint expression node", ew);
			}
			if (depth > PL_BIN_MAX_DEPTH)
				return bad(c, "constraint expression too deep", ew);
		}
		if (depth != 1)
			return bad(c, "constraint expression does not leave one value", where);
	}
	return PL_OK;
}

static bool cond_ref_ok(const pl_view *v, uint32_t cond, uint32_t branch)
{
	return (cond == PL_BIN_NONE || cond < v->nconds) && branch <= 1;
}

static int check_avtab(checker *c)
{
	pl_view *v = c->v;
	if (v->navrows != (uint64_t)v->ntypes * v->nclasses)
		return bad(c, "AV row table has the wrong size", at(c, PL_SEC_AVROWS, 0));
	bool expanded = v->flags & PL_BIN_F_EXPANDED;
	uint32_t nw = (v->nattrs + 63) / 64;
	v->rowbits_words = nw <= PL_BIN_ROWBITS_MAX_WORDS ? nw : 0;
	for (uint32_t i = 0; i < v->navrows; i++) {
		const pl_bin_avrow *r = &v->avrows[i];
		uint32_t where = at(c, PL_SEC_AVROWS, i);
		uint64_t n = (uint64_t)r->nattr + r->ntype;
		uint32_t bits = r->nattr ? 2 * v->rowbits_words : 0;
		if ((uint64_t)r->first_tgt + bits + n > v->navtgt || (uint64_t)r->first_ent + n > v->navent)
			return bad(c, "AV row out of range", where);
		if (n && expanded && (v->types[i / v->nclasses].flags & PL_BIN_TYPE_ATTR))
			return bad(c, "expanded AV row keyed on an attribute", where);
		if (r->nattr && expanded)
			return bad(c, "expanded AV row with attribute targets", where);
		if (bits && r->first_tgt % 2)
			return bad(c, "AV row bitmap is not 8-byte aligned", where);
		/* The engine tests attribute ranks against a bitmap and
		 * binary-searches types: both parts strictly sorted, in range. */
		const uint32_t *tg = v->avtgt + r->first_tgt + bits;
		for (uint32_t k = 0; k < n; k++) {
			bool attr_part = k < r->nattr;
			uint32_t x = tg[k], tw = at(c, PL_SEC_AVTGT, r->first_tgt + bits + k);
			if (x >= (attr_part ? v->nattrs : v->ntypes) ||
			    (!attr_part && (v->types[x].flags & PL_BIN_TYPE_ATTR)))
				return bad(c, "AV target out of range", tw);
			if (k > 0 && k != r->nattr && tg[k - 1] >= x)
				return bad(c, "AV row is not sorted", tw);
			if (attr_part && bits && !((v->avtgt[r->first_tgt + 2 * (x / 64) + (x % 64) / 32] >> (x % 32)) & 1))
				return bad(c, "AV row bitmap misses a target", tw);
			const pl_bin_avent *e = &v->avent[r->first_ent + k];
			if (!slice_ok(e->cond_first, e->ncond, v->ncondav))
				return bad(c, "AV entry out of range", at(c, PL_SEC_AVENT, r->first_ent + k));
		}
		/* ... and names nothing else: one bit per attribute target. */
		uint32_t ones = 0;
		for (uint32_t k = 0; k < bits; k++) {
			uint32_t x = v->avtgt[r->first_tgt + k];
			while (x) {
				x &= x - 1;
				ones++;
			}
		}
		if (bits && ones != r->nattr)
			return bad(c, "AV row bitmap names targets the row lacks", where);
	}
	for (uint32_t i = 0; i < v->ncondav; i++) {
		const pl_bin_condav *ca = &v->condav[i];
		uint32_t kind = ca->kind & ~PL_BIN_CONDAV_BRANCH;
		if (ca->cond >= v->nconds || kind < PL_BIN_AV_ALLOW || kind > PL_BIN_AV_DONTAUDIT)
			return bad(c, "bad conditional AV contribution", at(c, PL_SEC_CONDAV, i));
	}
	return PL_OK;
}

/* Adds row (key, cls)'s targets to a summary, as the writer does. */
static void summarise_row(const pl_view *v, uint64_t *sum, uint32_t key, uint32_t cls)
{
	const pl_bin_avrow *r = &v->avrows[(size_t)key * v->nclasses + cls];
	uint32_t nw = v->rowbits_words;
	if (!(r->nattr | r->ntype))
		return;
	const uint32_t *tg = v->avtgt + r->first_tgt;
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

/* The summaries are recomputed here and must match exactly: a wrong one
 * would make the engine skip rules. */
static int check_summaries(checker *c)
{
	pl_view *v = c->v;
	uint32_t ntb = c->h->sec[PL_SEC_TYPEBITS].count, nsum = c->h->sec[PL_SEC_AVSUM].count;
	if (!nsum) {
		if (ntb)
			return bad(c, "type bitmaps without summaries", at(c, PL_SEC_TYPEBITS, 0));
		return PL_OK;
	}
	uint32_t nw = (v->nattrs + 63) / 64, per = nw + PL_BIN_SUM_BLOOM_WORDS;
	if ((v->flags & PL_BIN_F_EXPANDED) || nw > PL_BIN_ROWBITS_MAX_WORDS)
		return bad(c, "summaries in a table that cannot have them", at(c, PL_SEC_AVSUM, 0));
	if (ntb != (uint64_t)v->ntypes * nw || nsum != (uint64_t)v->ntypes * v->nclasses * per)
		return bad(c, "summary sections have the wrong size", at(c, PL_SEC_AVSUM, 0));
	for (uint32_t t = 0; t < v->ntypes; t++) {
		uint64_t words[PL_BIN_ROWBITS_MAX_WORDS];
		for (uint32_t i = 0; i < nw; i++)
			words[i] = 0;
		const pl_bin_type *ty = &v->types[t];
		for (uint32_t k = 0; !(ty->flags & PL_BIN_TYPE_ATTR) && k < ty->nlist; k++) {
			uint32_t rank = v->types[v->typelists[ty->list_first + k]].attr_rank;
			words[rank / 64] |= (uint64_t)1 << (rank % 64);
		}
		for (uint32_t i = 0; i < nw; i++)
			if (v->typebits[(size_t)t * nw + i] != words[i])
				return bad(c, "type bitmap does not match the type's attributes",
					   at(c, PL_SEC_TYPEBITS, (uint32_t)((size_t)t * nw + i)));
	}
	for (uint32_t s = 0; s < v->ntypes; s++) {
		const pl_bin_type *ty = &v->types[s];
		for (uint32_t cls = 0; cls < v->nclasses; cls++) {
			uint64_t sum[PL_BIN_ROWBITS_MAX_WORDS + PL_BIN_SUM_BLOOM_WORDS];
			for (uint32_t i = 0; i < per; i++)
				sum[i] = 0;
			if (!(ty->flags & PL_BIN_TYPE_ATTR)) {
				summarise_row(v, sum, s, cls);
				for (uint32_t k = 0; k < ty->nlist; k++)
					summarise_row(v, sum, v->typelists[ty->list_first + k], cls);
			}
			size_t base = ((size_t)s * v->nclasses + cls) * per;
			for (uint32_t i = 0; i < per; i++)
				if (v->avsum[base + i] != sum[i])
					return bad(c, "AV summary does not match its rows",
						   at(c, PL_SEC_AVSUM, (uint32_t)(base + i)));
		}
	}
	return PL_OK;
}

static int cmp_keys(const uint32_t *a, const uint32_t *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int check_rules(checker *c)
{
	pl_view *v = c->v;
	for (uint32_t i = 0; i < v->nterules; i++) {
		const pl_bin_terule *r = &v->terules[i];
		if (r->kind < PL_BIN_TE_TRANSITION || r->kind > PL_BIN_TE_CHANGE || r->src >= v->ntypes ||
		    r->tgt >= v->ntypes || r->cls >= v->nclasses || r->deflt >= v->ntypes ||
		    (v->types[r->deflt].flags & PL_BIN_TYPE_ATTR) || !cond_ref_ok(v, r->cond, r->branch))
			return bad(c, "bad type rule", at(c, PL_SEC_TERULES, i));
		if (i > 0 && cmp_keys(&v->terules[i - 1].kind, &r->kind, 4) > 0)
			return bad(c, "type rules are not sorted", at(c, PL_SEC_TERULES, i));
	}
	for (uint32_t i = 0; i < v->nrole_allows; i++) {
		const pl_bin_role_allow *r = &v->role_allows[i];
		if (r->role >= v->nroles || r->new_role >= v->nroles)
			return bad(c, "bad role allow", at(c, PL_SEC_ROLEALLOW, i));
		if (i > 0 && cmp_keys(&v->role_allows[i - 1].role, &r->role, 2) >= 0)
			return bad(c, "role allows are not sorted", at(c, PL_SEC_ROLEALLOW, i));
	}
	for (uint32_t i = 0; i < v->nrole_trans; i++) {
		const pl_bin_role_trans *r = &v->role_trans[i];
		if (r->role >= v->nroles || r->new_role >= v->nroles || r->type >= v->ntypes ||
		    r->cls >= v->nclasses)
			return bad(c, "bad role transition", at(c, PL_SEC_ROLETRANS, i));
		if (i > 0 && cmp_keys(&v->role_trans[i - 1].role, &r->role, 3) > 0)
			return bad(c, "role transitions are not sorted", at(c, PL_SEC_ROLETRANS, i));
	}
	for (uint32_t i = 0; i < v->nrules; i++) {
		const pl_bin_rule *r = &v->rules[i];
		if (r->kind < PL_BIN_AV_ALLOW || r->kind > PL_BIN_AV_DONTAUDIT || r->src >= v->ntypes ||
		    r->tgt >= v->ntypes || r->cls >= v->nclasses || !cond_ref_ok(v, r->cond, r->branch))
			return bad(c, "bad rule in the listing", at(c, PL_SEC_RULES, i));
	}
	return PL_OK;
}

/* Strings are compared as unsigned bytes, as the writer's strcmp sorts. */
static int str_cmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a < (unsigned char)*b ? -1 : (unsigned char)*a > (unsigned char)*b;
}

/* A name index must be a permutation sorted strictly by name; strictness
 * also proves the names unique. */
static int check_index(checker *c, int sec, const uint32_t *idx, uint32_t n, const void *table,
		       uint32_t stride)
{
	pl_view *v = c->v;
	if (c->h->sec[sec].count != n)
		return bad(c, "name index has the wrong length", at(c, sec, 0));
	const char *prev = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (idx[i] >= n)
			return bad(c, "name index entry out of range", at(c, sec, i));
		/* Every record starts with its name offset, validated above. */
		uint32_t name = *(const uint32_t *)((const uint8_t *)table + (uint64_t)idx[i] * stride);
		const char *s = v->strings + name;
		if (prev && str_cmp(prev, s) >= 0)
			return bad(c, "name index is not strictly sorted", at(c, sec, i));
		prev = s;
	}
	return PL_OK;
}

static int check_indices(checker *c)
{
	pl_view *v = c->v;
	int rc;
	if ((rc = check_index(c, PL_SEC_CLASS_IDX, v->class_idx, v->nclasses, v->classes, sizeof *v->classes)) ||
	    (rc = check_index(c, PL_SEC_TYPE_IDX, v->type_idx, v->ntypes, v->types, sizeof *v->types)) ||
	    (rc = check_index(c, PL_SEC_ALIAS_IDX, v->alias_idx, v->naliases, v->aliases, sizeof *v->aliases)) ||
	    (rc = check_index(c, PL_SEC_ROLE_IDX, v->role_idx, v->nroles, v->roles, sizeof *v->roles)) ||
	    (rc = check_index(c, PL_SEC_USER_IDX, v->user_idx, v->nusers, v->users, sizeof *v->users)) ||
	    (rc = check_index(c, PL_SEC_BOOL_IDX, v->bool_idx, v->nbools, v->bools, sizeof *v->bools)))
		return rc;
	return PL_OK;
}

/* libsepol finds the process class and its transition permissions by name
 * when it loads a policy; so do we. */
static void find_process_class(pl_view *v)
{
	v->process_class = PL_BIN_NONE;
	v->process_trans_dyntrans = 0;
	int32_t cls = pl_find_class_n(v, "process", 7);
	if (cls < 0)
		return;
	v->process_class = (uint32_t)cls;
	int32_t t = pl_find_perm_n(v, (uint32_t)cls, "transition", 10);
	int32_t d = pl_find_perm_n(v, (uint32_t)cls, "dyntransition", 13);
	if (t >= 0)
		v->process_trans_dyntrans |= 1u << t;
	if (d >= 0)
		v->process_trans_dyntrans |= 1u << d;
}

int pl_view_load(pl_view *v, const void *buf, size_t len, unsigned flags, pl_load_error *err)
{
	/* Filled in place (a struct copy would make the compiler call memcpy,
	 * which the device may not have); on failure *v is left unusable. */
	checker c = {v, 0, err};
	if (err) {
		err->msg = "ok";
		err->offset = 0;
	}
	if (!buf)
		return bad(&c, "no buffer", 0);
	int rc = check_layout(&c, buf, len, flags);
	if (rc)
		return rc;
	v->base = buf;
	v->len = (uint32_t)len;
	v->flags = c.h->flags;
	v->process_class = PL_BIN_NONE;
	v->process_trans_dyntrans = 0;
	map_sections(v, buf, c.h);
	if (v->strings_len == 0 || v->strings[v->strings_len - 1] != '\0')
		return bad(&c, "string table is not NUL-terminated", at(&c, PL_SEC_STRINGS, 0));
	if ((rc = check_classes(&c)) || (rc = check_types(&c)) || (rc = check_conds(&c)) ||
	    (rc = check_constraints(&c)) || (rc = check_avtab(&c)) || (rc = check_summaries(&c)) ||
	    (rc = check_rules(&c)) ||
	    (rc = check_indices(&c)))
		return rc;
	find_process_class(v);
	return PL_OK;
}
