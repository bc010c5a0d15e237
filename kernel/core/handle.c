#include <bulwark/errors.h>
#include <kernel/handle.h>

void ht_init(struct handle_table *ht)
{
	ht->used = 0;
	for (u32 i = 0; i < HT_SLOTS; i++) {
		ht->slot[i].obj = NULL;
		ht->slot[i].gen = 1;
		ht->slot[i].rights = 0;
		ht->slot[i].badge = 0;
	}
}

u32 ht_insert(struct handle_table *ht, struct kobj *obj, u8 rights, u64 badge)
{
	for (u32 i = 1; i < HT_SLOTS; i++) {
		struct handle_entry *e = &ht->slot[i];
		if (e->obj || e->gen == 0) /* gen 0: retired slot */
			continue;
		e->obj = obj;
		e->rights = rights;
		e->badge = badge;
		ht->used++;
		return ht_handle(i, e->gen);
	}
	return 0;
}

u32 ht_insert_at(struct handle_table *ht, u32 index, struct kobj *obj, u8 rights, u64 badge)
{
	if (index == 0 || index >= HT_SLOTS)
		return 0;
	struct handle_entry *e = &ht->slot[index];
	if (e->obj || e->gen == 0)
		return 0;
	e->obj = obj;
	e->rights = rights;
	e->badge = badge;
	ht->used++;
	return ht_handle(index, e->gen);
}

u32 ht_lookup(struct handle_table *ht, u32 h, u8 type, u8 rights, struct handle_entry **out)
{
	u32 i = h & HT_INDEX_MASK;
	if (i == 0 || i >= HT_SLOTS)
		return BW_E_BADHANDLE;
	struct handle_entry *e = &ht->slot[i];
	if (!e->obj || e->gen != h >> HT_INDEX_BITS)
		return BW_E_BADHANDLE;
	if (type != KOBJ_NONE && e->obj->type != type)
		return BW_E_TYPE;
	if ((e->rights & rights) != rights)
		return BW_E_RIGHTS;
	*out = e;
	return BW_OK;
}

struct kobj *ht_remove(struct handle_table *ht, u32 h)
{
	struct handle_entry *e;
	if (ht_lookup(ht, h, KOBJ_NONE, 0, &e) != BW_OK)
		return NULL;
	struct kobj *obj = e->obj;
	e->obj = NULL;
	e->rights = 0;
	e->badge = 0;
	/* A slot whose generation would wrap is retired rather than reused, so
	 * a stale handle can never become valid again. */
	e->gen = e->gen < HT_GEN_MAX ? e->gen + 1 : 0;
	ht->used--;
	return obj;
}
