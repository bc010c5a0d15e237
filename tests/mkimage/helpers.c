#include "helpers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

void capture_sink(void *ctx, const char *msg)
{
	struct capture *c = ctx;
	c->count++;
	int n = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%s\n", msg);
	if (n > 0 && (size_t)n < sizeof(c->text) - c->len)
		c->len += (size_t)n;
}

int captured(const struct capture *c, const char *needle)
{
	return strstr(c->text, needle) != NULL;
}

void load_dts(struct loaded *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->path, sizeof(l->path), "/tmp/mkimage-test-XXXXXX");
	int fd = mkstemp(l->path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	/* dtc wants a .dts name only for messages; the file is read by content. */
	sd_diag_init(&l->diag, l->path, capture_sink, &l->cap);
	int rc = mk_load_source(l->path, &l->blob, &l->blob_size, &l->lines, &l->diag);
	unlink(l->path);
	assert_int_equal(rc, 0);
	l->diag.lines = l->lines;
	l->rc = sd_load(&l->sys, l->blob, l->blob_size, &l->diag);
}

void unload(struct loaded *l)
{
	sd_free(&l->sys);
	sd_linemap_free(l->lines);
	free(l->blob);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

size_t build_elf(uint8_t *buf, size_t cap, uint16_t type, uint64_t entry, const struct tseg *segs,
		 size_t n, int bootptr)
{
	memset(buf, 0, cap);
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = ELFDATA2LSB;
	buf[EI_VERSION] = EV_CURRENT;
	put16(buf + offsetof(Elf64_Ehdr, e_type), type);
	put16(buf + offsetof(Elf64_Ehdr, e_machine), EM_AARCH64);
	put32(buf + offsetof(Elf64_Ehdr, e_version), EV_CURRENT);
	put64(buf + offsetof(Elf64_Ehdr, e_entry), entry);
	put64(buf + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr));
	put16(buf + offsetof(Elf64_Ehdr, e_ehsize), sizeof(Elf64_Ehdr));
	put16(buf + offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr));
	put16(buf + offsetof(Elf64_Ehdr, e_phnum), (uint16_t)n);
	size_t off = 0x1000;
	for (size_t i = 0; i < n; i++) {
		uint8_t *ph = buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr);
		put32(ph + offsetof(Elf64_Phdr, p_type), PT_LOAD);
		put32(ph + offsetof(Elf64_Phdr, p_flags), segs[i].flags);
		put64(ph + offsetof(Elf64_Phdr, p_offset), off);
		put64(ph + offsetof(Elf64_Phdr, p_vaddr), segs[i].vaddr);
		put64(ph + offsetof(Elf64_Phdr, p_paddr), segs[i].vaddr);
		put64(ph + offsetof(Elf64_Phdr, p_filesz), segs[i].filesz);
		put64(ph + offsetof(Elf64_Phdr, p_memsz), segs[i].memsz);
		put64(ph + offsetof(Elf64_Phdr, p_align), 0x1000);
		assert_true(off + segs[i].filesz <= cap);
		memset(buf + off, segs[i].fill, segs[i].filesz);
		off += (segs[i].filesz + 0xfff) & ~(size_t)0xfff;
		if (segs[i].filesz == 0)
			off += 0x1000;
	}
	if (bootptr == BOOTPTR_NONE)
		return off;
	static const char names[] = "\0.bootptr\0.shstrtab\0";
	size_t stroff = off;
	memcpy(buf + stroff, names, sizeof(names));
	size_t shoff = (stroff + sizeof(names) + 7) & ~(size_t)7;
	assert_true(shoff + 3 * sizeof(Elf64_Shdr) <= cap);
	uint8_t *sh = buf + shoff;
	/* [1] .bootptr */
	uint8_t *s1 = sh + sizeof(Elf64_Shdr);
	put32(s1 + offsetof(Elf64_Shdr, sh_name), 1);
	put32(s1 + offsetof(Elf64_Shdr, sh_type), bootptr == BOOTPTR_NOBITS ? SHT_NOBITS : SHT_PROGBITS);
	put64(s1 + offsetof(Elf64_Shdr, sh_offset), 0x1000 + 8);
	put64(s1 + offsetof(Elf64_Shdr, sh_size), 8);
	/* [2] .shstrtab */
	uint8_t *s2 = sh + 2 * sizeof(Elf64_Shdr);
	put32(s2 + offsetof(Elf64_Shdr, sh_name), 10);
	put32(s2 + offsetof(Elf64_Shdr, sh_type), SHT_STRTAB);
	put64(s2 + offsetof(Elf64_Shdr, sh_offset), stroff);
	put64(s2 + offsetof(Elf64_Shdr, sh_size), sizeof(names));
	put64(buf + offsetof(Elf64_Ehdr, e_shoff), shoff);
	put16(buf + offsetof(Elf64_Ehdr, e_shentsize), sizeof(Elf64_Shdr));
	put16(buf + offsetof(Elf64_Ehdr, e_shnum), 3);
	put16(buf + offsetof(Elf64_Ehdr, e_shstrndx), 2);
	return shoff + 3 * sizeof(Elf64_Shdr);
}
