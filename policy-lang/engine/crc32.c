/* CRC-32 (IEEE 802.3, reflected, as zlib computes it) over the binary policy.
 * The 1 KiB table is built on the stack per call rather than kept in a static,
 * so the function stays reentrant on the device; building it costs far less
 * than checksumming any real policy. */
#include "policy/engine.h"

uint32_t pl_crc32(const void *data, size_t len)
{
	uint32_t table[256];
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}
