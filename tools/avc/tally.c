/* The group table (tally.h): open addressing on an FNV-1a hash, doubled at
 * half load, so a flood of one denial costs one lookup a line. */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

void tally_init(tally *t)
{
	memset(t, 0, sizeof *t);
}

static void group_free(tally_group *g)
{
	for (int i = 0; i < TALLY_FIELDS; i++)
		free(g->field[i]);
	free(g);
}

void tally_free(tally *t)
{
	for (size_t i = 0; i < t->nslots; i++)
		if (t->slots[i])
			group_free(t->slots[i]);
	free(t->slots);
	tally_init(t);
}

static uint64_t hash_bytes(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
	return (h ^ 0xff) * 0x100000001b3ull; /* field separator */
}

static uint64_t hash_key(int kind, const avc_str *f)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)kind;
	for (int i = 0; i < TALLY_FIELDS; i++)
		h = hash_bytes(h, f[i].p, f[i].n);
	return h;
}

static uint64_t hash_group(const tally_group *g)
{
	avc_str f[TALLY_FIELDS];
	for (int i = 0; i < TALLY_FIELDS; i++)
		f[i] = (avc_str){g->field[i], strlen(g->field[i])};
	return hash_key(g->kind, f);
}

static int same(const tally_group *g, int kind, const avc_str *f)
{
	if (g->kind != kind)
		return 0;
	for (int i = 0; i < TALLY_FIELDS; i++)
		if (strlen(g->field[i]) != f[i].n || (f[i].n && memcmp(g->field[i], f[i].p, f[i].n)))
			return 0;
	return 1;
}

static int grow(tally *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 64;
	tally_group **s = calloc(n, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < t->nslots; i++) {
		if (!t->slots[i])
			continue;
		size_t j = hash_group(t->slots[i]) & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

static int stamp_before(uint64_t sa, uint32_t na, uint64_t sb, uint32_t nb)
{
	return sa < sb || (sa == sb && na < nb);
}

static void set_stamp(tally_stamp *s, const avc_record *r)
{
	s->sec = r->sec;
	s->nsec = r->nsec;
	size_t n = r->stamp.n < sizeof s->text - 1 ? r->stamp.n : sizeof s->text - 1;
	memcpy(s->text, r->stamp.p, n);
	s->text[n] = '\0';
}

tally_group *tally_add(tally *t, int kind, const avc_str f[TALLY_FIELDS], const avc_record *r, uint64_t line)
{
	if ((t->ngroups + 1) * 2 > t->nslots && grow(t) < 0)
		return NULL;
	size_t j = hash_key(kind, f) & (t->nslots - 1);
	while (t->slots[j] && !same(t->slots[j], kind, f))
		j = (j + 1) & (t->nslots - 1);
	tally_group *g = t->slots[j];
	if (!g) {
		g = calloc(1, sizeof *g);
		if (!g)
			return NULL;
		for (int i = 0; i < TALLY_FIELDS; i++) {
			g->field[i] = malloc(f[i].n + 1);
			if (!g->field[i]) {
				group_free(g);
				return NULL;
			}
			if (f[i].n)
				memcpy(g->field[i], f[i].p, f[i].n);
			g->field[i][f[i].n] = '\0';
		}
		g->kind = kind;
		g->first_line = line;
		t->slots[j] = g;
		t->ngroups++;
	}
	g->count++;
	g->enforcing += r->permissive == 0;
	g->permissive += r->permissive == 1;
	g->last_line = line;
	if (r->has_stamp) {
		/* Records reach the log out of order (policyd's own decisions
		 * carry timestamp 0), so first and last are by time. */
		if (!g->has_stamp || stamp_before(r->sec, r->nsec, g->first.sec, g->first.nsec))
			set_stamp(&g->first, r);
		if (!g->has_stamp || !stamp_before(r->sec, r->nsec, g->last.sec, g->last.nsec))
			set_stamp(&g->last, r);
		g->has_stamp = 1;
	}
	return g;
}

static int cmp_group(const void *a, const void *b)
{
	const tally_group *x = *(tally_group *const *)a, *y = *(tally_group *const *)b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	for (int i = 0; i < TALLY_FIELDS; i++) {
		int c = strcmp(x->field[i], y->field[i]);
		if (c)
			return c;
	}
	return 0;
}

tally_group **tally_sorted(const tally *t)
{
	tally_group **out = malloc((t->ngroups ? t->ngroups : 1) * sizeof *out);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < t->nslots; i++)
		if (t->slots[i])
			out[n++] = t->slots[i];
	qsort(out, n, sizeof *out, cmp_group);
	return out;
}
