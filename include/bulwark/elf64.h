/* The parts of the ELF64 format (System V gABI) that Bulwark's user-space
 * loaders read: the file header and the program headers.  Little-endian
 * AArch64 images only, so the fields are read in place, without byte
 * swapping.  Host tools use the C library's <elf.h> instead. */
#ifndef BULWARK_ELF64_H
#define BULWARK_ELF64_H

#include <stdint.h>

#define ELF64_CLASS_64 2   /* ident[4] */
#define ELF64_DATA_LSB 1   /* ident[5] */
#define ELF64_EM_AARCH64 183
#define ELF64_PT_LOAD 1
#define ELF64_PF_X 1
#define ELF64_PF_W 2

struct elf64_hdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#endif
