#include <bulwark/errors.h>
#include <kernel/arch.h>
#include <kernel/pt.h>

/* VMSAv8-64 stage-2 descriptor fields. */
#define DESC_VALID     (1ull << 0)
#define DESC_TABLE     (1ull << 1) /* at levels 1-2: next-level table; at level 3: page */
#define DESC_AF        (1ull << 10)
#define DESC_SH_INNER  (3ull << 8)
#define DESC_S2AP_R    (1ull << 6)
#define DESC_S2AP_W    (2ull << 6)
#define DESC_XN        (1ull << 54)
#define DESC_MEM_NORMAL (0xfull << 2) /* outer and inner write-back */
#define DESC_MEM_DEVICE (0x1ull << 2) /* Device-nGnRE */
#define DESC_MEM_MASK  (0xfull << 2)
#define DESC_ADDR_MASK 0x0000fffffffff000ull

#define LEVEL_SHIFT(l) (12 + 9 * (3 - (l)))
#define LEVEL_INDEX(va, l) (((va) >> LEVEL_SHIFT(l)) & 511)

u64 pt_leaf_desc(paddr_t pa, unsigned attrs)
{
	u64 d = (pa & DESC_ADDR_MASK) | DESC_VALID | DESC_TABLE | DESC_AF;
	if (attrs & PT_DEV)
		d |= DESC_MEM_DEVICE | DESC_XN;
	else
		d |= DESC_MEM_NORMAL | DESC_SH_INNER;
	if (attrs & PT_R)
		d |= DESC_S2AP_R;
	if (attrs & PT_W)
		d |= DESC_S2AP_W;
	if (!(attrs & PT_X))
		d |= DESC_XN;
	return d;
}

unsigned pt_desc_attrs(u64 d)
{
	unsigned a = 0;
	if (d & DESC_S2AP_R)
		a |= PT_R;
	if (d & DESC_S2AP_W)
		a |= PT_W;
	if (!(d & DESC_XN))
		a |= PT_X;
	if ((d & DESC_MEM_MASK) == DESC_MEM_DEVICE)
		a |= PT_DEV;
	return a;
}

int pt_init(struct pt *pt, const struct pt_alloc *a)
{
	pt->root = a->alloc(a->ctx);
	pt->vttbr = 0;
	return pt->root ? BW_OK : (int)BW_E_NOMEM;
}

static u64 *table_of(u64 desc)
{
	return phys_to_virt(desc & DESC_ADDR_MASK);
}

/* The level-3 entry for va, creating intermediate tables when `a` is given. */
static u64 *leaf_slot(const struct pt *pt, u64 va, const struct pt_alloc *a)
{
	u64 *table = pt->root;
	for (int level = 1; level < 3; level++) {
		u64 *e = &table[LEVEL_INDEX(va, level)];
		if (!(*e & DESC_VALID)) {
			if (!a)
				return NULL;
			u64 *next = a->alloc(a->ctx);
			if (!next)
				return NULL;
			/* The zeroed table must be visible before the walker can
			 * follow the entry that points to it. */
			arch_pt_publish();
			*e = virt_to_phys(next) | DESC_VALID | DESC_TABLE;
		}
		table = table_of(*e);
	}
	return &table[LEVEL_INDEX(va, 3)];
}

static bool range_ok(u64 va, u64 size)
{
	return size && ALIGNED(va, PAGE_SIZE) && ALIGNED(size, PAGE_SIZE) && va < PT_VA_LIMIT &&
	       size <= PT_VA_LIMIT - va;
}

int pt_map(struct pt *pt, u64 va, paddr_t pa, u64 size, unsigned attrs, const struct pt_alloc *a)
{
	if (!range_ok(va, size) || !ALIGNED(pa, PAGE_SIZE))
		return BW_E_INVAL;
	/* First pass: every slot exists and is free, so the second pass cannot
	 * fail half-way and leave a partial mapping. */
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		u64 *slot = leaf_slot(pt, va + off, a);
		if (!slot)
			return BW_E_NOMEM;
		if (*slot & DESC_VALID)
			return BW_E_EXISTS;
	}
	for (u64 off = 0; off < size; off += PAGE_SIZE)
		*leaf_slot(pt, va + off, NULL) = pt_leaf_desc(pa + off, attrs);
	/* Mapping a previously invalid entry needs no TLB invalidation (no
	 * valid translation can be cached for it), only publication. */
	arch_pt_publish();
	return BW_OK;
}

/* Beyond this many pages one by-VMID invalidation is cheaper than
 * invalidating page by page. */
#define PT_FLUSH_PAGES_MAX 32

void pt_unmap(struct pt *pt, u64 va, u64 size)
{
	if (!range_ok(va, size))
		return;
	bool per_page = size / PAGE_SIZE <= PT_FLUSH_PAGES_MAX;
	bool removed = false;
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		u64 *slot = leaf_slot(pt, va + off, NULL);
		if (!slot || !(*slot & DESC_VALID))
			continue;
		*slot = 0;
		removed = true;
		if (per_page) {
			/* Break before the page may be reused: the invalid entry
			 * must be visible to the walker, then the old
			 * translation dropped. */
			arch_pt_publish();
			arch_tlb_flush_page(pt->vttbr, va + off);
		}
	}
	if (removed && !per_page) {
		arch_pt_publish();
		arch_tlb_flush_vmid(pt->vttbr);
	}
}

bool pt_lookup(const struct pt *pt, u64 va, paddr_t *pa, unsigned *attrs)
{
	if (va >= PT_VA_LIMIT)
		return false;
	u64 *slot = leaf_slot(pt, va, NULL);
	if (!slot || !(*slot & DESC_VALID))
		return false;
	*pa = (*slot & DESC_ADDR_MASK) | (va & PAGE_MASK);
	*attrs = pt_desc_attrs(*slot);
	return true;
}

void pt_destroy(struct pt *pt, const struct pt_alloc *a)
{
	if (!pt->root)
		return;
	for (int i = 0; i < 512; i++) {
		if (!(pt->root[i] & DESC_VALID))
			continue;
		u64 *l2 = table_of(pt->root[i]);
		for (int j = 0; j < 512; j++)
			if (l2[j] & DESC_VALID)
				a->free(a->ctx, table_of(l2[j]));
		a->free(a->ctx, l2);
	}
	a->free(a->ctx, pt->root);
	pt->root = NULL;
}
