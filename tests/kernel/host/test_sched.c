/* Run-queue logic: strict priorities, FIFO within a priority, bitmap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <kernel/sched.h>

static struct sched_node node(u8 prio)
{
	struct sched_node n = {.prio = prio};
	list_init(&n.link);
	return n;
}

static void empty_queue_has_nothing(void **state)
{
	(void)state;
	struct runq rq;
	runq_init(&rq);
	assert_null(runq_peek(&rq));
	assert_int_equal(runq_top_prio(&rq), -1);
}

static void highest_priority_first(void **state)
{
	(void)state;
	struct runq rq;
	runq_init(&rq);
	struct sched_node a = node(3), b = node(40), c = node(0);
	runq_add(&rq, &a);
	runq_add(&rq, &b);
	runq_add(&rq, &c);
	assert_ptr_equal(runq_peek(&rq), &b);
	assert_int_equal(runq_top_prio(&rq), 40);
	runq_remove(&rq, &b);
	assert_ptr_equal(runq_peek(&rq), &a);
	runq_remove(&rq, &a);
	assert_ptr_equal(runq_peek(&rq), &c);
	runq_remove(&rq, &c);
	assert_null(runq_peek(&rq));
	assert_int_equal(rq.bitmap, 0);
}

static void round_robin_within_priority(void **state)
{
	(void)state;
	struct runq rq;
	runq_init(&rq);
	struct sched_node a = node(7), b = node(7), c = node(7);
	runq_add(&rq, &a);
	runq_add(&rq, &b);
	runq_add(&rq, &c);
	struct sched_node *order[6];
	for (int i = 0; i < 6; i++) {
		order[i] = runq_peek(&rq);
		runq_remove(&rq, order[i]);
		runq_add(&rq, order[i]); /* slice over: to the tail */
	}
	assert_ptr_equal(order[0], &a);
	assert_ptr_equal(order[1], &b);
	assert_ptr_equal(order[2], &c);
	assert_ptr_equal(order[3], &a);
}

static void preempted_thread_keeps_its_turn(void **state)
{
	(void)state;
	struct runq rq;
	runq_init(&rq);
	struct sched_node a = node(5), b = node(5);
	runq_add(&rq, &b);
	runq_add_head(&rq, &a);
	assert_ptr_equal(runq_peek(&rq), &a);
}

static void add_and_remove_are_idempotent(void **state)
{
	(void)state;
	struct runq rq;
	runq_init(&rq);
	struct sched_node a = node(63);
	runq_add(&rq, &a);
	runq_add(&rq, &a);
	runq_remove(&rq, &a);
	assert_null(runq_peek(&rq));
	runq_remove(&rq, &a);
	assert_int_equal(rq.bitmap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_queue_has_nothing),
		cmocka_unit_test(highest_priority_first),
		cmocka_unit_test(round_robin_within_priority),
		cmocka_unit_test(preempted_thread_keeps_its_turn),
		cmocka_unit_test(add_and_remove_are_idempotent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
