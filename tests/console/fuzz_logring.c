/* The console's reader of policyd's log ring (bw/logring.h) on arbitrary
 * region contents: it must stay inside the region, terminate every line,
 * and stop (one call returns at most once per line number it passes). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <bw/logring.h>

#define BYTES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(64) unsigned char region[BYTES];
	if (size < 16)
		return 0;
	memset(region, 0, sizeof region);
	memcpy(region, data + 16, size - 16 < BYTES ? size - 16 : BYTES);
	struct bw_logring_reader rd;
	memcpy(&rd, data, sizeof rd);
	rd.next &= 0xffff; /* a reader starts low; the header may claim anything */
	char out[BW_LOGRING_TEXT];
	for (int i = 0; i < 64; i++) {
		int n = bw_logring_get((const struct bw_logring *)region, BYTES, &rd, out);
		if (n < 0)
			break;
		if (n >= BW_LOGRING_TEXT || out[n] != 0 || strlen(out) != (size_t)n)
			__builtin_trap();
	}
	return 0;
}
