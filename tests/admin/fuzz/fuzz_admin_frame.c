/* libFuzzer: arbitrary serial input into the host admin frame decoder.
 * Beyond memory safety it checks the decoder's promises: it never hands
 * back more than ADMIN_FRAME_PASS_MAX bytes at once, a payload it accepts
 * has the length and CRC its header announced, and input with no STX in it
 * comes out byte for byte as typed text. */
#include <stdlib.h>
#include <string.h>

#include "admin_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct admin_frame f;
	admin_frame_init(&f);
	bool has_stx = memchr(data, ADMIN_FRAME_STX, size) != NULL;
	size_t typed_total = 0;
	for (size_t i = 0; i < size; i++) {
		uint8_t typed[ADMIN_FRAME_PASS_MAX];
		enum admin_frame_event ev;
		uint32_t n = admin_frame_feed(&f, data[i], typed, &ev);
		if (n > ADMIN_FRAME_PASS_MAX)
			abort();
		if (!has_stx && (n != 1 || typed[0] != data[i] || ev != ADMIN_FRAME_NONE))
			abort();
		typed_total += n;
		if (ev == ADMIN_FRAME_PAYLOAD &&
		    (f.len == 0 || f.len > ADMIN_FRAME_MAX || admin_crc32(0, f.payload, f.len) != f.crc))
			abort();
		if (ev == ADMIN_FRAME_DROPPED && (!f.why[0] || !memchr(f.why, 0, sizeof f.why)))
			abort();
	}
	if (typed_total > size)
		abort();
	return 0;
}
