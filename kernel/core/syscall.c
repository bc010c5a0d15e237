/* System calls other than IPC, notifications and devices: object creation,
 * threads, handles, memory mapping, debug output. Every argument is
 * validated; every failure is an error code to the caller. */
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/security.h>
#include <kernel/vcpu.h>
#include <bulwark/vcpu.h>

#define SHM_MAX (16ull << 20)
#define DEBUG_PUTS_MAX 256

static u32 lookup(struct thread *t, u64 h, u8 type, u8 rights, struct handle_entry **e)
{
	return ht_lookup(&t->task->ht, (u32)h, type, rights, e);
}

/* Hand the caller a handle to a fresh object, or undo on a full table. */
static u64 give_handle(struct thread *t, struct kobj *o, u8 rights)
{
	u32 h = ht_insert(&t->task->ht, o, rights, 0);
	if (!h) {
		obj_put(o);
		return BW_E_FULL;
	}
	t->ctx.x[1] = h;
	return BW_OK;
}

/* The task a call acts on: 0 means the caller's own. */
static u32 target_task(struct thread *t, u64 h, struct task **out)
{
	if (h == 0) {
		*out = t->task;
		return BW_OK;
	}
	struct handle_entry *e;
	u32 err = lookup(t, h, KOBJ_TASK, BW_R_MANAGE, &e);
	if (!err)
		*out = container_of(e->obj, struct task, obj);
	return err;
}

#define ZERO_CHUNK_PAGES 16

/* Clearing up to SHM_MAX bytes is the longest thing the kernel does for a
 * task, so it has preemption points: when an interrupt is pending, the
 * half-cleared region is parked on the thread and the svc re-executes
 * (same registers) after the interrupt, resuming where it stopped. */
static u64 shm_create(struct thread *t, u64 size)
{
	struct task *tk = t->task;
	struct shm *s = NULL;
	if (t->restart_obj) {
		s = container_of(t->restart_obj, struct shm, obj);
		t->restart_obj = NULL;
		if (s->size != size) { /* cannot happen: registers were untouched */
			obj_put(&s->obj);
			s = NULL;
		}
	}
	if (!s) {
		if (!size || !ALIGNED(size, PAGE_SIZE))
			return BW_E_INVAL;
		if (size > SHM_MAX)
			return BW_E_RANGE;
		u32 label;
		u64 err = security_label(tk->obj.sid, tk->obj.sid, SC_SHM, &label);
		if (err)
			return err;
		s = kpage_alloc(tk, 1);
		if (!s)
			return BW_E_NOMEM;
		void *pages = kpage_alloc_dirty(tk, size / PAGE_SIZE);
		if (!pages) {
			kpage_free(tk, s, 1);
			return BW_E_NOMEM;
		}
		s->obj = (struct kobj){.type = KOBJ_SHM, .refs = 1, .sid = label};
		s->pa = virt_to_phys(pages);
		s->size = size;
		s->payer = tk;
	}
	while (s->zeroed < s->size) {
		u64 n = s->size - s->zeroed < ZERO_CHUNK_PAGES * PAGE_SIZE ? s->size - s->zeroed
									     : ZERO_CHUNK_PAGES * PAGE_SIZE;
		zero_pages(phys_to_virt(s->pa + s->zeroed), n / PAGE_SIZE);
		s->zeroed += n;
		if (s->zeroed < s->size && irq_pending()) {
			t->restart_obj = &s->obj;
			this_cpu()->restarts++;
			return RET_RESTART;
		}
	}
	return give_handle(t, &s->obj, BW_R_READ | BW_R_WRITE | BW_R_EXEC | BW_R_GRANT);
}

static u64 sys_create(struct thread *t, u64 nr)
{
	struct task *tk = t->task;
	u32 sid = tk->obj.sid, label;
	u64 err;
	switch (nr) {
	case BW_SYS_ENDPOINT_CREATE: {
		if ((err = security_label(sid, sid, SC_IPC, &label)))
			return err;
		struct endpoint *ep = kpage_alloc(tk, 1);
		if (!ep)
			return BW_E_NOMEM;
		ep->obj = (struct kobj){.type = KOBJ_ENDPOINT, .refs = 1, .sid = label};
		list_init(&ep->queue);
		ep->payer = tk;
		return give_handle(t, &ep->obj, BW_R_SEND | BW_R_RECV | BW_R_GRANT);
	}
	case BW_SYS_NOTIFY_CREATE: {
		if ((err = security_label(sid, sid, SC_NOTIFICATION, &label)))
			return err;
		struct notification *n = kpage_alloc(tk, 1);
		if (!n)
			return BW_E_NOMEM;
		n->obj = (struct kobj){.type = KOBJ_NOTIFY, .refs = 1, .sid = label};
		list_init(&n->waiters);
		n->payer = tk;
		return give_handle(t, &n->obj, BW_R_SEND | BW_R_RECV | BW_R_GRANT);
	}
	case BW_SYS_SHM_CREATE:
		return shm_create(t, t->ctx.x[1]);
	case BW_SYS_TASK_CREATE: {
		u64 deny = check(sid, sid, SC_PROCESS, P_PROCESS_CREATE);
		if (deny)
			return deny;
		if ((deny = security_label(sid, sid, SC_PROCESS, &label)))
			return deny;
		u32 terr;
		struct task *n = task_create(tk, t->ctx.x[1], label, "child", &terr);
		if (!n)
			return terr;
		return give_handle(t, &n->obj, BW_R_ALL);
	}
	}
	return BW_E_NOSYS;
}

static u64 sys_thread(struct thread *t, u64 nr)
{
	struct handle_entry *e;
	u32 err;
	switch (nr) {
	case BW_SYS_THREAD_CREATE: {
		struct task *tk;
		if ((err = target_task(t, t->ctx.x[0], &tk)))
			return err;
		u64 entry = t->ctx.x[1], sp = t->ctx.x[2], prio = t->ctx.x[3];
		if (entry < BW_USER_BASE || entry >= BW_USER_END || !ALIGNED(entry, 4) || !ALIGNED(sp, 16) ||
		    sp >= BW_USER_END)
			return BW_E_INVAL;
		if (prio > t->max_prio)
			return BW_E_RANGE;
		if (tk->vm)
			return BW_E_INVAL; /* a VM runs vCPUs only (BW_SYS_VCPU_CREATE) */
		u64 deny = check(t->task->obj.sid, tk->obj.sid, SC_PROCESS, P_PROCESS_CREATE_THREAD);
		if (deny)
			return deny;
		struct thread *n = thread_create(tk, entry, sp, (u8)prio, t->ctx.x[4], &err);
		if (!n)
			return err;
		obj_get(&n->obj);
		return give_handle(t, &n->obj, BW_R_MANAGE | BW_R_GRANT);
	}
	case BW_SYS_THREAD_EXIT:
		/* Whoever watches it for faults hears of its exit the same way,
		 * so a supervisor learns of every death. */
		if (t->fault_ep && !t->vcpu) {
			t->exiting = true;
			ipc_send_fault(t, 0, t->ctx.x[0]);
		} else {
			thread_exit(t);
		}
		return RET_BLOCKED;
	case BW_SYS_YIELD:
		sched_yield();
		return BW_OK;
	}
	if ((err = lookup(t, t->ctx.x[0], KOBJ_THREAD, BW_R_MANAGE, &e)))
		return err;
	struct thread *th = container_of(e->obj, struct thread, obj);
	switch (nr) {
	case BW_SYS_THREAD_SET_PRIO:
		if (t->ctx.x[1] > t->max_prio)
			return BW_E_RANGE;
		if (th->state != TS_EXITED)
			thread_set_prio(th, (u8)t->ctx.x[1]);
		return BW_OK;
	case BW_SYS_THREAD_STATE: {
		static const u8 report[] = {
			[TS_INACTIVE] = BW_THREAD_STOPPED,	  [TS_RUNNABLE] = BW_THREAD_RUNNABLE,
			[TS_BLOCKED_SEND] = BW_THREAD_BLOCKED,	  [TS_BLOCKED_RECV] = BW_THREAD_BLOCKED,
			[TS_BLOCKED_REPLY] = BW_THREAD_BLOCKED,	  [TS_BLOCKED_NOTIFY] = BW_THREAD_BLOCKED,
			[TS_STOPPED] = BW_THREAD_STOPPED,	  [TS_EXITED] = BW_THREAD_EXITED,
			[TS_BLOCKED_SEC] = BW_THREAD_BLOCKED,
		};
		t->ctx.x[1] = report[th->state];
		t->ctx.x[2] = th->last_esr;
		return BW_OK;
	}
	case BW_SYS_THREAD_SET_FAULT: {
		struct endpoint *ep = NULL;
		if (t->ctx.x[1]) {
			struct handle_entry *ee;
			if ((err = lookup(t, t->ctx.x[1], KOBJ_ENDPOINT, BW_R_SEND, &ee)))
				return err;
			ep = container_of(ee->obj, struct endpoint, obj);
			obj_get(&ep->obj);
			th->fault_badge = ee->badge;
		}
		if (th->fault_ep)
			obj_put(&th->fault_ep->obj);
		th->fault_ep = ep;
		return BW_OK;
	}
	}
	return BW_E_NOSYS;
}

/* Closing the last handle to a task tears it down, preemptibly: the close
 * re-executes (after the handle is already gone) until the teardown ends,
 * so when it returns the task's memory is back with its payer. */
static u64 close_handle(struct thread *t)
{
	if (t->restart_close) {
		t->restart_close = false;
		reap_continue();
	} else {
		struct kobj *o = ht_remove(&t->task->ht, (u32)t->ctx.x[0]);
		if (!o)
			return BW_E_BADHANDLE;
		obj_put(o);
	}
	if (reap_pending()) {
		t->restart_close = true;
		this_cpu()->restarts++;
		return RET_RESTART;
	}
	return BW_OK;
}

static u64 sys_handle(struct thread *t, u64 nr)
{
	struct handle_table *ht = &t->task->ht;
	struct handle_entry *e;
	if (nr == BW_SYS_HANDLE_CLOSE)
		return close_handle(t);
	u32 err = lookup(t, t->ctx.x[0], KOBJ_NONE, 0, &e);
	if (err)
		return err;
	switch (nr) {
	case BW_SYS_HANDLE_MINT: {
		u64 badge = t->ctx.x[2];
		/* A badge, once set, is what a server trusts: it cannot be changed. */
		if (badge && e->badge)
			return BW_E_RIGHTS;
		if (badge == BW_SEC_KERNEL_BADGE)
			return BW_E_INVAL; /* the kernel's own (upcalls) */
		u32 h = ht_insert(ht, e->obj, e->rights & (u8)t->ctx.x[1], badge ? badge : e->badge);
		if (!h)
			return BW_E_FULL;
		obj_get(e->obj);
		t->ctx.x[1] = h;
		return BW_OK;
	}
	case BW_SYS_HANDLE_GRANT: {
		if (!(e->rights & BW_R_GRANT))
			return BW_E_RIGHTS;
		struct handle_entry *te;
		if ((err = lookup(t, t->ctx.x[1], KOBJ_TASK, BW_R_MANAGE, &te)))
			return err;
		struct task *dst = container_of(te->obj, struct task, obj);
		u64 deny = check(t->task->obj.sid, e->obj->sid, SC_HANDLE, P_HANDLE_TRANSFER);
		if (deny)
			return deny;
		u32 h = ht_insert(&dst->ht, e->obj, e->rights & (u8)t->ctx.x[2], e->badge);
		if (!h)
			return BW_E_FULL;
		obj_get(e->obj);
		t->ctx.x[1] = h;
		return BW_OK;
	}
	}
	return BW_E_NOSYS;
}

static u64 sys_memory(struct thread *t, u64 nr)
{
	struct task *tk;
	u32 err;
	if (nr == BW_SYS_UNMAP) {
		if ((err = target_task(t, t->ctx.x[0], &tk)))
			return err;
		return task_unmap(tk, t->ctx.x[1], t->ctx.x[2]);
	}
	/* BW_SYS_SHM_MAP */
	u64 want = t->ctx.x[3];
	if (!want || (want & ~(u64)(BW_R_READ | BW_R_WRITE | BW_R_EXEC)))
		return BW_E_INVAL;
	struct handle_entry *e;
	if ((err = lookup(t, t->ctx.x[0], KOBJ_SHM, (u8)want, &e)))
		return err;
	if ((err = target_task(t, t->ctx.x[1], &tk)))
		return err;
	struct shm *s = container_of(e->obj, struct shm, obj);
	/* One permission per right: a task allowed to read may not write. */
	u32 perms = (want & BW_R_READ ? P_SHM_MAP_READ : 0) | (want & BW_R_WRITE ? P_SHM_MAP_WRITE : 0) |
		    (want & BW_R_EXEC ? P_SHM_MAP_EXEC : 0);
	u64 deny = check(t->task->obj.sid, s->obj.sid, SC_SHM, perms);
	if (deny)
		return deny;
	/* Guest memory: the VMM must also be allowed to grant it to this VM. */
	if (tk->vm && (deny = check(t->task->obj.sid, tk->obj.sid, SC_VM, P_VM_MAP_GUEST)))
		return deny;
	unsigned attrs = (want & BW_R_READ ? PT_R : 0) | (want & BW_R_WRITE ? PT_W : 0) |
			 (want & BW_R_EXEC ? PT_X | PT_R : 0);
	u64 r = task_map_preemptible(tk, t->ctx.x[2], s->size, s->pa, attrs, &s->obj);
	/* A VM's RAM is executable as a whole; cleaning 16 MiB here would stall
	 * every other guest for a millisecond.  Its VMM cleans what it loads
	 * (from EL0, as any loader of an arm64 kernel must). */
	if (r == BW_OK && (attrs & PT_X) && !tk->vm)
		arch_sync_icache(phys_to_virt(s->pa), s->size);
	/* A driver programs its device with the physical address of its DMA
	 * buffer; the description already made that address public. */
	if (r == BW_OK)
		t->ctx.x[1] = s->fixed ? s->pa : 0;
	return r;
}

static u64 sys_debug_puts(struct thread *t)
{
	char buf[DEBUG_PUTS_MAX];
	u64 n = t->ctx.x[1];
	if (n > DEBUG_PUTS_MAX)
		return BW_E_MSGSIZE;
	if (!copy_from_user(t->task, buf, t->ctx.x[0], n))
		return BW_E_FAULT;
	for (u64 i = 0; i < n; i++)
		kputc(buf[i]);
	return BW_OK;
}

u64 syscall_slow(struct thread *t, u64 nr)
{
	/* A preempted call re-executes with the same registers, so any other
	 * call here means the parked state is stale (defensive: cannot happen). */
	if (unlikely((t->restart_obj && nr != BW_SYS_SHM_CREATE) ||
		     (t->restart_close && nr != BW_SYS_HANDLE_CLOSE))) {
		if (t->restart_obj)
			obj_put(t->restart_obj);
		t->restart_obj = NULL;
		t->restart_close = false;
	}
	switch (nr) {
	case BW_SYS_CALL:
	case BW_SYS_REPLY_RECV:
	case BW_SYS_SEND:
	case BW_SYS_RECV:
	case BW_SYS_REPLY:
		return sys_ipc(t, nr);
	case BW_SYS_SIGNAL:
	case BW_SYS_WAIT:
	case BW_SYS_POLL:
		return sys_notify(t, nr);
	case BW_SYS_YIELD:
	case BW_SYS_THREAD_CREATE:
	case BW_SYS_THREAD_EXIT:
	case BW_SYS_THREAD_SET_PRIO:
	case BW_SYS_THREAD_STATE:
	case BW_SYS_THREAD_SET_FAULT:
		return sys_thread(t, nr);
	case BW_SYS_ENDPOINT_CREATE:
	case BW_SYS_NOTIFY_CREATE:
	case BW_SYS_SHM_CREATE:
	case BW_SYS_TASK_CREATE:
		return sys_create(t, nr);
	case BW_SYS_HANDLE_CLOSE:
	case BW_SYS_HANDLE_MINT:
	case BW_SYS_HANDLE_GRANT:
		return sys_handle(t, nr);
	case BW_SYS_SHM_MAP:
	case BW_SYS_UNMAP:
		return sys_memory(t, nr);
	case BW_SYS_DEV_MAP:
	case BW_SYS_IRQ_BIND:
	case BW_SYS_IRQ_ACK:
		return sys_device(t, nr);
	case BW_SYS_DEBUG_PUTS:
		return sys_debug_puts(t);
	case BW_SYS_SECURITY:
		return sys_security(t);
	case BW_SYS_TASK_INFO:
		t->ctx.x[1] = t->task->id;
		t->ctx.x[2] = t->task->quota;
		t->ctx.x[3] = this_cpu()->restarts;
		return BW_OK;
	case BW_SYS_VM_CREATE:
	case BW_SYS_VCPU_CREATE:
	case BW_SYS_VCPU_INJECT:
	case BW_SYS_VCPU_MMIO_FAST:
		return sys_vcpu(t, nr);
	case BW_SYS_BENCH_STAMPS: {
		/* Non-zero only in the bench-split kernel. */
		struct percpu *c = this_cpu();
#ifdef BW_SEC_BENCH
		if (t->ctx.x[0] == 2) {
			security_bench_flush();
			return BW_OK;
		}
#endif
		if (t->ctx.x[0] == 0) {
			t->ctx.x[1] = c->stamp_call_start;
			t->ctx.x[2] = c->stamp_call_end;
			t->ctx.x[3] = c->stamp_rr_start;
			t->ctx.x[4] = c->stamp_rr_end;
		} else {
			/* This call's own pass is [2]: report the two before it. */
			t->ctx.x[1] = c->stamp_pass[0][0];
			t->ctx.x[2] = c->stamp_pass[0][1];
			t->ctx.x[3] = c->stamp_pass[1][0];
			t->ctx.x[4] = c->stamp_pass[1][1];
		}
		return BW_OK;
	}
	}
	return BW_E_NOSYS;
}
