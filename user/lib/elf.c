#include <bw/elf.h>
#include <bw/lib.h>

int bw_elf_open(struct bw_elf *e, const uint8_t *image, uint64_t size)
{
	struct elf64_hdr *h = &e->hdr;
	e->image = image;
	e->size = size;
	e->next = 0;
	if (size < sizeof *h)
		return -1;
	/* A copy: the image need not be aligned for the header's fields. */
	memcpy(h, image, sizeof *h);
	if (memcmp(h->ident, "\177ELF", 4) || h->ident[4] != ELF64_CLASS_64 || h->ident[5] != ELF64_DATA_LSB ||
	    h->machine != ELF64_EM_AARCH64 || h->phentsize != sizeof(struct elf64_phdr) || h->phoff > size ||
	    (uint64_t)h->phnum * sizeof(struct elf64_phdr) > size - h->phoff)
		return -1;
	return 0;
}

int bw_elf_next_load(struct bw_elf *e, struct elf64_phdr *ph)
{
	while (e->next < e->hdr.phnum) {
		memcpy(ph, e->image + e->hdr.phoff + (uint64_t)e->next++ * sizeof *ph, sizeof *ph);
		if (ph->type != ELF64_PT_LOAD)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > e->size || ph->filesz > e->size - ph->offset)
			return -1;
		return 1;
	}
	return 0;
}
