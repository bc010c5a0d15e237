/* Handle tables: unforgeable, typed, rights-checked, stale after close. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include <bulwark/errors.h>
#include <kernel/handle.h>

static struct handle_table *new_table(void)
{
	struct handle_table *ht = malloc(sizeof(*ht));
	ht_init(ht);
	return ht;
}

static void insert_then_lookup(void **state)
{
	(void)state;
	struct handle_table *ht = new_table();
	struct kobj ep = {.type = KOBJ_ENDPOINT};
	u32 h = ht_insert(ht, &ep, 3, 77);
	assert_int_not_equal(h, 0);
	struct handle_entry *e;
	assert_int_equal(ht_lookup(ht, h, KOBJ_ENDPOINT, 1, &e), BW_OK);
	assert_ptr_equal(e->obj, &ep);
	assert_int_equal(e->badge, 77);
	assert_ptr_equal(ht_get(ht, h, KOBJ_ENDPOINT, 2), e);
	free(ht);
}

static void wrong_type_and_rights(void **state)
{
	(void)state;
	struct handle_table *ht = new_table();
	struct kobj n = {.type = KOBJ_NOTIFY};
	u32 h = ht_insert(ht, &n, 1, 0);
	struct handle_entry *e;
	assert_int_equal(ht_lookup(ht, h, KOBJ_ENDPOINT, 0, &e), BW_E_TYPE);
	assert_int_equal(ht_lookup(ht, h, KOBJ_NOTIFY, 2, &e), BW_E_RIGHTS);
	assert_null(ht_get(ht, h, KOBJ_ENDPOINT, 0));
	assert_null(ht_get(ht, h, KOBJ_NOTIFY, 2));
	free(ht);
}

static void forged_handles_fail(void **state)
{
	(void)state;
	struct handle_table *ht = new_table();
	struct kobj n = {.type = KOBJ_NOTIFY};
	u32 h = ht_insert(ht, &n, 1, 0);
	struct handle_entry *e;
	assert_int_equal(ht_lookup(ht, 0, KOBJ_NONE, 0, &e), BW_E_BADHANDLE);
	assert_int_equal(ht_lookup(ht, h + 1, KOBJ_NONE, 0, &e), BW_E_BADHANDLE);     /* free slot */
	assert_int_equal(ht_lookup(ht, h + (1u << HT_INDEX_BITS), KOBJ_NONE, 0, &e), BW_E_BADHANDLE);
	assert_int_equal(ht_lookup(ht, HT_SLOTS + 5, KOBJ_NONE, 0, &e), BW_E_BADHANDLE);
	assert_null(ht_get(ht, 0xffffffffu, KOBJ_NOTIFY, 0));
	free(ht);
}

static void closed_handle_is_stale_even_after_reuse(void **state)
{
	(void)state;
	struct handle_table *ht = new_table();
	struct kobj a = {.type = KOBJ_NOTIFY}, b = {.type = KOBJ_NOTIFY};
	u32 h = ht_insert(ht, &a, 1, 0);
	assert_ptr_equal(ht_remove(ht, h), &a);
	assert_null(ht_remove(ht, h));
	u32 h2 = ht_insert(ht, &b, 1, 0);
	assert_int_equal(h2 & HT_INDEX_MASK, h & HT_INDEX_MASK); /* same slot ... */
	assert_int_not_equal(h2, h);                            /* ... new generation */
	struct handle_entry *e;
	assert_int_equal(ht_lookup(ht, h, KOBJ_NONE, 0, &e), BW_E_BADHANDLE);
	assert_int_equal(ht_lookup(ht, h2, KOBJ_NONE, 0, &e), BW_OK);
	free(ht);
}

static void generation_wrap_retires_the_slot(void **state)
{
	(void)state;
	struct handle_table *ht = new_table();
	struct kobj a = {.type = KOBJ_NOTIFY};
	ht->slot[1].gen = HT_GEN_MAX;
	u32 h = ht_insert(ht, &a, 1, 0);
	assert_int_equal(h & HT_INDEX_MASK, 1);
	ht_remove(ht, h);
	u32 h2 = ht_insert(ht, &a, 1, 0);
	assert_int_not_equal(h2 & HT_INDEX_MASK, 1);
	free(ht);
}

static void table_fills_up(void **state)
{
	(void)state;
	struct handle_table *ht = new_table();
	struct kobj a = {.type = KOBJ_NOTIFY};
	for (u32 i = 1; i < HT_SLOTS; i++)
		assert_int_not_equal(ht_insert(ht, &a, 1, 0), 0);
	assert_int_equal(ht_insert(ht, &a, 1, 0), 0);
	assert_int_equal(ht->used, HT_SLOTS - 1);
	free(ht);
}

static void boot_slots_are_exact(void **state)
{
	(void)state;
	struct handle_table *ht = new_table();
	struct kobj a = {.type = KOBJ_ENDPOINT};
	u32 h = ht_insert_at(ht, 5, &a, 1, 9);
	assert_int_equal(h, ht_handle(5, 1));
	assert_int_equal(ht_insert_at(ht, 5, &a, 1, 0), 0);        /* taken */
	assert_int_equal(ht_insert_at(ht, 0, &a, 1, 0), 0);        /* never slot 0 */
	assert_int_equal(ht_insert_at(ht, HT_SLOTS, &a, 1, 0), 0); /* beyond the table */
	assert_int_equal(ht_insert(ht, &a, 1, 0) & HT_INDEX_MASK, 1); /* free slots still used */
	free(ht);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(insert_then_lookup),
		cmocka_unit_test(wrong_type_and_rights),
		cmocka_unit_test(forged_handles_fail),
		cmocka_unit_test(closed_handle_is_stale_even_after_reuse),
		cmocka_unit_test(generation_wrap_retires_the_slot),
		cmocka_unit_test(table_fills_up),
		cmocka_unit_test(boot_slots_are_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
