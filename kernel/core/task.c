/* Tasks: an address space (one stage-2 table, VMID-tagged), a handle table
 * and a kernel-memory quota. */
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/security.h>

struct vmid_alloc vmids;
static u32 next_task_id = 1;

static u64 *pt_page_alloc(void *ctx)
{
	return kpage_alloc(ctx, 1);
}

static void pt_page_free(void *ctx, u64 *p)
{
	kpage_free(ctx, p, 1);
}

/* Table pages of a space are charged to the task itself. */
const struct pt_alloc *task_pt_alloc(struct task *t, struct pt_alloc *a)
{
	a->alloc = pt_page_alloc;
	a->free = pt_page_free;
	a->ctx = t;
	return a;
}

struct task *task_create(struct task *payer, u64 quota, u32 sid, const char *name, u32 *err)
{
	u64 pages = sizeof(struct task) / PAGE_SIZE + 1;
	/* Written so that no sum can wrap: quota comes straight from a task. */
	if (payer && (quota > payer->quota || payer->quota - quota < pages * PAGE_SIZE)) {
		*err = BW_E_NOMEM;
		return NULL;
	}
	struct task *t = kpage_alloc(payer, pages);
	if (!t) {
		*err = BW_E_NOMEM;
		return NULL;
	}
	if (payer) {
		payer->quota -= quota;
		obj_get(&payer->obj);
	}
	t->obj.type = KOBJ_TASK;
	t->obj.refs = 1;
	t->obj.sid = sid;
	t->payer = payer;
	t->quota = quota;
	t->id = next_task_id++;
	for (u32 i = 0; name && name[i] && i < TASK_NAME_LEN - 1; i++)
		t->name[i] = name[i];
	ht_init(&t->ht);
	security_task_add(t);
	struct pt_alloc a;
	if (pt_init(&t->s2, task_pt_alloc(t, &a)) != BW_OK) {
		obj_put(&t->obj);
		*err = BW_E_NOMEM;
		return NULL;
	}
	*err = BW_OK;
	return t;
}

/* Make t's space the one EL0 translates through, renewing its VMID if a
 * rollover retired it. */
void task_load_space(struct task *t)
{
	if (unlikely(t->vmid.gen != vmids.gen) && vmid_refresh(&vmids, &t->vmid))
		t->s2.vttbr = virt_to_phys(t->s2.root) | ((u64)t->vmid.vmid << 48);
	if (this_cpu()->vttbr != t->s2.vttbr) {
		this_cpu()->vttbr = t->s2.vttbr;
		arch_load_space(t->s2.vttbr);
	}
}

/* Mapping 16 MiB writes 4096 stage-2 entries, hundreds of microseconds
 * with interrupts masked: a system call maps in steps of this many pages,
 * progress kept in the mapping, with a preemption point between steps. */
#define MAP_STEP_PAGES 64

static void release_slot(struct mapping *m)
{
	struct kobj *holder = m->obj;
	m->size = 0;
	m->mapped = 0;
	m->done = 0;
	m->obj = NULL;
	if (holder) {
		if (holder->type == KOBJ_SHM)
			container_of(holder, struct shm, obj)->maps--;
		obj_put(holder);
	}
}

/* The slot a preempted map call with exactly these arguments left behind. */
static struct mapping *unfinished_map(struct task *t, u64 va, u64 size, paddr_t pa, unsigned attrs,
				      const struct kobj *holder)
{
	for (u32 i = 0; i < TASK_MAPS; i++) {
		struct mapping *m = &t->map[i];
		if (m->size && m->mapped < m->size && !m->done && m->va == va && m->size == size &&
		    m->pa == pa && m->attrs == attrs && m->obj == holder)
			return m;
	}
	return NULL;
}

/* Claim a slot for [va, va + size): the range is the task's from here on
 * (overlapping calls fail), even while its entries are still being written. */
static u64 claim_slot(struct task *t, u64 va, u64 size, paddr_t pa, unsigned attrs, struct kobj *holder,
		      struct mapping **out)
{
	if (!size || !ALIGNED(va, PAGE_SIZE) || !ALIGNED(size, PAGE_SIZE) || va < BW_USER_BASE ||
	    va >= BW_USER_END || size > BW_USER_END - va || !ALIGNED(pa, PAGE_SIZE))
		return BW_E_INVAL;
	if ((attrs & PT_W) && (attrs & PT_X) && !t->vm)
		return BW_E_INVAL; /* W^X; a guest enforces it in its own stage 1 */
	struct mapping *free = NULL;
	for (u32 i = 0; i < TASK_MAPS; i++) {
		struct mapping *m = &t->map[i];
		if (!m->size) {
			if (!free)
				free = m;
			continue;
		}
		if (va < m->va + m->size && m->va < va + size)
			return BW_E_EXISTS;
	}
	if (!free)
		return BW_E_NOMEM;
	*free = (struct mapping){.va = va, .size = size, .pa = pa, .obj = holder, .attrs = attrs};
	if (holder) {
		obj_get(holder);
		if (holder->type == KOBJ_SHM)
			container_of(holder, struct shm, obj)->maps++;
	}
	*out = free;
	return BW_OK;
}

static u64 map_steps(struct task *t, struct mapping *m, bool preemptible)
{
	while (m->mapped < m->size) {
		u64 left = m->size - m->mapped;
		u64 n = left < MAP_STEP_PAGES * PAGE_SIZE ? left : MAP_STEP_PAGES * PAGE_SIZE;
		struct pt_alloc a;
		u32 err = pt_map(&t->s2, m->va + m->mapped, m->pa + m->mapped, n, m->attrs, task_pt_alloc(t, &a));
		if (err) {
			/* The call fails whole: what earlier steps installed goes.
			 * (Only running out of quota for tables gets here.) */
			if (m->mapped)
				pt_unmap(&t->s2, m->va, m->mapped);
			release_slot(m);
			return err;
		}
		m->mapped += n;
		if (preemptible && m->mapped < m->size && irq_pending())
			return RET_RESTART;
	}
	return BW_OK;
}

u32 task_map(struct task *t, u64 va, u64 size, paddr_t pa, unsigned attrs, struct kobj *holder)
{
	struct mapping *m;
	u64 err = claim_slot(t, va, size, pa, attrs, holder, &m);
	return (u32)(err ? err : map_steps(t, m, false));
}

u64 task_map_preemptible(struct task *t, u64 va, u64 size, paddr_t pa, unsigned attrs, struct kobj *holder)
{
	struct mapping *m = unfinished_map(t, va, size, pa, attrs, holder);
	if (!m) {
		u64 err = claim_slot(t, va, size, pa, attrs, holder, &m);
		if (err)
			return err;
	}
	u64 r = map_steps(t, m, true);
	if (r == RET_RESTART)
		this_cpu()->restarts++;
	return r;
}

/* Unmapping 16 MiB touches 4096 entries: it goes in steps of this many
 * pages, with the progress kept in the mapping, so callers can put a
 * preemption point between steps. */
#define UNMAP_STEP_PAGES 256

bool task_unmap_step(struct task *t, struct mapping *m)
{
	u64 left = m->size - m->done;
	u64 n = left < UNMAP_STEP_PAGES * PAGE_SIZE ? left : UNMAP_STEP_PAGES * PAGE_SIZE;
	pt_unmap(&t->s2, m->va + m->done, n);
	m->done += n;
	if (m->done < m->size)
		return false;
	if (!m->obj)
		kpage_free(t, phys_to_virt(m->pa), m->size / PAGE_SIZE);
	release_slot(m);
	return true;
}

u64 task_unmap(struct task *t, u64 va, u64 size)
{
	for (u32 i = 0; i < TASK_MAPS; i++) {
		struct mapping *m = &t->map[i];
		if (!m->size || m->va != va || (size && size != m->size))
			continue;
		while (!task_unmap_step(t, m))
			if (irq_pending())
				return RET_RESTART; /* the same call resumes at m->done */
		return BW_OK;
	}
	return BW_E_INVAL;
}
