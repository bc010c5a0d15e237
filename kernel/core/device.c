/* Devices granted to user-level drivers: an MMIO range the driver maps
 * into its own space as device memory, and an IRQ line delivered as a
 * notification. The line is masked from delivery until the driver
 * acknowledges, so a level-triggered device cannot storm the kernel. */
#include <kernel/kernel.h>
#include <kernel/irq.h>

static struct device *irq_owner[IRQ_LINES];

void device_irq(u32 intid)
{
	struct device *d = intid < IRQ_LINES ? irq_owner[intid] : NULL;
	irq_disable(intid);
	if (!d || !d->irq_notify)
		return;
	d->irq_masked = true;
	notify_signal(d->irq_notify, d->irq_bits);
}

/* Revocation: the binding's notification goes, the line is masked; the
 * driver's next acknowledgement fails (BW_E_STATE). */
void device_irq_unbind(struct device *d)
{
	if (!d->irq_notify)
		return;
	irq_disable(d->irq);
	obj_put(&d->irq_notify->obj);
	d->irq_notify = NULL;
	d->irq_binder = 0;
}

void device_destroy(struct device *d)
{
	if (d->irq) {
		irq_disable(d->irq);
		irq_owner[d->irq] = NULL;
	}
	if (d->irq_notify)
		obj_put(&d->irq_notify->obj);
	kpage_free(NULL, d, 1);
}

struct device *device_create(paddr_t mmio, u64 size, u32 irq, u32 sid)
{
	if (irq && (!irq_valid(irq) || irq_owner[irq]))
		return NULL;
	struct device *d = kpage_alloc(NULL, 1);
	if (!d)
		return NULL;
	d->obj.type = KOBJ_DEVICE;
	d->obj.refs = 1;
	d->obj.sid = sid;
	d->mmio = mmio;
	d->mmio_size = size;
	d->irq = irq;
	if (irq)
		irq_owner[irq] = d;
	return d;
}

u64 sys_device(struct thread *t, u64 nr)
{
	struct handle_entry *e;
	u32 err = ht_lookup(&t->task->ht, (u32)t->ctx.x[0], KOBJ_DEVICE, BW_R_READ | BW_R_WRITE, &e);
	if (err)
		return err;
	struct device *d = container_of(e->obj, struct device, obj);
	u32 sid = t->task->obj.sid;
	switch (nr) {
	case BW_SYS_DEV_MAP: {
		if (!d->mmio_size)
			return BW_E_STATE;
		u64 deny = check(sid, d->obj.sid, SC_DEVICE, P_DEVICE_MAP_MMIO);
		if (deny)
			return deny;
		return task_map(t->task, t->ctx.x[1], d->mmio_size, d->mmio, PT_R | PT_W | PT_DEV, &d->obj);
	}
	case BW_SYS_IRQ_BIND: {
		if (!d->irq)
			return BW_E_STATE;
		struct handle_entry *ne;
		if ((err = ht_lookup(&t->task->ht, (u32)t->ctx.x[1], KOBJ_NOTIFY, BW_R_SEND, &ne)))
			return err;
		if (t->ctx.x[2] >= 64)
			return BW_E_RANGE;
		u64 refused = check(sid, d->obj.sid, SC_DEVICE, P_DEVICE_BIND_IRQ);
		if (refused)
			return refused;
		struct notification *n = container_of(ne->obj, struct notification, obj);
		obj_get(&n->obj);
		if (d->irq_notify)
			obj_put(&d->irq_notify->obj);
		d->irq_notify = n;
		d->irq_bits = 1ull << t->ctx.x[2];
		d->irq_binder = sid;
		d->irq_masked = false;
		irq_enable(d->irq);
		return BW_OK;
	}
	case BW_SYS_IRQ_ACK:
		if (!d->irq || !d->irq_notify)
			return BW_E_STATE;
		if (d->irq_masked) {
			d->irq_masked = false;
			irq_enable(d->irq);
		}
		return BW_OK;
	}
	return BW_E_NOSYS;
}
