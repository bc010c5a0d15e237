/* Kernel memory and object lifetime.
 *
 * Every kernel object takes whole pages charged to the quota of the task
 * that asked for it (its "payer"), so no task can exhaust kernel memory;
 * the charge is refunded when the object dies. Objects are reference
 * counted: one reference per handle plus the kernel's own (a mapping, a
 * bound IRQ, a thread's fault endpoint, a live thread's task). */
#include <kernel/vcpu.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/security.h>

struct palloc kmem;

void zero_pages(void *p, u64 pages)
{
	arch_zero_pages(p, pages);
}

void *kpage_alloc_dirty(struct task *payer, u64 pages)
{
	u64 bytes = pages * PAGE_SIZE;
	if (payer && payer->quota < bytes)
		return NULL;
	paddr_t pa = palloc_alloc(&kmem, pages);
	if (!pa)
		return NULL;
	if (payer)
		payer->quota -= bytes;
	return phys_to_virt(pa);
}

void *kpage_alloc(struct task *payer, u64 pages)
{
	void *p = kpage_alloc_dirty(payer, pages);
	if (p)
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

/* Tearing a task down is the longest operation the kernel performs (its
 * mappings, up to 128 handles, its tables), so it is done in steps with a
 * preemption point after each; the cursor lives in the task. Returns true
 * once the task is gone. */
static bool task_teardown(struct task *t)
{
	if (t->teardown_phase == 0) {
		while (t->teardown_cursor < TASK_MAPS) {
			struct mapping *m = &t->map[t->teardown_cursor];
			if (!m->size || task_unmap_step(t, m))
				t->teardown_cursor++;
			if (irq_pending())
				return false;
		}
		t->teardown_phase = 1;
		t->teardown_cursor = 1;
	}
	while (t->teardown_cursor < HT_SLOTS) {
		struct handle_entry *e = &t->ht.slot[t->teardown_cursor++];
		struct kobj *o = e->obj;
		if (o) {
			e->obj = NULL;
			obj_put(o);
		}
		if (irq_pending())
			return false;
	}
	arch_tlb_flush_vmid(t->s2.vttbr);
	security_task_remove(t);
	struct pt_alloc a;
	pt_destroy(&t->s2, task_pt_alloc(t, &a));
	struct task *payer = t->payer;
	u64 left = t->quota;
	kpage_free(payer, t, sizeof(struct task) / PAGE_SIZE + 1);
	if (payer) {
		payer->quota += left; /* what it had left goes back */
		obj_put(&payer->obj);
	}
	return true;
}

/* Dead tasks wait in a FIFO and are torn down one after another, never
 * recursively (a chain of tasks each holding the only handle to the next
 * must not overflow the kernel stack), by whichever kernel path comes
 * next: the obj_put that killed them, schedule(), the idle loop. */
static struct task *reap_head, *reap_tail;
static bool reaping;

bool reap_pending(void)
{
	return reap_head != NULL;
}

void reap_continue(void)
{
	if (reaping)
		return;
	reaping = true;
	while (reap_head) {
		struct task *t = reap_head;
		if (!task_teardown(t))
			break; /* preempted: it stays at the head */
		reap_head = t->reap_next;
		if (!reap_head)
			reap_tail = NULL;
	}
	reaping = false;
}

static void reap(struct task *t)
{
	/* Dropping its handles may drop the last references to its own
	 * threads, which put the task again: keep the count off zero. */
	t->obj.refs = 1u << 30;
	t->reap_next = NULL;
	if (reap_tail)
		reap_tail->reap_next = t;
	else
		reap_head = t;
	reap_tail = t;
	reap_continue();
}

void obj_put(struct kobj *o)
{
	if (--o->refs) {
		/* A thread's own reference is the last while it lives. */
		if (o->refs == 1 && o->type == KOBJ_THREAD)
			thread_unreferenced(container_of(o, struct thread, obj));
		return;
	}
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
		if (s->payer || !s->fixed) /* boot regions at a fixed address stay reserved */
			kpage_free(s->payer, phys_to_virt(s->pa), s->size / PAGE_SIZE);
		kpage_free(s->payer, s, 1);
		break;
	}
	case KOBJ_TASK:
		reap(container_of(o, struct task, obj));
		break;
	case KOBJ_THREAD: {
		struct thread *t = container_of(o, struct thread, obj);
		struct task *tk = t->task;
		vcpu_free(t);
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
