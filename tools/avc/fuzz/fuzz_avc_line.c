/* libFuzzer target: the AVC line parser on arbitrary bytes.  Any input
 * must be noise, a record or malformed with a reason, never a crash or a
 * read outside the line; a record's fields must lie inside the line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const char *line, size_t len, avc_str s)
{
	if (s.p && (s.p < line || s.p + s.n > line + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so ASan catches a read one past the end. */
	char *line = malloc(size ? size : 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	avc_record r;
	const char *why = NULL;
	int rc = avc_parse_line(line, size, &r, &why);
	if (rc == AVC_MALFORMED && !why)
		abort();
	if (rc == AVC_RECORD) {
		if (r.nperms > AVC_MAX_PERMS)
			abort();
		for (uint32_t i = 0; i < r.nperms; i++)
			inside(line, size, r.perms[i]);
		inside(line, size, r.scontext);
		inside(line, size, r.tcontext);
		inside(line, size, r.tclass);
		inside(line, size, r.stype);
		inside(line, size, r.ttype);
		inside(line, size, r.comm);
		inside(line, size, r.stamp);
	}
	free(line);
	return 0;
}
