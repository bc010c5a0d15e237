/* The Linux <-> RTOS channel's ring: a single-producer, single-consumer
 * ring of fixed-size message slots in memory shared by two guests that do
 * not trust each other (docs/ARCHITECTURE.md "Channel").
 *
 * Each direction is its own ring in its own shared region; the producer
 * alone writes `head` and the slots, the consumer alone writes `tail`.
 * Both indices run freely (wrapping at 2^32) and a slot is index %
 * CHANRING_SLOTS.  Everything read back from the shared region is
 * untrusted: each side keeps its own index privately and only publishes it,
 * validates the peer's index against it (at most CHANRING_SLOTS apart) and
 * every length against the slot's size, so a hostile peer can stall or
 * garble the channel but never make this side read or write outside the
 * region.
 *
 * Every access to the shared region is an aligned 32- or 64-bit load or
 * store through a volatile pointer: Linux maps the region as Device memory
 * (/dev/mem), where an unaligned access faults, and the compiler may not
 * turn a volatile copy into a memcpy that would make one.
 */
#ifndef BULWARK_CHANRING_H
#define BULWARK_CHANRING_H

#include <stdbool.h>
#include <stdint.h>

/* Guest-physical layout, the same in both guests.  The doorbell page is
 * trapped by each guest's VMM; the rings are shared memory mapped at stage
 * 2, each in its own 2 MiB block away from the doorbell page so the RTOS
 * can map them with block descriptors of different memory types. */
#define CHAN_DOORBELL_IPA 0x0c000000ul
#define CHAN_DOORBELL_SIZE 0x1000ul
#define CHAN_RING_TO_RTOS_IPA 0x0c200000ul  /* requests: Linux -> RTOS */
#define CHAN_RING_TO_LINUX_IPA 0x0c210000ul /* replies: RTOS -> Linux */
#define CHAN_RING_SIZE 0x10000ul            /* each ring's shared region */

/* The doorbell page's registers (32-bit accesses). */
#define CHAN_REG_DOORBELL 0x000 /* write: wake the peer */
#define CHAN_REG_STATUS 0x004   /* read: CHAN_STATUS_* */
#define CHAN_REG_MAGIC 0x008    /* read: CHAN_MAGIC */
#define CHAN_MAGIC 0x48435742u  /* "BWCH" */
#define CHAN_STATUS_RINGS 0x1u  /* both rings are mapped into this guest */
#define CHAN_STATUS_SEND 0x2u   /* the last doorbell reached the peer */
#define CHAN_STATUS_RECV 0x4u   /* this guest may be woken by the peer */

#define CHANRING_SLOTS 128u /* a power of two: indices wrap at 2^32 */
#define CHANRING_SLOT_SIZE 256u
#define CHANRING_HDR_SIZE 256u
#define CHANRING_PAYLOAD_MAX (CHANRING_SLOT_SIZE - 16u)
#define CHANRING_PAYLOAD_WORDS (CHANRING_PAYLOAD_MAX / 8u)

/* Offsets in a ring's region; head and tail on separate cache lines so
 * the two writers never share one. */
#define CHANRING_OFF_HEAD 0x00u
#define CHANRING_OFF_TAIL 0x40u
#define CHANRING_OFF_SLOTS CHANRING_HDR_SIZE
#define CHANRING_BYTES (CHANRING_HDR_SIZE + CHANRING_SLOTS * CHANRING_SLOT_SIZE)
_Static_assert(CHANRING_BYTES <= CHAN_RING_SIZE, "ring larger than its region");
_Static_assert((CHANRING_SLOTS & (CHANRING_SLOTS - 1)) == 0, "slot count must be a power of two");

/* A message as each side holds it privately.  In a slot the same fields
 * sit at the same offsets. */
struct chan_msg {
	uint32_t len;  /* payload bytes, <= CHANRING_PAYLOAD_MAX */
	uint16_t type; /* the protocol's (bulwark/chanproto.h) */
	uint16_t flags;
	uint32_t seq;
	uint32_t arg;
	uint64_t payload[CHANRING_PAYLOAD_WORDS];
};
_Static_assert(sizeof(struct chan_msg) == CHANRING_SLOT_SIZE, "a message is one slot");

enum chanring_result {
	CHANRING_OK = 0,
	CHANRING_EMPTY = 1,     /* recv: nothing to read */
	CHANRING_FULL = 2,      /* send: no free slot */
	CHANRING_BAD_INDEX = 3, /* the peer's index is impossible: nothing moved */
	CHANRING_REJECTED = 4,  /* recv: a slot with an impossible length, skipped */
};

/* Counters of what the peer got wrong. */
struct chanring_stats {
	uint64_t sent, received;
	uint64_t bad_index;  /* distinct impossible index values seen */
	uint64_t bad_length; /* slots skipped for their length */
};

struct chanring {
	volatile void *shared; /* the ring's region, CHAN_RING_SIZE bytes */
	uint32_t head, tail;   /* this side's own copies: the truth */
	uint32_t last_bad;     /* the last impossible peer index counted */
	bool broken;           /* the peer's index is currently impossible */
	struct chanring_stats stats;
};

/* Attaches to a ring whose region was zeroed at creation (both indices
 * 0).  A side that restarts adopts its own published index instead. */
void chanring_init(struct chanring *r, volatile void *shared);
void chanring_adopt_producer(struct chanring *r);
void chanring_adopt_consumer(struct chanring *r);

/* Producer: copies m (its header and len payload bytes) into the next
 * slot and publishes it.  A length over CHANRING_PAYLOAD_MAX is cut. */
enum chanring_result chanring_send(struct chanring *r, const struct chan_msg *m);
/* Producer: how many slots are free (0 if the peer's tail is impossible). */
uint32_t chanring_space(struct chanring *r);

/* Consumer: takes the next message into m (the payload past len is left
 * as it was).  On CHANRING_REJECTED the bad slot has been consumed and
 * the caller may try again. */
enum chanring_result chanring_recv(struct chanring *r, struct chan_msg *m);
/* Consumer: whether a message (valid or not) waits. */
bool chanring_pending(struct chanring *r);

#endif
