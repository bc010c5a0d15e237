/* A validating reader for the ELF files mkimage consumes: the kernel and the
 * tasks' static executables.  Every header, table and segment is bounds
 * checked against the file before use; nothing else in mkimage touches raw
 * ELF bytes. */
#ifndef MKIMAGE_ELFREAD_H
#define MKIMAGE_ELFREAD_H

#include <stddef.h>
#include <stdint.h>

struct mk_segment {
	uint32_t type;
	uint32_t flags; /* PF_R / PF_W / PF_X */
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct mk_elf {
	const uint8_t *data;
	size_t size;
	uint16_t type;    /* ET_EXEC, ... */
	uint64_t entry;
	uint64_t phoff;
	uint16_t phnum;
	struct mk_segment *segments; /* all program headers, in file order */
	int has_interp;              /* PT_INTERP or PT_DYNAMIC present */
};

/* Checks that data is a well-formed little-endian ELF64 file for AArch64
 * whose program headers and segment file ranges lie inside it.  Returns 0, or
 * -1 with a message in err. */
int mk_elf_parse(struct mk_elf *e, const uint8_t *data, size_t size, char *err, size_t errlen);

void mk_elf_free(struct mk_elf *e);

/* Finds the section called name.  Returns 0 and its file offset, size and
 * type; -1 with a message in err when there is no such section or the
 * section headers are malformed. */
int mk_elf_section(const struct mk_elf *e, const char *name, uint64_t *offset, uint64_t *size,
		   uint32_t *type, char *err, size_t errlen);

#endif
