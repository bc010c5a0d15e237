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

paddr_t palloc_alloc(struct palloc *pa, u64 n)
{
	if (n == 0 || n > pa->free)
		return 0;
	/* Two sweeps from the hint cover every start position once. */
	u64 start = pa->hint, run = 0;
	for (u64 scanned = 0; scanned < pa->pages + n; scanned++) {
		u64 i = (start + scanned) % pa->pages;
		if (i == 0)
			run = 0; /* a run cannot wrap around the end of RAM */
		if (used(pa, i)) {
			run = 0;
			continue;
		}
		if (++run == n) {
			u64 first = i + 1 - n;
			for (u64 k = first; k <= i; k++)
				set(pa, k, true);
			pa->free -= n;
			pa->hint = (i + 1) % pa->pages;
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
	for (u64 i = first; i < first + n && i < pa->pages; i++) {
		if (used(pa, i)) {
			set(pa, i, false);
			pa->free++;
		}
	}
}
