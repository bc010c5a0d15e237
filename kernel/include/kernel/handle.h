/* Per-task handle tables: the capability store.
 *
 * A handle is an index into the owning task's table plus the generation of
 * that slot; the kernel only ever trusts the table, never the number, so a
 * handle cannot be forged, and closing a slot bumps its generation so an old
 * number for it fails as stale instead of reaching the slot's next object.
 * Pure logic: reference counting of the objects is the caller's job. */
#ifndef KERNEL_HANDLE_H
#define KERNEL_HANDLE_H

#include <kernel/types.h>

#define HT_SLOTS 128
#define HT_INDEX_BITS 10
#define HT_INDEX_MASK ((1u << HT_INDEX_BITS) - 1)
#define HT_GEN_MAX ((1u << (32 - HT_INDEX_BITS)) - 1)

enum kobj_type {
	KOBJ_NONE = 0,
	KOBJ_ENDPOINT,
	KOBJ_NOTIFY,
	KOBJ_SHM,
	KOBJ_TASK,
	KOBJ_THREAD,
	KOBJ_DEVICE,
	KOBJ_TYPES
};

/* Header of every kernel object. */
struct kobj {
	u8 type;
	u32 refs; /* handles + kernel references */
	u32 sid;  /* security identifier, from the system description */
};

/* 32 bytes, a power of two: the fast path indexes the table with a shift. */
struct handle_entry {
	struct kobj *obj; /* NULL: free slot */
	u64 badge;
	u32 gen;
	u8 rights;
} __attribute__((aligned(32)));

struct handle_table {
	u32 used;
	struct handle_entry slot[HT_SLOTS];
};

void ht_init(struct handle_table *ht);
/* Store obj; returns the new handle, or 0 if the table is full. Slot 0 is
 * never used so 0 is never a valid handle. */
u32 ht_insert(struct handle_table *ht, struct kobj *obj, u8 rights, u64 badge);
/* Store obj in slot `index` (boot: the description fixes slots); 0 if the
 * slot is out of range or taken. */
u32 ht_insert_at(struct handle_table *ht, u32 index, struct kobj *obj, u8 rights, u64 badge);
/* Resolve h to its entry if it is live, of type `type` (KOBJ_NONE: any) and
 * carries all of `rights`; otherwise a BW_E_* code. */
u32 ht_lookup(struct handle_table *ht, u32 h, u8 type, u8 rights, struct handle_entry **out);
/* Free h's slot; returns its object (or NULL if h is not live). */
struct kobj *ht_remove(struct handle_table *ht, u32 h);

static inline u32 ht_handle(u32 index, u32 gen) { return (gen << HT_INDEX_BITS) | index; }

/* The fast path's lookup: inlined, no type-independent branches. */
static inline struct handle_entry *ht_get(struct handle_table *ht, u32 h, u8 type, u8 rights)
{
	u32 i = h & HT_INDEX_MASK;
	if (unlikely(i >= HT_SLOTS))
		return NULL;
	struct handle_entry *e = &ht->slot[i];
	if (unlikely(e->gen != h >> HT_INDEX_BITS || !e->obj || e->obj->type != type ||
		     (e->rights & rights) != rights))
		return NULL;
	return e;
}

#endif
