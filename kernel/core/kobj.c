/* Kernel memory and object lifetime.
 *
 * Every kernel object takes whole pages charged to the quota of the task
 * that asked for it (its "payer"), so no task can exhaust kernel memory;
 * the charge is refunded when the object dies. Objects are reference
 * counted: one reference per handle plus the kernel's own (a mapping, a
 * bound IRQ, a thread's fault endpoint, a live thread's task). */
#include <kernel/kernel.h>

struct palloc kmem;

void zero_pages(void *p, u64 pages)
{
	u64 *w = p;
	for (u64 i = 0; i < pages * PAGE_SIZE / 8; i++)
		w[i] = 0;
}

void *kpage_alloc(struct task *payer, u64 pages)
{
	u64 bytes = pages * PAGE_SIZE;
	if (payer && payer->quota < bytes)
		return NULL;
	paddr_t pa = palloc_alloc(&kmem, pages);
	if (!pa)
		return NULL;
	if (payer)
		payer->quota -= bytes;
	void *p = phys_to_virt(pa);
	zero_pages(p, pages);
	return p;
}

void kpage_free(struct task *payer, void *p, u64 pages)
{
	palloc_free(&kmem, virt_to_phys(p), pages);
	if (payer)
		payer->quota += pages * PAGE_SIZE;
}

void obj_get(struct kobj *o)
{
	o->refs++;
}

static void task_destroy(struct task *t)
{
	for (u32 i = 0; i < TASK_MAPS; i++)
		if (t->map[i].size)
			task_unmap(t, t->map[i].va, t->map[i].size);
	for (u32 i = 1; i < HT_SLOTS; i++) {
		struct kobj *o = t->ht.slot[i].obj;
		if (o) {
			t->ht.slot[i].obj = NULL;
			obj_put(o);
		}
	}
	arch_tlb_flush_vmid(t->s2.vttbr);
	struct pt_alloc a;
	pt_destroy(&t->s2, task_pt_alloc(t, &a));
	struct task *payer = t->payer;
	u64 left = t->quota;
	kpage_free(payer, t, sizeof(struct task) / PAGE_SIZE + 1);
	if (payer) {
		payer->quota += left; /* what it had left goes back */
		obj_put(&payer->obj);
	}
}

void obj_put(struct kobj *o)
{
	if (--o->refs)
		return;
	switch (o->type) {
	case KOBJ_ENDPOINT: {
		struct endpoint *ep = container_of(o, struct endpoint, obj);
		ipc_endpoint_destroy(ep);
		kpage_free(ep->payer, ep, 1);
		break;
	}
	case KOBJ_NOTIFY: {
		struct notification *n = container_of(o, struct notification, obj);
		notify_destroy(n);
		kpage_free(n->payer, n, 1);
		break;
	}
	case KOBJ_SHM: {
		struct shm *s = container_of(o, struct shm, obj);
		kpage_free(s->payer, phys_to_virt(s->pa), s->size / PAGE_SIZE);
		kpage_free(s->payer, s, 1);
		break;
	}
	case KOBJ_TASK:
		task_destroy(container_of(o, struct task, obj));
		break;
	case KOBJ_THREAD: {
		struct thread *t = container_of(o, struct thread, obj);
		struct task *tk = t->task;
		kpage_free(tk, t, sizeof(struct thread) / PAGE_SIZE + 1);
		obj_put(&tk->obj);
		break;
	}
	case KOBJ_DEVICE:
		device_destroy(container_of(o, struct device, obj));
		break;
	default:
		panic("obj_put: bad object type %u", o->type);
	}
}
