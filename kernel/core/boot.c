/* Creating the boot-time system: every task's address space from its
 * regions, the shared objects, then the handles. A broken description is
 * the image builder's bug, found before anything runs: panic with why. */
#include <kernel/boot.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/security.h>

struct device *device_create(paddr_t mmio, u64 size, u32 irq, u32 sid);

#define BOOT_MAX_TASKS 32
#define BOOT_MAX_OBJECTS 64

static struct task *tasks[BOOT_MAX_TASKS];
static struct thread *threads[BOOT_MAX_TASKS];
static struct kobj *objects[BOOT_MAX_OBJECTS];

static void load_region(struct task *t, const struct boot_region *r)
{
	u64 pages = r->size / PAGE_SIZE;
	u8 *mem = kpage_alloc(t, pages);
	if (!mem || r->file_size > r->size)
		panic("boot: task %s: region %lx+%lx does not fit its quota", t->name, r->va, r->size);
	/* Tens of MiB for a VMM carrying its guest: word by word when the
	 * payload is aligned (mkimage aligns it; mem is a page). */
	u64 i = 0;
	if (!((u64)r->data & 7))
		for (; i + 8 <= r->file_size; i += 8)
			*(u64 *)(mem + i) = *(const u64 *)(r->data + i);
	for (; i < r->file_size; i++)
		mem[i] = r->data[i];
	u32 err = task_map(t, r->va, r->size, virt_to_phys(mem), r->attrs, NULL);
	if (err)
		panic("boot: task %s: region %lx+%lx: error %u", t->name, r->va, r->size, err);
	if (r->attrs & PT_X)
		arch_sync_icache(mem, r->size);
}

static void *boot_page(void)
{
	void *p = kpage_alloc(NULL, 1);
	if (!p)
		panic("boot: out of memory for kernel objects");
	return p;
}

static struct kobj *make_object(const struct boot_object *o)
{
	switch (o->kind) {
	case BOOT_OBJ_ENDPOINT: {
		struct endpoint *ep = boot_page();
		ep->obj = (struct kobj){.type = KOBJ_ENDPOINT, .refs = 1, .sid = o->sid};
		list_init(&ep->queue);
		return &ep->obj;
	}
	case BOOT_OBJ_NOTIFY: {
		struct notification *n = boot_page();
		n->obj = (struct kobj){.type = KOBJ_NOTIFY, .refs = 1, .sid = o->sid};
		list_init(&n->waiters);
		return &n->obj;
	}
	case BOOT_OBJ_SHM: {
		struct shm *s = boot_page();
		if (!o->a || !ALIGNED(o->a, PAGE_SIZE) || !ALIGNED(o->phys, PAGE_SIZE))
			panic("boot: bad shared-memory region %lx+%lx", o->phys, o->a);
		void *pages;
		if (o->phys) {
			/* A fixed region (e.g. for a device's DMA): it must be free RAM. */
			u64 n = o->a / PAGE_SIZE, before = kmem.free;
			palloc_reserve(&kmem, o->phys, n);
			if (kmem.free != before - n)
				panic("boot: shared memory at %lx is not free RAM", o->phys);
			pages = phys_to_virt(o->phys);
			zero_pages(pages, n);
			s->fixed = true;
		} else {
			pages = kpage_alloc(NULL, o->a / PAGE_SIZE);
		}
		if (!pages)
			panic("boot: no memory for shared region of %lx bytes", o->a);
		s->obj = (struct kobj){.type = KOBJ_SHM, .refs = 1, .sid = o->sid};
		s->pa = virt_to_phys(pages);
		s->size = o->a;
		return &s->obj;
	}
	case BOOT_OBJ_DEVICE: {
		/* Handing out RAM as "MMIO" would hand out the kernel itself. */
		if (o->b && o->a < kmem.base + kmem.pages * PAGE_SIZE && kmem.base < o->a + o->b)
			panic("boot: device range %lx+%lx overlaps RAM", o->a, o->b);
		struct device *d = device_create(o->a, o->b, o->irq, o->sid);
		if (!d)
			panic("boot: bad device %lx irq %u", o->a, o->irq);
		return &d->obj;
	}
	case BOOT_OBJ_TASK:
		if (o->a < BOOT_MAX_TASKS && tasks[o->a]) {
			obj_get(&tasks[o->a]->obj);
			return &tasks[o->a]->obj;
		}
		break;
	case BOOT_OBJ_THREAD:
		if (o->a < BOOT_MAX_TASKS && threads[o->a]) {
			obj_get(&threads[o->a]->obj);
			return &threads[o->a]->obj;
		}
		break;
	case BOOT_OBJ_VM: {
		/* An empty stage-2 space with its own quota for the tables: its
		 * VMM maps the guest RAM the description grants it (each grant
		 * checked by policy) and creates its vCPU. */
		u32 err;
		struct task *vm = task_create(NULL, o->a, o->sid, o->name, &err);
		if (!vm)
			panic("boot: cannot create vm %s: error %u", o->name, err);
		vm->vm = true;
		kprintf("[kernel] vm %s: id %u, run by task %s\n", vm->name, vm->id,
			o->b < BOOT_MAX_TASKS && tasks[o->b] ? tasks[o->b]->name : "?");
		return &vm->obj;
	}
	}
	panic("boot: bad object kind %u", o->kind);
}

static struct kobj *object_of(const struct boot_desc *d, u32 index, u8 type)
{
	if (index >= d->nobjects || objects[index]->type != type)
		panic("boot: object %u is not of type %u", index, type);
	return objects[index];
}

static void bind_irq(const struct boot_desc *d, u32 i)
{
	const struct boot_object *o = &d->objects[i];
	if (o->kind != BOOT_OBJ_DEVICE || o->irq_notify == BOOT_NONE)
		return;
	struct device *dev = container_of(objects[i], struct device, obj);
	struct kobj *n = object_of(d, o->irq_notify, KOBJ_NOTIFY);
	if (!dev->irq || o->irq_bit >= 64)
		panic("boot: device %u: bad interrupt binding", i);
	obj_get(n);
	dev->irq_notify = container_of(n, struct notification, obj);
	dev->irq_bits = 1ull << o->irq_bit;
	/* Bound for the driver: the first task the description hands the
	 * device to (what revocation re-checks). */
	for (u32 c = 0; c < d->ncaps && !dev->irq_binder; c++)
		if (d->caps[c].object == i && d->caps[c].task < d->ntasks)
			dev->irq_binder = tasks[d->caps[c].task]->obj.sid;
	irq_enable(dev->irq);
}

static void set_fault_handler(const struct boot_desc *d, u32 i)
{
	u32 f = d->tasks[i].fault_object;
	if (f == BOOT_NONE)
		return;
	struct kobj *ep = object_of(d, f, KOBJ_ENDPOINT);
	obj_get(ep);
	threads[i]->fault_ep = container_of(ep, struct endpoint, obj);
}

static void grant(const struct boot_desc *d, const struct boot_cap *c)
{
	if (c->task >= d->ntasks || c->object >= d->nobjects || c->badge == BW_SEC_KERNEL_BADGE)
		panic("boot: bad handle grant");
	struct task *t = tasks[c->task];
	struct kobj *o = objects[c->object];
	u32 h = c->slot ? ht_insert_at(&t->ht, c->slot, o, c->rights, c->badge)
			: ht_insert(&t->ht, o, c->rights, c->badge);
	if (!h)
		panic("boot: task %s: handle slot %u unusable", t->name, c->slot);
	obj_get(o);
	if (!c->map_vaddr)
		return;
	unsigned attrs = (c->rights & BW_R_READ ? PT_R : 0) | (c->rights & BW_R_WRITE ? PT_W : 0) |
			 (c->rights & BW_R_EXEC ? PT_X | PT_R : 0);
	u32 err = BW_E_TYPE;
	if (o->type == KOBJ_SHM) {
		struct shm *s = container_of(o, struct shm, obj);
		err = task_map(t, c->map_vaddr, s->size, s->pa, attrs, o);
	} else if (o->type == KOBJ_DEVICE) {
		struct device *dv = container_of(o, struct device, obj);
		err = task_map(t, c->map_vaddr, dv->mmio_size, dv->mmio, (attrs & ~PT_X) | PT_DEV, o);
	}
	if (err)
		panic("boot: task %s: cannot map object at %lx: error %u", t->name, c->map_vaddr, err);
}

void boot_system(const struct boot_desc *d)
{
	if (d->ntasks > BOOT_MAX_TASKS || d->nobjects > BOOT_MAX_OBJECTS)
		panic("boot: too many tasks or objects");
	for (u32 i = 0; i < d->ntasks; i++) {
		const struct boot_task *bt = &d->tasks[i];
		u32 err;
		struct task *t = task_create(NULL, bt->quota, bt->sid, bt->name, &err);
		if (!t)
			panic("boot: cannot create task %s", bt->name);
		for (u32 r = bt->first_region; r < bt->first_region + bt->nregions; r++)
			load_region(t, &d->regions[r]);
		if (bt->stack_size) {
			struct boot_region stack = {
				.va = bt->stack_top - bt->stack_size, .size = bt->stack_size, .attrs = PT_R | PT_W};
			load_region(t, &stack);
		}
		if (bt->prio > BW_PRIO_MAX)
			panic("boot: task %s: priority %u", bt->name, bt->prio);
		struct thread *th = thread_create(t, bt->entry, bt->stack_top, bt->prio, 0, &err);
		if (!th)
			panic("boot: task %s: no memory for its thread", bt->name);
		if (bt->slice_ticks)
			th->slice_ticks = th->slice_left = bt->slice_ticks;
		tasks[i] = t;
		threads[i] = th;
		obj_get(&t->obj);
		obj_get(&th->obj);
		ht_insert(&t->ht, &t->obj, BW_R_ALL, 0);
		ht_insert(&t->ht, &th->obj, BW_R_ALL, 0);
		kprintf("[kernel] task %s: id %u, priority %u, quota %lu KiB\n", t->name, t->id, bt->prio,
			bt->quota >> 10);
	}
	for (u32 i = 0; i < d->nobjects; i++)
		objects[i] = make_object(&d->objects[i]);
	for (u32 i = 0; i < d->nobjects; i++)
		bind_irq(d, i);
	for (u32 i = 0; i < d->ntasks; i++)
		set_fault_handler(d, i);
	for (u32 i = 0; i < d->ncaps; i++)
		grant(d, &d->caps[i]);
	/* The description's own references go; handles keep what is used. */
	for (u32 i = 0; i < d->nobjects; i++)
		obj_put(objects[i]);
	/* With a policy, the first task is the security server (policyd). */
	security_boot(d, d->ntasks ? tasks[0] : NULL, d->ntasks ? threads[0] : NULL);
}
