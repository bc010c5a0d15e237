/* Message queues and semaphores: ordering, blocking hand-offs, timeouts and
 * the rejected configurations; and the jitter statistics the demo reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rtos/jitter.h>
#include <rtos/kernel.h>

static struct kernel k;
static struct task idle, lo, hi;
static struct msgq q;
static int slots[3];

static void as(struct task *t)
{
	k.current = t;
}

static int setup(void **state)
{
	(void)state;
	k_init(&k);
	k_task_init(&k, &idle, "idle", 0);
	k_task_init(&k, &lo, "lo", 1);
	k_task_init(&k, &hi, "hi", 9);
	assert_int_equal(k_msgq_init(&q, slots, sizeof slots[0], 3), K_OK);
	return 0;
}

static void bad_configurations_are_rejected(void **state)
{
	struct msgq bad;

	(void)state;
	assert_int_not_equal(k_msgq_init(&bad, NULL, 4, 1), K_OK);
	assert_int_not_equal(k_msgq_init(&bad, slots, 0, 1), K_OK);
	assert_int_not_equal(k_msgq_init(&bad, slots, 4, 0), K_OK);
	assert_int_not_equal(k_msgq_init(&bad, slots, SIZE_MAX / 2, 3), K_OK);
}

static void messages_keep_their_order_and_wrap(void **state)
{
	int out;

	(void)state;
	as(&lo);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 3; i++) {
			int v = round * 10 + i;
			assert_int_equal(k_msgq_send(&k, &q, &v, K_NOWAIT), K_OK);
		}
		int extra = 99;
		assert_int_equal(k_msgq_send(&k, &q, &extra, K_NOWAIT), K_WOULDBLOCK);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(k_msgq_recv(&k, &q, &out, K_NOWAIT), K_OK);
			assert_int_equal(out, round * 10 + i);
		}
		assert_int_equal(k_msgq_recv(&k, &q, &out, K_NOWAIT), K_WOULDBLOCK);
	}
}

static void waiting_receiver_gets_message_directly(void **state)
{
	int out = 0, v = 42;

	(void)state;
	as(&hi);
	assert_int_equal(k_msgq_recv(&k, &q, &out, K_FOREVER), K_BLOCKED);
	as(&lo);
	assert_int_equal(k_msgq_send(&k, &q, &v, K_NOWAIT), K_OK);
	assert_int_equal(out, 42);
	assert_int_equal(hi.wait_result, K_OK);
	assert_int_equal(q.count, 0);
	assert_true(k_preempt_needed(&k));
}

static void blocked_sender_moves_into_the_freed_slot(void **state)
{
	int out, pending = 7;

	(void)state;
	as(&hi);
	for (int i = 0; i < 3; i++)
		k_msgq_send(&k, &q, &i, K_NOWAIT);
	assert_int_equal(k_msgq_send(&k, &q, &pending, K_FOREVER), K_BLOCKED);
	as(&lo);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(k_msgq_recv(&k, &q, &out, K_NOWAIT), K_OK);
		assert_int_equal(out, i);
	}
	assert_int_equal(hi.state, TASK_READY);
	assert_int_equal(k_msgq_recv(&k, &q, &out, K_NOWAIT), K_OK);
	assert_int_equal(out, 7);
}

static void receive_times_out(void **state)
{
	int out;

	(void)state;
	as(&hi);
	assert_int_equal(k_msgq_recv(&k, &q, &out, 2), K_BLOCKED);
	k_tick(&k);
	assert_int_equal(hi.state, TASK_BLOCKED);
	k_tick(&k);
	assert_int_equal(hi.state, TASK_READY);
	assert_int_equal(hi.wait_result, K_TIMEOUT);
	assert_null(q.receivers.head);
	assert_null(k.sleepers);
}

static void semaphore_counts_and_hands_over(void **state)
{
	struct sem s;

	(void)state;
	k_sem_init(&s, 1);
	as(&lo);
	assert_int_equal(k_sem_take(&k, &s, K_NOWAIT), K_OK);
	assert_int_equal(k_sem_take(&k, &s, K_NOWAIT), K_WOULDBLOCK);
	as(&hi);
	assert_int_equal(k_sem_take(&k, &s, 5), K_BLOCKED);
	as(&lo);
	k_sem_give(&k, &s);
	assert_int_equal(hi.wait_result, K_OK);
	assert_int_equal(s.count, 0); /* went to the waiter, not the count */
	assert_null(k.sleepers);     /* its timeout is cancelled */
	k_sem_give(&k, &s);
	assert_int_equal(s.count, 1);
}

static void huge_timeout_means_forever(void **state)
{
	struct sem s;

	(void)state;
	k_sem_init(&s, 0);
	k.tick = 100;
	as(&hi);
	assert_int_equal(k_sem_take(&k, &s, K_FOREVER - 1), K_BLOCKED);
	assert_null(k.sleepers);
}

static void jitter_statistics_and_format(void **state)
{
	struct jitter j;
	char line[160];

	(void)state;
	jitter_init(&j);
	jitter_release(&j, 1000, 1016); /* 16 counts at 62.5 MHz = 256 ns */
	jitter_release(&j, 2000, 2032);
	jitter_release(&j, 3000, 2990); /* early: counted as 0 */
	jitter_missed(&j, 2);
	assert_int_equal(j.min, 0);
	assert_int_equal(j.max, 32);
	assert_int_equal(j.periods, 3);
	jitter_format(line, sizeof line, &j, 62500000);
	assert_string_equal(line, "rtos: jitter_us min=0.000 mean=0.256 max=0.512 missed=2 periods=3");
	jitter_init(&j);
	jitter_format(line, sizeof line, &j, 0);
	assert_string_equal(line, "rtos: jitter_us min=0.000 mean=0.000 max=0.000 missed=0 periods=0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bad_configurations_are_rejected, setup),
		cmocka_unit_test_setup(messages_keep_their_order_and_wrap, setup),
		cmocka_unit_test_setup(waiting_receiver_gets_message_directly, setup),
		cmocka_unit_test_setup(blocked_sender_moves_into_the_freed_slot, setup),
		cmocka_unit_test_setup(receive_times_out, setup),
		cmocka_unit_test_setup(semaphore_counts_and_hands_over, setup),
		cmocka_unit_test_setup(huge_timeout_means_forever, setup),
		cmocka_unit_test(jitter_statistics_and_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
