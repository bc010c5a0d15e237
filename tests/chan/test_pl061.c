/* The PL061 model (vmm/lib/pl061.c) driven the way Linux's gpio-pl061
 * driver and gpiolib's character device drive it: probe by PrimeCell ID,
 * a line requested as input with rising-edge events, the VMM pulsing it. */
#include <vmm/pl061.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static uint64_t rd(struct pl061 *g, uint64_t off, unsigned bytes)
{
	struct vmm_access a = {.offset = off, .bytes = bytes};
	assert_true(pl061_access(g, &a));
	return a.value;
}

static void wr(struct pl061 *g, uint64_t off, unsigned bytes, uint64_t v)
{
	struct vmm_access a = {.offset = off, .bytes = bytes, .write = true, .value = v};
	assert_true(pl061_access(g, &a));
}

static void test_primecell_ids(void **state)
{
	(void)state;
	struct pl061 g;
	pl061_init(&g);
	uint32_t pid = 0, cid = 0;
	for (unsigned i = 0; i < 4; i++) {
		pid |= (uint32_t)rd(&g, 0xfe0 + 4 * i, 4) << (8 * i);
		cid |= (uint32_t)rd(&g, 0xff0 + 4 * i, 4) << (8 * i);
	}
	assert_int_equal(pid & 0x000fffff, 0x00041061);
	assert_int_equal(cid, 0xb105f00d);
}

static void test_rising_edge_interrupt_as_linux_sets_it_up(void **state)
{
	(void)state;
	struct pl061 g;
	pl061_init(&g);
	/* gpio-pl061: direction input, edge, single edge, rising, unmask. */
	wr(&g, 0x400, 1, rd(&g, 0x400, 1) & ~1u);
	wr(&g, 0x404, 1, rd(&g, 0x404, 1) & ~1u);
	wr(&g, 0x408, 1, rd(&g, 0x408, 1) & ~1u);
	wr(&g, 0x40c, 1, rd(&g, 0x40c, 1) | 1u);
	assert_int_equal(pl061_irq_status(&g), 0);
	wr(&g, 0x410, 1, rd(&g, 0x410, 1) | 1u);
	pl061_pulse(&g, 0);
	assert_int_equal(rd(&g, 0x418, 1), 1); /* MIS */
	assert_int_equal(pl061_irq_status(&g), 1);
	wr(&g, 0x41c, 1, 1); /* ack */
	assert_int_equal(rd(&g, 0x414, 1), 0);
	assert_int_equal(pl061_irq_status(&g), 0);
	/* Falling edges alone do not interrupt a rising-edge line. */
	pl061_set_input(&g, 0, true);
	wr(&g, 0x41c, 1, 1);
	pl061_set_input(&g, 0, false);
	assert_int_equal(pl061_irq_status(&g), 0);
	/* Masked: latched in RIS, not in MIS, until unmasked. */
	wr(&g, 0x410, 1, 0);
	pl061_pulse(&g, 0);
	assert_int_equal(rd(&g, 0x414, 1), 1);
	assert_int_equal(rd(&g, 0x418, 1), 0);
	wr(&g, 0x410, 1, 1);
	assert_int_equal(pl061_irq_status(&g), 1);
}

static void test_both_edges_and_levels(void **state)
{
	(void)state;
	struct pl061 g;
	pl061_init(&g);
	wr(&g, 0x408, 4, 0x2); /* line 1: both edges */
	wr(&g, 0x404, 4, 0x4); /* line 2: level */
	wr(&g, 0x40c, 4, 0x4); /* line 2: high level */
	wr(&g, 0x410, 4, 0x6);
	pl061_set_input(&g, 1, true);
	assert_int_equal(pl061_irq_status(&g), 0x2);
	wr(&g, 0x41c, 4, 0x2);
	pl061_set_input(&g, 1, false);
	assert_int_equal(pl061_irq_status(&g), 0x2);
	wr(&g, 0x41c, 4, 0x2);
	pl061_set_input(&g, 2, true);
	wr(&g, 0x41c, 4, 0x4); /* a level line stays asserted while high */
	assert_int_equal(pl061_irq_status(&g), 0x4);
	pl061_set_input(&g, 2, false);
	assert_int_equal(pl061_irq_status(&g), 0);
	pl061_set_input(&g, 99, true); /* no such line: ignored */
}

static void test_data_window_masks_by_address(void **state)
{
	(void)state;
	struct pl061 g;
	pl061_init(&g);
	wr(&g, 0x400, 1, 0xf0); /* lines 4-7 outputs */
	wr(&g, 0x3fc, 1, 0xff);
	assert_int_equal(g.out, 0xf0); /* inputs are not driven by the guest */
	wr(&g, 0x4 << 6, 1, 0x00); /* mask bit 6 only (address bit 8) */
	assert_int_equal(g.out, 0xb0);
	pl061_set_input(&g, 0, true);
	assert_int_equal(rd(&g, 0x3fc, 1), 0xb1);
	assert_int_equal(rd(&g, 0x004, 1), 0x01);
	assert_int_equal(rd(&g, 0x008, 1), 0x00);
}

static void test_unknown_or_misaligned_refused(void **state)
{
	(void)state;
	struct pl061 g;
	pl061_init(&g);
	struct vmm_access a = {.offset = 0x500, .bytes = 4};
	assert_false(pl061_access(&g, &a));
	a = (struct vmm_access){.offset = 0x402, .bytes = 1};
	assert_false(pl061_access(&g, &a));
	a = (struct vmm_access){.offset = 0x400, .bytes = 8};
	assert_false(pl061_access(&g, &a));
	a = (struct vmm_access){.offset = 0x1000, .bytes = 4};
	assert_false(pl061_access(&g, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primecell_ids),
		cmocka_unit_test(test_rising_edge_interrupt_as_linux_sets_it_up),
		cmocka_unit_test(test_both_edges_and_levels),
		cmocka_unit_test(test_data_window_masks_by_address),
		cmocka_unit_test(test_unknown_or_misaligned_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
