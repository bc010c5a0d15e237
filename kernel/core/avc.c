/* The access-vector cache's slow operations; the hit is inline in avc.h. */
#include <kernel/avc.h>

struct avc avc;

static bool holds(const struct avc_entry *e, u32 ssid, u32 tsid, u32 cls)
{
	return e->key == avc_key(ssid, tsid) && e->cls == cls && cls;
}

/* The pinned entry for the key, or NULL if the key is not pinnable. */
static struct avc_entry *pin_entry(const struct avc *c, u32 ssid, u32 tsid, u32 cls)
{
	if (!c->pin || ssid != c->pin_ssid || tsid >= c->pin_sids || !cls || cls >= c->pin_classes)
		return NULL;
	return &c->pin[tsid * c->pin_classes + cls];
}

/* A decision becomes a victim only by losing its slot to another, and only
 * a flush empties a slot, the victims with it: a key whose slot is empty is
 * not among the victims, so the misses that find their slot empty (after a
 * reload, most of them) skip this scan. */
static struct avc_entry *victim_entry(const struct avc *c, u32 ssid, u32 tsid, u32 cls)
{
	for (u32 i = 0; i < AVC_VICTIMS; i++)
		if (holds(&c->victim[i], ssid, tsid, cls))
			return (struct avc_entry *)&c->victim[i];
	return NULL;
}

/* The slot's occupant is about to be replaced: it becomes a victim. */
static void evict(struct avc *c, const struct avc_entry *e)
{
	if (!e->cls)
		return;
	c->evictions++;
	c->victim[c->victim_next++ % AVC_VICTIMS] = *e;
}

const struct avc_entry *avc_lookup(const struct avc *c, u32 ssid, u32 tsid, u32 cls)
{
	const struct avc_entry *e = &c->slot[avc_hash(ssid, tsid, cls)];
	if (holds(e, ssid, tsid, cls))
		return e;
	const struct avc_entry *p = pin_entry(c, ssid, tsid, cls);
	if (p && holds(p, ssid, tsid, cls))
		return p;
	return e->cls ? victim_entry(c, ssid, tsid, cls) : NULL;
}

const struct avc_entry *avc_find(struct avc *c, u32 ssid, u32 tsid, u32 cls)
{
	struct avc_entry *e = avc_slot(c, ssid, tsid, cls);
	if (holds(e, ssid, tsid, cls))
		return e;
	const struct avc_entry *p = pin_entry(c, ssid, tsid, cls);
	if (p && holds(p, ssid, tsid, cls)) {
		evict(c, e);
		*e = *p;
		return e;
	}
	struct avc_entry *v = e->cls ? victim_entry(c, ssid, tsid, cls) : NULL;
	if (!v)
		return NULL;
	/* A swap: the two keep alternating, neither is lost. */
	struct avc_entry was = *e;
	*e = *v;
	*v = was;
	c->victim_hits++;
	c->evictions += was.cls != 0;
	return e;
}

void avc_pin_init(struct avc *c, u32 ssid, struct avc_entry *rows, u32 sids, u32 classes)
{
	c->pin = rows;
	c->pin_ssid = ssid;
	c->pin_sids = rows ? sids : 0;
	c->pin_classes = rows ? classes : 0;
}

bool avc_insert(struct avc *c, u32 ssid, u32 tsid, u32 cls, const struct avc_decision *d, u32 seq)
{
	if (seq != c->seq || !cls) {
		c->stale++;
		return false;
	}
	struct avc_entry *e = avc_slot(c, ssid, tsid, cls);
	if (e->cls) {
		if (!holds(e, ssid, tsid, cls))
			evict(c, e);
		/* The fresh decision is the only copy: an older one among the
		 * victims would come back over it. */
		struct avc_entry *v = victim_entry(c, ssid, tsid, cls);
		if (v)
			*v = (struct avc_entry){0};
	}
	e->key = avc_key(ssid, tsid);
	e->cls = cls;
	e->allowed = d->allowed;
	e->auditallow = d->auditallow;
	e->auditdeny = d->auditdeny;
	e->flags = d->flags;
	e->fast = d->allowed & ~d->auditallow;
	c->inserts++;
	if (c->pin && ssid == c->pin_ssid) {
		struct avc_entry *p = pin_entry(c, ssid, tsid, cls);
		if (p)
			*p = *e;
		else
			c->pin_overflows++;
	}
	return true;
}

void avc_flush(struct avc *c, u32 seq)
{
	for (u32 i = 0; i < AVC_SLOTS; i++)
		c->slot[i] = (struct avc_entry){0};
	for (u32 i = 0; i < c->pin_sids * c->pin_classes; i++)
		c->pin[i] = (struct avc_entry){0};
	for (u32 i = 0; i < AVC_VICTIMS; i++)
		c->victim[i] = (struct avc_entry){0};
	c->seq = seq;
}

static void widen(struct avc_entry *e, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	if (!e || !holds(e, ssid, tsid, cls))
		return;
	e->allowed |= perms;
	e->fast |= perms & ~e->auditallow;
}

void avc_grant_audited(struct avc *c, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	widen(avc_slot(c, ssid, tsid, cls), ssid, tsid, cls, perms);
	widen(pin_entry(c, ssid, tsid, cls), ssid, tsid, cls, perms);
	widen(victim_entry(c, ssid, tsid, cls), ssid, tsid, cls, perms);
}
