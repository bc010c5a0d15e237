/* Walking the loadable segments of an ELF64 image held in memory, with
 * every offset and size checked against the image first: the driver
 * supervisor and the VMMs load images they embed, and a bad one must give
 * an error, not a read past its end. */
#ifndef BW_ELF_H
#define BW_ELF_H

#include <bulwark/elf64.h>
#include <stdint.h>

struct bw_elf {
	const uint8_t *image;
	uint64_t size;
	struct elf64_hdr hdr;
	unsigned next; /* the program header bw_elf_next_load reads next */
};

/* 0 if `image` is a little-endian AArch64 ELF64 whose program headers lie
 * within its `size` bytes (e->hdr then holds its header), -1 if not. */
int bw_elf_open(struct bw_elf *e, const uint8_t *image, uint64_t size);

/* The next PT_LOAD segment into *ph: 1, or 0 after the last one, or -1 if
 * its file bytes lie outside the image or exceed its memory size (*ph
 * still holds it, for the caller's message). */
int bw_elf_next_load(struct bw_elf *e, struct elf64_phdr *ph);

#endif
