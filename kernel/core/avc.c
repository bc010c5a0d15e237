/* The access-vector cache's slow operations; the hit is inline in avc.h. */
#include <kernel/avc.h>

struct avc avc;

const struct avc_entry *avc_lookup(const struct avc *c, u32 ssid, u32 tsid, u32 cls)
{
	const struct avc_entry *e = &c->slot[avc_hash(ssid, tsid, cls)];
	return e->key == avc_key(ssid, tsid) && e->cls == cls && cls ? e : NULL;
}

bool avc_insert(struct avc *c, u32 ssid, u32 tsid, u32 cls, const struct avc_decision *d, u32 seq)
{
	if (seq != c->seq || !cls) {
		c->stale++;
		return false;
	}
	struct avc_entry *e = avc_slot(c, ssid, tsid, cls);
	if (e->cls && (e->key != avc_key(ssid, tsid) || e->cls != cls))
		c->evictions++;
	e->key = avc_key(ssid, tsid);
	e->cls = cls;
	e->allowed = d->allowed;
	e->auditallow = d->auditallow;
	e->auditdeny = d->auditdeny;
	e->flags = d->flags;
	e->fast = d->allowed & ~d->auditallow;
	c->inserts++;
	return true;
}

void avc_flush(struct avc *c, u32 seq)
{
	for (u32 i = 0; i < AVC_SLOTS; i++)
		c->slot[i] = (struct avc_entry){0};
	c->seq = seq;
}

void avc_grant_audited(struct avc *c, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	struct avc_entry *e = avc_slot(c, ssid, tsid, cls);
	if (e->key != avc_key(ssid, tsid) || e->cls != cls)
		return;
	e->allowed |= perms;
	e->fast |= perms & ~e->auditallow;
}
