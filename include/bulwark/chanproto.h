/* The request/response protocol on the Linux <-> RTOS channel
 * (bulwark/chanring.h): Linux sends requests on the ring to the RTOS, the
 * RTOS answers each on the ring back, with the request's sequence number.
 * Payloads are little-endian structures of 64-bit words, so both sides
 * copy them with aligned accesses only. */
#ifndef BULWARK_CHANPROTO_H
#define BULWARK_CHANPROTO_H

#include <bulwark/chanring.h>

/* Requests (Linux -> RTOS). */
#define CHAN_SET 1  /* payload: struct chan_setpoint; reply CHAN_SET_OK */
#define CHAN_GET 2  /* no payload; reply CHAN_TELEMETRY */
#define CHAN_PING 3 /* any payload; reply CHAN_PONG with the same payload */
#define CHAN_DATA 4 /* any payload; reply CHAN_ACK, arg = chan_sum(payload) */
/* Replies (RTOS -> Linux). */
#define CHAN_REPLY 0x80
#define CHAN_SET_OK (CHAN_REPLY | CHAN_SET)
#define CHAN_TELEMETRY (CHAN_REPLY | CHAN_GET)
#define CHAN_PONG (CHAN_REPLY | CHAN_PING)
#define CHAN_ACK (CHAN_REPLY | CHAN_DATA)
#define CHAN_ERROR 0xff /* arg = CHAN_ERR_* */

#define CHAN_ERR_TYPE 1   /* unknown request */
#define CHAN_ERR_LENGTH 2 /* payload of the wrong size for its type */
#define CHAN_ERR_NAME 3   /* a set-point name that is empty, too long or not [A-Za-z0-9_.-] */
#define CHAN_ERR_FULL 4   /* no room for another set-point */

#define CHAN_NAME_MAX 16 /* bytes with the terminating NUL */
#define CHAN_SETPOINTS 6

struct chan_setpoint {
	char name[CHAN_NAME_MAX];
	int64_t value;
};

/* The RTOS's answer to CHAN_GET: its set-points, its control task's
 * release jitter (nanoseconds) and deadline misses, and what the channel
 * task has rejected from Linux so far. */
struct chan_telemetry {
	uint64_t replies;        /* replies sent, this one included */
	uint64_t periods, missed;
	uint64_t jitter_max_ns, jitter_mean_ns;
	uint64_t bad_index;      /* impossible ring indices seen (both rings) */
	uint64_t bad_length;     /* slots skipped for their length */
	uint64_t bad_request;    /* well-framed requests refused (type, size, name) */
	uint64_t seq_gaps;       /* requests whose sequence number was not the next */
	uint64_t nsetpoints;
	struct chan_setpoint setpoints[CHAN_SETPOINTS];
};
_Static_assert(sizeof(struct chan_telemetry) <= CHANRING_PAYLOAD_MAX, "telemetry must fit a slot");

/* The checksum CHAN_ACK carries: order-sensitive, cheap, over len bytes
 * of whole words (the bytes past len in the last word count as zero). */
static inline uint32_t chan_sum(const uint64_t *words, uint32_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (uint32_t i = 0; i < (len + 7) / 8; i++) {
		uint64_t w = words[i];
		if (i == len / 8 && (len & 7))
			w &= (1ull << ((len & 7) * 8)) - 1;
		h = (h ^ w) * 0x100000001b3ull;
	}
	return (uint32_t)(h ^ (h >> 32));
}

#endif
