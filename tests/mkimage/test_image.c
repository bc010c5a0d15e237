/* From checked description to bootable image: task ELFs into regions, the
 * payload's tables and strings, and the kernel ELF with the payload segment
 * and the patched pointer.  ELF files are synthesised in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "elfread.h"
#include "helpers.h"
#include "kimage.h"
#include "payload.h"

#define SYSTEM                                                                                     \
	"/dts-v1/;\n/ {\n compatible = \"bulwark,system\";\n"                                      \
	" kernel { context = \"u:r:kernel_t\"; };\n"                                               \
	" objects { ring { type = \"shm\"; size = <0x2000>; context = \"u:r:ring_t\"; };\n"        \
	"  ep { type = \"endpoint\"; context = \"u:r:ep_t\"; }; };\n"                              \
	" tasks { app { image = \"a.elf\"; context = \"u:r:app_t\"; stack-size = <0x2000>;\n"      \
	"  handles { e { object = \"ep\"; rights = \"send\"; slot = <9>; };\n"                     \
	"   r { object = \"ring\"; rights = \"read\", \"write\";"                                   \
	" map-vaddr = /bits/ 64 <0x20000000>; }; }; }; };\n};\n"

static uint8_t elf_buf[0x10000];

/* Text at 0x400000 (r-x), data at 0x410010 (rw-, 0x20 file bytes + bss). */
static size_t good_task(void)
{
	struct tseg segs[] = {
		{PF_R | PF_X, 0x400000, 0x100, 0x100, 0xaa},
		{PF_R | PF_W, 0x410010, 0x20, 0x1800, 0xbb},
	};
	return build_elf(elf_buf, sizeof(elf_buf), ET_EXEC, 0x400010, segs, 2, BOOTPTR_NONE);
}

static int build(struct loaded *l, const uint8_t *img, size_t size, struct mk_buf *out)
{
	const uint8_t *images[1] = {img};
	size_t sizes[1] = {size};
	static const uint8_t policy[] = "POLICY-BLOB";
	struct mk_inputs in = {images, sizes, policy, sizeof(policy)};
	return mk_build_payload(&l->sys, &in, out, &l->diag);
}

static const void *entry_at(const struct mk_buf *p, const struct bw_boot_table *t, size_t i)
{
	assert_true(t->offset % 8 == 0);
	assert_true((uint64_t)t->offset + (uint64_t)t->count * t->entry_size <= p->len);
	assert_true(i < t->count);
	return p->data + t->offset + i * t->entry_size;
}

static const char *string_at(const struct mk_buf *p, const struct bw_bootinfo *h,
			     struct bw_boot_str s)
{
	assert_true((uint64_t)s.offset + s.length < h->strings.size);
	const char *str = (const char *)p->data + h->strings.offset + s.offset;
	assert_int_equal(str[s.length], '\0');
	return str;
}

static void test_payload_layout(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, SYSTEM);
	assert_int_equal(l.rc, 0);
	size_t size = good_task();
	struct mk_buf p;
	assert_int_equal(build(&l, elf_buf, size, &p), 0);

	struct bw_bootinfo h;
	memcpy(&h, p.data, sizeof(h));
	assert_int_equal(h.magic, BW_BOOTINFO_MAGIC);
	assert_int_equal(h.version, BW_BOOTINFO_VERSION);
	assert_int_equal(h.header_size, sizeof(h));
	assert_int_equal(h.payload_size, p.len);
	assert_int_equal(h.kernel_sid, 1);
	assert_int_equal(h.tasks.count, 1);
	assert_int_equal(h.objects.count, 2);
	assert_int_equal(h.handles.count, 2);
	assert_int_equal(h.sids.count, 5); /* SID 0 plus kernel, app, ring, ep */

	const struct bw_boot_task *t = entry_at(&p, &h.tasks, 0);
	assert_string_equal(string_at(&p, &h, t->name), "app");
	assert_int_equal(t->entry, 0x400010);
	assert_int_equal(t->sid, 2);
	assert_int_equal(t->region_count, 3);
	assert_int_equal(t->handle_count, 2);

	const struct bw_boot_region *text = entry_at(&p, &h.regions, t->first_region);
	assert_int_equal(text->vaddr, 0x400000);
	assert_int_equal(text->size, 0x1000);
	assert_int_equal(text->rights, BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_EXEC);
	assert_int_equal(text->kind, BW_BOOT_REGION_ELF);
	assert_int_equal(text->data_size, 0x100);
	assert_int_equal(text->data_offset % BW_BOOT_PAGE_SIZE, 0);
	assert_int_equal(p.data[text->data_offset], 0xaa);

	/* Data starts 0x10 into its page: the lead is zero, then the bytes. */
	const struct bw_boot_region *data = entry_at(&p, &h.regions, t->first_region + 1);
	assert_int_equal(data->vaddr, 0x410000);
	assert_int_equal(data->size, 0x2000);
	assert_int_equal(data->rights, BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_WRITE);
	assert_int_equal(data->data_size, 0x30);
	assert_int_equal(p.data[data->data_offset + 0xf], 0);
	assert_int_equal(p.data[data->data_offset + 0x10], 0xbb);
	assert_int_equal(p.data[data->data_offset + 0x2f], 0xbb);

	/* The stack sits above the image, past one unmapped guard page. */
	const struct bw_boot_region *stack = entry_at(&p, &h.regions, t->first_region + 2);
	assert_int_equal(stack->kind, BW_BOOT_REGION_STACK);
	assert_int_equal(stack->vaddr, 0x413000);
	assert_int_equal(stack->size, 0x2000);
	assert_int_equal(stack->data_size, 0);
	assert_int_equal(t->stack_top, 0x415000);

	/* Handles come in slot order whatever the description's order. */
	const struct bw_boot_handle *h0 = entry_at(&p, &h.handles, 0);
	const struct bw_boot_handle *h1 = entry_at(&p, &h.handles, 1);
	assert_int_equal(h0->slot, BW_BOOT_FIRST_SLOT);
	assert_int_equal(h0->object, 0);
	assert_int_equal(h0->map_vaddr, 0x20000000);
	assert_int_equal(h1->slot, 9);
	assert_int_equal(h1->rights, BW_BOOT_RIGHT_SEND);

	const struct bw_boot_object *ring = entry_at(&p, &h.objects, 0);
	assert_int_equal(ring->type, BW_BOOT_OBJ_SHM);
	assert_int_equal(ring->size, 0x2000);
	assert_int_equal(ring->task, BW_BOOT_NONE);
	assert_string_equal(string_at(&p, &h, ring->name), "ring");

	const struct bw_boot_str *sid0 = entry_at(&p, &h.sids, 0);
	assert_int_equal(sid0->length, 0);
	const struct bw_boot_str *sid3 = entry_at(&p, &h.sids, ring->sid);
	assert_string_equal(string_at(&p, &h, *sid3), "u:r:ring_t");

	/* The listing reads back what was written. */
	char err[200], *listing = NULL;
	size_t listing_len = 0;
	FILE *f = open_memstream(&listing, &listing_len);
	assert_non_null(f);
	assert_int_equal(mk_dump_payload(f, p.data, p.len, err, sizeof(err)), 0);
	fclose(f);
	assert_non_null(strstr(listing, "task app: SID 2, priority 32"));
	assert_non_null(strstr(listing, "  slot   3: shm ring, read write, mapped at 0x20000000"));
	assert_non_null(strstr(listing, "  slot   9: endpoint ep, send"));
	assert_non_null(strstr(listing, "region 0x413000+0x2000 rw- stack"));
	free(listing);

	assert_int_equal(h.policy.offset % BW_BOOT_PAGE_SIZE, 0);
	assert_int_equal(h.policy.size, sizeof("POLICY-BLOB"));
	assert_memory_equal(p.data + h.policy.offset, "POLICY-BLOB", h.policy.size);
	mk_buf_free(&p);
	unload(&l);
}

static void test_listing_refuses_corrupt_payloads(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, SYSTEM);
	struct mk_buf p;
	assert_int_equal(build(&l, elf_buf, good_task(), &p), 0);
	char err[200];
	assert_int_equal(mk_dump_payload(NULL, p.data, p.len, err, sizeof(err)), 0);
	assert_int_equal(mk_dump_payload(NULL, p.data, 100, err, sizeof(err)), -1);
	/* Every single-byte corruption of the header and tables is either
	 * harmless or refused; none reads out of bounds (ASan watches). */
	struct bw_bootinfo h;
	memcpy(&h, p.data, sizeof(h));
	size_t tables_end = h.strings.offset + h.strings.size;
	for (size_t i = 0; i < tables_end; i++) {
		uint8_t saved = p.data[i];
		p.data[i] ^= 0xff;
		(void)mk_dump_payload(NULL, p.data, p.len, err, sizeof(err));
		p.data[i] = saved;
	}
	p.data[0] ^= 1;
	assert_int_equal(mk_dump_payload(NULL, p.data, p.len, err, sizeof(err)), -1);
	assert_string_equal(err, "bad magic");
	mk_buf_free(&p);
	unload(&l);
}

static void expect_image_error(const struct tseg *segs, size_t n, uint16_t type, uint64_t entry,
			       const char *needle)
{
	struct loaded l;
	load_dts(&l, SYSTEM);
	size_t size = build_elf(elf_buf, sizeof(elf_buf), type, entry, segs, n, BOOTPTR_NONE);
	struct mk_buf p;
	assert_int_equal(build(&l, elf_buf, size, &p), -1);
	if (!captured(&l.cap, needle))
		fail_msg("wanted '%s' in:\n%s", needle, l.cap.text);
	unload(&l);
}

static void test_writable_code_is_refused(void **state)
{
	(void)state;
	struct tseg segs[] = {{PF_R | PF_W | PF_X, 0x400000, 0x100, 0x100, 1}};
	expect_image_error(segs, 1, ET_EXEC, 0x400000, "is writable and executable (W^X)");
}

static void test_entry_must_be_code(void **state)
{
	(void)state;
	struct tseg segs[] = {{PF_R | PF_X, 0x400000, 0x100, 0x100, 1},
			      {PF_R | PF_W, 0x401000, 0x100, 0x100, 2}};
	expect_image_error(segs, 2, ET_EXEC, 0x401000, "entry point 0x401000 is not in an executable");
}

static void test_segments_sharing_a_page_are_refused(void **state)
{
	(void)state;
	struct tseg segs[] = {{PF_R | PF_X, 0x400000, 0x100, 0x100, 1},
			      {PF_R | PF_W, 0x400800, 0x100, 0x100, 2}};
	expect_image_error(segs, 2, ET_EXEC, 0x400000, "overlaps segment at 0x400000");
}

static void test_dynamic_executables_are_refused(void **state)
{
	(void)state;
	struct tseg segs[] = {{PF_R | PF_X, 0x400000, 0x100, 0x100, 1}};
	expect_image_error(segs, 1, ET_DYN, 0x400000, "is not a static executable");
}

static void test_page_zero_stays_unmapped(void **state)
{
	(void)state;
	struct tseg segs[] = {{PF_R | PF_X, 0x0, 0x100, 0x100, 1}};
	expect_image_error(segs, 1, ET_EXEC, 0x10, "outside the user address range");
}

static void test_mapping_over_the_image_is_refused(void **state)
{
	(void)state;
	struct tseg segs[] = {{PF_R | PF_X, 0x20000000, 0x100, 0x100, 1}};
	expect_image_error(segs, 1, ET_EXEC, 0x20000000, "the mapping of 'ring' overlaps segment");
}

static void test_malformed_elf_files(void **state)
{
	(void)state;
	char err[200];
	struct mk_elf e;
	size_t size = good_task();
	assert_int_equal(mk_elf_parse(&e, elf_buf, size, err, sizeof(err)), 0);
	mk_elf_free(&e);
	/* Every truncation is refused or parsed within bounds. */
	for (size_t cut = 0; cut < 0x200; cut++) {
		if (mk_elf_parse(&e, elf_buf, cut, err, sizeof(err)) == 0)
			mk_elf_free(&e);
	}
	assert_int_equal(mk_elf_parse(&e, elf_buf, 32, err, sizeof(err)), -1);
	assert_string_equal(err, "not an ELF file");
	uint8_t copy[0x3000];
	memcpy(copy, elf_buf, sizeof(copy));
	copy[offsetof(Elf64_Ehdr, e_machine)] = EM_X86_64;
	assert_int_equal(mk_elf_parse(&e, copy, sizeof(copy), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an AArch64"));
	memcpy(copy, elf_buf, sizeof(copy));
	/* A segment claiming more file bytes than the file has. */
	Elf64_Phdr ph;
	memcpy(&ph, copy + sizeof(Elf64_Ehdr), sizeof(ph));
	ph.p_filesz = 0x100000;
	ph.p_memsz = 0x100000;
	memcpy(copy + sizeof(Elf64_Ehdr), &ph, sizeof(ph));
	assert_int_equal(mk_elf_parse(&e, copy, sizeof(copy), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "segment 0 is malformed"));
}

static uint8_t kernel_buf[0x10000];

static size_t stub_kernel(int bootptr, uint64_t base)
{
	struct tseg segs[] = {{PF_R | PF_X, base, 0x200, 0x300000, 0x11}};
	return build_elf(kernel_buf, sizeof(kernel_buf), ET_EXEC, base, segs, 1, bootptr);
}

static void test_link_appends_the_payload(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, SYSTEM);
	struct mk_buf p, img;
	assert_int_equal(build(&l, elf_buf, good_task(), &p), 0);
	size_t ksize = stub_kernel(BOOTPTR_PROGBITS, 0x40080000);
	uint64_t phys = 0;
	assert_int_equal(mk_link_image(&l.sys, "k", kernel_buf, ksize, &p, &img, &phys, &l.diag), 0);
	/* The kernel ends at 0x40380000: the payload goes to the next 2 MiB. */
	assert_int_equal(phys, 0x40400000);

	struct mk_elf e;
	char err[200];
	assert_int_equal(mk_elf_parse(&e, img.data, img.len, err, sizeof(err)), 0);
	assert_int_equal(e.phnum, 2);
	assert_int_equal(e.entry, 0x40080000);
	assert_memory_equal(&e.segments[0].vaddr, &(uint64_t){0x40080000}, 8);
	const struct mk_segment *s = &e.segments[1];
	assert_int_equal(s->type, PT_LOAD);
	assert_int_equal(s->paddr, phys);
	assert_int_equal(s->vaddr, phys);
	assert_int_equal(s->filesz, p.len);
	assert_int_equal(s->offset % BW_BOOT_PAGE_SIZE, 0);
	assert_memory_equal(img.data + s->offset, p.data, p.len);
	struct bw_bootinfo h;
	memcpy(&h, img.data + s->offset, sizeof(h));
	assert_int_equal(h.payload_phys, phys);
	/* bw_boot_payload, in .bootptr 8 bytes into the kernel's segment. */
	uint64_t ptr;
	memcpy(&ptr, img.data + 0x1000 + 8, 8);
	assert_int_equal(ptr, phys);
	/* Everything else of the kernel is unchanged. */
	assert_memory_equal(img.data + 0x1000 + 16, kernel_buf + 0x1000 + 16, 0x200 - 16);
	mk_elf_free(&e);
	mk_buf_free(&img);
	mk_buf_free(&p);
	unload(&l);
}

static void expect_link_error(int bootptr, uint64_t base, const char *needle)
{
	struct loaded l;
	load_dts(&l, SYSTEM);
	struct mk_buf p, img;
	assert_int_equal(build(&l, elf_buf, good_task(), &p), 0);
	size_t ksize = stub_kernel(bootptr, base);
	uint64_t phys = 0;
	assert_int_equal(mk_link_image(&l.sys, "k", kernel_buf, ksize, &p, &img, &phys, &l.diag), -1);
	if (!captured(&l.cap, needle))
		fail_msg("wanted '%s' in:\n%s", needle, l.cap.text);
	assert_null(img.data);
	mk_buf_free(&p);
	unload(&l);
}

static void test_link_needs_bootptr(void **state)
{
	(void)state;
	expect_link_error(BOOTPTR_NONE, 0x40080000, "no section headers");
	expect_link_error(BOOTPTR_NOBITS, 0x40080000, "must hold the 8-byte bw_boot_payload");
}

static void test_link_needs_room_in_ram(void **state)
{
	(void)state;
	expect_link_error(BOOTPTR_PROGBITS, 0x7ff00000, "do not fit in RAM");
	expect_link_error(BOOTPTR_PROGBITS, 0x1000, "do not fit in RAM");
}

static void test_fixed_shm_must_avoid_the_kernel(void **state)
{
	(void)state;
	struct loaded l;
	load_dts(&l, "/dts-v1/;\n/ {\n compatible = \"bulwark,system\";\n"
		     " kernel { context = \"u:r:kernel_t\"; };\n"
		     " objects { dma { type = \"shm\"; size = <0x1000>; phys-addr = <0x40100000>;"
		     " context = \"u:r:dma_t\"; }; };\n"
		     " tasks { app { image = \"a.elf\"; context = \"u:r:app_t\"; }; };\n};\n");
	assert_int_equal(l.rc, 0);
	const uint8_t *images[1] = {elf_buf};
	size_t sizes[1] = {good_task()};
	struct mk_inputs in = {images, sizes, NULL, 0};
	struct mk_buf p, img;
	assert_int_equal(mk_build_payload(&l.sys, &in, &p, &l.diag), 0);
	assert_int_equal(p.data[offsetof(struct bw_bootinfo, policy)], 0);
	size_t ksize = stub_kernel(BOOTPTR_PROGBITS, 0x40080000);
	uint64_t phys;
	assert_int_equal(mk_link_image(&l.sys, "k", kernel_buf, ksize, &p, &img, &phys, &l.diag), -1);
	assert_true(captured(&l.cap, "shm 'dma' at 0x40100000 overlaps the kernel"));
	mk_buf_free(&p);
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_layout),
		cmocka_unit_test(test_listing_refuses_corrupt_payloads),
		cmocka_unit_test(test_writable_code_is_refused),
		cmocka_unit_test(test_entry_must_be_code),
		cmocka_unit_test(test_segments_sharing_a_page_are_refused),
		cmocka_unit_test(test_dynamic_executables_are_refused),
		cmocka_unit_test(test_page_zero_stays_unmapped),
		cmocka_unit_test(test_mapping_over_the_image_is_refused),
		cmocka_unit_test(test_malformed_elf_files),
		cmocka_unit_test(test_link_appends_the_payload),
		cmocka_unit_test(test_link_needs_bootptr),
		cmocka_unit_test(test_link_needs_room_in_ram),
		cmocka_unit_test(test_fixed_shm_must_avoid_the_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
