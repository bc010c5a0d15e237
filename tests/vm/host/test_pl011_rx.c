/* Host unit tests of the emulated PL011's receive side (vmm/lib/pl011.c):
 * the ring the console's input fills, the flags and interrupt status Linux's
 * amba-pl011 driver reads, and what happens when the guest does not read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <vmm/devices.h>

#define DR 0x000
#define FR 0x018
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define FR_RXFE (1u << 4)
#define FR_RXFF (1u << 6)

static uint64_t reg(struct pl011 *u, uint64_t off)
{
	struct vmm_access a = {.offset = off, .bytes = 4};
	assert_true(pl011_access(u, &a));
	return a.value;
}

static void set(struct pl011 *u, uint64_t off, uint64_t v)
{
	struct vmm_access a = {.offset = off, .bytes = 4, .write = true, .value = v};
	assert_true(pl011_access(u, &a));
}

static void test_empty(void **state)
{
	(void)state;
	struct pl011 u;
	pl011_init(&u, NULL, NULL);
	assert_true(reg(&u, FR) & FR_RXFE);
	assert_int_equal(reg(&u, DR), 0);
	assert_int_equal(reg(&u, RIS) & (PL011_INT_RX | PL011_INT_RT), 0);
	set(&u, IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(pl011_irq_status(&u), 0);
}

static void test_bytes_in_order(void **state)
{
	(void)state;
	struct pl011 u;
	pl011_init(&u, NULL, NULL);
	set(&u, IFLS, 2u << 3); /* receive trigger at half of 16 bytes */
	set(&u, IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(pl011_rx_push(&u, (const uint8_t *)"ls\n", 3), 3);
	assert_false(reg(&u, FR) & FR_RXFE);
	/* Below the trigger level: the timeout interrupt, not the level one. */
	assert_int_equal(reg(&u, MIS), PL011_INT_RT);
	assert_int_equal(pl011_irq_status(&u), PL011_INT_RT);
	/* ICR does not clear what the FIFO's level asserts. */
	set(&u, ICR, 0x7ff);
	assert_int_equal(reg(&u, MIS), PL011_INT_RT);
	assert_int_equal(reg(&u, DR), 'l');
	assert_int_equal(reg(&u, DR), 's');
	assert_int_equal(reg(&u, DR), '\n');
	assert_true(reg(&u, FR) & FR_RXFE);
	assert_int_equal(pl011_irq_status(&u), 0);
	uint8_t many[8] = "12345678";
	assert_int_equal(pl011_rx_push(&u, many, 8), 8);
	assert_int_equal(reg(&u, RIS) & (PL011_INT_RX | PL011_INT_RT), PL011_INT_RX);
	/* Masked: the line stays low though the raw status is set. */
	set(&u, IMSC, 0);
	assert_int_equal(pl011_irq_status(&u), 0);
	assert_int_equal(reg(&u, MIS), 0);
}

static void test_full_ring_drops(void **state)
{
	(void)state;
	static struct pl011 u;
	pl011_init(&u, NULL, NULL);
	uint8_t buf[PL011_RX_RING + 10];
	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(pl011_rx_push(&u, buf, sizeof buf), PL011_RX_RING);
	assert_int_equal(u.rx_dropped, 10);
	assert_true(reg(&u, FR) & FR_RXFF);
	assert_int_equal(pl011_rx_push(&u, buf, 1), 0);
	assert_int_equal(u.rx_dropped, 11);
	/* What fitted comes out intact, across the ring's wrap. */
	for (unsigned i = 0; i < PL011_RX_RING / 2; i++)
		assert_int_equal(reg(&u, DR), (uint8_t)i);
	assert_int_equal(pl011_rx_push(&u, buf, 100), 100);
	for (unsigned i = PL011_RX_RING / 2; i < PL011_RX_RING; i++)
		assert_int_equal(reg(&u, DR), (uint8_t)i);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(reg(&u, DR), (uint8_t)i);
	assert_true(reg(&u, FR) & FR_RXFE);
}

static void test_transmit_interrupt(void **state)
{
	(void)state;
	struct pl011 u;
	pl011_init(&u, NULL, NULL);
	set(&u, IMSC, PL011_INT_TX);
	assert_int_equal(pl011_irq_status(&u), 0);
	set(&u, DR, 'x'); /* no sink: the byte is simply gone */
	assert_int_equal(pl011_irq_status(&u), PL011_INT_TX);
	set(&u, ICR, PL011_INT_TX);
	assert_int_equal(pl011_irq_status(&u), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bytes_in_order),
		cmocka_unit_test(test_full_ring_drops),
		cmocka_unit_test(test_transmit_interrupt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
