/* VMID rollover and the physical page allocator (the security hook's cache
 * has its own tests in test_avc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include <arch/fake.h>
#include <kernel/mem.h>
#include <kernel/vmid.h>

static void vmids_unique_within_a_generation(void **state)
{
	(void)state;
	struct vmid_alloc va;
	vmid_init(&va);
	struct vmid_tag a = {0}, b = {0};
	assert_true(vmid_refresh(&va, &a));
	assert_true(vmid_refresh(&va, &b));
	assert_int_not_equal(a.vmid, b.vmid);
	assert_int_not_equal(a.vmid, 0); /* VMID 0 is reserved */
	assert_false(vmid_refresh(&va, &a)); /* still valid: no change */
}

static void rollover_flushes_everything_once(void **state)
{
	(void)state;
	struct vmid_alloc va;
	vmid_init(&va);
	fake_reset();
	static struct vmid_tag tags[VMID_COUNT + 5];
	for (unsigned i = 0; i < VMID_COUNT + 5; i++)
		vmid_refresh(&va, &tags[i]);
	unsigned flushes = 0;
	for (unsigned i = 0; i < fake_log.n; i++)
		flushes += fake_log.op[i].op == FAKE_TLB_ALL;
	assert_int_equal(flushes, 1);
	/* The first space lost its VMID in the rollover and gets a fresh one. */
	assert_true(vmid_refresh(&va, &tags[0]));
	assert_int_equal(tags[0].gen, va.gen);
}

static void palloc_contiguous_and_reuse(void **state)
{
	(void)state;
	static u64 bitmap[4];
	struct palloc pa;
	palloc_init(&pa, 0x40000000, 200, bitmap);
	palloc_reserve(&pa, 0x40000000, 10);
	assert_int_equal(pa.free, 190);
	paddr_t a = palloc_alloc(&pa, 5);
	assert_int_equal(a, 0x40000000 + 10 * 4096);
	paddr_t b = palloc_alloc(&pa, 100);
	assert_int_not_equal(b, 0);
	assert_true(b >= a + 5 * 4096);
	assert_int_equal(palloc_alloc(&pa, 100), 0); /* only 85 left */
	palloc_free(&pa, b, 100);
	assert_int_equal(palloc_alloc(&pa, 100), b);
	assert_int_equal(palloc_alloc(&pa, 0), 0);
	palloc_free(&pa, 0x1000, 1); /* below the managed range: ignored */
	assert_int_equal(pa.free, 85);
}

static void palloc_runs_do_not_wrap(void **state)
{
	(void)state;
	static u64 bitmap[1];
	struct palloc pa;
	palloc_init(&pa, 0, 64, bitmap);
	palloc_reserve(&pa, 4096 * 2, 60); /* free: pages 0,1 and 62,63 */
	pa.hint = 62;
	assert_int_equal(palloc_alloc(&pa, 4), 0);
	assert_int_equal(palloc_alloc(&pa, 2), 62 * 4096);
}

/* Runs of many bitmap words, starting and ending mid-word, next to used
 * pages: the word-at-a-time scan finds exactly what a bit-by-bit one would,
 * and the free count stays exact. */
static void palloc_long_runs_across_words(void **state)
{
	(void)state;
	static u64 bitmap[(1000 + 63) / 64];
	struct palloc pa;
	palloc_init(&pa, 0, 1000, bitmap);
	palloc_reserve(&pa, 3 * 4096, 3); /* pages 3..5 used */
	assert_int_equal(palloc_alloc(&pa, 200), 6 * 4096); /* 0..2 is too short */
	assert_int_equal(pa.free, 1000 - 3 - 200);
	assert_int_equal(palloc_alloc(&pa, 64), 206 * 4096); /* next fit, mid-word */
	palloc_free(&pa, 6 * 4096, 200);
	assert_int_equal(pa.free, 1000 - 3 - 64);
	palloc_free(&pa, 6 * 4096, 200); /* freeing twice changes nothing */
	assert_int_equal(pa.free, 1000 - 3 - 64);
	assert_int_equal(palloc_alloc(&pa, 730), 270 * 4096); /* up to the very end */
	assert_int_equal(palloc_alloc(&pa, 201), 0);          /* 0..2 and 6..205 remain */
	assert_int_equal(palloc_alloc(&pa, 200), 6 * 4096);
	assert_int_equal(pa.free, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmids_unique_within_a_generation),
		cmocka_unit_test(rollover_flushes_everything_once),
		cmocka_unit_test(palloc_contiguous_and_reuse),
		cmocka_unit_test(palloc_runs_do_not_wrap),
		cmocka_unit_test(palloc_long_runs_across_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
