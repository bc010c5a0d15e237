/* The description reader and checker: defaults, SIDs, slots, located
 * errors, bounded reporting, and blobs that are not descriptions at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define HEADER                                                                                     \
	"/dts-v1/;\n/ {\n compatible = \"bulwark,system\";\n"                                      \
	" kernel { context = \"system_u:system_r:kernel_t\"; };\n"

static void test_minimal_defaults(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\"; }; };\n};\n");
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.cap.count, 0);
	assert_int_equal(l.sys.task_count, 1);
	const struct sd_task *t = &l.sys.tasks[0];
	assert_string_equal(t->name, "app");
	assert_string_equal(t->image, "a.elf");
	assert_int_equal(t->priority, SD_DEFAULT_PRIORITY);
	assert_int_equal(t->time_slice_us, SD_DEFAULT_TIME_SLICE_US);
	assert_int_equal(t->stack_size, SD_DEFAULT_STACK_SIZE);
	assert_int_equal(t->memory_quota, SD_DEFAULT_MEMORY_QUOTA);
	assert_int_equal(t->fault_handler_object, BW_BOOT_NONE);
	assert_int_equal(l.sys.kernel_sid, 1);
	assert_int_equal(t->sid, 2);
	assert_int_equal(l.sys.ram_base, SD_DEFAULT_RAM_BASE);
	assert_int_equal(l.sys.ram_size, SD_DEFAULT_RAM_SIZE);
	unload(&l);
}

static void test_sids_are_shared_by_equal_contexts(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER
		 " objects {\n"
		 "  a { type = \"endpoint\"; context = \"u:object_r:chan_t\"; };\n"
		 "  b { type = \"notification\"; context = \"u:object_r:chan_t\"; };\n"
		 "  c { type = \"endpoint\"; context = \"system_u:system_r:kernel_t\"; };\n"
		 " };\n"
		 " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\"; }; };\n};\n");
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.sys.context_count, 3);
	assert_int_equal(l.sys.objects[0].sid, l.sys.objects[1].sid);
	assert_int_equal(l.sys.objects[2].sid, l.sys.kernel_sid);
	assert_string_equal(l.sys.contexts[l.sys.objects[0].sid - 1], "u:object_r:chan_t");
	unload(&l);
}

static void test_slots_default_around_explicit_ones(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER
		 " objects { ep { type = \"endpoint\"; context = \"u:r:t\"; };\n"
		 "   n { type = \"notification\"; context = \"u:r:t\"; }; };\n"
		 " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\";\n"
		 "   handles { x { object = \"ep\"; rights = \"send\"; };\n"
		 "     y { object = \"ep\"; rights = \"recv\"; slot = <3>; };\n"
		 "     z { object = \"n\"; rights = \"send\"; }; }; }; };\n};\n");
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.sys.handle_count, 3);
	assert_int_equal(l.sys.handles[0].slot, 4);
	assert_int_equal(l.sys.handles[1].slot, 3);
	assert_int_equal(l.sys.handles[2].slot, 5);
	/* A notification handle signals bit 0 unless told otherwise. */
	assert_int_equal(l.sys.handles[2].badge, 1);
	assert_int_equal(l.sys.handles[0].badge, 0);
	assert_int_equal(l.sys.handles[0].rights, BW_BOOT_RIGHT_SEND);
	unload(&l);
}

static void test_errors_are_located_by_line(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " tasks {\n"
			    "  app {\n"
			    "   image = \"a.elf\";\n"
			    "   context = \"u:r:app_t\";\n"
			    "   priority = <999>;\n" /* line 9 */
			    "  };\n };\n};\n");
	assert_int_equal(l.rc, -1);
	char want[128];
	snprintf(want, sizeof(want), "%s:9: error: priority 999", l.path);
	assert_true(captured(&l.cap, want));
	unload(&l);
}

static void test_checking_continues_after_errors(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " tasks {\n"
			    "  a { image = \"a.elf\"; context = \"bad\"; };\n"
			    "  b { image = \"b.elf\"; priority = <256>; context = \"u:r:b_t\"; };\n"
			    "  c { context = \"u:r:c_t\"; };\n"
			    " };\n};\n");
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.diag.errors, 3);
	assert_true(captured(&l.cap, "malformed context 'bad'"));
	assert_true(captured(&l.cap, "priority 256"));
	assert_true(captured(&l.cap, "task 'c' has no 'image'"));
	unload(&l);
}

static void test_error_count_is_bounded(void **state)
{
	(void)state;
	char text[8192];
	size_t n = (size_t)snprintf(text, sizeof(text), "%s tasks { app { image = \"a.elf\"; "
							"context = \"u:r:t\";\n", HEADER);
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "  typo%d = <1>;\n", i);
	snprintf(text + n, sizeof(text) - n, " }; };\n};\n");
	struct loaded l;
	load_dts(&l, text);
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.diag.errors, 70);
	assert_int_equal(l.cap.count, SD_DEFAULT_MAX_ERRORS + 1);
	assert_true(captured(&l.cap, "too many errors"));
	unload(&l);
}

static void test_mmio_ranges_own_whole_pages(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " objects { blk { type = \"device\"; context = \"u:r:t\";\n"
			    "   mmio = /bits/ 64 <0x0a000200 0x200 0x0a003000 0x2000>; }; };\n"
			    " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\"; }; };\n};\n");
	assert_int_equal(l.rc, 0);
	const struct sd_object *o = &l.sys.objects[0];
	assert_int_equal(o->type, BW_BOOT_OBJ_DEVICE);
	assert_int_equal(o->mmio_count, 2);
	assert_int_equal(l.sys.mmio[o->first_mmio].phys, 0x0a000000);
	assert_int_equal(l.sys.mmio[o->first_mmio].size, 0x1000);
	assert_int_equal(l.sys.mmio[o->first_mmio + 1].phys, 0x0a003000);
	assert_int_equal(l.sys.mmio[o->first_mmio + 1].size, 0x2000);
	unload(&l);
}

static void test_numbers_in_one_or_two_cells(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " tasks {\n"
			    "  a { image = \"a.elf\"; context = \"u:r:t\"; stack-size = <0x8000>; };\n"
			    "  b { image = \"a.elf\"; context = \"u:r:t\"; stack-size = /bits/ 64 <0x10000>; };\n"
			    "  c { image = \"a.elf\"; context = \"u:r:t\"; stack-size = <0x0 0x20000>; };\n"
			    " };\n};\n");
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.sys.tasks[0].stack_size, 0x8000);
	assert_int_equal(l.sys.tasks[1].stack_size, 0x10000);
	assert_int_equal(l.sys.tasks[2].stack_size, 0x20000);
	unload(&l);
}

static void test_irq_binds_to_notification(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " objects {\n"
			    "  n { type = \"notification\"; context = \"u:r:t\"; };\n"
			    "  d { type = \"device\"; irq = <33>; notify = \"n\"; notify-bit = <4>;"
			    " context = \"u:r:t\"; };\n"
			    " };\n"
			    " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\";"
			    " fault-handler = \"f\"; }; };\n};\n");
	/* The fault handler is unknown: the only error. */
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.diag.errors, 1);
	assert_int_equal(l.sys.objects[1].irq, 33);
	assert_int_equal(l.sys.objects[1].mmio_count, 0);
	assert_int_equal(l.sys.objects[1].notify_object, 0);
	assert_int_equal(l.sys.objects[1].notify_bit, 4);
	unload(&l);
}

static void test_rights_badges_and_task_objects(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " objects { ep { type = \"endpoint\"; context = \"u:r:t\"; };\n"
			    "  th { type = \"thread\"; task = \"worker\"; };\n"
			    "  tk { type = \"task\"; task = \"worker\"; }; };\n"
			    " tasks { worker { image = \"a.elf\"; context = \"u:r:w_t\";\n"
			    "   handles { ep { object = \"ep\"; rights = \"send\", \"grant\";"
			    " badge = \"name\"; }; }; };\n"
			    "  boss { image = \"a.elf\"; context = \"u:r:b_t\";\n"
			    "   handles { t { object = \"th\"; rights = \"manage\"; };\n"
			    "    k { object = \"tk\"; rights = \"manage\", \"grant\"; }; }; }; };\n};\n");
	assert_int_equal(l.rc, 0);
	const struct sd_handle *h = &l.sys.handles[0];
	assert_int_equal(h->rights, BW_BOOT_RIGHT_SEND | BW_BOOT_RIGHT_GRANT);
	/* "worker" packed little-endian: the receiver prints it as is. */
	assert_int_equal(h->badge, 0x72656b726f77ull);
	assert_int_equal(h->slot, BW_BOOT_FIRST_SLOT);
	assert_int_equal(l.sys.objects[1].type, BW_BOOT_OBJ_THREAD);
	assert_int_equal(l.sys.objects[1].task_index, 0);
	assert_int_equal(l.sys.objects[1].sid, l.sys.tasks[0].sid);
	assert_int_equal(l.sys.objects[2].type, BW_BOOT_OBJ_TASK);
	assert_int_equal(l.sys.handles[1].rights, BW_BOOT_RIGHT_MANAGE);
	unload(&l);
}

static void test_platform_ram_moves_the_checks(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " platform { ram = /bits/ 64 <0x80000000 0x10000000>; };\n"
			    " objects { d { type = \"device\"; context = \"u:r:t\";"
			    " mmio = /bits/ 64 <0x40000000 0x1000>; };\n"
			    "  m { type = \"shm\"; size = <0x1000>; phys-addr = <0x40000000>;"
			    " context = \"u:r:t\"; }; };\n"
			    " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\"; }; };\n};\n");
	/* The device is no longer in RAM; the shared memory no longer is. */
	assert_int_equal(l.rc, -1);
	assert_int_equal(l.diag.errors, 1);
	assert_true(captured(&l.cap, "is not inside RAM"));
	assert_int_equal(l.sys.ram_base, 0x80000000);
	unload(&l);
}

static void test_a_device_may_have_one_driver_only(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " objects { d { type = \"device\"; context = \"u:r:t\";"
			    " mmio = /bits/ 64 <0x09000000 0x1000>; }; };\n"
			    " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\";\n"
			    "  handles { a { object = \"d\"; rights = \"read\", \"write\"; };"
			    " b { object = \"d\"; rights = \"read\"; }; }; }; };\n};\n");
	assert_int_equal(l.rc, -1);
	assert_true(captured(&l.cap, "device 'd' is granted twice: already to task 'app' (handle 'a')"));
	unload(&l);
}

static void run_blob(const void *blob, size_t len, struct capture *cap, int *rc)
{
	struct sd_diag d;
	memset(cap, 0, sizeof(*cap));
	sd_diag_init(&d, "x.dtb", capture_sink, cap);
	struct sd_system sys;
	*rc = sd_load(&sys, blob, len, &d);
	sd_free(&sys);
}

static void test_garbage_is_not_a_blob(void **state)
{
	(void)state;
	struct capture cap;
	int rc;
	static const char junk[] = "this is not a device tree, it is a sentence long enough";
	run_blob(junk, sizeof(junk), &cap, &rc);
	assert_int_equal(rc, -1);
	assert_true(captured(&cap, "x.dtb: error: not a valid device-tree blob"));
	run_blob(junk, 3, &cap, &rc);
	assert_int_equal(rc, -1);
}

static void test_truncated_and_old_blobs_are_refused(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, HEADER " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\"; }; };\n};\n");
	assert_int_equal(l.rc, 0);
	struct capture cap;
	int rc;
	for (size_t cut = 0; cut < l.blob_size; cut += 7) {
		run_blob(l.blob, cut, &cap, &rc);
		assert_int_equal(rc, -1);
	}
	/* Version 3 layouts once crashed libfdt's own checker. */
	uint8_t *old = malloc(l.blob_size);
	assert_non_null(old);
	memcpy(old, l.blob, l.blob_size);
	old[20] = 0, old[21] = 0, old[22] = 0, old[23] = 3;
	run_blob(old, l.blob_size, &cap, &rc);
	assert_int_equal(rc, -1);
	assert_true(captured(&cap, "not a valid device-tree blob"));
	free(old);
	unload(&l);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(sd_type_name(BW_BOOT_OBJ_SHM), "shm");
	assert_string_equal(sd_type_name(BW_BOOT_OBJ_THREAD), "thread");
	assert_string_equal(sd_type_name(0), "?");
	assert_string_equal(sd_type_name(99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_sids_are_shared_by_equal_contexts),
		cmocka_unit_test(test_slots_default_around_explicit_ones),
		cmocka_unit_test(test_errors_are_located_by_line),
		cmocka_unit_test(test_checking_continues_after_errors),
		cmocka_unit_test(test_error_count_is_bounded),
		cmocka_unit_test(test_mmio_ranges_own_whole_pages),
		cmocka_unit_test(test_numbers_in_one_or_two_cells),
		cmocka_unit_test(test_irq_binds_to_notification),
		cmocka_unit_test(test_rights_badges_and_task_objects),
		cmocka_unit_test(test_platform_ram_moves_the_checks),
		cmocka_unit_test(test_a_device_may_have_one_driver_only),
		cmocka_unit_test(test_garbage_is_not_a_blob),
		cmocka_unit_test(test_truncated_and_old_blobs_are_refused),
		cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
