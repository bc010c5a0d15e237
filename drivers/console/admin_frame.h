/* The host admin channel's frames, as the console driver finds them in its
 * input (drivers/console/admin_frame.c).  `virt` has one non-secure PL011,
 * so the host's admin requests share the serial line with typed text:
 *
 *   STX 'B' 'W' 'A'  LLLL  CCCCCCCC  HH...HH
 *
 * STX is 0x02; LLLL the payload's length in bytes, CCCCCCCC its CRC-32
 * (IEEE 802.3, as zlib's crc32), HH the payload, all in hex digits.  Only
 * STX is a control character: the frame passes through QEMU's serial
 * multiplexer (which takes Ctrl-A) and a terminal's line discipline (which
 * takes Ctrl-C, Ctrl-Z, Ctrl-\) untouched.  Typed text is held back only
 * while it spells the marker, and given back as soon as it stops doing so.
 *
 * Pure logic, no allocation, no system calls: shared by the console, the
 * host admin task (the CRC) and the host unit tests and fuzzer. */
#ifndef ADMIN_FRAME_H
#define ADMIN_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define ADMIN_FRAME_STX 0x02
#define ADMIN_FRAME_MAGIC "\002BWA"
#define ADMIN_FRAME_MAGIC_LEN 4
/* One IPC message buffer (BW_MSG_BUF_MAX): a payload goes on unsplit. */
#define ADMIN_FRAME_MAX 1024
/* The label of the message that carries a payload from the console to
 * the host admin task (servers/hostadmin). */
#define ADMIN_FRAME_FORWARD_LABEL 1
/* The most typed bytes one input byte can give back: a held marker prefix
 * and the byte that broke it. */
#define ADMIN_FRAME_PASS_MAX ADMIN_FRAME_MAGIC_LEN

enum admin_frame_event {
	ADMIN_FRAME_NONE,    /* nothing but typed bytes (maybe none) */
	ADMIN_FRAME_PAYLOAD, /* a complete, CRC-checked payload is in `payload` */
	ADMIN_FRAME_DROPPED, /* a frame was refused: `why` says why */
};

struct admin_frame {
	uint8_t state;
	uint8_t held;       /* marker bytes matched and held back */
	uint32_t digits;    /* hex digits of the current field read so far */
	uint32_t field;     /* the length or CRC being read */
	uint32_t len, crc;  /* the header's */
	uint32_t skip;      /* hex digits of an oversized frame still to swallow */
	char why[96];
	uint8_t payload[ADMIN_FRAME_MAX];
};

void admin_frame_init(struct admin_frame *f);

/* Feeds one received byte.  Returns how many bytes of typed text the
 * caller must pass on now, in order, from `typed`; `*event` says whether
 * a payload completed or a frame was dropped with this byte. */
uint32_t admin_frame_feed(struct admin_frame *f, uint8_t c, uint8_t typed[ADMIN_FRAME_PASS_MAX],
			  enum admin_frame_event *event);

/* True while a frame (or its marker) is being taken in. */
bool admin_frame_busy(const struct admin_frame *f);

/* CRC-32 (IEEE, reflected, as zlib): crc = admin_crc32(0, p, n) for a whole
 * buffer, admin_crc32(crc, next, m) to continue it. */
uint32_t admin_crc32(uint32_t crc, const uint8_t *p, uint32_t n);

#endif
