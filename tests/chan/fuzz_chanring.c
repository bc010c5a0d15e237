/* libFuzzer: a hostile peer.  The input is a script of peer writes (any
 * word of the ring's region, any value) interleaved with this side's sends
 * and receives, on both the producer and the consumer.  ASan checks that no
 * access leaves the exact-size region; the asserts check the invariants
 * the RTOS relies on to keep running. */
#include <bulwark/chanproto.h>
#include <bulwark/chanring.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *region = calloc(1, CHANRING_BYTES);
	struct chanring prod, cons;
	chanring_init(&prod, region);
	chanring_init(&cons, region);
	struct chan_msg m;
	memset(&m, 0, sizeof m);
	size_t i = 0;
	while (i < size) {
		uint8_t op = data[i++];
		switch (op & 3) {
		case 0: { /* the peer writes a word anywhere in the header or slots */
			if (size - i < 6)
				goto out;
			uint32_t off, v;
			memcpy(&off, data + i, 2);
			off = (off % (CHANRING_BYTES / 4)) * 4;
			memcpy(&v, data + i + 2, 4);
			i += 6;
			memcpy(region + off, &v, 4);
			break;
		}
		case 1:
			m.len = (uint32_t)op * 3;
			m.seq++;
			(void)chanring_send(&prod, &m);
			break;
		case 2: {
			struct chan_msg got;
			enum chanring_result r = chanring_recv(&cons, &got);
			if (r == CHANRING_OK && got.len > CHANRING_PAYLOAD_MAX)
				abort();
			break;
		}
		case 3:
			(void)chanring_space(&prod);
			(void)chanring_pending(&cons);
			break;
		}
		/* Our own views never drift more than a ring apart from what we
		 * did: the producer never runs ahead of a tail it validated. */
		if (cons.broken && cons.stats.bad_index == 0)
			abort();
	}
out:
	free(region);
	return 0;
}
