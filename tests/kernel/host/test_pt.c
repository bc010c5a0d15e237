/* Stage-2 page tables on the fake architecture: encoding, W^X-relevant
 * attributes, all-or-nothing mapping, and the TLB maintenance that real
 * hardware needs (recorded by kernel/arch/fake). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arch/fake.h>
#include <bulwark/errors.h>
#include <kernel/pt.h>

static int pages_live, page_budget;

static u64 *alloc_page(void *ctx)
{
	(void)ctx;
	if (page_budget == 0)
		return NULL;
	page_budget--;
	u64 *p = aligned_alloc(4096, 4096);
	memset(p, 0, 4096);
	pages_live++;
	return p;
}

static void free_page(void *ctx, u64 *p)
{
	(void)ctx;
	pages_live--;
	free(p);
}

static const struct pt_alloc A = {alloc_page, free_page, NULL};

static int setup(void **state)
{
	(void)state;
	pages_live = 0;
	page_budget = 1000;
	fake_reset();
	return 0;
}

static unsigned count(enum fake_op op)
{
	unsigned n = 0;
	for (unsigned i = 0; i < fake_log.n; i++)
		n += fake_log.op[i].op == op;
	return n;
}

static void map_lookup_unmap(void **state)
{
	(void)state;
	struct pt pt;
	assert_int_equal(pt_init(&pt, &A), BW_OK);
	pt.vttbr = 0xabc;
	assert_int_equal(pt_map(&pt, 0x400000, 0x80000000, 0x3000, PT_R | PT_X, &A), BW_OK);
	paddr_t pa;
	unsigned attrs;
	assert_true(pt_lookup(&pt, 0x401234, &pa, &attrs));
	assert_int_equal(pa, 0x80001234);
	assert_int_equal(attrs, PT_R | PT_X);
	assert_false(pt_lookup(&pt, 0x403000, &pa, &attrs));
	fake_reset();
	pt_unmap(&pt, 0x400000, 0x3000);
	assert_false(pt_lookup(&pt, 0x400000, &pa, &attrs));
	/* Every removed page: publish the invalid entry, then flush it. */
	assert_int_equal(count(FAKE_TLB_PAGE), 3);
	assert_int_equal(fake_log.op[0].op, FAKE_PT_PUBLISH);
	assert_int_equal(fake_log.op[1].op, FAKE_TLB_PAGE);
	assert_int_equal(fake_log.op[1].a, 0xabc);
	assert_int_equal(fake_log.op[1].b, 0x400000);
	pt_destroy(&pt, &A);
	assert_int_equal(pages_live, 0);
}

static void large_unmap_flushes_the_vmid_once(void **state)
{
	(void)state;
	struct pt pt;
	pt_init(&pt, &A);
	pt.vttbr = 0x5000000000000ull;
	assert_int_equal(pt_map(&pt, 0x100000, 0x90000000, 0x100000, PT_R | PT_W, &A), BW_OK);
	fake_reset();
	pt_unmap(&pt, 0x100000, 0x100000);
	assert_int_equal(count(FAKE_TLB_PAGE), 0);
	assert_int_equal(count(FAKE_TLB_VMID), 1);
	assert_int_equal(fake_log.op[fake_log.n - 1].op, FAKE_TLB_VMID);
	assert_int_equal(fake_log.op[fake_log.n - 2].op, FAKE_PT_PUBLISH);
	fake_reset();
	pt_unmap(&pt, 0x100000, 0x100000); /* nothing mapped: nothing to flush */
	assert_int_equal(fake_log.n, 0);
	pt_destroy(&pt, &A);
}

static void new_mapping_needs_no_flush(void **state)
{
	(void)state;
	struct pt pt;
	pt_init(&pt, &A);
	fake_reset();
	assert_int_equal(pt_map(&pt, 0x10000000, 0x90000000, 0x1000, PT_R | PT_W, &A), BW_OK);
	assert_int_equal(count(FAKE_TLB_PAGE), 0);
	assert_true(count(FAKE_PT_PUBLISH) >= 1);
	/* The last thing done is publication, so the walker sees the entry. */
	assert_int_equal(fake_log.op[fake_log.n - 1].op, FAKE_PT_PUBLISH);
	pt_destroy(&pt, &A);
}

static void overlap_is_all_or_nothing(void **state)
{
	(void)state;
	struct pt pt;
	pt_init(&pt, &A);
	assert_int_equal(pt_map(&pt, 0x2000, 0x90000000, 0x1000, PT_R, &A), BW_OK);
	assert_int_equal(pt_map(&pt, 0x1000, 0xa0000000, 0x3000, PT_R, &A), BW_E_EXISTS);
	paddr_t pa;
	unsigned attrs;
	assert_false(pt_lookup(&pt, 0x1000, &pa, &attrs)); /* nothing half-mapped */
	assert_true(pt_lookup(&pt, 0x2000, &pa, &attrs));
	assert_int_equal(pa, 0x90000000);
	pt_destroy(&pt, &A);
}

static void bad_ranges_rejected(void **state)
{
	(void)state;
	struct pt pt;
	pt_init(&pt, &A);
	assert_int_equal(pt_map(&pt, 0x1001, 0x90000000, 0x1000, PT_R, &A), BW_E_INVAL);
	assert_int_equal(pt_map(&pt, 0x1000, 0x90000010, 0x1000, PT_R, &A), BW_E_INVAL);
	assert_int_equal(pt_map(&pt, 0x1000, 0x90000000, 0, PT_R, &A), BW_E_INVAL);
	assert_int_equal(pt_map(&pt, PT_VA_LIMIT - 0x1000, 0x90000000, 0x2000, PT_R, &A), BW_E_INVAL);
	assert_int_equal(pt_map(&pt, ~0ull & ~0xfffull, 0x90000000, 0x1000, PT_R, &A), BW_E_INVAL);
	paddr_t pa;
	unsigned attrs;
	assert_false(pt_lookup(&pt, PT_VA_LIMIT, &pa, &attrs));
	pt_destroy(&pt, &A);
}

static void out_of_table_memory(void **state)
{
	(void)state;
	struct pt pt;
	pt_init(&pt, &A);
	page_budget = 1; /* the level-2 table, but no level-3 */
	assert_int_equal(pt_map(&pt, 0x1000, 0x90000000, 0x1000, PT_R, &A), BW_E_NOMEM);
	page_budget = 1000;
	assert_int_equal(pt_map(&pt, 0x1000, 0x90000000, 0x1000, PT_R, &A), BW_OK);
	pt_destroy(&pt, &A);
	assert_int_equal(pages_live, 0);
}

static void descriptor_encoding(void **state)
{
	(void)state;
	u64 d = pt_leaf_desc(0x12345000, PT_R | PT_W);
	assert_int_equal(d & 3, 3);                 /* valid page */
	assert_true(d & (1ull << 10));              /* access flag: no AF faults */
	assert_true(d & (1ull << 54));              /* not executable */
	assert_int_equal((d >> 6) & 3, 3);          /* S2AP read-write */
	assert_int_equal((d >> 2) & 0xf, 0xf);      /* normal write-back */
	assert_int_equal(pt_desc_attrs(d), PT_R | PT_W);
	u64 dev = pt_leaf_desc(0x09000000, PT_R | PT_W | PT_DEV | PT_X);
	assert_int_equal((dev >> 2) & 0xf, 0x1);    /* Device-nGnRE */
	assert_true(dev & (1ull << 54));            /* device memory never executable */
	assert_int_equal(pt_desc_attrs(pt_leaf_desc(0x1000, PT_R | PT_X)), PT_R | PT_X);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(map_lookup_unmap, setup),
		cmocka_unit_test_setup(new_mapping_needs_no_flush, setup),
		cmocka_unit_test_setup(large_unmap_flushes_the_vmid_once, setup),
		cmocka_unit_test_setup(overlap_is_all_or_nothing, setup),
		cmocka_unit_test_setup(bad_ranges_rejected, setup),
		cmocka_unit_test_setup(out_of_table_memory, setup),
		cmocka_unit_test_setup(descriptor_encoding, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
