/* The MMIO short path's ring (kernel/include/kernel/mmio_ring.h): entries
 * in order, wake-ups at a newline and at half a ring, a full ring refused,
 * and no tail the VMM can write moves a kernel store out of the ring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kernel/mmio_ring.h>

static struct bw_mmio_fast *new_page(void)
{
	struct bw_mmio_fast *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	return p;
}

static void appends_in_order(void **state)
{
	(void)state;
	struct bw_mmio_fast *p = new_page();
	u32 head = 0;
	for (u32 i = 0; i < 10; i++)
		assert_int_equal(mmio_ring_append(&head, p, 0, 4, 'a' + i, true), MMIO_RING_QUEUED);
	assert_int_equal(head, 10);
	assert_int_equal(p->head, 10);
	for (u32 i = 0; i < 10; i++) {
		assert_int_equal(p->ring[i].value, 'a' + i);
		assert_int_equal(p->ring[i].bytes, 4);
	}
	assert_int_equal(mmio_ring_used(head, p), 10);
	free(p);
}

static void wakes_at_newline_and_half(void **state)
{
	(void)state;
	struct bw_mmio_fast *p = new_page();
	u32 head = 0;
	assert_int_equal(mmio_ring_append(&head, p, 0, 1, '\n', true), MMIO_RING_WAKE);
	assert_int_equal(mmio_ring_append(&head, p, 0, 1, '\n', false), MMIO_RING_QUEUED);
	/* Only the low byte counts. */
	assert_int_equal(mmio_ring_append(&head, p, 0, 4, 0x100 | 'x', true), MMIO_RING_QUEUED);
	assert_int_equal(mmio_ring_append(&head, p, 0, 4, 0x300 | '\n', true), MMIO_RING_WAKE);
	while (head < BW_MMIO_FAST_SLOTS / 2 - 1)
		assert_int_equal(mmio_ring_append(&head, p, 0, 4, 'x', true), MMIO_RING_QUEUED);
	assert_int_equal(mmio_ring_append(&head, p, 0, 4, 'x', true), MMIO_RING_WAKE);
	free(p);
}

static void full_ring_refused(void **state)
{
	(void)state;
	struct bw_mmio_fast *p = new_page();
	u32 head = 0;
	for (u32 i = 0; i < BW_MMIO_FAST_SLOTS; i++)
		assert_int_not_equal(mmio_ring_append(&head, p, 0, 4, i, false), MMIO_RING_FULL);
	struct bw_mmio_fast before = *p;
	assert_int_equal(mmio_ring_append(&head, p, 0, 4, 999, false), MMIO_RING_FULL);
	assert_int_equal(head, BW_MMIO_FAST_SLOTS);
	assert_memory_equal(&before, p, sizeof(*p));
	/* The VMM consumes one: room for one. */
	p->tail = 1;
	assert_int_equal(mmio_ring_append(&head, p, 0, 4, 999, false), MMIO_RING_WAKE);
	assert_int_equal(p->ring[0].value, 999);
	free(p);
}

static void bad_tail_touches_nothing(void **state)
{
	(void)state;
	/* Ahead of the head, far off, just over a ring behind. */
	static const u32 tails[] = {6, 0x80000000u, 5 - BW_MMIO_FAST_SLOTS - 1, 5 - BW_MMIO_FAST_SLOTS - 100};
	for (unsigned t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
		struct bw_mmio_fast *p = new_page();
		u32 head = 0;
		for (int i = 0; i < 5; i++)
			mmio_ring_append(&head, p, 0, 4, (u32)i, false);
		p->tail = tails[t];
		struct bw_mmio_fast before = *p;
		assert_int_equal(mmio_ring_append(&head, p, 0, 4, 0xbad, false), MMIO_RING_BAD_TAIL);
		assert_int_equal(head, 5);
		assert_memory_equal(&before, p, sizeof(*p));
		free(p);
	}
}

static void wraps_around(void **state)
{
	(void)state;
	struct bw_mmio_fast *p = new_page();
	u32 head = 0xfffffffeu;
	p->tail = head;
	for (u32 i = 0; i < 4; i++)
		assert_int_equal(mmio_ring_append(&head, p, 0x18, 2, i, false), MMIO_RING_QUEUED);
	assert_int_equal(head, 2);
	assert_int_equal(mmio_ring_used(head, p), 4);
	assert_int_equal(p->ring[0xfffffffeu % BW_MMIO_FAST_SLOTS].value, 0);
	assert_int_equal(p->ring[1].value, 3);
	assert_int_equal(p->ring[1].offset, 0x18);
	free(p);
}

static void offsets(void **state)
{
	(void)state;
	assert_true(mmio_ring_offset_ok(0));
	assert_true(mmio_ring_offset_ok(0x18));
	assert_true(mmio_ring_offset_ok(0xffc));
	assert_true(mmio_ring_offset_ok(BW_MMIO_FAST_UNUSED));
	assert_false(mmio_ring_offset_ok(0x1000));
	assert_false(mmio_ring_offset_ok(0x2));
	u16 list[BW_MMIO_FAST_REGS] = {0x18, BW_MMIO_FAST_UNUSED, 0x30, BW_MMIO_FAST_UNUSED};
	assert_int_equal(mmio_ring_find(list, 0x30), 2);
	assert_int_equal(mmio_ring_find(list, 0x0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends_in_order),    cmocka_unit_test(wakes_at_newline_and_half),
		cmocka_unit_test(full_ring_refused),   cmocka_unit_test(bad_tail_touches_nothing),
		cmocka_unit_test(wraps_around),        cmocka_unit_test(offsets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
