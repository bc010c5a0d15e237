#include "policy/policy_file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void *pl_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	/* malloc's alignment satisfies the reader's 8-byte requirement. */
	uint8_t *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
				errno = EIO;
			}
			break;
		}
		cap *= 2;
		uint8_t *nb = realloc(buf, cap);
		if (!nb) {
			free(buf);
			errno = ENOMEM;
		}
		buf = nb;
	}
	int saved = errno;
	fclose(f);
	errno = saved;
	*len = n;
	return buf;
}

enum pl_policy_file pl_policy_file_load(const char *path, pl_view *v, pl_state *st, void **buf, void **mem,
					pl_load_error *err)
{
	size_t len;
	*mem = NULL;
	*buf = pl_read_file(path, &len);
	if (!*buf)
		return PL_FILE_UNREADABLE;
	if (pl_view_load(v, *buf, len, 0, err) != PL_OK) {
		free(*buf);
		*buf = NULL;
		return PL_FILE_CORRUPT;
	}
	/* One byte more: a policy without booleans asks for none, and malloc(0)
	 * may return NULL. */
	*mem = malloc(pl_state_size(v) + 1);
	if (!*mem || pl_state_init(st, v, *mem, pl_state_size(v) + 1) != PL_OK) {
		free(*mem);
		free(*buf);
		*mem = *buf = NULL;
		return PL_FILE_NO_MEMORY;
	}
	return PL_FILE_OK;
}
