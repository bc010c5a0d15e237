/* The kernel's side of the Flask security server.
 *
 * Policy lives in policyd; the kernel only caches its decisions (avc.c),
 * asks for missing ones, enforces, and records what policy says to audit.
 *
 * A miss parks the thread (state TS_BLOCKED_SEC, its pc back on the svc)
 * and queues a query; the query is delivered as a message to the policyd
 * thread receiving on the endpoint policyd registered.  BW_SEC_ANSWER
 * caches the decision if its sequence number is still current and wakes
 * every thread waiting for that key: each re-executes its system call and
 * now hits (or, after a reload raced the answer, misses and asks again).
 * Fail closed: no policyd, a dead one, or no answer within SEC_WAIT_TICKS
 * means denied, audited.  A waiting thread lends policyd its priority.
 *
 * A fault report (a thread's fault, a vCPU's exit) that misses waits the
 * same way, but nothing re-executes: the report is delivered again from
 * the answer (as a handler arriving late would take it from the queue).
 * policyd cannot wait for itself: its own decisions are pinned in the
 * cache's second level (avc.h) from its priming until the next reload. */
#include <bulwark/security.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/security.h>
#include <kernel/vcpu.h>
#include <arch/sysreg.h>

#define SEC_QUERIES 16
/* A dead policyd is restarted after this long: the window in which the
 * kernel visibly fails closed, and a bound on a crash loop's CPU use. */
#define SEC_RESTART_TICKS 20
#define SEC_WAIT_TICKS 100
#define AUDIT_RING 64
/* Labels of new objects (compute_create), cached like decisions. */
#define LABEL_SLOTS 64
/* Marks a query (and a waiter's key) as asking for a label, not a decision. */
#define LABEL_KEY 0x80000000u
/* Marks a waiter as a parked fault report (its key without it is the query's). */
#define FAULT_WAIT 0x40000000u
/* Pinned rows: the boot SIDs and as many again for labels made later. */
#define PIN_EXTRA_SIDS 16
/* Rate limit: a burst of AUDIT_BURST records, then one per AUDIT_REFILL_TICKS.
 * Revocations are never rate limited: there are few, and each matters. */
#define AUDIT_BURST 32
#define AUDIT_REFILL_TICKS 5


struct query {
	u32 ssid, tsid, cls; /* cls | LABEL_KEY: a compute_create */
	bool used, sent;
};

struct label {
	u32 ssid, tsid, cls, sid; /* sid 0: free */
};

enum note { NOTE_NONE, NOTE_DUE, NOTE_SENT };

static struct {
	bool policy;     /* the image carries a policy: enforce it */
	bool enforcing;
	struct task *task;     /* policyd */
	struct thread *thread; /* its first thread: the one priority is lent to */
	u8 base_prio;
	/* Until its first scan has ended every other task's decision fails
	 * closed, so policyd runs above all of them, whatever its base
	 * priority (which may be below a real-time guest's, for its loads). */
	bool starting;
	struct endpoint *ep;   /* registered upcall endpoint */
	const struct boot_desc *boot;
	struct query q[SEC_QUERIES];
	struct label labels[LABEL_SLOTS];
	struct list waiters;
	struct kobj wait_obj; /* what a parked thread's waiting_on names */
	u64 queries;
	/* Audit ring. */
	struct bw_audit_record ring[AUDIT_RING];
	u32 head, count, serial;
	u64 suppressed, lost;
	u32 tokens;
	u64 refill_at;
	u8 note;
	/* Revocation scan: the task id it is at, its phase and index. */
	bool revoking;
	bool prefill_only; /* the boot scan: fetch decisions, revoke nothing */
	/* Restart: when policyd was found dead, whether a restarted one is
	 * still rebuilding (decisions fail closed until its boot scan ends),
	 * and the kernel's copy of the last policy it loaded. */
	u64 dead_since;
	bool rebuilding;
	u32 restarts;
	u8 *kept_policy;
	u64 kept_size;
	u32 rv_task, rv_phase, rv_index;
	u32 rv_vcpu; /* the vCPUs whose exit decision this scan has fetched */
	u64 revoked;
	bool unpinned_said; /* the pinned level overflowed, and the log says so */
	struct list tasks;
} sec;

static bool server_dead(void)
{
	return sec.thread->state == TS_STOPPED || sec.thread->state == TS_EXITED;
}

static bool server_alive(void)
{
	return sec.ep && !sec.rebuilding && !server_dead() && sec.thread->state != TS_INACTIVE;
}

void security_task_add(struct task *t)
{
	if (!sec.tasks.next)
		list_init(&sec.tasks);
	list_add_tail(&sec.tasks, &t->all_link);
}

void security_task_remove(struct task *t)
{
	if (t->all_link.next)
		list_del(&t->all_link);
}

/* ---- audit ---------------------------------------------------------------- */

static void kick(void);

static void audit(const struct task *tk, u32 tid, u32 ssid, u32 tsid, u32 cls, u32 perms, u32 flags)
{
	u64 now = this_cpu()->ticks;
	if (now >= sec.refill_at) {
		u64 add = (now - sec.refill_at) / AUDIT_REFILL_TICKS + 1;
		sec.tokens = sec.tokens + add > AUDIT_BURST ? AUDIT_BURST : sec.tokens + (u32)add;
		sec.refill_at = now + AUDIT_REFILL_TICKS;
	}
	if (!(flags & BW_AUDIT_REVOKED)) {
		if (!sec.tokens) {
			sec.suppressed++;
			return;
		}
		sec.tokens--;
	}
	if (sec.count == AUDIT_RING) {
		sec.lost++;
		return;
	}
	struct bw_audit_record *r = &sec.ring[(sec.head + sec.count++) % AUDIT_RING];
	*r = (struct bw_audit_record){.timestamp = now, .serial = ++sec.serial, .tid = tid, .ssid = ssid,
				      .tsid = tsid, .cls = cls, .perms = perms, .flags = flags};
	for (u32 i = 0; tk && i < BW_AUDIT_COMM - 1 && tk->name[i]; i++)
		r->comm[i] = tk->name[i];
	if (sec.note == NOTE_NONE) {
		sec.note = NOTE_DUE;
		kick();
	}
}

static void audit_thread(const struct thread *t, u32 ssid, u32 tsid, u32 cls, u32 perms, u32 flags)
{
	audit(t ? t->task : NULL, t ? t->tid : 0, ssid, tsid, cls, perms, flags);
}

static void audit_current(u32 ssid, u32 tsid, u32 cls, u32 perms, u32 flags)
{
	audit_thread(current(), ssid, tsid, cls, perms, flags);
}

/* ---- upcalls -------------------------------------------------------------- */

static struct query *query_find(u32 ssid, u32 tsid, u32 cls)
{
	for (u32 i = 0; i < SEC_QUERIES; i++)
		if (sec.q[i].used && sec.q[i].ssid == ssid && sec.q[i].tsid == tsid && sec.q[i].cls == cls)
			return &sec.q[i];
	return NULL;
}

static bool query_add(u32 ssid, u32 tsid, u32 cls)
{
	if (query_find(ssid, tsid, cls))
		return true;
	for (u32 i = 0; i < SEC_QUERIES; i++)
		if (!sec.q[i].used) {
			sec.q[i] = (struct query){.ssid = ssid, .tsid = tsid, .cls = cls, .used = true};
			sec.queries++;
			return true;
		}
	return false;
}

static struct query *query_unsent(void)
{
	for (u32 i = 0; i < SEC_QUERIES; i++)
		if (sec.q[i].used && !sec.q[i].sent)
			return &sec.q[i];
	return NULL;
}

bool security_deliver(struct thread *t)
{
	struct regs *r = &t->ctx;
	struct query *q = query_unsent();
	if (q) {
		q->sent = true;
		r->x[1] = bw_info(q->cls & LABEL_KEY ? BW_SEC_UPCALL_CREATE : BW_SEC_UPCALL_QUERY, 0, 0);
		r->x[2] = q->ssid;
		r->x[3] = q->tsid;
		r->x[4] = q->cls & ~LABEL_KEY;
		r->x[5] = avc.seq;
	} else if (sec.note == NOTE_DUE) {
		sec.note = NOTE_SENT;
		r->x[1] = bw_info(BW_SEC_UPCALL_AUDIT, 0, 0);
		r->x[2] = r->x[3] = r->x[4] = r->x[5] = 0;
	} else {
		return false;
	}
	r->x[0] = BW_OK;
	r->x[6] = BW_SEC_KERNEL_BADGE;
	return true;
}

/* Hand pending work to a policyd thread already waiting on the endpoint. */
static void kick(void)
{
	if (!sec.ep || sec.ep->qstate != EPQ_RECV)
		return;
	struct thread *r = container_of(sec.ep->queue.next, struct thread, wait_link);
	if (!security_deliver(r))
		return;
	list_del(&r->wait_link);
	if (list_empty(&sec.ep->queue))
		sec.ep->qstate = EPQ_IDLE;
	thread_wake(r);
}

static void lend_priority(void)
{
	u8 want = sec.starting ? BW_PRIO_MAX : sec.base_prio;
	for (struct list *l = sec.waiters.next; l != &sec.waiters; l = l->next) {
		struct thread *w = container_of(l, struct thread, wait_link);
		if (w->sn.prio > want)
			want = w->sn.prio;
	}
	if (sec.thread->sn.prio != want && sec.thread->state != TS_EXITED)
		thread_set_prio(sec.thread, want);
}

static u64 park(struct thread *t, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	if (!query_add(ssid, tsid, cls))
		return BW_E_DENIED; /* SEC_QUERIES distinct misses outstanding: fail closed */
	t->sec_ssid = ssid;
	t->sec_tsid = tsid;
	t->sec_cls = cls;
	t->sec_perms = perms;
	/* The tick in progress is partly gone: it does not count. */
	t->sec_deadline = this_cpu()->ticks + SEC_WAIT_TICKS + 1;
	t->state = TS_BLOCKED_SEC;
	t->waiting_on = &sec.wait_obj;
	t->ctx.pc -= 4; /* the svc re-executes once the answer is in */
	list_add_tail(&sec.waiters, &t->wait_link);
	lend_priority();
	kick();
	return RET_BLOCKED;
}

/* A fault report parks without touching pc: the report itself, not the
 * faulting instruction, is what is retried. */
static u64 park_fault(struct thread *t, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	if (!query_add(ssid, tsid, cls))
		return BW_E_DENIED;
	t->sec_ssid = ssid;
	t->sec_tsid = tsid;
	t->sec_cls = cls | FAULT_WAIT;
	t->sec_perms = perms;
	t->sec_deadline = this_cpu()->ticks + SEC_WAIT_TICKS + 1;
	t->state = TS_BLOCKED_SEC;
	t->waiting_on = &sec.wait_obj;
	list_add_tail(&sec.waiters, &t->wait_link);
	lend_priority();
	kick();
	return RET_BLOCKED;
}

/* A thread that waited in vain: its system call fails, audited; a parked
 * fault report cannot be failed to the thread, so the thread stops, as
 * when the decision denies the report. */
static void fail_waiter(struct thread *w)
{
	list_del(&w->wait_link);
	audit(w->task, w->tid, w->sec_ssid, w->sec_tsid, w->sec_cls & ~(LABEL_KEY | FAULT_WAIT), w->sec_perms, 0);
	if (w->sec_cls & FAULT_WAIT) {
		w->waiting_on = NULL;
		thread_fault_abandoned(w, "fault report: no decision from the security server");
		return;
	}
	w->ctx.pc += 4;
	thread_wake_result(w, BW_E_DENIED);
}

/* ---- restart ------------------------------------------------------------------ */

/* One region of policyd's boot image back to its initial contents. */
static void reset_region(struct task *tk, u64 va, u64 size, const u8 *data, u64 file_size, u32 attrs)
{
	for (u32 i = 0; i < TASK_MAPS; i++) {
		struct mapping *m = &tk->map[i];
		if (!m->size || m->obj || m->va != va || m->size != size)
			continue;
		u8 *mem = phys_to_virt(m->pa);
		for (u64 b = 0; b < file_size; b++)
			mem[b] = data[b];
		for (u64 b = file_size; b < size; b++)
			mem[b] = 0;
		if (attrs & PT_X)
			arch_sync_icache(mem, size);
		return;
	}
}

/* The slots policyd's boot handles occupy (its task, its thread, then the
 * description's grants, explicit slots first as boot.c placed them). */
static bool boot_slot(u32 slot)
{
	const struct boot_desc *d = sec.boot;
	if (slot == 1 || slot == 2)
		return true;
	u32 unslotted = 0;
	for (u32 i = 0; i < d->ncaps; i++) {
		if (d->caps[i].task != 0)
			continue;
		if (d->caps[i].slot == slot)
			return true;
		unslotted += d->caps[i].slot == 0;
	}
	for (u32 s = 3; s < slot && unslotted; s++) {
		bool explicit = false;
		for (u32 i = 0; i < d->ncaps; i++)
			explicit |= d->caps[i].task == 0 && d->caps[i].slot == s;
		unslotted -= !explicit;
	}
	return unslotted != 0;
}

/* policyd died.  The kernel gives the same task back its boot image (code,
 * data, zeroed bss and stack), only its boot handles, and its first thread
 * at the entry point; that policyd rebuilds its state exactly as at boot,
 * from the boot SID table and the last policy loaded (kept by the kernel,
 * BW_SEC_KEEP_POLICY), and every decision fails closed until its boot scan
 * has ended.  Not preemptible: it is rare, and bounded by policyd's size. */
static void restart_server(void)
{
	const struct boot_task *bt = &sec.boot->tasks[0];
	struct task *tk = sec.task;
	struct thread *th = sec.thread;
	for (u32 i = 0; i < TASK_MAPS; i++) {
		struct mapping *m = &tk->map[i];
		if (m->size && m->obj)
			while (!task_unmap_step(tk, m))
				;
	}
	arch_tlb_flush_vmid(tk->s2.vttbr);
	for (u32 r = bt->first_region; r < bt->first_region + bt->nregions; r++) {
		const struct boot_region *br = &sec.boot->regions[r];
		reset_region(tk, br->va, br->size, br->data, br->file_size, br->attrs);
	}
	if (bt->stack_size)
		reset_region(tk, bt->stack_top - bt->stack_size, bt->stack_size, NULL, 0, PT_R | PT_W);
	for (u32 i = 1; i < HT_SLOTS; i++) {
		struct handle_entry *e = &tk->ht.slot[i];
		if (e->obj && !boot_slot(i)) {
			struct kobj *o = ht_remove(&tk->ht, ht_handle(i, e->gen));
			if (o)
				obj_put(o);
		}
	}
	if (th->state == TS_EXITED) {
		obj_get(&th->obj); /* its life again */
		tk->threads++;
	}
	th->ctx = (struct regs){.pc = bt->entry, .sp = bt->stack_top, .spsr = SPSR_EL0T};
	th->tpidr = 0;
	th->fp = (struct fpstate){0};
	th->caller = NULL;
	th->sn.prio = BW_PRIO_MAX;
	sec.starting = true;
	/* Whatever was asked of the dead one is asked again; its audit
	 * notice was lost with it. */
	for (u32 i = 0; i < SEC_QUERIES; i++)
		sec.q[i].sent = false;
	sec.note = sec.count || sec.suppressed || sec.lost ? NOTE_DUE : NOTE_NONE;
	sec.rebuilding = true;
	sec.dead_since = 0;
	sec.restarts++;
	kprintf("[kernel] security server restarted (%u): failing closed until it has rebuilt its state\n",
		sec.restarts);
	thread_wake(th);
}

static void watch_server(void)
{
	if (!sec.task || !server_dead())
		return;
	u64 now = this_cpu()->ticks;
	if (!sec.dead_since)
		sec.dead_since = now ? now : 1;
	else if (now - sec.dead_since >= SEC_RESTART_TICKS)
		restart_server();
}

void security_tick(void)
{
	if (!sec.policy)
		return;
	/* A flood has ended: say how much the rate limit swallowed, even if
	 * no record follows. */
	if (sec.suppressed && sec.note == NOTE_NONE && this_cpu()->ticks >= sec.refill_at) {
		sec.note = NOTE_DUE;
		kick();
	}
	watch_server();
	if (list_empty(&sec.waiters))
		return;
	bool dead = !server_alive();
	u64 now = this_cpu()->ticks;
	struct list *l = sec.waiters.next;
	while (l != &sec.waiters) {
		struct thread *w = container_of(l, struct thread, wait_link);
		l = l->next;
		if (dead || now >= w->sec_deadline) {
			struct query *q = query_find(w->sec_ssid, w->sec_tsid, w->sec_cls & ~FAULT_WAIT);
			if (q)
				q->used = false;
			fail_waiter(w);
		}
	}
	lend_priority();
}

static u64 decide(const struct thread *subject, const struct avc_entry *e, u32 ssid, u32 tsid, u32 cls,
		  u32 perms)
{
	u32 denied = perms & ~e->allowed;
	if (!denied) {
		if (perms & e->auditallow)
			audit_thread(subject, ssid, tsid, cls, perms & e->auditallow, BW_AUDIT_GRANTED);
		return BW_OK;
	}
	bool permissive = !sec.enforcing || (e->flags & AVC_F_PERMISSIVE);
	if (denied & e->auditdeny)
		audit_thread(subject, ssid, tsid, cls, denied, permissive ? BW_AUDIT_PERMISSIVE : 0);
	if (!permissive)
		return BW_E_DENIED;
	avc_grant_audited(&avc, ssid, tsid, cls, denied); /* logged once */
	return BW_OK;
}

u64 security_check_slow(u32 ssid, u32 tsid, u32 cls, u32 perms, bool may_block)
{
	if (!sec.policy) {
		/* No policy in the image: allow all, cached so hits stay cheap. */
		struct avc_decision all = {.allowed = ~0u};
		avc_insert(&avc, ssid, tsid, cls, &all, avc.seq);
		return BW_OK;
	}
	struct thread *t = current();
	const struct avc_entry *e = avc_find(&avc, ssid, tsid, cls);
	if (e)
		return decide(t, e, ssid, tsid, cls, perms);
	/* Fail closed: nobody to ask, or policyd itself (it cannot wait on
	 * itself; what it primed is pinned, so this is a decision it never
	 * primed), or no way to wait. */
	if (!server_alive() || !may_block || !t || t->task == sec.task) {
		if (server_alive() && query_add(ssid, tsid, cls))
			kick(); /* so that the next attempt may hit */
		audit_current(ssid, tsid, cls, perms, 0);
		return BW_E_DENIED;
	}
	return park(t, ssid, tsid, cls, perms);
}

u64 security_check_fault(struct thread *t, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	if (!sec.policy)
		return security_check_slow(ssid, tsid, cls, perms, false);
	const struct avc_entry *e = avc_find(&avc, ssid, tsid, cls);
	if (e)
		return decide(t, e, ssid, tsid, cls, perms);
	if (!server_alive() || t->task == sec.task) {
		audit_thread(t, ssid, tsid, cls, perms, 0);
		return BW_E_DENIED;
	}
	return park_fault(t, ssid, tsid, cls, perms);
}

static struct label *label_slot(u32 ssid, u32 tsid, u32 cls)
{
	return &sec.labels[((ssid << 3) ^ tsid ^ (cls << 5)) % LABEL_SLOTS];
}

u64 security_label(u32 ssid, u32 tsid, u32 cls, u32 *sid)
{
	if (!sec.policy) {
		*sid = ssid; /* no policy: a new object is its creator's */
		return BW_OK;
	}
	const struct label *l = label_slot(ssid, tsid, cls);
	if (l->sid && l->ssid == ssid && l->tsid == tsid && l->cls == cls) {
		*sid = l->sid;
		return BW_OK;
	}
	struct thread *t = current();
	if (t && t->task == sec.task) {
		*sid = ssid; /* policyd's own regions: it cannot wait on itself */
		return BW_OK;
	}
	if (!server_alive() || !t) {
		audit_current(ssid, tsid, cls, 0, 0);
		return BW_E_DENIED;
	}
	return park(t, ssid, tsid, cls | LABEL_KEY, 0);
}

/* Wakes the threads waiting for key; each re-runs its system call, and
 * each parked fault report is delivered again.  Those come last, off the
 * waiter list: a stale answer parks them again, and the walk must not meet
 * them a second time. */
static void wake_waiters(u32 ssid, u32 tsid, u32 key, bool fail)
{
	struct query *q = query_find(ssid, tsid, key);
	if (q)
		q->used = false;
	struct list reports;
	list_init(&reports);
	struct list *l = sec.waiters.next;
	while (l != &sec.waiters) {
		struct thread *w = container_of(l, struct thread, wait_link);
		l = l->next;
		if (w->sec_ssid != ssid || w->sec_tsid != tsid || (w->sec_cls & ~FAULT_WAIT) != key)
			continue;
		if (fail) {
			fail_waiter(w);
		} else if (w->sec_cls & FAULT_WAIT) {
			list_del(&w->wait_link);
			list_add_tail(&reports, &w->wait_link);
		} else {
			list_del(&w->wait_link);
			thread_wake(w);
		}
	}
	while (!list_empty(&reports)) {
		struct thread *w = container_of(reports.next, struct thread, wait_link);
		list_del(&w->wait_link);
		w->waiting_on = NULL;
		ipc_send_fault(w, w->last_esr, w->fault_far);
	}
	lend_priority();
}

/* policyd's own decision found no row in the pinned level: from now on it
 * depends on cache luck again, which must not go unnoticed. */
static void say_unpinned(u32 tsid, u32 cls)
{
	if (!avc.pin_overflows || sec.unpinned_said)
		return;
	sec.unpinned_said = true;
	kprintf("[kernel] security: the security server's decision (%u, %u, class %u) cannot be pinned "
		"(%u rows): it may be evicted and then fail closed\n",
		avc.pin_ssid, tsid, cls, avc.pin_sids);
	audit(sec.task, 0, avc.pin_ssid, tsid, cls, 0, BW_AUDIT_UNPINNED);
}

/* ---- revocation -------------------------------------------------------------- */

static struct task *task_after(u32 id)
{
	struct task *best = NULL;
	for (struct list *l = sec.tasks.next; l != &sec.tasks; l = l->next) {
		struct task *t = container_of(l, struct task, all_link);
		if (t->id >= id && (!best || t->id < best->id))
			best = t;
	}
	return best;
}

/* What a live binding needs, in the kernel's class numbering. */
static bool mapping_need(const struct mapping *m, u32 *cls, u32 *perms)
{
	if (!m->size || !m->obj)
		return false;
	if (m->obj->type == KOBJ_SHM) {
		*cls = SC_SHM;
		*perms = (m->attrs & PT_R ? P_SHM_MAP_READ : 0) | (m->attrs & PT_W ? P_SHM_MAP_WRITE : 0) |
			 (m->attrs & PT_X ? P_SHM_MAP_EXEC : 0);
		return true;
	}
	if (m->obj->type == KOBJ_DEVICE) {
		*cls = SC_DEVICE;
		*perms = P_DEVICE_MAP_MMIO;
		return true;
	}
	return false;
}

static bool enforced_denial(const struct avc_entry *e, u32 perms)
{
	return (perms & ~e->allowed) && sec.enforcing && !(e->flags & AVC_F_PERMISSIVE) && !sec.prefill_only;
}

/* What queued thread w still exercises on the object: a receiver or a
 * waiter its receive or wait; a queued sender its send or call (as the VM
 * it speaks for, if it does); a queued fault report its call. */
static u32 waiter_need(const struct thread *w, u32 cls, bool sending, u32 *ssid)
{
	*ssid = w->task->obj.sid;
	if (cls == SC_NOTIFICATION)
		return P_NOTIFICATION_WAIT;
	if (!sending)
		return P_IPC_RECEIVE;
	if (w->fault_pending)
		return P_IPC_CALL;
	if (w->is_call && (w->ctx.x[1] & BW_INFO_AS_VM))
		*ssid = w->as_sid;
	return w->is_call ? P_IPC_CALL : P_IPC_SEND;
}

/* A thread queued on an endpoint or a notification passed its check when
 * it queued, and nothing checks it again when a peer arrives: the one use
 * of a handle that outlives the check.  Each queued thread (of any task:
 * its own handle may be closed by now) whose permission the new policy
 * denies leaves the queue with BW_E_DENIED, audited as revoked.  The walk
 * restarts from the queue's head after a NEED or MORE, which is safe
 * because the threads it refused are gone from the queue. */
static u64 revoke_waiters(struct thread *me, struct kobj *o, u32 cls)
{
	struct endpoint *ep = cls == SC_IPC ? container_of(o, struct endpoint, obj) : NULL;
	struct list *q = ep ? &ep->queue : &container_of(o, struct notification, obj)->waiters;
	bool sending = ep && ep->qstate == EPQ_SEND;
	struct list *l = q->next;
	while (l != q) {
		struct thread *w = container_of(l, struct thread, wait_link);
		l = l->next;
		u32 ssid;
		u32 perms = waiter_need(w, cls, sending, &ssid);
		const struct avc_entry *e = avc_lookup(&avc, ssid, o->sid, cls);
		if (!e) {
			me->ctx.x[2] = ssid;
			me->ctx.x[3] = o->sid;
			me->ctx.x[4] = cls;
			return BW_REVOKE_NEED;
		}
		if (!enforced_denial(e, perms))
			continue;
		audit(w->task, w->tid, ssid, o->sid, cls, perms, BW_AUDIT_REVOKED);
		sec.revoked++;
		if (ep)
			ipc_waiter_revoke(ep, w);
		else
			notify_waiter_revoke(w);
		if (irq_pending())
			return BW_REVOKE_MORE;
	}
	return BW_REVOKE_DONE;
}

/* One step; x1 = BW_REVOKE_*. */
static u64 revoke_step(struct thread *me)
{
	while (sec.revoking) {
		struct task *t = task_after(sec.rv_task);
		u32 vm_sid, ep_sid;
		if (!t && vcpu_exit_decision_missing(&sec.rv_vcpu, &vm_sid, &ep_sid)) {
			me->ctx.x[2] = vm_sid;
			me->ctx.x[3] = ep_sid;
			me->ctx.x[4] = SC_IPC;
			return BW_REVOKE_NEED;
		}
		if (!t) {
			sec.revoking = false;
			if (sec.prefill_only) {
				sec.rebuilding = false; /* a restarted policyd is ready */
				sec.starting = false;
				lend_priority(); /* down to its base */
			}
			break;
		}
		if (t->id != sec.rv_task) {
			sec.rv_task = t->id;
			sec.rv_phase = 0;
			sec.rv_index = 0;
		}
		u32 limit = sec.rv_phase == 0 ? TASK_MAPS : HT_SLOTS;
		if (sec.rv_index >= limit) {
			sec.rv_index = 0;
			if (++sec.rv_phase == 2) {
				sec.rv_task = t->id + 1;
				sec.rv_phase = 0;
			}
			continue;
		}
		u32 cls = 0, perms = 0, tsid = 0;
		struct mapping *m = NULL;
		struct handle_entry *h = NULL;
		if (sec.rv_phase == 0) {
			m = &t->map[sec.rv_index];
			if (mapping_need(m, &cls, &perms))
				tsid = m->obj->sid;
		} else {
			h = &t->ht.slot[sec.rv_index];
			/* Devices and regions are revoked through their mappings;
			 * their decisions are fetched too so that the statically
			 * declared bindings never miss (the boot scan is the
			 * precomputation of every channel's decision). */
			static const u8 class_of[KOBJ_TYPES] = {[KOBJ_ENDPOINT] = SC_IPC,
								[KOBJ_NOTIFY] = SC_NOTIFICATION,
								[KOBJ_SHM] = SC_SHM,
								[KOBJ_DEVICE] = SC_DEVICE};
			if (h->obj && h->obj->type < KOBJ_TYPES && class_of[h->obj->type]) {
				tsid = h->obj->sid;
				cls = class_of[h->obj->type];
			}
		}
		if (!cls) {
			sec.rv_index++;
			continue;
		}
		const struct avc_entry *e = avc_lookup(&avc, t->obj.sid, tsid, cls);
		if (!e) {
			me->ctx.x[2] = t->obj.sid;
			me->ctx.x[3] = tsid;
			me->ctx.x[4] = cls;
			return BW_REVOKE_NEED;
		}
		if (m) {
			if (enforced_denial(e, perms)) {
				if (!m->done)
					audit(t, 0, t->obj.sid, tsid, cls, perms & ~e->allowed, BW_AUDIT_REVOKED);
				while (!task_unmap_step(t, m))
					if (irq_pending())
						return BW_REVOKE_MORE;
				arch_tlb_flush_vmid(t->s2.vttbr);
				sec.revoked++;
			}
		} else if (cls == SC_DEVICE) {
			/* An IRQ binding is re-checked against the task that made
			 * it (a boot binding: the driver the description named). */
			struct device *d = container_of(h->obj, struct device, obj);
			if (d->irq_notify && d->irq_binder == t->obj.sid &&
			    enforced_denial(e, P_DEVICE_BIND_IRQ)) {
				device_irq_unbind(d);
				audit(t, 0, t->obj.sid, tsid, cls, P_DEVICE_BIND_IRQ, BW_AUDIT_REVOKED);
				sec.revoked++;
			}
		} else if (cls == SC_SHM) {
			/* nothing bound by the handle alone: mappings are revoked above */
		} else {
			/* The handle keeps its rights: every use is checked, so a
			 * later policy that allows it again restores it. */
			u64 r = revoke_waiters(me, h->obj, cls);
			if (r != BW_REVOKE_DONE)
				return r;
		}
		sec.rv_index++;
		if (irq_pending())
			return BW_REVOKE_MORE;
	}
	return BW_REVOKE_DONE;
}

/* ---- the system call ----------------------------------------------------------- */

static u64 read_boot(struct thread *t)
{
	u64 what = t->ctx.x[1], buf = t->ctx.x[2], cap = t->ctx.x[3];
	const void *src;
	u64 len;
	if (what == 0) {
		src = sec.kept_policy ? sec.kept_policy : sec.boot->policy;
		len = sec.kept_policy ? sec.kept_size : sec.boot->policy_size;
	} else if (what < sec.boot->nsids) {
		src = sec.boot->sid_context[what];
		len = 0;
		while (((const char *)src)[len])
			len++;
	} else {
		return BW_E_RANGE;
	}
	if (cap && !copy_to_user(t->task, buf, src, len < cap ? len : cap))
		return BW_E_FAULT;
	t->ctx.x[1] = len;
	return BW_OK;
}

static u64 answer(struct thread *t)
{
	u32 ssid = (u32)t->ctx.x[1], tsid = (u32)t->ctx.x[2], cls = (u32)t->ctx.x[3];
	struct avc_decision d = {.allowed = (u32)t->ctx.x[4],
				 .auditallow = (u32)(t->ctx.x[4] >> 32),
				 .auditdeny = (u32)t->ctx.x[5],
				 .flags = (t->ctx.x[3] >> 32) & BW_SEC_F_PERMISSIVE ? AVC_F_PERMISSIVE : 0};
	if (!cls || cls >= SC_COUNT)
		return BW_E_INVAL;
	bool cached = avc_insert(&avc, ssid, tsid, cls, &d, (u32)(t->ctx.x[5] >> 32));
	say_unpinned(tsid, cls);
	wake_waiters(ssid, tsid, cls, false);
	t->ctx.x[1] = cached;
	return BW_OK;
}

/* A new object's label; SID 0: policyd could not label it (fails closed). */
static u64 answer_label(struct thread *t)
{
	u32 ssid = (u32)t->ctx.x[1], tsid = (u32)t->ctx.x[2], cls = (u32)t->ctx.x[3];
	u32 sid = (u32)t->ctx.x[4], seq = (u32)t->ctx.x[5];
	if (!cls || cls >= SC_COUNT)
		return BW_E_INVAL;
	bool cached = sid && seq == avc.seq;
	if (cached)
		*label_slot(ssid, tsid, cls) = (struct label){.ssid = ssid, .tsid = tsid, .cls = cls, .sid = sid};
	wake_waiters(ssid, tsid, cls | LABEL_KEY, sid == 0);
	t->ctx.x[1] = cached;
	return BW_OK;
}

static u64 audit_read(struct thread *t)
{
	u64 buf = t->ctx.x[1], cap = t->ctx.x[2], n = 0;
	while (n < cap && sec.count) {
		if (!copy_to_user(t->task, buf + n * sizeof(struct bw_audit_record), &sec.ring[sec.head],
				  sizeof(struct bw_audit_record)))
			return BW_E_FAULT;
		sec.head = (sec.head + 1) % AUDIT_RING;
		sec.count--;
		n++;
	}
	t->ctx.x[1] = n;
	t->ctx.x[2] = sec.suppressed;
	t->ctx.x[3] = sec.lost;
	sec.suppressed = sec.lost = 0;
	sec.note = sec.count ? NOTE_DUE : NOTE_NONE;
	return BW_OK;
}

/* The policy policyd just put in force, kept for a restart: a copy in
 * kernel memory, so neither a client nor a dying policyd can change it. */
static u64 keep_policy(struct thread *t)
{
	u64 buf = t->ctx.x[1], len = t->ctx.x[2];
	u64 pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!len || len > (1ull << 30))
		return BW_E_RANGE;
	u8 *copy = kpage_alloc_dirty(NULL, pages);
	if (!copy)
		return BW_E_NOMEM;
	if (!copy_from_user(t->task, copy, buf, len)) {
		kpage_free(NULL, copy, pages);
		return BW_E_FAULT;
	}
	if (sec.kept_policy)
		kpage_free(NULL, sec.kept_policy, (sec.kept_size + PAGE_SIZE - 1) / PAGE_SIZE);
	sec.kept_policy = copy;
	sec.kept_size = len;
	return BW_OK;
}

u64 sys_security(struct thread *t)
{
	if (!sec.policy || t->task != sec.task)
		return BW_E_DENIED; /* only the security server, and only with a policy */
	switch (t->ctx.x[0]) {
	case BW_SEC_REGISTER: {
		struct handle_entry *e;
		u32 err = ht_lookup(&t->task->ht, (u32)t->ctx.x[1], KOBJ_ENDPOINT, BW_R_RECV, &e);
		if (err)
			return err;
		struct endpoint *ep = container_of(e->obj, struct endpoint, obj);
		obj_get(&ep->obj);
		if (sec.ep) {
			sec.ep->upcall = false;
			obj_put(&sec.ep->obj);
		}
		sec.ep = ep;
		ep->upcall = true; /* its receives take the general path */
		t->ctx.x[1] = avc.seq;
		t->ctx.x[2] = sec.boot->nsids;
		t->ctx.x[3] = sec.kept_policy ? sec.kept_size : sec.boot->policy_size;
		t->ctx.x[4] = sec.boot->kernel_sid;
		t->ctx.x[5] = t->task->obj.sid;
		t->ctx.x[6] = sec.enforcing;
		t->ctx.x[7] = sec.restarts;
		return BW_OK;
	}
	case BW_SEC_READ_BOOT:
		return read_boot(t);
	case BW_SEC_ANSWER:
		return answer(t);
	case BW_SEC_ANSWER_LABEL:
		return answer_label(t);
	case BW_SEC_NEW_POLICY:
		avc_flush(&avc, (u32)t->ctx.x[1]);
		for (u32 i = 0; i < LABEL_SLOTS; i++)
			sec.labels[i].sid = 0;
		sec.enforcing = t->ctx.x[2] != 0;
		sec.prefill_only = t->ctx.x[3] != 0;
		sec.revoking = true;
		sec.rv_task = 0;
		sec.rv_vcpu = 0;
		sec.rv_phase = sec.rv_index = 0;
		/* Waiters asked under the old policy: they ask again. */
		for (u32 i = 0; i < SEC_QUERIES; i++)
			sec.q[i].sent = false;
		return BW_OK;
	case BW_SEC_REVOKE:
		t->ctx.x[1] = revoke_step(t);
		return BW_OK;
	case BW_SEC_AUDIT_READ:
		return audit_read(t);
	case BW_SEC_KEEP_POLICY:
		return keep_policy(t);
	case BW_SEC_CALLER:
		if (!t->caller)
			return BW_E_STATE;
		if (t->ctx.x[1] && !copy_to_user(t->task, t->ctx.x[1], t->caller->task->name, TASK_NAME_LEN))
			return BW_E_FAULT;
		t->ctx.x[1] = t->caller->ctx.x[1] & BW_INFO_AS_VM ? t->caller->as_sid : t->caller->task->obj.sid;
		t->ctx.x[2] = t->caller->tid;
		return BW_OK;
	case BW_SEC_STAT:
		switch (t->ctx.x[1]) {
		case BW_SEC_STAT_HITS_INSERTS: t->ctx.x[1] = avc.inserts; return BW_OK;
		case BW_SEC_STAT_REVOKED: t->ctx.x[1] = sec.revoked; return BW_OK;
		case BW_SEC_STAT_QUERIES: t->ctx.x[1] = sec.queries; return BW_OK;
		}
		return BW_E_INVAL;
	}
	return BW_E_INVAL;
}

void security_bench_flush(void)
{
	u32 keep = sec.task ? sec.task->obj.sid : 0;
	for (u32 i = 0; i < AVC_SLOTS; i++)
		if ((u32)(avc.slot[i].key >> 32) != keep)
			avc.slot[i] = (struct avc_entry){0};
	/* As a flush does: a key whose slot is empty has no victim copy. */
	for (u32 i = 0; i < AVC_VICTIMS; i++)
		if ((u32)(avc.victim[i].key >> 32) != keep)
			avc.victim[i] = (struct avc_entry){0};
}

void security_boot(const struct boot_desc *d, struct task *server, struct thread *server_thread)
{
	list_init(&sec.waiters);
	sec.boot = d;
	sec.tokens = AUDIT_BURST;
	if (!d->policy_size || !server)
		return;
	sec.policy = true;
	sec.enforcing = true;
	sec.task = server;
	sec.thread = server_thread;
	obj_get(&server_thread->obj);
	sec.base_prio = server_thread->sn.prio;
	sec.starting = true;
	thread_set_prio(server_thread, BW_PRIO_MAX);
	u32 rows = d->nsids + PIN_EXTRA_SIDS;
	u64 pages = ((u64)rows * SC_COUNT * sizeof(struct avc_entry) + PAGE_SIZE - 1) / PAGE_SIZE;
	struct avc_entry *pin = kpage_alloc(NULL, pages);
	if (!pin)
		kprintf("[kernel] security: no memory to pin the security server's decisions\n");
	avc_pin_init(&avc, server->obj.sid, pin, rows, SC_COUNT);
	avc_flush(&avc, 1);
	kprintf("[kernel] security server: task %s, policy %lu bytes, %u SIDs\n", server->name,
		d->policy_size, d->nsids);
}
