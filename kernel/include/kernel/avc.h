/* The kernel's access-vector cache: decisions policyd made, keyed by
 * (source SID, target SID, class).
 *
 * Direct-mapped and fixed-size, so a lookup is one hash, one load of the
 * key and one mask test (the hit path of check() is <= 20 instructions and
 * inlines into the IPC fast path).  A decision carries the policy sequence
 * number it was computed under and is refused at insertion if a reload has
 * happened since; a reload flushes the whole cache, so a hit never needs to
 * compare sequence numbers.  Pure logic: no locking (one CPU, the kernel is
 * not preemptible) and no dependency on the architecture, so the host unit
 * tests run it as is.
 *
 * Behind it, consulted only off the hit path, a second level that pins the
 * security server's own decisions: policyd cannot wait for itself, so a
 * decision it primed must survive any other traffic and any hash collision
 * until the next reload.  Its subject is one SID, so the level is a table
 * indexed directly by (target SID, class): no collisions by construction,
 * sized at boot from the SID count; a target beyond it is counted in
 * pin_overflows (the caller says so once, loudly).
 *
 * And a victim level, also off the hit path: the last AVC_VICTIMS
 * decisions the direct-mapped level evicted.  One operation may need
 * several decisions (a send that carries a handle: ipc and handle); if two
 * of them share a slot, each answer would evict the other, the operation
 * would miss for ever and policyd would answer for ever.  A miss that
 * finds its decision among the victims swaps it back into its slot, so
 * the pair alternates between the levels without asking anyone. */
#ifndef KERNEL_AVC_H
#define KERNEL_AVC_H

#include <kernel/types.h>

#define AVC_SLOTS 512 /* a power of two */
#define AVC_VICTIMS 32

struct avc_entry {
	u64 key;        /* ssid << 32 | tsid; 0 with cls 0: empty */
	u32 cls;
	u32 fast;       /* allowed & ~auditallow: what a hit may grant silently */
	u32 allowed;
	u32 auditallow;
	u32 auditdeny;
	u32 flags;      /* AVC_F_* */
};

/* The subject's type is permissive: denials are audited but allowed. */
#define AVC_F_PERMISSIVE 1u

struct avc {
	struct avc_entry slot[AVC_SLOTS];
	u32 seq;                 /* the policy's sequence number */
	u64 inserts, stale, evictions;
	/* The pinned level: pin_sids * pin_classes entries, row = target SID. */
	struct avc_entry *pin;
	u32 pin_ssid, pin_sids, pin_classes;
	u64 pin_overflows;
	struct avc_entry victim[AVC_VICTIMS];
	u32 victim_next; /* round robin: the oldest victim goes first */
	u64 victim_hits;
};

extern struct avc avc;

static inline u64 avc_key(u32 ssid, u32 tsid)
{
	return (u64)ssid << 32 | tsid;
}

/* SIDs are small consecutive numbers (the boot SID table): the source
 * takes the high bits and the target the low ones, so every pair of the
 * first 16 subjects and 32 targets has a slot of its own in a class; the
 * class is mixed in so one pair's classes do not collide.  (Xen's
 * ssid ^ tsid<<2 ^ class<<4 folds small SIDs onto 128 slots.) */
static inline u32 avc_hash(u32 ssid, u32 tsid, u32 cls)
{
	return ((ssid << 5) ^ tsid ^ (cls << 3)) & (AVC_SLOTS - 1);
}

static inline struct avc_entry *avc_slot(struct avc *c, u32 ssid, u32 tsid, u32 cls)
{
	return &c->slot[avc_hash(ssid, tsid, cls)];
}

/* The hit path: true only if the cache holds the decision and it grants
 * every permission without an audit record.  Anything else (miss, denial,
 * auditallow) is the slow path's business. */
static inline bool avc_hit(struct avc *c, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	const struct avc_entry *e = avc_slot(c, ssid, tsid, cls);
	return e->key == avc_key(ssid, tsid) && e->cls == cls && !(perms & ~e->fast);
}

/* The cached decision from any level, or NULL. */
const struct avc_entry *avc_lookup(const struct avc *c, u32 ssid, u32 tsid, u32 cls);

/* As avc_lookup, but a decision found only in the pinned or the victim
 * level is moved back into its slot (its occupant becoming a victim), so
 * the subject's next check hits inline again. */
const struct avc_entry *avc_find(struct avc *c, u32 ssid, u32 tsid, u32 cls);

/* Pins every later decision whose subject is ssid in rows (sids * classes
 * zeroed entries, owned by the caller).  rows NULL: no pinned level. */
void avc_pin_init(struct avc *c, u32 ssid, struct avc_entry *rows, u32 sids, u32 classes);

struct avc_decision {
	u32 allowed, auditallow, auditdeny, flags;
};

/* Caches d if seq is current (and pins it if its subject is the pinned
 * one); false (and nothing changes) if it is stale, i.e. computed under a
 * policy that has since been replaced. */
bool avc_insert(struct avc *c, u32 ssid, u32 tsid, u32 cls, const struct avc_decision *d, u32 seq);

/* A new policy: every cached and pinned decision goes, seq becomes the
 * current one. */
void avc_flush(struct avc *c, u32 seq);

/* Permissive mode caches a denied permission as allowed once it has been
 * audited, so a flood of the same denial is logged once (as Xen does). */
void avc_grant_audited(struct avc *c, u32 ssid, u32 tsid, u32 cls, u32 perms);

#endif
