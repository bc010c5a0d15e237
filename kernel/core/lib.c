/* The C library functions the compiler may emit calls to. */
#include <kernel/types.h>

/* Word-at-a-time when everything is 8-byte aligned: page clearing (shared
 * regions, up to 16 MiB each) and boot images are, and byte loops made them
 * most of a VM's start-up time. */
void *memset(void *d, int c, size_t n)
{
	u8 *p = d;
	if (!(((u64)d | n) & 7)) {
		u64 w = 0x0101010101010101ull * (u8)c;
		for (u64 *q = d; n; n -= 8)
			*q++ = w;
		return d;
	}
	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *p = d;
	const u8 *q = s;
	if (!(((u64)d | (u64)s | n) & 7)) {
		u64 *wd = d;
		const u64 *ws = s;
		for (; n; n -= 8)
			*wd++ = *ws++;
		return d;
	}
	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}
