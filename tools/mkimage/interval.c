#include "interval.h"

#include <stdlib.h>

void sd_intervals_init(struct sd_intervals *iv)
{
	iv->v = NULL;
	iv->count = iv->cap = 0;
	iv->out_of_memory = 0;
}

void sd_intervals_add(struct sd_intervals *iv, uint64_t start, uint64_t end, size_t owner, int tag)
{
	if (end <= start)
		return;
	if (iv->count == iv->cap) {
		size_t cap = iv->cap ? iv->cap * 2 : 16;
		struct sd_interval *v = realloc(iv->v, cap * sizeof(*v));
		if (!v) {
			iv->out_of_memory = 1;
			return;
		}
		iv->v = v;
		iv->cap = cap;
	}
	iv->v[iv->count] = (struct sd_interval){start, end, owner, tag, iv->count};
	iv->count++;
}

static int by_start(const void *a, const void *b)
{
	const struct sd_interval *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t sd_intervals_overlaps(struct sd_intervals *iv, sd_overlap_fn fn, void *ctx)
{
	if (iv->count < 2)
		return 0;
	qsort(iv->v, iv->count, sizeof(*iv->v), by_start);
	size_t found = 0;
	/* The range reaching furthest so far is the one any later range would
	 * overlap first. */
	size_t reach = 0;
	for (size_t i = 1; i < iv->count; i++) {
		const struct sd_interval *r = &iv->v[reach], *c = &iv->v[i];
		if (c->start < r->end) {
			found++;
			if (fn) {
				if (r->seq < c->seq)
					fn(ctx, r, c);
				else
					fn(ctx, c, r);
			}
		}
		if (c->end > r->end)
			reach = i;
	}
	return found;
}

void sd_intervals_free(struct sd_intervals *iv)
{
	free(iv->v);
	sd_intervals_init(iv);
}
