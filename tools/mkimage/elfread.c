#include "elfread.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* [off, off + len) lies inside a file of size bytes. */
static int in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

int mk_elf_parse(struct mk_elf *e, const uint8_t *data, size_t size, char *err, size_t errlen)
{
	memset(e, 0, sizeof(*e));
	e->data = data;
	e->size = size;
	if (size < sizeof(Elf64_Ehdr) || memcmp(data, ELFMAG, SELFMAG) != 0) {
		snprintf(err, errlen, "not an ELF file");
		return -1;
	}
	if (data[EI_CLASS] != ELFCLASS64 || data[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "not a little-endian 64-bit ELF file");
		return -1;
	}
	if (le16(data + offsetof(Elf64_Ehdr, e_machine)) != EM_AARCH64) {
		snprintf(err, errlen, "not an AArch64 ELF file (machine %u)",
			 le16(data + offsetof(Elf64_Ehdr, e_machine)));
		return -1;
	}
	e->type = le16(data + offsetof(Elf64_Ehdr, e_type));
	e->entry = le64(data + offsetof(Elf64_Ehdr, e_entry));
	e->phoff = le64(data + offsetof(Elf64_Ehdr, e_phoff));
	e->phnum = le16(data + offsetof(Elf64_Ehdr, e_phnum));
	uint16_t phentsize = le16(data + offsetof(Elf64_Ehdr, e_phentsize));
	if (e->phnum == 0 || e->phnum == PN_XNUM) {
		snprintf(err, errlen, "no usable program headers");
		return -1;
	}
	if (phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(e->phoff, (uint64_t)e->phnum * sizeof(Elf64_Phdr), size)) {
		snprintf(err, errlen, "program headers lie outside the file");
		return -1;
	}
	e->segments = calloc(e->phnum, sizeof(*e->segments));
	if (!e->segments) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (uint16_t i = 0; i < e->phnum; i++) {
		const uint8_t *p = data + e->phoff + (uint64_t)i * sizeof(Elf64_Phdr);
		struct mk_segment *s = &e->segments[i];
		s->type = le32(p + offsetof(Elf64_Phdr, p_type));
		s->flags = le32(p + offsetof(Elf64_Phdr, p_flags));
		s->offset = le64(p + offsetof(Elf64_Phdr, p_offset));
		s->vaddr = le64(p + offsetof(Elf64_Phdr, p_vaddr));
		s->paddr = le64(p + offsetof(Elf64_Phdr, p_paddr));
		s->filesz = le64(p + offsetof(Elf64_Phdr, p_filesz));
		s->memsz = le64(p + offsetof(Elf64_Phdr, p_memsz));
		s->align = le64(p + offsetof(Elf64_Phdr, p_align));
		if (s->type == PT_INTERP || s->type == PT_DYNAMIC)
			e->has_interp = 1;
		if (s->type != PT_LOAD)
			continue;
		if (s->filesz > s->memsz || !in_file(s->offset, s->filesz, size) ||
		    s->vaddr + s->memsz < s->vaddr || s->paddr + s->memsz < s->paddr) {
			snprintf(err, errlen, "segment %u is malformed (sizes or file range)", i);
			mk_elf_free(e);
			return -1;
		}
	}
	return 0;
}

void mk_elf_free(struct mk_elf *e)
{
	free(e->segments);
	e->segments = NULL;
}

int mk_elf_section(const struct mk_elf *e, const char *name, uint64_t *offset, uint64_t *size,
		   uint32_t *type, char *err, size_t errlen)
{
	const uint8_t *d = e->data;
	uint64_t shoff = le64(d + offsetof(Elf64_Ehdr, e_shoff));
	uint16_t shentsize = le16(d + offsetof(Elf64_Ehdr, e_shentsize));
	uint64_t shnum = le16(d + offsetof(Elf64_Ehdr, e_shnum));
	uint64_t shstrndx = le16(d + offsetof(Elf64_Ehdr, e_shstrndx));
	if (shoff == 0 || shentsize != sizeof(Elf64_Shdr)) {
		snprintf(err, errlen, "no section headers (needed to find section %s)", name);
		return -1;
	}
	/* Large section counts move into section 0's header. */
	if (!in_file(shoff, sizeof(Elf64_Shdr), e->size)) {
		snprintf(err, errlen, "section headers lie outside the file");
		return -1;
	}
	if (shnum == 0)
		shnum = le64(d + shoff + offsetof(Elf64_Shdr, sh_size));
	if (shstrndx == SHN_XINDEX)
		shstrndx = le32(d + shoff + offsetof(Elf64_Shdr, sh_link));
	if (shnum > e->size / sizeof(Elf64_Shdr) ||
	    !in_file(shoff, shnum * sizeof(Elf64_Shdr), e->size) || shstrndx >= shnum) {
		snprintf(err, errlen, "section headers lie outside the file");
		return -1;
	}
	const uint8_t *strsh = d + shoff + shstrndx * sizeof(Elf64_Shdr);
	uint64_t stroff = le64(strsh + offsetof(Elf64_Shdr, sh_offset));
	uint64_t strsize = le64(strsh + offsetof(Elf64_Shdr, sh_size));
	if (!in_file(stroff, strsize, e->size)) {
		snprintf(err, errlen, "section name table lies outside the file");
		return -1;
	}
	size_t want = strlen(name);
	for (uint64_t i = 0; i < shnum; i++) {
		const uint8_t *sh = d + shoff + i * sizeof(Elf64_Shdr);
		uint32_t n = le32(sh + offsetof(Elf64_Shdr, sh_name));
		if (n >= strsize || strsize - n < want + 1)
			continue;
		if (memcmp(d + stroff + n, name, want + 1) != 0)
			continue;
		*offset = le64(sh + offsetof(Elf64_Shdr, sh_offset));
		*size = le64(sh + offsetof(Elf64_Shdr, sh_size));
		*type = le32(sh + offsetof(Elf64_Shdr, sh_type));
		return 0;
	}
	snprintf(err, errlen, "no section %s", name);
	return -1;
}
