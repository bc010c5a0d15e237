/* The channel ring (lib/chanring) under a well-behaved and a hostile peer:
 * every impossible index or length is rejected and counted, nothing is
 * read or written outside the region (ASan watches the exact-size heap
 * block), and the ring works again once the peer behaves. */
#include <bulwark/chanproto.h>
#include <bulwark/chanring.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct pair {
	uint8_t *region; /* exactly CHANRING_BYTES: one byte more is an ASan report */
	struct chanring prod, cons;
};

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof *p);
	p->region = calloc(1, CHANRING_BYTES);
	chanring_init(&p->prod, p->region);
	chanring_init(&p->cons, p->region);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;
	free(p->region);
	free(p);
	return 0;
}

static void poke32(struct pair *p, uint32_t off, uint32_t v)
{
	memcpy(p->region + off, &v, 4);
}

static struct chan_msg msg(uint32_t seq, uint32_t len)
{
	struct chan_msg m = {.len = len, .type = CHAN_DATA, .seq = seq, .arg = 7};
	for (unsigned i = 0; i < CHANRING_PAYLOAD_WORDS; i++)
		m.payload[i] = seq * 1000ull + i;
	return m;
}

static void test_round_trip_in_order(void **state)
{
	struct pair *p = *state;
	for (uint32_t round = 0; round < 5; round++) {
		for (uint32_t i = 0; i < CHANRING_SLOTS; i++) {
			struct chan_msg m = msg(round * 1000 + i, i % (CHANRING_PAYLOAD_MAX + 1));
			assert_int_equal(chanring_send(&p->prod, &m), CHANRING_OK);
		}
		struct chan_msg extra = msg(0, 0);
		assert_int_equal(chanring_send(&p->prod, &extra), CHANRING_FULL);
		assert_int_equal(chanring_space(&p->prod), 0);
		for (uint32_t i = 0; i < CHANRING_SLOTS; i++) {
			struct chan_msg got, want = msg(round * 1000 + i, i % (CHANRING_PAYLOAD_MAX + 1));
			memset(&got, 0, sizeof got);
			assert_true(chanring_pending(&p->cons));
			assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_OK);
			assert_int_equal(got.seq, want.seq);
			assert_int_equal(got.len, want.len);
			assert_int_equal(got.type, CHAN_DATA);
			assert_int_equal(got.arg, 7);
			assert_int_equal(chan_sum(got.payload, got.len), chan_sum(want.payload, want.len));
		}
		struct chan_msg none;
		assert_int_equal(chanring_recv(&p->cons, &none), CHANRING_EMPTY);
		assert_int_equal(chanring_space(&p->prod), CHANRING_SLOTS);
	}
	assert_int_equal(p->cons.stats.bad_index + p->cons.stats.bad_length, 0);
}

static void test_indices_wrap_at_2_32(void **state)
{
	struct pair *p = *state;
	uint32_t start = 0xffffffffu - 3;
	p->prod.head = p->prod.tail = p->cons.head = p->cons.tail = start;
	poke32(p, CHANRING_OFF_HEAD, start);
	poke32(p, CHANRING_OFF_TAIL, start);
	for (uint32_t i = 0; i < 10; i++) {
		struct chan_msg m = msg(i, 8), got;
		assert_int_equal(chanring_send(&p->prod, &m), CHANRING_OK);
		assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_OK);
		assert_int_equal(got.seq, i);
	}
	assert_int_equal(p->cons.tail, start + 10);
}

static void test_length_too_long_skipped_and_counted(void **state)
{
	struct pair *p = *state;
	struct chan_msg a = msg(1, 16), b = msg(2, 16), got;
	assert_int_equal(chanring_send(&p->prod, &a), CHANRING_OK);
	assert_int_equal(chanring_send(&p->prod, &b), CHANRING_OK);
	poke32(p, CHANRING_OFF_SLOTS, 0xfffffff0u); /* slot 0's length */
	assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_REJECTED);
	assert_int_equal(p->cons.stats.bad_length, 1);
	assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_OK); /* resynchronised at the next slot */
	assert_int_equal(got.seq, 2);
	/* A producer asked to send too much sends a slot's worth. */
	struct chan_msg big = msg(3, 100000);
	assert_int_equal(chanring_send(&p->prod, &big), CHANRING_OK);
	assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_OK);
	assert_int_equal(got.len, CHANRING_PAYLOAD_MAX);
}

static void test_bad_head_rejected_until_valid(void **state)
{
	struct pair *p = *state;
	struct chan_msg a = msg(1, 8), got;
	assert_int_equal(chanring_send(&p->prod, &a), CHANRING_OK);
	uint32_t saved = p->prod.head;
	uint32_t garbage[] = {CHANRING_SLOTS + 1, 0x80000000u, 0xffffffffu, 0xdeadbeefu};
	for (unsigned i = 0; i < 4; i++) {
		poke32(p, CHANRING_OFF_HEAD, garbage[i]);
		/* Looking twice at the same garbage counts it once. */
		assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_BAD_INDEX);
		assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_BAD_INDEX);
		assert_true(p->cons.broken);
	}
	assert_int_equal(p->cons.stats.bad_index, 4);
	assert_int_equal(p->cons.tail, 0); /* nothing consumed */
	poke32(p, CHANRING_OFF_HEAD, saved);
	assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_OK);
	assert_false(p->cons.broken);
	assert_int_equal(got.seq, 1);
}

static void test_bad_tail_stops_the_producer(void **state)
{
	struct pair *p = *state;
	struct chan_msg a = msg(1, 8);
	poke32(p, CHANRING_OFF_TAIL, 0x12345678u);
	assert_int_equal(chanring_send(&p->prod, &a), CHANRING_BAD_INDEX);
	assert_int_equal(chanring_space(&p->prod), 0);
	assert_int_equal(p->prod.stats.bad_index, 1);
	assert_int_equal(p->prod.head, 0);
	/* A tail "ahead" of our head by a little is impossible too. */
	poke32(p, CHANRING_OFF_TAIL, 1);
	assert_int_equal(chanring_send(&p->prod, &a), CHANRING_BAD_INDEX);
	poke32(p, CHANRING_OFF_TAIL, 0);
	assert_int_equal(chanring_send(&p->prod, &a), CHANRING_OK);
	assert_false(p->prod.broken);
}

static void test_own_index_overwritten_is_not_trusted(void **state)
{
	struct pair *p = *state;
	struct chan_msg a = msg(1, 8), got;
	assert_int_equal(chanring_send(&p->prod, &a), CHANRING_OK);
	/* The peer scribbles over the consumer's published tail: the consumer
	 * keeps its own count and rewrites it. */
	poke32(p, CHANRING_OFF_TAIL, 0x7777u);
	assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_OK);
	uint32_t tail;
	memcpy(&tail, p->region + CHANRING_OFF_TAIL, 4);
	assert_int_equal(tail, 1);
}

static void test_adopt_after_restart(void **state)
{
	struct pair *p = *state;
	struct chan_msg a = msg(1, 8), got;
	for (int i = 0; i < 3; i++)
		assert_int_equal(chanring_send(&p->prod, &a), CHANRING_OK);
	assert_int_equal(chanring_recv(&p->cons, &got), CHANRING_OK);
	struct chanring prod2, cons2;
	chanring_init(&prod2, p->region);
	chanring_init(&cons2, p->region);
	chanring_adopt_producer(&prod2);
	chanring_adopt_consumer(&cons2);
	assert_int_equal(prod2.head, 3);
	assert_int_equal(cons2.tail, 1);
	assert_int_equal(chanring_recv(&cons2, &got), CHANRING_OK);
}

static void test_checksum_ignores_bytes_past_len(void **state)
{
	(void)state;
	uint64_t a[2] = {0x1122334455667788ull, 0xaabbccddeeff0011ull};
	uint64_t b[2] = {0x1122334455667788ull, 0xffffffffffff0011ull};
	assert_int_equal(chan_sum(a, 10), chan_sum(b, 10));
	assert_int_not_equal(chan_sum(a, 16), chan_sum(b, 16));
	assert_int_not_equal(chan_sum(a, 8), chan_sum(a, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indices_wrap_at_2_32, setup, teardown),
		cmocka_unit_test_setup_teardown(test_length_too_long_skipped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_head_rejected_until_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_tail_stops_the_producer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_index_overwritten_is_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_after_restart, setup, teardown),
		cmocka_unit_test(test_checksum_ignores_bytes_past_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
