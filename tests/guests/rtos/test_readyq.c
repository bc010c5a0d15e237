/* Ready queue and scheduler core: who runs, in what order, and when
 * sleeping tasks come back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <rtos/kernel.h>

static void empty_queue_has_no_task(void **state)
{
	struct readyq rq;

	(void)state;
	rq_init(&rq);
	assert_null(rq_highest(&rq));
	assert_int_equal(rq.bitmap, 0);
}

static void highest_priority_wins_and_equals_are_fifo(void **state)
{
	struct kernel k;
	struct task a, b, c, d;

	(void)state;
	k_init(&k);
	k_task_init(&k, &a, "a", 3);
	k_task_init(&k, &b, "b", 7);
	k_task_init(&k, &c, "c", 7);
	k_task_init(&k, &d, "d", 31);
	assert_ptr_equal(k_pick(&k), &d);
	rq_remove(&k.rq, &d);
	assert_ptr_equal(k_pick(&k), &b);
	k_yield(&k); /* b to the back of priority 7 */
	assert_ptr_equal(k_pick(&k), &c);
	rq_remove(&k.rq, &c);
	rq_remove(&k.rq, &b);
	assert_int_equal(k.rq.bitmap, 1u << 3);
	assert_ptr_equal(k_pick(&k), &a);
}

static void out_of_range_priority_is_clamped(void **state)
{
	struct kernel k;
	struct task t;

	(void)state;
	k_init(&k);
	k_task_init(&k, &t, "t", 200);
	assert_int_equal(t.prio, RTOS_PRIOS - 1);
	assert_ptr_equal(k_pick(&k), &t);
}

static void push_front_runs_first(void **state)
{
	struct readyq rq;
	struct task a = { .prio = 5 }, b = { .prio = 5 };

	(void)state;
	rq_init(&rq);
	rq_push_back(&rq, &a);
	rq_push_front(&rq, &b);
	assert_ptr_equal(rq_highest(&rq), &b);
	rq_remove(&rq, &b);
	assert_ptr_equal(rq_highest(&rq), &a);
	rq_remove(&rq, &a);
	assert_null(rq_highest(&rq));
}

static void preemption_only_by_higher_priority(void **state)
{
	struct kernel k;
	struct task lo, eq, hi;

	(void)state;
	k_init(&k);
	k_task_init(&k, &lo, "lo", 4);
	k_pick(&k);
	k_task_init(&k, &eq, "eq", 4);
	assert_false(k_preempt_needed(&k));
	k_task_init(&k, &hi, "hi", 5);
	assert_true(k_preempt_needed(&k));
}

static void sleepers_wake_in_deadline_order(void **state)
{
	struct kernel k;
	struct task idle, a, b;

	(void)state;
	k_init(&k);
	k_task_init(&k, &idle, "idle", 0);
	k_task_init(&k, &a, "a", 10);
	k_task_init(&k, &b, "b", 20);
	k_pick(&k); /* b */
	assert_int_equal(k_sleep_until(&k, 5), K_BLOCKED);
	assert_ptr_equal(k_pick(&k), &a);
	assert_int_equal(k_sleep_until(&k, 3), K_BLOCKED);
	assert_ptr_equal(k_pick(&k), &idle);
	assert_int_equal(k_sleep_until(&k, 0), K_OK); /* the past: no wait */

	k_tick(&k);
	k_tick(&k);
	assert_false(k_preempt_needed(&k));
	k_tick(&k); /* 3: a */
	assert_int_equal(a.state, TASK_READY);
	assert_int_equal(a.wait_result, K_OK);
	assert_int_equal(b.state, TASK_BLOCKED);
	assert_true(k_preempt_needed(&k));
	k_tick(&k);
	k_tick(&k); /* 5: b */
	assert_ptr_equal(k_pick(&k), &b);
	assert_null(k.sleepers);
}

static void exited_task_never_runs(void **state)
{
	struct kernel k;
	struct task idle, t;

	(void)state;
	k_init(&k);
	k_task_init(&k, &idle, "idle", 0);
	k_task_init(&k, &t, "t", 9);
	k_pick(&k);
	k_exit(&k);
	assert_int_equal(t.state, TASK_DEAD);
	assert_ptr_equal(k_pick(&k), &idle);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_queue_has_no_task),
		cmocka_unit_test(highest_priority_wins_and_equals_are_fifo),
		cmocka_unit_test(out_of_range_priority_is_clamped),
		cmocka_unit_test(push_front_runs_first),
		cmocka_unit_test(preemption_only_by_higher_priority),
		cmocka_unit_test(sleepers_wake_in_deadline_order),
		cmocka_unit_test(exited_task_never_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
