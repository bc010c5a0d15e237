/* The kernel's access-vector cache: hashing, the hit test, replacement,
 * sequence numbers racing a reload, and the pinned level that keeps the
 * security server's own decisions whatever collides with them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include <flask/flask.h>
#include <kernel/avc.h>

static struct avc c;

/* The pinned level as the kernel sets it up: policyd is SID 2. */
#define SERVER 2u
#define PIN_SIDS 16u
static struct avc_entry rows[PIN_SIDS * SC_COUNT];

static int fresh(void **state)
{
	(void)state;
	avc_pin_init(&c, 0, NULL, 0, 0);
	avc_flush(&c, 7);
	c.inserts = c.stale = c.evictions = c.pin_overflows = c.victim_hits = 0;
	return 0;
}

static int with_pin(void **state)
{
	fresh(state);
	avc_pin_init(&c, SERVER, rows, PIN_SIDS, SC_COUNT);
	avc_flush(&c, 7);
	return 0;
}

static const struct avc_decision send_only = {.allowed = P_IPC_SEND, .auditdeny = ~0u};

static void empty_cache_never_hits(void **state)
{
	(void)state;
	/* Empty slots hold class 0, which no check asks for. */
	assert_false(avc_hit(&c, 0, 0, SC_IPC, 0));
	assert_false(avc_hit(&c, 1, 2, SC_IPC, P_IPC_SEND));
	assert_null(avc_lookup(&c, 0, 0, 0));
}

static void hit_grants_only_what_was_allowed(void **state)
{
	(void)state;
	assert_true(avc_insert(&c, 3, 4, SC_IPC, &send_only, 7));
	assert_true(avc_hit(&c, 3, 4, SC_IPC, P_IPC_SEND));
	assert_false(avc_hit(&c, 3, 4, SC_IPC, P_IPC_CALL));
	assert_false(avc_hit(&c, 3, 4, SC_IPC, P_IPC_SEND | P_IPC_CALL));
	/* Same SIDs, other class; swapped SIDs: other keys. */
	assert_false(avc_hit(&c, 3, 4, SC_NOTIFICATION, P_IPC_SEND));
	assert_false(avc_hit(&c, 4, 3, SC_IPC, P_IPC_SEND));
	const struct avc_entry *e = avc_lookup(&c, 3, 4, SC_IPC);
	assert_non_null(e);
	assert_int_equal(e->allowed, P_IPC_SEND);
}

static void auditallow_leaves_the_hit_path(void **state)
{
	(void)state;
	struct avc_decision d = {.allowed = P_SHM_MAP_READ | P_SHM_MAP_WRITE, .auditallow = P_SHM_MAP_WRITE};
	assert_true(avc_insert(&c, 5, 6, SC_SHM, &d, 7));
	assert_true(avc_hit(&c, 5, 6, SC_SHM, P_SHM_MAP_READ));
	/* Granted, but must be audited: the slow path does that. */
	assert_false(avc_hit(&c, 5, 6, SC_SHM, P_SHM_MAP_WRITE));
}

static void hash_stays_in_range_and_spreads(void **state)
{
	(void)state;
	static unsigned used[AVC_SLOTS];
	unsigned distinct = 0;
	for (unsigned s = 1; s <= 16; s++)
		for (unsigned t = 1; t <= 16; t++) {
			unsigned h = avc_hash(s, t, SC_IPC);
			assert_true(h < AVC_SLOTS);
			if (!used[h]++)
				distinct++;
		}
	/* 256 small-SID pairs of one class: each gets a slot of its own. */
	assert_int_equal(distinct, 256);
	assert_true(avc_hash(0xffffffffu, 0xffffffffu, 0xffffu) < AVC_SLOTS);
}

static void colliding_key_replaces(void **state)
{
	(void)state;
	/* Find two keys with the same slot. */
	unsigned s2 = 0, t2 = 0, h = avc_hash(1, 1, SC_IPC);
	for (unsigned s = 2; s < 4096 && !s2; s++)
		for (unsigned t = 1; t < 64; t++)
			if (avc_hash(s, t, SC_IPC) == h) {
				s2 = s;
				t2 = t;
				break;
			}
	assert_true(s2 != 0);
	assert_true(avc_insert(&c, 1, 1, SC_IPC, &send_only, 7));
	assert_true(avc_insert(&c, s2, t2, SC_IPC, &send_only, 7));
	assert_int_equal(c.evictions, 1);
	assert_false(avc_hit(&c, 1, 1, SC_IPC, P_IPC_SEND));
	assert_true(avc_hit(&c, s2, t2, SC_IPC, P_IPC_SEND));
	/* Re-inserting the same key is an update, not an eviction. */
	assert_true(avc_insert(&c, s2, t2, SC_IPC, &send_only, 7));
	assert_int_equal(c.evictions, 1);
}

/* Keys 1..n of subjects that all share the slot of (1, 1, SC_IPC). */
static unsigned colliders(unsigned *ss, unsigned *ts, unsigned n)
{
	unsigned k = 0, h = avc_hash(1, 1, SC_IPC);
	for (unsigned s = 1; s < 1u << 16 && k < n; s++)
		for (unsigned t = 1; t < 64 && k < n; t++)
			if (avc_hash(s, t, SC_IPC) == h) {
				ss[k] = s;
				ts[k++] = t;
			}
	return k;
}

/* Two decisions that share a slot, both answered under `seq`: the second
 * evicts the first into the victim level. */
static void insert_two_colliders(unsigned s[2], unsigned t[2], u32 seq)
{
	assert_int_equal(colliders(s, t, 2), 2);
	assert_true(avc_insert(&c, s[0], t[0], SC_IPC, &send_only, seq));
	assert_true(avc_insert(&c, s[1], t[1], SC_IPC, &send_only, seq));
}

/* One operation needing two decisions that share a slot (the livelock a
 * direct-mapped cache alone has): both stay answerable without policyd. */
static void two_colliding_decisions_alternate_without_asking(void **state)
{
	(void)state;
	unsigned s[2], t[2];
	insert_two_colliders(s, t, 7);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 2; i++) {
			assert_false(avc_hit(&c, s[i], t[i], SC_IPC, P_IPC_SEND));
			assert_non_null(avc_find(&c, s[i], t[i], SC_IPC));
			assert_true(avc_hit(&c, s[i], t[i], SC_IPC, P_IPC_SEND));
		}
	assert_int_equal(c.victim_hits, 6);
}

static void victims_are_bounded_oldest_first(void **state)
{
	(void)state;
	unsigned s[AVC_VICTIMS + 2], t[AVC_VICTIMS + 2];
	assert_int_equal(colliders(s, t, AVC_VICTIMS + 2), AVC_VICTIMS + 2);
	for (unsigned i = 0; i < AVC_VICTIMS + 2; i++)
		assert_true(avc_insert(&c, s[i], t[i], SC_IPC, &send_only, 7));
	/* In the slot: the last; victims: the AVC_VICTIMS before it; the first
	 * was pushed out by the newest victim. */
	assert_null(avc_lookup(&c, s[0], t[0], SC_IPC));
	for (unsigned i = 1; i < AVC_VICTIMS + 2; i++)
		assert_non_null(avc_lookup(&c, s[i], t[i], SC_IPC));
}

static const struct avc_decision send_call = {.allowed = P_IPC_SEND | P_IPC_CALL, .auditdeny = ~0u};

static void a_fresh_decision_replaces_its_victim_copy(void **state)
{
	(void)state;
	unsigned s[2], t[2];
	assert_int_equal(colliders(s, t, 2), 2);
	assert_true(avc_insert(&c, s[0], t[0], SC_IPC, &send_only, 7));
	assert_true(avc_insert(&c, s[1], t[1], SC_IPC, &send_only, 7)); /* s0 becomes a victim */
	assert_true(avc_insert(&c, s[0], t[0], SC_IPC, &send_call, 7)); /* answered again, wider */
	assert_non_null(avc_find(&c, s[1], t[1], SC_IPC));              /* s0's new decision a victim */
	const struct avc_entry *e = avc_find(&c, s[0], t[0], SC_IPC);
	assert_non_null(e);
	assert_int_equal(e->allowed, P_IPC_SEND | P_IPC_CALL);
}

static void flush_empties_the_victims(void **state)
{
	(void)state;
	unsigned s[2], t[2];
	insert_two_colliders(s, t, 7);
	avc_flush(&c, 8);
	assert_null(avc_lookup(&c, s[0], t[0], SC_IPC));
	assert_null(avc_find(&c, s[0], t[0], SC_IPC));
	/* And the level works again after it. */
	insert_two_colliders(s, t, 8);
	assert_non_null(avc_find(&c, s[0], t[0], SC_IPC));
}

static void answer_from_before_a_reload_is_refused(void **state)
{
	(void)state;
	/* policyd computed under seq 7; a reload (seq 8) lands before the
	 * answer does: the answer must not be cached. */
	avc_flush(&c, 8);
	assert_false(avc_insert(&c, 3, 4, SC_IPC, &send_only, 7));
	assert_int_equal(c.stale, 1);
	assert_false(avc_hit(&c, 3, 4, SC_IPC, P_IPC_SEND));
	/* Asked again under the new policy: cached. */
	assert_true(avc_insert(&c, 3, 4, SC_IPC, &send_only, 8));
	assert_true(avc_hit(&c, 3, 4, SC_IPC, P_IPC_SEND));
}

static void reload_flushes_everything(void **state)
{
	(void)state;
	for (unsigned s = 1; s < 40; s++)
		assert_true(avc_insert(&c, s, s + 1, SC_SHM, &send_only, 7));
	avc_flush(&c, 8);
	for (unsigned s = 1; s < 40; s++)
		assert_null(avc_lookup(&c, s, s + 1, SC_SHM));
	assert_int_equal(c.seq, 8);
}

static void class_zero_is_never_cached(void **state)
{
	(void)state;
	struct avc_decision all = {.allowed = ~0u};
	assert_false(avc_insert(&c, 0, 0, 0, &all, 7));
	assert_false(avc_hit(&c, 0, 0, 0, 1));
}

static void permissive_grant_is_logged_once(void **state)
{
	(void)state;
	assert_true(avc_insert(&c, 9, 9, SC_IPC, &send_only, 7));
	assert_false(avc_hit(&c, 9, 9, SC_IPC, P_IPC_CALL));
	avc_grant_audited(&c, 9, 9, SC_IPC, P_IPC_CALL);
	assert_true(avc_hit(&c, 9, 9, SC_IPC, P_IPC_CALL));
	/* No entry for the key: nothing to widen. */
	avc_grant_audited(&c, 10, 9, SC_IPC, P_IPC_CALL);
	assert_false(avc_hit(&c, 10, 9, SC_IPC, P_IPC_CALL));
}

/* A key of another subject whose slot is the one (SERVER, tsid, cls) uses. */
static void collider(unsigned tsid, unsigned cls, unsigned *s2, unsigned *t2)
{
	unsigned h = avc_hash(SERVER, tsid, cls);
	for (unsigned s = 3; s < 4096; s++)
		for (unsigned t = 1; t < 64; t++)
			if (avc_hash(s, t, cls) == h) {
				*s2 = s;
				*t2 = t;
				return;
			}
	fail();
}

static const struct avc_decision map_read = {.allowed = P_SHM_MAP_READ, .auditdeny = ~0u};

static void server_decision_survives_a_colliding_one(void **state)
{
	(void)state;
	unsigned s2, t2;
	collider(5, SC_SHM, &s2, &t2);
	assert_true(avc_insert(&c, SERVER, 5, SC_SHM, &map_read, 7));
	assert_true(avc_insert(&c, s2, t2, SC_SHM, &send_only, 7));
	assert_int_equal(c.evictions, 1);
	/* Both answered without asking anyone: the evicted one from its pin. */
	const struct avc_entry *e = avc_lookup(&c, SERVER, 5, SC_SHM);
	assert_non_null(e);
	assert_int_equal(e->allowed, P_SHM_MAP_READ);
	e = avc_lookup(&c, s2, t2, SC_SHM);
	assert_non_null(e);
	assert_int_equal(e->allowed, P_IPC_SEND);
	/* The slow path refills the slot, and the inline hit works again. */
	assert_false(avc_hit(&c, SERVER, 5, SC_SHM, P_SHM_MAP_READ));
	assert_non_null(avc_find(&c, SERVER, 5, SC_SHM));
	assert_true(avc_hit(&c, SERVER, 5, SC_SHM, P_SHM_MAP_READ));
	assert_false(avc_hit(&c, SERVER, 5, SC_SHM, P_SHM_MAP_WRITE));
	/* The other subject's decision is not pinned: the refill made it a
	 * victim, and it comes back from there. */
	assert_false(avc_hit(&c, s2, t2, SC_SHM, P_IPC_SEND));
	assert_non_null(avc_find(&c, s2, t2, SC_SHM));
	assert_true(avc_hit(&c, s2, t2, SC_SHM, P_IPC_SEND));
}

static void two_colliding_server_decisions_are_both_kept(void **state)
{
	(void)state;
	/* Two of the server's own keys sharing a slot. */
	unsigned t1 = 1, t2 = 0, k2 = 0, h = avc_hash(SERVER, t1, SC_IPC);
	for (unsigned t = 2; t < PIN_SIDS && !t2; t++)
		for (unsigned k = 1; k < SC_COUNT; k++)
			if (avc_hash(SERVER, t, k) == h) {
				t2 = t;
				k2 = k;
				break;
			}
	assert_true(t2 != 0);
	struct avc_decision all = {.allowed = ~0u};
	assert_true(avc_insert(&c, SERVER, t1, SC_IPC, &send_only, 7));
	assert_true(avc_insert(&c, SERVER, t2, k2, &all, 7));
	for (int round = 0; round < 3; round++) {
		const struct avc_entry *a = avc_find(&c, SERVER, t1, SC_IPC);
		assert_non_null(a);
		assert_int_equal(a->allowed, P_IPC_SEND);
		const struct avc_entry *b = avc_find(&c, SERVER, t2, k2);
		assert_non_null(b);
		assert_int_equal(b->allowed, ~0u);
	}
}

static void flush_empties_both_levels(void **state)
{
	(void)state;
	for (unsigned t = 1; t < PIN_SIDS; t++)
		for (unsigned k = 1; k < SC_COUNT; k++)
			assert_true(avc_insert(&c, SERVER, t, k, &send_only, 7));
	avc_flush(&c, 8);
	for (unsigned t = 1; t < PIN_SIDS; t++)
		for (unsigned k = 1; k < SC_COUNT; k++) {
			assert_null(avc_lookup(&c, SERVER, t, k));
			assert_null(avc_find(&c, SERVER, t, k));
		}
	for (unsigned i = 0; i < PIN_SIDS * SC_COUNT; i++)
		assert_int_equal(rows[i].cls, 0);
}

static void stale_server_decision_is_pinned_nowhere(void **state)
{
	(void)state;
	avc_flush(&c, 8);
	assert_false(avc_insert(&c, SERVER, 3, SC_SHM, &map_read, 7));
	assert_null(avc_lookup(&c, SERVER, 3, SC_SHM));
	assert_null(avc_find(&c, SERVER, 3, SC_SHM));
	assert_true(avc_insert(&c, SERVER, 3, SC_SHM, &map_read, 8));
	assert_non_null(avc_lookup(&c, SERVER, 3, SC_SHM));
}

static void target_beyond_the_pin_table_is_counted(void **state)
{
	(void)state;
	assert_true(avc_insert(&c, SERVER, PIN_SIDS, SC_SHM, &map_read, 7));
	assert_int_equal(c.pin_overflows, 1);
	/* Still cached in the first level; nothing written out of bounds (ASan). */
	assert_true(avc_hit(&c, SERVER, PIN_SIDS, SC_SHM, P_SHM_MAP_READ));
	assert_true(avc_insert(&c, SERVER, 0xffffffffu, SC_SHM, &map_read, 7));
	assert_true(avc_insert(&c, SERVER, 1, 0xffffu, &map_read, 7));
	assert_int_equal(c.pin_overflows, 3);
}

static void permissive_widening_reaches_the_pin(void **state)
{
	(void)state;
	unsigned s2, t2;
	collider(4, SC_IPC, &s2, &t2);
	assert_true(avc_insert(&c, SERVER, 4, SC_IPC, &send_only, 7));
	avc_grant_audited(&c, SERVER, 4, SC_IPC, P_IPC_CALL);
	assert_true(avc_insert(&c, s2, t2, SC_IPC, &send_only, 7));
	const struct avc_entry *e = avc_find(&c, SERVER, 4, SC_IPC);
	assert_non_null(e);
	assert_true(e->allowed & P_IPC_CALL);
	assert_true(avc_hit(&c, SERVER, 4, SC_IPC, P_IPC_CALL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(empty_cache_never_hits, fresh),
		cmocka_unit_test_setup(hit_grants_only_what_was_allowed, fresh),
		cmocka_unit_test_setup(auditallow_leaves_the_hit_path, fresh),
		cmocka_unit_test_setup(hash_stays_in_range_and_spreads, fresh),
		cmocka_unit_test_setup(colliding_key_replaces, fresh),
		cmocka_unit_test_setup(two_colliding_decisions_alternate_without_asking, fresh),
		cmocka_unit_test_setup(victims_are_bounded_oldest_first, fresh),
		cmocka_unit_test_setup(a_fresh_decision_replaces_its_victim_copy, fresh),
		cmocka_unit_test_setup(flush_empties_the_victims, fresh),
		cmocka_unit_test_setup(answer_from_before_a_reload_is_refused, fresh),
		cmocka_unit_test_setup(reload_flushes_everything, fresh),
		cmocka_unit_test_setup(class_zero_is_never_cached, fresh),
		cmocka_unit_test_setup(permissive_grant_is_logged_once, fresh),
		cmocka_unit_test_setup(server_decision_survives_a_colliding_one, with_pin),
		cmocka_unit_test_setup(two_colliding_server_decisions_are_both_kept, with_pin),
		cmocka_unit_test_setup(flush_empties_both_levels, with_pin),
		cmocka_unit_test_setup(stale_server_decision_is_pinned_nowhere, with_pin),
		cmocka_unit_test_setup(target_beyond_the_pin_table_is_counted, with_pin),
		cmocka_unit_test_setup(permissive_widening_reaches_the_pin, with_pin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
