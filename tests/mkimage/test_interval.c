/* Overlap detection among address ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "interval.h"

struct seen {
	size_t first[8], second[8];
	size_t n;
};

static void record(void *ctx, const struct sd_interval *a, const struct sd_interval *b)
{
	struct seen *s = ctx;
	if (s->n < 8) {
		s->first[s->n] = a->owner;
		s->second[s->n] = b->owner;
	}
	s->n++;
}

static void test_adjacent_ranges_do_not_overlap(void **state)
{
	(void)state;
	struct sd_intervals iv;
	sd_intervals_init(&iv);
	sd_intervals_add(&iv, 0x2000, 0x3000, 0, 0);
	sd_intervals_add(&iv, 0x1000, 0x2000, 1, 0);
	sd_intervals_add(&iv, 0x3000, 0x4000, 2, 0);
	struct seen s = {0};
	assert_int_equal(sd_intervals_overlaps(&iv, record, &s), 0);
	sd_intervals_free(&iv);
}

static void test_overlap_names_the_earlier_declaration_first(void **state)
{
	(void)state;
	struct sd_intervals iv;
	sd_intervals_init(&iv);
	sd_intervals_add(&iv, 0x5000, 0x6000, 10, 0);
	sd_intervals_add(&iv, 0x4000, 0x5800, 11, 0);
	struct seen s = {0};
	assert_int_equal(sd_intervals_overlaps(&iv, record, &s), 1);
	assert_int_equal(s.first[0], 10);
	assert_int_equal(s.second[0], 11);
	sd_intervals_free(&iv);
}

static void test_a_long_range_overlaps_everything_inside(void **state)
{
	(void)state;
	struct sd_intervals iv;
	sd_intervals_init(&iv);
	sd_intervals_add(&iv, 0x0, 0x10000, 0, 0);
	sd_intervals_add(&iv, 0x1000, 0x2000, 1, 0);
	sd_intervals_add(&iv, 0x8000, 0x9000, 2, 0);
	sd_intervals_add(&iv, 0x10000, 0x11000, 3, 0);
	struct seen s = {0};
	assert_int_equal(sd_intervals_overlaps(&iv, record, &s), 2);
	assert_int_equal(s.second[0], 1);
	assert_int_equal(s.second[1], 2);
	sd_intervals_free(&iv);
}

static void test_empty_ranges_are_ignored(void **state)
{
	(void)state;
	struct sd_intervals iv;
	sd_intervals_init(&iv);
	sd_intervals_add(&iv, 0x1000, 0x1000, 0, 0);
	sd_intervals_add(&iv, 0x2000, 0x1000, 1, 0);
	sd_intervals_add(&iv, 0x0, 0x4000, 2, 0);
	assert_int_equal(iv.count, 1);
	assert_int_equal(sd_intervals_overlaps(&iv, NULL, NULL), 0);
	sd_intervals_free(&iv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjacent_ranges_do_not_overlap),
		cmocka_unit_test(test_overlap_names_the_earlier_declaration_first),
		cmocka_unit_test(test_a_long_range_overlaps_everything_inside),
		cmocka_unit_test(test_empty_ranges_are_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
