/* The MMIO short path: accesses to a few registers of one emulated device
 * page, completed in the kernel without a round trip through the VMM (in
 * the spirit of KVM's coalesced MMIO, plus reads answered from a value the
 * VMM publishes).  A guest's console costs two exits per character
 * otherwise (a flag-register poll and a data-register write), each of
 * which switches the CPU between guest and VMM configurations.
 *
 * Ordering is kept by the VMM, which drains the ring before it handles any
 * other exit: a write the kernel absorbed reaches the device model before
 * every access that exits after it. */
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/mmio_fast.h>
#include <kernel/mmio_ring.h>
#include <kernel/security.h>
#include <kernel/vcpu.h>

static void wake_vmm(struct mmio_fast *f)
{
	notify_signal(f->wake, f->wake_bits);
}

void mmio_fast_kick(struct mmio_fast *f)
{
	if (f->page && mmio_ring_used(f->head, f->page) != 0)
		wake_vmm(f);
}

/* A guest that neither idles nor exits (its timer is hardware-linked)
 * still has what it wrote seen within two ticks; one that keeps writing
 * is not woken for here (a newline or half a ring will do it). */
void mmio_fast_tick(struct mmio_fast *f)
{
	if (f->head == f->tick_head)
		mmio_fast_kick(f);
	f->tick_head = f->head;
}

static bool absorb_write(struct thread *t, struct mmio_fast *f, u64 esr, u16 offset, unsigned bytes)
{
	unsigned rt = bw_abort_reg(esr);
	u64 value = rt == 31 ? 0 : t->ctx.x[rt];
	if (bytes < 4)
		value &= (1ull << (bytes * 8)) - 1;
	switch (mmio_ring_append(&f->head, f->page, offset, (u16)bytes, (u32)value,
				 f->flags & BW_MMIO_FAST_WAKE_NEWLINE)) {
	case MMIO_RING_FULL:
		f->page->full_exits++;
		return false;
	case MMIO_RING_BAD_TAIL:
		f->page->refused_exits++;
		if (!f->told_bad_tail)
			kprintf("[kernel] task %s: MMIO short path: ring tail %u is not believable (head %u); "
				"writes exit instead\n", t->task->name, f->page->tail, f->head);
		f->told_bad_tail = true;
		return false;
	case MMIO_RING_WAKE:
		wake_vmm(f);
		break;
	case MMIO_RING_QUEUED:
		break;
	}
	f->page->writes_absorbed++;
	return true;
}

bool mmio_fast_abort(struct thread *t, struct vcpu *v, u64 esr, u64 ipa)
{
	struct mmio_fast *f = &v->fast;
	if ((ipa & ~PAGE_MASK) != f->ipa || !bw_abort_decoded(esr))
		return false;
	unsigned bytes = bw_abort_bytes(esr);
	u16 offset = (u16)(ipa & PAGE_MASK);
	if (bytes > 4)
		return false;
	if (bw_abort_is_write(esr)) {
		if (mmio_ring_find(f->write_offset, offset) < 0 || !absorb_write(t, f, esr, offset, bytes))
			return false;
	} else {
		int i = mmio_ring_find(f->read_offset, offset);
		if (i < 0)
			return false;
		u32 value = __atomic_load_n(&f->page->read_value[i], __ATOMIC_ACQUIRE);
		unsigned rt = bw_abort_reg(esr);
		if (rt != 31)
			t->ctx.x[rt] = vcpu_load_value(esr, value);
		f->page->reads_answered++;
	}
	t->ctx.pc += 4;
	return true;
}

void mmio_fast_release(struct mmio_fast *f)
{
	if (f->page) {
		obj_put(&f->shm->obj);
		obj_put(&f->wake->obj);
	}
	*f = (struct mmio_fast){0};
}

u64 sys_mmio_fast(struct thread *t)
{
	struct handle_entry *e, *se, *ne;
	u32 err;
	if ((err = ht_lookup(&t->task->ht, (u32)t->ctx.x[0], KOBJ_THREAD, BW_R_MANAGE, &e)))
		return err;
	struct thread *vc = container_of(e->obj, struct thread, obj);
	if (!vc->vcpu)
		return BW_E_INVAL;
	u32 sid = t->task->obj.sid;
	u64 deny = check(sid, vc->task->obj.sid, SC_VM, P_VM_RUN);
	if (deny)
		return deny;
	struct mmio_fast *f = &vc->vcpu->fast;
	if (t->ctx.x[2] == 0) {
		mmio_fast_release(f);
		return BW_OK;
	}
	u64 ipa = t->ctx.x[1], flags = t->ctx.x[4];
	if (!ALIGNED(ipa, PAGE_SIZE) || ipa >= BW_USER_END || (flags & ~BW_MMIO_FAST_WAKE_NEWLINE))
		return BW_E_INVAL;
	if ((err = ht_lookup(&t->task->ht, (u32)t->ctx.x[2], KOBJ_SHM, BW_R_WRITE, &se)) ||
	    (err = ht_lookup(&t->task->ht, (u32)t->ctx.x[3], KOBJ_NOTIFY, BW_R_SEND, &ne)))
		return err;
	struct shm *s = container_of(se->obj, struct shm, obj);
	struct notification *n = container_of(ne->obj, struct notification, obj);
	if (s->size < PAGE_SIZE)
		return BW_E_INVAL;
	if ((deny = check(sid, s->obj.sid, SC_SHM, P_SHM_MAP_WRITE)) ||
	    (deny = check(sid, n->obj.sid, SC_NOTIFICATION, P_NOTIFICATION_SIGNAL)))
		return deny;
	struct bw_mmio_fast *page = phys_to_virt(s->pa);
	u16 wr[BW_MMIO_FAST_REGS], rd[BW_MMIO_FAST_REGS];
	/* Copied once: what the kernel acts on cannot change under it. */
	for (int i = 0; i < BW_MMIO_FAST_REGS; i++) {
		wr[i] = page->write_offset[i];
		rd[i] = page->read_offset[i];
		if (!mmio_ring_offset_ok(wr[i]) || !mmio_ring_offset_ok(rd[i]))
			return BW_E_INVAL;
	}
	obj_get(&s->obj);
	obj_get(&n->obj);
	mmio_fast_release(f);
	*f = (struct mmio_fast){.page = page, .shm = s, .wake = n, .wake_bits = ne->badge ? ne->badge : 1,
				.ipa = ipa, .flags = flags};
	for (int i = 0; i < BW_MMIO_FAST_REGS; i++) {
		f->write_offset[i] = wr[i];
		f->read_offset[i] = rd[i];
	}
	__atomic_store_n(&page->head, 0, __ATOMIC_RELEASE);
	return BW_OK;
}

/* struct vcpu lives in one kernel page, short path included. */
_Static_assert(sizeof(struct vcpu) <= PAGE_SIZE, "struct vcpu outgrew its page");
