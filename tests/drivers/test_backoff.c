/* The supervisor's restart back-off (drivers/supervisor/backoff.c): a
 * driver that ran a while comes back at once; one that keeps dying soon
 * after its start waits longer each time, never longer than the cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backoff.h"

#define SEC 1000000ull

static void long_run_restarts_at_once(void **state)
{
	(void)state;
	struct backoff b = {0};
	backoff_started(&b, 10 * SEC);
	assert_int_equal(backoff_died(&b, 10 * SEC + BACKOFF_QUICK_US), 0);
	assert_int_equal(b.quick, 0);
}

static void quick_deaths_double_the_pause_up_to_the_cap(void **state)
{
	(void)state;
	struct backoff b = {0};
	uint64_t t = SEC, expect = BACKOFF_FIRST_US;
	for (int i = 0; i < 40; i++) {
		backoff_started(&b, t);
		t += 1000; /* dies a millisecond after its start */
		uint64_t pause = backoff_died(&b, t);
		assert_int_equal(pause, expect);
		assert_true(pause <= BACKOFF_MAX_US);
		expect = expect * 2 < BACKOFF_MAX_US ? expect * 2 : BACKOFF_MAX_US;
		t += pause;
	}
	backoff_started(&b, t);
	assert_int_equal(backoff_died(&b, t + 1), BACKOFF_MAX_US); /* the counter saturates, no overflow */
}

static void a_long_run_forgives_earlier_crashes(void **state)
{
	(void)state;
	struct backoff b = {0};
	backoff_started(&b, 0);
	assert_int_equal(backoff_died(&b, 10), BACKOFF_FIRST_US);
	backoff_started(&b, 100);
	assert_int_equal(backoff_died(&b, 200), 2 * BACKOFF_FIRST_US);
	backoff_started(&b, 300);
	assert_int_equal(backoff_died(&b, 300 + 5 * SEC), 0);
	backoff_started(&b, 6 * SEC);
	assert_int_equal(backoff_died(&b, 6 * SEC + 1), BACKOFF_FIRST_US);
}

static void a_clock_going_backwards_counts_as_quick(void **state)
{
	(void)state;
	struct backoff b = {0};
	backoff_started(&b, 5 * SEC);
	assert_int_equal(backoff_died(&b, 1 * SEC), BACKOFF_FIRST_US);
}

/* What the supervisor spends rebuilding a driver that crashes at start:
 * after the first few, about one restart per cap. */
static void a_driver_crashing_at_start_is_rate_limited(void **state)
{
	(void)state;
	struct backoff b = {0};
	uint64_t t = 0;
	unsigned starts = 0;
	while (t < 60 * SEC) {
		backoff_started(&b, t);
		starts++;
		t += 100; /* crashes at once */
		t += backoff_died(&b, t);
	}
	assert_true(starts < 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_run_restarts_at_once),
		cmocka_unit_test(quick_deaths_double_the_pause_up_to_the_cap),
		cmocka_unit_test(a_long_run_forgives_earlier_crashes),
		cmocka_unit_test(a_clock_going_backwards_counts_as_quick),
		cmocka_unit_test(a_driver_crashing_at_start_is_rate_limited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
