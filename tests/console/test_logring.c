/* The policyd log ring (user/include/bw/logring.h): lines in order, a
 * lapped reader counts exactly what it lost, a slot being rewritten is
 * never printed, a restarted writer continues, and a header that claims
 * more than the reader mapped is not believed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <bw/logring.h>

#define BYTES 4096 /* 15 slots */
static _Alignas(64) unsigned char region[BYTES];

static struct bw_logring *fresh(void)
{
	memset(region, 0, sizeof region);
	struct bw_logring *r = (struct bw_logring *)region;
	bw_logring_open(r, BYTES);
	return r;
}

static void put(struct bw_logring *r, const char *s)
{
	bw_logring_put(r, s, strlen(s));
}

static void lines_in_order(void **state)
{
	(void)state;
	struct bw_logring *r = fresh();
	struct bw_logring_reader rd = {0};
	char out[BW_LOGRING_TEXT];
	assert_int_equal(bw_logring_capacity(BYTES), 15);
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), -1);
	put(r, "one");
	put(r, "two");
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), 3);
	assert_string_equal(out, "one");
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), 3);
	assert_string_equal(out, "two");
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), -1);
	assert_int_equal(rd.lost, 0);
}

static void long_line_is_cut(void **state)
{
	(void)state;
	struct bw_logring *r = fresh();
	struct bw_logring_reader rd = {0};
	char in[400], out[BW_LOGRING_TEXT];
	memset(in, 'x', sizeof in);
	bw_logring_put(r, in, sizeof in);
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), BW_LOGRING_TEXT - 1);
	assert_int_equal(out[BW_LOGRING_TEXT - 1], 0);
}

static void lapped_reader_counts_losses(void **state)
{
	(void)state;
	struct bw_logring *r = fresh();
	struct bw_logring_reader rd = {0};
	char out[BW_LOGRING_TEXT], want[32];
	for (int i = 0; i < 40; i++) {
		snprintf(want, sizeof want, "line %d", i);
		put(r, want);
	}
	/* 15 slots: lines 25..39 are still there, 0..24 are gone. */
	for (int i = 25; i < 40; i++) {
		assert_true(bw_logring_get(r, BYTES, &rd, out) > 0);
		snprintf(want, sizeof want, "line %d", i);
		assert_string_equal(out, want);
	}
	assert_int_equal(rd.lost, 25);
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), -1);
}

static void slot_being_rewritten_is_skipped(void **state)
{
	(void)state;
	struct bw_logring *r = fresh();
	struct bw_logring_reader rd = {0};
	char out[BW_LOGRING_TEXT];
	put(r, "a");
	put(r, "b");
	/* The writer lapped the reader and is mid-way through slot 0 again. */
	r->slot[0].seq = 0;
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), 1);
	assert_string_equal(out, "b");
	assert_int_equal(rd.lost, 1);
}

static void restarted_writer_continues(void **state)
{
	(void)state;
	struct bw_logring *r = fresh();
	struct bw_logring_reader rd = {0};
	char out[BW_LOGRING_TEXT];
	put(r, "before");
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), 6);
	bw_logring_open(r, BYTES); /* a restarted policyd */
	put(r, "after");
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), 5);
	assert_string_equal(out, "after");
	assert_int_equal(rd.lost, 0);
}

static void header_not_believed(void **state)
{
	(void)state;
	struct bw_logring *r = fresh();
	struct bw_logring_reader rd = {0};
	char out[BW_LOGRING_TEXT];
	put(r, "x");
	r->nslots = 1000; /* more than the reader's mapping holds */
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), -1);
	r->nslots = 15;
	r->magic = 0;
	assert_int_equal(bw_logring_get(r, BYTES, &rd, out), -1);
	assert_int_equal(bw_logring_capacity(100), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_in_order),
		cmocka_unit_test(long_line_is_cut),
		cmocka_unit_test(lapped_reader_counts_losses),
		cmocka_unit_test(slot_being_rewritten_is_skipped),
		cmocka_unit_test(restarted_writer_continues),
		cmocka_unit_test(header_not_believed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
