/* A growable byte buffer that remembers running out of memory, so that
 * builders can append freely and check once at the end. */
#ifndef MKIMAGE_BUF_H
#define MKIMAGE_BUF_H

#include <stddef.h>
#include <stdint.h>

struct mk_buf {
	uint8_t *data;
	size_t len, cap;
	int out_of_memory;
};

void mk_buf_init(struct mk_buf *b);
void mk_buf_free(struct mk_buf *b);
/* Appends n bytes (zeros when src is NULL); returns the offset they start at. */
size_t mk_buf_append(struct mk_buf *b, const void *src, size_t n);
/* Pads with zeros to a multiple of align (a power of two). */
void mk_buf_align(struct mk_buf *b, size_t align);

#endif
