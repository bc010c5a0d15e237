#include <kernel/mem.h>

static bool used(const struct palloc *pa, u64 i)
{
	return pa->bitmap[i / 64] >> (i % 64) & 1;
}

static void set(struct palloc *pa, u64 i, bool v)
{
	if (v)
		pa->bitmap[i / 64] |= 1ull << (i % 64);
	else
		pa->bitmap[i / 64] &= ~(1ull << (i % 64));
}

void palloc_init(struct palloc *pa, paddr_t base, u64 pages, u64 *bitmap)
{
	pa->base = base;
	pa->pages = pages;
	pa->free = pages;
	pa->hint = 0;
	pa->bitmap = bitmap;
	for (u64 i = 0; i < (pages + 63) / 64; i++)
		bitmap[i] = 0;
}

void palloc_reserve(struct palloc *pa, paddr_t addr, u64 n)
{
	for (u64 k = 0; k < n; k++) {
		if (addr + k * PAGE_SIZE < pa->base)
			continue;
		u64 i = (addr - pa->base) / PAGE_SIZE + k;
		if (i < pa->pages && !used(pa, i)) {
			set(pa, i, true);
			pa->free--;
		}
	}
}

/* Mark [first, first + n) used or free, a bitmap word at a time where the
 * range covers whole words, and keep the free count exact.  A 16 MiB region
 * is 4096 bits: bit by bit that is tens of microseconds with interrupts
 * masked, which a real-time guest beside it would see as jitter. */
static void set_range(struct palloc *pa, u64 first, u64 n, bool v)
{
	u64 i = first, end = first + n < pa->pages ? first + n : pa->pages;
	while (i < end) {
		u64 *w = &pa->bitmap[i / 64];
		if (i % 64 == 0 && end - i >= 64 && *w == (v ? 0 : ~0ull)) {
			*w = v ? ~0ull : 0;
			if (v)
				pa->free -= 64;
			else
				pa->free += 64;
			i += 64;
			continue;
		}
		if (used(pa, i) != v) {
			set(pa, i, v);
			if (v)
				pa->free--;
			else
				pa->free++;
		}
		i++;
	}
}

paddr_t palloc_alloc(struct palloc *pa, u64 n)
{
	if (n == 0 || n > pa->free)
		return 0;
	/* Two sweeps from the hint cover every start position once.  Aligned
	 * words that are all used, or all free while the run needs 64 more,
	 * are taken whole: the scan of 1 GiB is 4096 words, not 262144 bits. */
	u64 start = pa->hint, run = 0;
	for (u64 scanned = 0; scanned < pa->pages + n;) {
		u64 i = (start + scanned) % pa->pages;
		if (i == 0)
			run = 0; /* a run cannot wrap around the end of RAM */
		u64 last = i; /* the page this step ends on */
		if (i % 64 == 0 && pa->pages - i >= 64 && pa->bitmap[i / 64] == ~0ull) {
			run = 0;
			scanned += 64;
			continue;
		}
		if (i % 64 == 0 && pa->pages - i >= 64 && pa->bitmap[i / 64] == 0 && n - run >= 64) {
			run += 64;
			last = i + 63;
			scanned += 64;
		} else {
			scanned++;
			if (used(pa, i)) {
				run = 0;
				continue;
			}
			run++;
		}
		if (run == n) {
			u64 first = last + 1 - n;
			set_range(pa, first, n, true);
			pa->hint = (last + 1) % pa->pages;
			return pa->base + first * PAGE_SIZE;
		}
	}
	return 0;
}

void palloc_free(struct palloc *pa, paddr_t addr, u64 n)
{
	if (addr < pa->base)
		return;
	u64 first = (addr - pa->base) / PAGE_SIZE;
	if (first < pa->pages)
		set_range(pa, first, n, false);
}
