/* VMs in the description and what mkimage --guest writes from them: the
 * model (VMM, guest RAM, default stage-2 quota), the payload record, the
 * VMM's header and the guest's device tree, which dtc must accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guestdt.h"
#include "helpers.h"

#define SYSTEM                                                                                      \
	"/dts-v1/;\n/ {\n compatible = \"bulwark,system\";\n"                                       \
	" kernel { context = \"system_u:system_r:kernel_t\"; };\n"                                  \
	" objects {\n"                                                                              \
	"  ep { type = \"endpoint\"; context = \"u:object_r:ep_t\"; };\n"                           \
	"  guest { type = \"vm\"; vmm = \"vmm\"; context = \"u:r:vm_t\";\n"                         \
	"          bootargs = \"console=ttyAMA0 say=\\\"hi\\\"\"; initrd-addr = <0x46000000>; };\n" \
	"  high { type = \"shm\"; vm = \"guest\"; guest-addr = <0x44000000>; size = <0x4000000>;\n" \
	"         context = \"u:object_r:ram_t\"; };\n"                                             \
	"  low { type = \"shm\"; vm = \"guest\"; guest-addr = <0x40000000>; size = <0x4000000>;\n"  \
	"        context = \"u:object_r:ram_t\"; };\n"                                              \
	" };\n"                                                                                     \
	" tasks { vmm { image = \"a.elf\"; context = \"u:r:vmm_t\"; handles {\n"                    \
	"  con { object = \"ep\"; rights = \"send\"; };\n"                                          \
	"  vm { object = \"guest\"; rights = \"manage\"; };\n"                                      \
	"  high { object = \"high\"; rights = \"read\", \"write\", \"exec\"; };\n"                  \
	"  low { object = \"low\"; rights = \"read\", \"write\"; map-vaddr = <0x20000000>; };\n"    \
	" }; }; };\n};\n"

static char *written(void (*write)(FILE *, const struct sd_system *, uint32_t, struct sd_diag *),
		     struct loaded *l, uint32_t vm)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	write(f, &l->sys, vm, &l->diag);
	fclose(f);
	return text;
}

static void header(FILE *f, const struct sd_system *s, uint32_t vm, struct sd_diag *d)
{
	assert_int_equal(mk_write_vm_header(f, s, vm, d), 0);
}

static void dts_builtin(FILE *f, const struct sd_system *s, uint32_t vm, struct sd_diag *d)
{
	assert_int_equal(mk_write_guest_dts(f, s, vm, 0x1234, NULL, d), 0);
}

static void test_vm_model_and_default_quota(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, SYSTEM);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.cap.count, 0);
	const struct sd_object *vm = &l.sys.objects[1];
	assert_int_equal(vm->type, BW_BOOT_OBJ_VM);
	assert_int_equal(vm->vmm_index, 0);
	assert_int_equal(vm->initrd_addr, 0x46000000);
	/* 128 MiB of RAM: 64 KiB + 512 KiB of tables. */
	assert_int_equal(vm->size, SD_VM_QUOTA_BASE + (0x8000000 / SD_VM_QUOTA_PER_RAM));
	assert_int_equal(l.sys.objects[2].vm_index, 1);
	assert_int_equal(l.sys.objects[3].guest_addr, 0x40000000);
	/* A VM is not its VMM: it has a context (and SID) of its own. */
	assert_int_not_equal(vm->sid, l.sys.tasks[0].sid);
	unload(&l);
}

static void test_header_lists_slots_in_address_order(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, SYSTEM);
	assert_int_equal(mk_find_vm(&l.sys, "guest", &l.diag), 1);
	char *h = written(header, &l, 1);
	assert_non_null(strstr(h, "#define VM_SLOT 4\n"));
	assert_non_null(strstr(h, "#define VM_RAM_COUNT 2\n"));
	assert_non_null(strstr(h, "{ {6, 0x40000000ul, 0x4000000ul}, {5, 0x44000000ul, 0x4000000ul} }"));
	assert_non_null(strstr(h, "#define GUEST_RAM_SIZE 0x8000000ul\n")); /* contiguous */
	assert_non_null(strstr(h, "#define GUEST_INITRD_BASE 0x46000000ul\n"));
	free(h);
	unload(&l);
}

static void test_guest_dts_compiles(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, SYSTEM);
	char *t = written(dts_builtin, &l, 1);
	assert_non_null(strstr(t, "bootargs = \"console=ttyAMA0 say=\\\"hi\\\"\";"));
	assert_non_null(strstr(t, "linux,initrd-start = <0x0 0x46000000>;"));
	assert_non_null(strstr(t, "linux,initrd-end = <0x0 0x46001234>;"));
	assert_non_null(strstr(t, "memory@40000000"));
	assert_non_null(strstr(t, "reg = <0x0 0x44000000 0x0 0x4000000>;"));
	char path[] = "/tmp/guestdt-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(t, f);
	fclose(f);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "dtc -q -I dts -O dtb -o /dev/null %s", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	free(t);
	unload(&l);
}

static void test_initrd_outside_ram_and_unknown_vm(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, SYSTEM);
	FILE *f = fopen("/dev/null", "w");
	assert_int_equal(mk_write_guest_dts(f, &l.sys, 1, 0x2001000, NULL, &l.diag), -1);
	assert_true(captured(&l.cap, "does not fit in one RAM region of vm 'guest'"));
	assert_int_equal(mk_find_vm(&l.sys, "ep", &l.diag), BW_BOOT_NONE);
	assert_true(captured(&l.cap, "the description has no vm 'ep'"));
	fclose(f);
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_model_and_default_quota),
		cmocka_unit_test(test_header_lists_slots_in_address_order),
		cmocka_unit_test(test_guest_dts_compiles),
		cmocka_unit_test(test_initrd_outside_ram_and_unknown_vm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
