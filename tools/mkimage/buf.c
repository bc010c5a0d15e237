#include "buf.h"

#include <stdlib.h>
#include <string.h>

void mk_buf_init(struct mk_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->out_of_memory = 0;
}

void mk_buf_free(struct mk_buf *b)
{
	free(b->data);
	mk_buf_init(b);
}

static int reserve(struct mk_buf *b, size_t n)
{
	if (b->out_of_memory || n > SIZE_MAX / 2 - b->len) {
		b->out_of_memory = 1;
		return -1;
	}
	if (b->len + n <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	uint8_t *d = realloc(b->data, cap);
	if (!d) {
		b->out_of_memory = 1;
		return -1;
	}
	b->data = d;
	b->cap = cap;
	return 0;
}

size_t mk_buf_append(struct mk_buf *b, const void *src, size_t n)
{
	size_t at = b->len;
	if (reserve(b, n) < 0)
		return at;
	if (src)
		memcpy(b->data + b->len, src, n);
	else
		memset(b->data + b->len, 0, n);
	b->len += n;
	return at;
}

void mk_buf_align(struct mk_buf *b, size_t align)
{
	size_t pad = (align - (b->len & (align - 1))) & (align - 1);
	mk_buf_append(b, NULL, pad);
}
