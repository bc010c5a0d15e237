/* The channel ring (bulwark/chanring.h).  Freestanding: no library calls,
 * so the same file builds into the RTOS, into chanctl and into host tests.
 *
 * Nothing read from the shared region decides where this side writes or
 * how much it copies without first being checked against this side's own
 * state: the peer's index against our private copy of ours, a length
 * against the slot size. */
#include <bulwark/chanring.h>

#include <stddef.h>

/* One aligned access each: volatile keeps the compiler from merging,
 * splitting or turning them into library copies. */
static uint32_t load32(const struct chanring *r, uint32_t off)
{
	return *(const volatile uint32_t *)((const volatile uint8_t *)r->shared + off);
}

static void store32(const struct chanring *r, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)((volatile uint8_t *)r->shared + off) = v;
}

static uint64_t load64(const struct chanring *r, uint32_t off)
{
	return *(const volatile uint64_t *)((const volatile uint8_t *)r->shared + off);
}

static void store64(const struct chanring *r, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)((volatile uint8_t *)r->shared + off) = v;
}

static uint32_t slot_off(uint32_t index)
{
	return CHANRING_OFF_SLOTS + (index & (CHANRING_SLOTS - 1)) * CHANRING_SLOT_SIZE;
}

void chanring_init(struct chanring *r, volatile void *shared)
{
	r->shared = shared;
	r->head = r->tail = 0;
	r->last_bad = 0;
	r->broken = false;
	r->stats = (struct chanring_stats){0};
}

/* A restarted side trusts what it published itself last; if the peer
 * overwrote it meanwhile the next exchange finds the mismatch. */
void chanring_adopt_producer(struct chanring *r)
{
	r->head = load32(r, CHANRING_OFF_HEAD);
}

void chanring_adopt_consumer(struct chanring *r)
{
	r->tail = load32(r, CHANRING_OFF_TAIL);
}

/* The peer's index is possible only within one ring of ours.  An
 * impossible one is counted once per distinct value, so a peer that
 * leaves garbage in place is one rejection, not one per look. */
static bool index_ok(struct chanring *r, uint32_t distance, uint32_t seen)
{
	if (distance <= CHANRING_SLOTS) {
		r->broken = false;
		return true;
	}
	if (!r->broken || seen != r->last_bad)
		r->stats.bad_index++;
	r->broken = true;
	r->last_bad = seen;
	return false;
}

uint32_t chanring_space(struct chanring *r)
{
	uint32_t tail = load32(r, CHANRING_OFF_TAIL);
	uint32_t used = r->head - tail;
	if (!index_ok(r, used, tail))
		return 0;
	return CHANRING_SLOTS - used;
}

enum chanring_result chanring_send(struct chanring *r, const struct chan_msg *m)
{
	uint32_t tail = load32(r, CHANRING_OFF_TAIL);
	uint32_t used = r->head - tail;
	if (!index_ok(r, used, tail))
		return CHANRING_BAD_INDEX;
	if (used == CHANRING_SLOTS)
		return CHANRING_FULL;
	/* The tail was read before the slot is overwritten: the consumer has
	 * finished with it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint32_t len = m->len <= CHANRING_PAYLOAD_MAX ? m->len : CHANRING_PAYLOAD_MAX;
	uint32_t s = slot_off(r->head);
	store32(r, s + offsetof(struct chan_msg, len), len);
	store32(r, s + offsetof(struct chan_msg, type), (uint32_t)m->type | (uint32_t)m->flags << 16);
	store32(r, s + offsetof(struct chan_msg, seq), m->seq);
	store32(r, s + offsetof(struct chan_msg, arg), m->arg);
	for (uint32_t w = 0; w < (len + 7) / 8; w++)
		store64(r, s + (uint32_t)offsetof(struct chan_msg, payload) + w * 8, m->payload[w]);
	/* The slot's contents must be visible before the index that says so. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->head++;
	store32(r, CHANRING_OFF_HEAD, r->head);
	r->stats.sent++;
	return CHANRING_OK;
}

bool chanring_pending(struct chanring *r)
{
	uint32_t head = load32(r, CHANRING_OFF_HEAD);
	return head != r->tail;
}

enum chanring_result chanring_recv(struct chanring *r, struct chan_msg *m)
{
	uint32_t head = load32(r, CHANRING_OFF_HEAD);
	uint32_t avail = head - r->tail;
	if (!index_ok(r, avail, head))
		return CHANRING_BAD_INDEX;
	if (avail == 0)
		return CHANRING_EMPTY;
	/* The slot is read only after the index that published it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint32_t s = slot_off(r->tail);
	/* Each field is read once: the peer may change it while we look. */
	uint32_t len = load32(r, s + offsetof(struct chan_msg, len));
	enum chanring_result res = CHANRING_OK;
	if (len > CHANRING_PAYLOAD_MAX) {
		r->stats.bad_length++;
		res = CHANRING_REJECTED;
	} else {
		uint32_t tf = load32(r, s + offsetof(struct chan_msg, type));
		m->len = len;
		m->type = (uint16_t)tf;
		m->flags = (uint16_t)(tf >> 16);
		m->seq = load32(r, s + offsetof(struct chan_msg, seq));
		m->arg = load32(r, s + offsetof(struct chan_msg, arg));
		for (uint32_t w = 0; w < (len + 7) / 8; w++)
			m->payload[w] = load64(r, s + (uint32_t)offsetof(struct chan_msg, payload) + w * 8);
		r->stats.received++;
	}
	/* Done with the slot before the producer may reuse it. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->tail++;
	store32(r, CHANRING_OFF_TAIL, r->tail);
	return res;
}
