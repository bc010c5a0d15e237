/* Host unit tests of the VMM's device models (vmm/lib): PSCI, PL011 and
 * the GICv3 distributor/redistributor, as Linux's drivers program them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <vmm/devices.h>

static struct vmm_access rd(uint64_t off, unsigned bytes)
{
	return (struct vmm_access){.offset = off, .bytes = bytes};
}

static struct vmm_access wr(uint64_t off, unsigned bytes, uint64_t v)
{
	return (struct vmm_access){.offset = off, .bytes = bytes, .write = true, .value = v};
}

static void test_psci(void **state)
{
	(void)state;
	struct psci_result r = psci_call(PSCI_VERSION_FN, 0, 0, 0);
	assert_int_equal(r.x0, 0x10001);
	assert_int_equal(r.action, PSCI_RESUME);
	assert_int_equal(psci_call(PSCI_FEATURES_FN, PSCI_SYSTEM_OFF_FN, 0, 0).x0, PSCI_SUCCESS);
	assert_int_equal(psci_call(PSCI_FEATURES_FN, PSCI_CPU_SUSPEND_64, 0, 0).x0, PSCI_NOT_SUPPORTED);
	assert_int_equal(psci_call(PSCI_CPU_ON_64, 1, 0x40000000, 0).x0, PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_call(PSCI_CPU_ON_64, 0, 0x40000000, 0).x0, PSCI_ALREADY_ON);
	assert_int_equal(psci_call(PSCI_AFFINITY_INFO_64, 0, 0, 0).x0, 0);
	assert_int_equal(psci_call(PSCI_AFFINITY_INFO_64, 0x100, 0, 0).x0, PSCI_INVALID_PARAMETERS);
	/* SMC32: the upper half of an argument is ignored. */
	assert_int_equal(psci_call(PSCI_AFFINITY_INFO_32, 0xffffffff00000000ull, 0, 0).x0, 0);
	assert_int_equal(psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).x0, 2);
	assert_int_equal(psci_call(PSCI_SYSTEM_OFF_FN, 0, 0, 0).action, PSCI_POWER_OFF);
	assert_int_equal(psci_call(PSCI_CPU_OFF_FN, 0, 0, 0).action, PSCI_POWER_OFF);
	assert_int_equal(psci_call(PSCI_SYSTEM_RESET_FN, 0, 0, 0).action, PSCI_RESET);
	assert_int_equal(psci_call(0xc2000000u, 0, 0, 0).x0, PSCI_NOT_SUPPORTED);
}

static char sent[16];
static unsigned nsent;
static void sink(void *ctx, char c)
{
	assert_ptr_equal(ctx, sent);
	if (nsent < sizeof(sent))
		sent[nsent++] = c;
}

static void test_pl011(void **state)
{
	(void)state;
	struct pl011 u;
	pl011_init(&u, sink, sent);
	struct vmm_access a = wr(0x000, 4, 'h');
	assert_true(pl011_access(&u, &a));
	a = wr(0x000, 1, 0x169); /* only the data byte goes out */
	assert_true(pl011_access(&u, &a));
	assert_int_equal(nsent, 2);
	assert_int_equal(sent[0], 'h');
	assert_int_equal(sent[1], 'i');
	a = rd(0x018, 4);
	assert_true(pl011_access(&u, &a));
	assert_int_equal(a.value & (1u << 5), 0); /* never TX-full */
	a = wr(0x030, 4, 0x301);
	assert_true(pl011_access(&u, &a));
	a = rd(0x030, 4);
	assert_true(pl011_access(&u, &a));
	assert_int_equal(a.value, 0x301);
	/* The PrimeCell IDs the AMBA bus probes. */
	uint32_t id = 0;
	for (int i = 0; i < 4; i++) {
		a = rd(0xff0 + 4 * i, 4);
		assert_true(pl011_access(&u, &a));
		id |= (uint32_t)a.value << (8 * i);
	}
	assert_int_equal(id, 0xb105f00d);
	a = rd(0xfe8, 4);
	assert_true(pl011_access(&u, &a));
	assert_int_equal(a.value & 0xf, 0x4); /* PeriphID2: revision 1, designer ARM */
	/* Unknown, misaligned, too wide, out of range: not handled. */
	a = rd(0x100, 4);
	assert_false(pl011_access(&u, &a));
	a = rd(0x002, 2);
	assert_false(pl011_access(&u, &a));
	a = rd(0x000, 8);
	assert_false(pl011_access(&u, &a));
	a = rd(0x1000, 4);
	assert_false(pl011_access(&u, &a));
}

static void test_gicd(void **state)
{
	(void)state;
	struct vgic g;
	vgic_init(&g);
	struct vmm_access a = rd(0xffe8, 4);
	assert_true(vgic_dist_access(&g, &a));
	assert_int_equal((a.value >> 4) & 0xf, 3); /* ArchRev: GICv3 */
	a = rd(0x4, 4);
	assert_true(vgic_dist_access(&g, &a));
	assert_int_equal(((a.value & 0x1f) + 1) * 32, VGIC_LINES);
	a = wr(0x0, 4, 0x12); /* ARE | EnableGrp1 */
	assert_true(vgic_dist_access(&g, &a));
	a = rd(0x0, 4);
	assert_true(vgic_dist_access(&g, &a));
	assert_int_equal(a.value, 0x52); /* DS always set, RWP clear */
	/* Enabling SPI 33 (the PL011): set-enable, then clear-enable. */
	assert_false(vgic_enabled(&g, 33));
	a = wr(0x104, 4, 1u << 1);
	assert_true(vgic_dist_access(&g, &a));
	assert_true(vgic_enabled(&g, 33));
	a = wr(0x184, 4, 1u << 1);
	assert_true(vgic_dist_access(&g, &a));
	assert_false(vgic_enabled(&g, 33));
	/* Priorities byte-wise and word-wise; routing 64-bit. */
	a = wr(0x400 + 40, 1, 0xa7);
	assert_true(vgic_dist_access(&g, &a));
	a = rd(0x400 + 40, 4);
	assert_true(vgic_dist_access(&g, &a));
	assert_int_equal(a.value, 0xa0);
	a = wr(0x6000 + 8 * 40, 8, 0);
	assert_true(vgic_dist_access(&g, &a));
	a = wr(0x6000 + 8 * 40, 4, 0);
	assert_false(vgic_dist_access(&g, &a));
	/* Beyond our lines: reserved, reads zero. */
	a = rd(0x100 + 4 * 30, 4);
	assert_true(vgic_dist_access(&g, &a));
	assert_int_equal(a.value, 0);
	a = rd(0x10000, 4);
	assert_false(vgic_dist_access(&g, &a));
	a = rd(0x0f00, 4); /* GICD_SGIR: not in GICv3 with ARE */
	assert_false(vgic_dist_access(&g, &a));
}

static void test_gicr(void **state)
{
	(void)state;
	struct vgic g;
	vgic_init(&g);
	struct vmm_access a = rd(0x8, 8);
	assert_true(vgic_redist_access(&g, &a));
	assert_int_equal(a.value, 1u << 4); /* Last, affinity 0 */
	/* The wake-up handshake Linux waits on. */
	a = wr(0x14, 4, 0);
	assert_true(vgic_redist_access(&g, &a));
	a = rd(0x14, 4);
	assert_true(vgic_redist_access(&g, &a));
	assert_int_equal(a.value & (1u << 2), 0);
	/* PPI 27 (virtual timer) enabled in the SGI frame. */
	a = wr(0x10000 + 0x100, 4, 1u << 27);
	assert_true(vgic_redist_access(&g, &a));
	assert_true(vgic_enabled(&g, 27));
	a = wr(0x10000 + 0x400 + 27, 1, 0x80);
	assert_true(vgic_redist_access(&g, &a));
	a = rd(0x10000 + 0x418, 4);
	assert_true(vgic_redist_access(&g, &a));
	assert_int_equal((a.value >> 24) & 0xff, 0x80);
	a = rd(0x10000 + 0xc00, 4);
	assert_true(vgic_redist_access(&g, &a));
	assert_int_equal(a.value, 0xaaaaaaaa);
	a = rd(0x20000, 4);
	assert_false(vgic_redist_access(&g, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psci),
		cmocka_unit_test(test_pl011),
		cmocka_unit_test(test_gicd),
		cmocka_unit_test(test_gicr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
