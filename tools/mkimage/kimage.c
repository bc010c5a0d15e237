/* The output keeps the kernel file byte for byte (symbols and sections stay
 * usable by a debugger) except for the patched pointer and the ELF header's
 * program-header fields: a new program-header table, the kernel's own entries
 * plus one for the payload, is appended after the kernel, followed by the
 * payload itself. */
#include "kimage.h"

#include <elf.h>
#include <string.h>

#include "elfread.h"
#include "payload.h"

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_phdr(uint8_t *p, const struct mk_segment *s)
{
	memset(p, 0, sizeof(Elf64_Phdr));
	put_le32(p + offsetof(Elf64_Phdr, p_type), s->type);
	put_le32(p + offsetof(Elf64_Phdr, p_flags), s->flags);
	put_le64(p + offsetof(Elf64_Phdr, p_offset), s->offset);
	put_le64(p + offsetof(Elf64_Phdr, p_vaddr), s->vaddr);
	put_le64(p + offsetof(Elf64_Phdr, p_paddr), s->paddr);
	put_le64(p + offsetof(Elf64_Phdr, p_filesz), s->filesz);
	put_le64(p + offsetof(Elf64_Phdr, p_memsz), s->memsz);
	put_le64(p + offsetof(Elf64_Phdr, p_align), s->align);
}

int mk_link_image(const struct sd_system *sys, const char *kernel_name, const uint8_t *kernel,
		  size_t kernel_size, struct mk_buf *payload, struct mk_buf *out, uint64_t *phys_out,
		  struct sd_diag *d)
{
	char err[200];
	struct mk_elf elf;
	unsigned errors_before = d->errors;
	mk_buf_init(out);
	if (mk_elf_parse(&elf, kernel, kernel_size, err, sizeof(err)) < 0) {
		sd_error(d, -1, NULL, "kernel '%s': %s", kernel_name, err);
		return -1;
	}
	int rc = -1;
	uint64_t low = UINT64_MAX, high = 0;
	for (uint16_t i = 0; i < elf.phnum; i++) {
		const struct mk_segment *s = &elf.segments[i];
		if (s->type != PT_LOAD || s->memsz == 0)
			continue;
		if (s->paddr < low)
			low = s->paddr;
		if (s->paddr + s->memsz > high)
			high = s->paddr + s->memsz;
	}
	if (elf.type != ET_EXEC || high == 0) {
		sd_error(d, -1, NULL, "kernel '%s' is not an executable with loadable segments",
			 kernel_name);
		goto out;
	}
	if (elf.phnum >= PN_XNUM - 1) {
		sd_error(d, -1, NULL, "kernel '%s' has too many program headers", kernel_name);
		goto out;
	}

	uint64_t phys = (high + BW_BOOT_PAYLOAD_ALIGN - 1) & ~(BW_BOOT_PAYLOAD_ALIGN - 1);
	uint64_t ram_end = sys->ram_base + sys->ram_size;
	if (low < sys->ram_base || phys < high || phys > ram_end ||
	    payload->len > ram_end - phys) {
		sd_error(d, -1, NULL,
			 "kernel '%s' (0x%llx..0x%llx) and the boot payload (0x%zx bytes at "
			 "0x%llx) do not fit in RAM 0x%llx..0x%llx",
			 kernel_name, (unsigned long long)low, (unsigned long long)high,
			 payload->len, (unsigned long long)phys, (unsigned long long)sys->ram_base,
			 (unsigned long long)ram_end);
		goto out;
	}
	/* Memory the kernel image occupies cannot also be fixed shared memory. */
	for (size_t i = 0; i < sys->object_count; i++) {
		const struct sd_object *o = &sys->objects[i];
		if (o->type == BW_BOOT_OBJ_SHM && o->phys && o->phys < phys + payload->len &&
		    low < o->phys + o->size)
			sd_error(d, o->node, "phys-addr",
				 "shm '%s' at 0x%llx overlaps the kernel and boot payload "
				 "(0x%llx..0x%llx)",
				 o->name, (unsigned long long)o->phys, (unsigned long long)low,
				 (unsigned long long)(phys + payload->len));
	}

	uint64_t ptr_off, ptr_size;
	uint32_t ptr_type;
	if (mk_elf_section(&elf, MK_BOOTPTR_SECTION, &ptr_off, &ptr_size, &ptr_type, err,
			   sizeof(err)) < 0) {
		sd_error(d, -1, NULL, "kernel '%s': %s (the kernel must define bw_boot_payload in it)",
			 kernel_name, err);
		goto out;
	}
	/* The patched bytes must be ones QEMU actually loads. */
	int loaded = 0;
	for (uint16_t i = 0; i < elf.phnum; i++) {
		const struct mk_segment *s = &elf.segments[i];
		if (s->type == PT_LOAD && ptr_off >= s->offset && ptr_off - s->offset <= s->filesz &&
		    s->filesz - (ptr_off - s->offset) >= 8)
			loaded = 1;
	}
	if (ptr_type == SHT_NOBITS || ptr_size < 8 || !loaded) {
		sd_error(d, -1, NULL,
			 "kernel '%s': section %s must hold the 8-byte bw_boot_payload in a loaded "
			 "segment (not .bss)",
			 kernel_name, MK_BOOTPTR_SECTION);
		goto out;
	}
	if (d->errors != errors_before)
		goto out;

	mk_payload_set_phys(payload, phys);
	mk_buf_append(out, kernel, kernel_size);
	mk_buf_align(out, 8);
	uint64_t phoff = out->len;
	mk_buf_append(out, NULL, ((size_t)elf.phnum + 1) * sizeof(Elf64_Phdr));
	mk_buf_align(out, BW_BOOT_PAGE_SIZE);
	uint64_t payload_off = mk_buf_append(out, payload->data, payload->len);
	if (out->out_of_memory) {
		sd_error(d, -1, NULL, "out of memory writing the image");
		goto out;
	}
	put_le64(out->data + ptr_off, phys);
	for (uint16_t i = 0; i < elf.phnum; i++)
		put_phdr(out->data + phoff + (size_t)i * sizeof(Elf64_Phdr), &elf.segments[i]);
	struct mk_segment seg = {
		.type = PT_LOAD,
		.flags = PF_R,
		.offset = payload_off,
		.vaddr = phys,
		.paddr = phys,
		.filesz = payload->len,
		.memsz = payload->len,
		.align = BW_BOOT_PAGE_SIZE,
	};
	put_phdr(out->data + phoff + (size_t)elf.phnum * sizeof(Elf64_Phdr), &seg);
	put_le64(out->data + offsetof(Elf64_Ehdr, e_phoff), phoff);
	put_le16(out->data + offsetof(Elf64_Ehdr, e_phnum), (uint16_t)(elf.phnum + 1));
	*phys_out = phys;
	rc = 0;
out:
	if (rc < 0)
		mk_buf_free(out);
	mk_elf_free(&elf);
	return rc;
}
