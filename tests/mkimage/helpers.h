/* Shared by mkimage's unit tests: descriptions compiled from source text,
 * captured diagnostics, and ELF files synthesised in memory. */
#ifndef TESTS_MKIMAGE_HELPERS_H
#define TESTS_MKIMAGE_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "linemap.h"
#include "sysdesc.h"

/* Every message a diag produced, newline separated. */
struct capture {
	char text[16384];
	size_t len;
	unsigned count;
};

void capture_sink(void *ctx, const char *msg);

/* A description compiled by dtc from text, loaded with a capturing diag. */
struct loaded {
	struct capture cap;
	struct sd_diag diag;
	struct sd_system sys;
	uint8_t *blob;
	size_t blob_size;
	struct sd_linemap *lines;
	char path[64];
	int rc;
};

/* Writes text to a temporary .dts, compiles and loads it.  Fails the test if
 * dtc rejects it. */
void load_dts(struct loaded *l, const char *text);
void unload(struct loaded *l);

/* True if some captured line contains needle. */
int captured(const struct capture *c, const char *needle);

/* ELF synthesis: segments placed in the file on their own pages. */
struct tseg {
	uint32_t flags; /* PF_R | PF_W | PF_X */
	uint64_t vaddr;
	uint64_t filesz, memsz;
	uint8_t fill; /* the file bytes' value */
};

enum { BOOTPTR_NONE, BOOTPTR_PROGBITS, BOOTPTR_NOBITS };

/* Builds an AArch64 ELF64 into buf (cap bytes); the segment addresses are
 * used as both virtual and physical.  With bootptr, a section .bootptr of 8
 * bytes sits 8 bytes into the first segment's file bytes.  Returns the size. */
size_t build_elf(uint8_t *buf, size_t cap, uint16_t type, uint64_t entry, const struct tseg *segs,
		 size_t n, int bootptr);

#endif
