/* Finding overlaps among address ranges (physical MMIO, shared memory, a
 * task's virtual mappings) in O(n log n), so that a description with many
 * objects is still checked quickly. */
#ifndef MKIMAGE_INTERVAL_H
#define MKIMAGE_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

struct sd_interval {
	uint64_t start, end; /* [start, end) */
	size_t owner;        /* the caller's index */
	int tag;             /* the caller's kind of range */
	size_t seq;          /* insertion order */
};

struct sd_intervals {
	struct sd_interval *v;
	size_t count, cap;
	int out_of_memory;
};

/* Called once per overlapping range, with the range it overlaps;
 * `first` was added before `second`. */
typedef void (*sd_overlap_fn)(void *ctx, const struct sd_interval *first,
			      const struct sd_interval *second);

void sd_intervals_init(struct sd_intervals *iv);
void sd_intervals_add(struct sd_intervals *iv, uint64_t start, uint64_t end, size_t owner, int tag);
/* Reports each range that overlaps an earlier-starting (or equal) one.
 * Returns the number of overlaps found. */
size_t sd_intervals_overlaps(struct sd_intervals *iv, sd_overlap_fn fn, void *ctx);
/* Where two overlapping ranges begin to overlap: what messages name. */
static inline uint64_t sd_overlap_start(const struct sd_interval *a, const struct sd_interval *b)
{
	return a->start > b->start ? a->start : b->start;
}
void sd_intervals_free(struct sd_intervals *iv);

#endif
