/* The decoder of host admin frames (the format is in admin_frame.h).
 *
 * Everything on the serial line is untrusted: a frame is taken only once
 * its every byte matched the format and its CRC, and whatever stops
 * matching ends the frame there.  The byte that ended a truncated frame is
 * then read again as ordinary input, so a bad frame costs only its own
 * bytes.  An oversized frame is reported once, at its length field, and
 * its hex body swallowed rather than typed into a partition (an empty
 * frame's CRC likewise). */
#include "admin_frame.h"

enum { IDLE, MARKER, LEN, CRC, DATA, SKIP };

#define LEN_DIGITS 4
#define CRC_DIGITS 8

static const char magic[] = ADMIN_FRAME_MAGIC;

/* A few words of explanation without a printf (the fuzzer and the host
 * tests link this file alone). */
struct text {
	char *at, *end;
};

static void put_str(struct text *t, const char *s)
{
	while (*s && t->at < t->end - 1)
		*t->at++ = *s++;
	*t->at = 0;
}

static void put_num(struct text *t, uint32_t v, unsigned base, unsigned min_digits)
{
	char digits[12];
	unsigned n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v || n < min_digits);
	while (n && t->at < t->end - 1)
		*t->at++ = digits[--n];
	*t->at = 0;
}

static struct text why_of(struct admin_frame *f)
{
	struct text t = {f->why, f->why + sizeof f->why};
	f->why[0] = 0;
	return t;
}

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void admin_frame_init(struct admin_frame *f)
{
	f->state = IDLE;
	f->held = 0;
	f->digits = f->field = f->len = f->crc = f->skip = 0;
	f->why[0] = 0;
}

bool admin_frame_busy(const struct admin_frame *f) { return f->state != IDLE; }

static void truncated(struct admin_frame *f, uint8_t c, const char *where, uint32_t got, uint32_t want)
{
	struct text t = why_of(f);
	put_str(&t, "truncated in its ");
	put_str(&t, where);
	put_str(&t, " (");
	put_num(&t, got, 10, 1);
	put_str(&t, " of ");
	put_num(&t, want, 10, 1);
	put_str(&t, " hex digits, then byte 0x");
	put_num(&t, c, 16, 2);
	put_str(&t, ")");
	f->state = IDLE;
}

/* The header's length is known: refuse it now or read the CRC next. */
static bool length_done(struct admin_frame *f)
{
	f->len = f->field;
	f->digits = f->field = 0;
	if (f->len == 0) {
		struct text t = why_of(f);
		put_str(&t, "empty payload");
		f->skip = CRC_DIGITS;
		f->state = SKIP;
		return false;
	}
	if (f->len > ADMIN_FRAME_MAX) {
		struct text t = why_of(f);
		put_str(&t, "oversized: ");
		put_num(&t, f->len, 10, 1);
		put_str(&t, " bytes, at most ");
		put_num(&t, ADMIN_FRAME_MAX, 10, 1);
		f->skip = CRC_DIGITS + 2 * f->len;
		f->state = SKIP;
		return false;
	}
	f->state = CRC;
	return true;
}

static bool payload_done(struct admin_frame *f)
{
	f->state = IDLE;
	uint32_t have = admin_crc32(0, f->payload, f->len);
	if (have == f->crc)
		return true;
	struct text t = why_of(f);
	put_str(&t, "bad CRC-32 (the frame says ");
	put_num(&t, f->crc, 16, 8);
	put_str(&t, ", its ");
	put_num(&t, f->len, 10, 1);
	put_str(&t, " bytes give ");
	put_num(&t, have, 16, 8);
	put_str(&t, ")");
	return false;
}

uint32_t admin_frame_feed(struct admin_frame *f, uint8_t c, uint8_t typed[ADMIN_FRAME_PASS_MAX],
			  enum admin_frame_event *event)
{
	uint32_t n = 0;
	*event = ADMIN_FRAME_NONE;
	for (;;) {
		int v = hex_value(c);
		switch (f->state) {
		case IDLE:
			if (c == ADMIN_FRAME_STX) {
				f->held = 1;
				f->state = MARKER;
			} else {
				typed[n++] = c;
			}
			return n;
		case MARKER:
			if (c == (uint8_t)magic[f->held]) {
				if (++f->held == ADMIN_FRAME_MAGIC_LEN) {
					f->state = LEN;
					f->digits = f->field = 0;
				}
				return n;
			}
			/* Not a frame after all: the held bytes were typed. */
			for (uint32_t i = 0; i < f->held; i++)
				typed[n++] = (uint8_t)magic[i];
			f->held = 0;
			f->state = IDLE;
			continue; /* c itself, from the start */
		case LEN:
		case CRC: {
			bool is_len = f->state == LEN;
			uint32_t want = is_len ? LEN_DIGITS : CRC_DIGITS;
			if (v < 0) {
				truncated(f, c, is_len ? "length" : "CRC", f->digits, want);
				*event = ADMIN_FRAME_DROPPED;
				continue;
			}
			f->field = f->field << 4 | (uint32_t)v;
			if (++f->digits < want)
				return n;
			if (!is_len) {
				f->crc = f->field;
				f->digits = 0;
				f->state = DATA;
			} else if (!length_done(f)) {
				*event = ADMIN_FRAME_DROPPED;
			}
			return n;
		}
		case DATA:
			if (v < 0) {
				truncated(f, c, "payload", f->digits, 2 * f->len);
				*event = ADMIN_FRAME_DROPPED;
				continue;
			}
			if (f->digits % 2 == 0)
				f->payload[f->digits / 2] = (uint8_t)(v << 4);
			else
				f->payload[f->digits / 2] |= (uint8_t)v;
			if (++f->digits == 2 * f->len)
				*event = payload_done(f) ? ADMIN_FRAME_PAYLOAD : ADMIN_FRAME_DROPPED;
			return n;
		case SKIP:
			if (v < 0) {
				f->state = IDLE; /* reported already, at its length */
				continue;
			}
			if (--f->skip == 0)
				f->state = IDLE;
			return n;
		default:
			admin_frame_init(f);
			continue;
		}
	}
}

uint32_t admin_crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
	/* Four bits at a time: a 64-byte table instead of 1 KiB. */
	static const uint32_t nibble[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	crc = ~crc;
	for (uint32_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ nibble[crc & 15];
		crc = (crc >> 4) ^ nibble[crc & 15];
	}
	return ~crc;
}
