/* Mutexes: priority inheritance, its propagation along chains, its exact
 * removal, direct hand-off, and the refusals (deadlock, foreign unlock). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <rtos/kernel.h>

static struct kernel k;
static struct task idle, lo, mid, hi;

/* The test plays the scheduler: `t` is the task making the next call. */
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
	k_task_init(&k, &mid, "mid", 5);
	k_task_init(&k, &hi, "hi", 9);
	return 0;
}

static void uncontended_lock_and_unlock(void **state)
{
	struct mutex m;

	(void)state;
	k_mutex_init(&m);
	as(&lo);
	assert_int_equal(k_mutex_lock(&k, &m), K_OK);
	assert_ptr_equal(m.owner, &lo);
	assert_int_equal(k_mutex_unlock(&k, &m), K_OK);
	assert_null(m.owner);
	assert_null(lo.held);
}

static void owner_inherits_waiter_priority_and_drops_it(void **state)
{
	struct mutex m;

	(void)state;
	k_mutex_init(&m);
	as(&lo);
	k_mutex_lock(&k, &m);
	as(&hi);
	assert_int_equal(k_mutex_lock(&k, &m), K_BLOCKED);
	assert_int_equal(hi.state, TASK_BLOCKED);
	assert_int_equal(lo.prio, 9);
	/* boosted lo now outranks mid */
	assert_ptr_equal(k_pick(&k), &lo);

	assert_int_equal(k_mutex_unlock(&k, &m), K_OK);
	assert_int_equal(lo.prio, 1);
	assert_ptr_equal(m.owner, &hi); /* handed over, not released */
	assert_int_equal(hi.state, TASK_READY);
	assert_int_equal(hi.wait_result, K_OK);
	assert_true(k_preempt_needed(&k));
	assert_ptr_equal(k_pick(&k), &hi);
	assert_int_equal(k_mutex_unlock(&k, &m), K_OK);
	assert_null(m.owner);
}

static void inheritance_follows_the_chain(void **state)
{
	struct mutex m1, m2;

	(void)state;
	k_mutex_init(&m1);
	k_mutex_init(&m2);
	as(&lo);
	k_mutex_lock(&k, &m1);
	as(&mid);
	k_mutex_lock(&k, &m2);
	assert_int_equal(k_mutex_lock(&k, &m1), K_BLOCKED); /* mid waits for lo */
	assert_int_equal(lo.prio, 5);
	as(&hi);
	assert_int_equal(k_mutex_lock(&k, &m2), K_BLOCKED); /* hi waits for mid */
	assert_int_equal(mid.prio, 9);
	assert_int_equal(lo.prio, 9); /* through mid */

	as(&lo);
	k_mutex_unlock(&k, &m1); /* mid gets m1, keeps hi's priority via m2 */
	assert_int_equal(lo.prio, 1);
	assert_ptr_equal(m1.owner, &mid);
	assert_int_equal(mid.prio, 9);
	as(&mid);
	k_mutex_unlock(&k, &m2);
	assert_int_equal(mid.prio, 5);
	assert_ptr_equal(m2.owner, &hi);
	k_mutex_unlock(&k, &m1);
	as(&hi);
	k_mutex_unlock(&k, &m2);
	assert_null(m1.owner);
	assert_null(m2.owner);
}

static void unlock_keeps_what_other_mutexes_justify(void **state)
{
	struct mutex a, b;

	(void)state;
	k_mutex_init(&a);
	k_mutex_init(&b);
	as(&lo);
	k_mutex_lock(&k, &a);
	k_mutex_lock(&k, &b);
	as(&mid);
	k_mutex_lock(&k, &a);
	as(&hi);
	k_mutex_lock(&k, &b);
	assert_int_equal(lo.prio, 9);
	as(&lo);
	k_mutex_unlock(&k, &b);
	assert_int_equal(lo.prio, 5); /* still holds a, which mid wants */
	k_mutex_unlock(&k, &a);
	assert_int_equal(lo.prio, 1);
	assert_ptr_equal(a.owner, &mid);
	assert_ptr_equal(b.owner, &hi);
}

static void waiters_are_served_by_priority(void **state)
{
	struct mutex m;

	(void)state;
	k_mutex_init(&m);
	as(&idle);
	k_mutex_lock(&k, &m);
	as(&lo);
	k_mutex_lock(&k, &m);
	as(&hi);
	k_mutex_lock(&k, &m);
	as(&mid);
	k_mutex_lock(&k, &m);
	as(&idle);
	k_mutex_unlock(&k, &m);
	assert_ptr_equal(m.owner, &hi);
	as(&hi);
	k_mutex_unlock(&k, &m);
	assert_ptr_equal(m.owner, &mid);
	assert_int_equal(mid.prio, 5); /* lo waiting adds nothing */
	as(&mid);
	k_mutex_unlock(&k, &m);
	assert_ptr_equal(m.owner, &lo);
}

static void deadlock_and_foreign_unlock_are_refused(void **state)
{
	struct mutex a, b;

	(void)state;
	k_mutex_init(&a);
	k_mutex_init(&b);
	as(&lo);
	k_mutex_lock(&k, &a);
	assert_int_equal(k_mutex_lock(&k, &a), K_DEADLOCK); /* not recursive */
	as(&mid);
	k_mutex_lock(&k, &b);
	assert_int_equal(k_mutex_unlock(&k, &a), K_NOTOWNER);
	assert_int_equal(k_mutex_lock(&k, &a), K_BLOCKED);
	as(&lo);
	assert_int_equal(k_mutex_lock(&k, &b), K_DEADLOCK); /* lo -> b -> mid -> a -> lo */
	assert_int_equal(lo.state, TASK_READY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(uncontended_lock_and_unlock, setup),
		cmocka_unit_test_setup(owner_inherits_waiter_priority_and_drops_it, setup),
		cmocka_unit_test_setup(inheritance_follows_the_chain, setup),
		cmocka_unit_test_setup(unlock_keeps_what_other_mutexes_justify, setup),
		cmocka_unit_test_setup(waiters_are_served_by_priority, setup),
		cmocka_unit_test_setup(deadlock_and_foreign_unlock_are_refused, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
