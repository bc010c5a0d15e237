/* Virtual CPUs: creation, VM exits, the VMM's replies, virtual interrupts.
 *
 * A vCPU is an ordinary thread (scheduling, fault endpoint, teardown) whose
 * task is a VM and whose thread->vcpu holds the rest of a CPU.  The kernel
 * handles the exits that need no policy (FP switch, WFI/WFE, ID registers);
 * everything else goes to the VMM as a fault message (bulwark/vcpu.h) and
 * the vCPU waits for the reply, exactly like a faulting native thread. */
#include <bulwark/vcpu.h>
#include <kernel/kernel.h>
#include <kernel/security.h>
#include <kernel/vcpu.h>
#include <arch/sysreg.h>

#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define SPSR_EL1H_MASKED 0x3c5ull /* EL1h, D A I F masked: the boot protocol */
#define CNTV_ENABLE 1ull
#define CNTV_IMASK 2ull
#define MAX_VCPUS 16

/* Every live vCPU: the tick scans them for expired timers of waiting ones. */
static struct vcpu *vcpus[MAX_VCPUS];
/* Whose state is in the registers (one CPU): the running vCPU, or the last
 * one while the CPU idles after it blocked. */
static struct vcpu *loaded;

void fp_switch(struct thread *t);

static void queue_virq(struct vcpu *v, u32 intid)
{
	for (u32 i = 0; i < v->queued; i++)
		if (v->queue[i] == intid)
			return; /* already pending: a level, not a count */
	if (v->queued == VCPU_QUEUE) {
		v->dropped++;
		return;
	}
	v->queue[v->queued++] = intid;
}

static void wake_waiting(struct vcpu *v)
{
	if (v->waiting && v->thread->state == TS_BLOCKED_NOTIFY) {
		v->waiting = false;
		thread_wake(v->thread);
	}
}

/* Make a virtual interrupt pending; the LRs are filled on the next entry. */
static void inject(struct vcpu *v, u32 intid)
{
	queue_virq(v, intid);
	wake_waiting(v);
}

static bool has_pending(const struct vcpu *v)
{
	if (v->queued)
		return true;
	for (int i = 0; i < VCPU_LRS; i++)
		if ((v->lr[i] >> 62) == 1)
			return true;
	return false;
}

static bool timer_fired(const struct vcpu *v)
{
	return (v->cntv_ctl & (CNTV_ENABLE | CNTV_IMASK)) == CNTV_ENABLE &&
	       vcpu_arch_vcount(v) >= v->cntv_cval;
}

/* A descheduled vCPU's timer is software: the kernel's wake-up timer (the
 * EL1 physical timer, which guests may not touch) is armed for the earliest
 * deadline of the vCPUs waiting in WFI, and the tick checks them too.  A
 * loaded vCPU's timer is live in the hardware: its own PPI says. */
static bool timer_armed(const struct vcpu *v)
{
	return (v->cntv_ctl & (CNTV_ENABLE | CNTV_IMASK)) == CNTV_ENABLE;
}

/* What the wake-up timer holds (0: unknown).  The tick recomputes the
 * deadline every millisecond and it rarely changes: rewriting the timer
 * anyway cost QEMU a timer update per tick, ~15 % of a Linux boot's host
 * CPU time. */
static u64 wakeup_armed;

/* Arm the wake-up timer for the earliest deadline (past ones fire at once). */
static void arm_wakeup(void)
{
	u64 earliest = ~0ull;
	for (int i = 0; i < MAX_VCPUS; i++) {
		struct vcpu *v = vcpus[i];
		if (v && v != loaded && v->waiting && timer_armed(v) && v->cntv_cval + v->cntvoff < earliest)
			earliest = v->cntv_cval + v->cntvoff;
	}
	if (earliest == wakeup_armed)
		return;
	wakeup_armed = earliest;
	vcpu_arch_wakeup_at(earliest);
}

/* Only a wake-up: the interrupt itself is linked when the vCPU is loaded
 * again (vcpu_arch_load sees the deadline passed), exactly as the hardware
 * would have raised it had the vCPU been running. */
static void wake_expired(void)
{
	for (int i = 0; i < MAX_VCPUS; i++) {
		struct vcpu *v = vcpus[i];
		if (v && v != loaded && v->waiting && timer_fired(v))
			wake_waiting(v);
	}
	arm_wakeup();
}

void vcpu_tick(void)
{
	wake_expired();
	if (loaded)
		mmio_fast_tick(&loaded->fast);
}

static void wait_for_interrupt(struct thread *t, struct vcpu *v)
{
	t->ctx.pc += 4;
	/* The LRs live in the hardware while t runs: save them first so the
	 * pending test sees the truth. */
	vcpu_arch_put(v);
	if (has_pending(v) || timer_fired(v)) {
		vcpu_arch_load(v);
		return;
	}
	vcpu_arch_load(v);
	mmio_fast_kick(&v->fast); /* what the guest wrote before it idles */
	v->waiting = true;
	t->state = TS_BLOCKED_NOTIFY;
	t->waiting_on = NULL;
}

static void to_vmm(struct thread *t, struct vcpu *v, u64 esr, u64 mr1, u64 mr3)
{
	v->exit_mr3 = mr3;
	mmio_fast_kick(&v->fast);
	ipc_send_fault(t, esr, mr1);
}

static u64 reg(const struct thread *t, unsigned r)
{
	return r == 31 ? 0 : t->ctx.x[r];
}

void vcpu_exit(struct thread *t, u64 esr)
{
	struct vcpu *v = t->vcpu;
	u64 ec = esr >> 26;
	v->exits[ec]++;
	switch (ec) {
	case EC_FP:
		fp_switch(t);
		return;
	case EC_WFX:
		if (esr & 1) { /* WFE: a spinning guest gives the CPU away */
			t->ctx.pc += 4;
			sched_yield();
		} else {
			wait_for_interrupt(t, v);
		}
		return;
	case EC_SYSREG: {
		u64 val;
		unsigned rt = (esr >> 5) & 31;
		if (bw_sysreg_is_read(esr) && vcpu_arch_id_reg(bw_sysreg_id(esr), &val)) {
			if (rt != 31)
				t->ctx.x[rt] = val;
			t->ctx.pc += 4;
			return;
		}
		to_vmm(t, v, esr, bw_sysreg_is_read(esr) ? 0 : reg(t, rt), 0);
		return;
	}
	case EC_HVC64:
	case EC_SMC64:
		to_vmm(t, v, esr, t->ctx.x[0], t->ctx.x[1]);
		return;
	case EC_DABT_LOW: {
		if (v->fast.page && mmio_fast_abort(t, v, esr, vcpu_arch_ipa()))
			return;
		u64 value = 0;
		if (bw_abort_decoded(esr) && bw_abort_is_write(esr)) {
			unsigned bytes = bw_abort_bytes(esr);
			value = reg(t, bw_abort_reg(esr));
			if (bytes < 8)
				value &= (1ull << (bytes * 8)) - 1;
		}
		to_vmm(t, v, esr, vcpu_arch_ipa(), value);
		return;
	}
	case EC_IABT_LOW:
		to_vmm(t, v, esr, vcpu_arch_ipa(), 0);
		return;
	}
	to_vmm(t, v, esr, read_sysreg(far_el2), 0);
}

u64 vcpu_fault_mr3(struct thread *t)
{
	return t->vcpu->exit_mr3;
}

u64 vcpu_load_value(u64 esr, u64 value)
{
	unsigned bytes = bw_abort_bytes(esr);
	if (bytes < 8) {
		u64 bits = bytes * 8;
		value &= (1ull << bits) - 1;
		if (bw_abort_sign_extend(esr) && (value >> (bits - 1)) & 1)
			value |= ~0ull << bits;
	}
	if (!((esr >> 15) & 1)) /* SF=0: a W register */
		value &= 0xffffffffull;
	return value;
}

void vcpu_reply(struct thread *vc, u64 flags, u64 value)
{
	u64 esr = vc->last_esr;
	u64 ec = esr >> 26;
	if (flags & BW_VCPU_RESET) {
		vcpu_reset(vc);
		return;
	}
	if (flags & BW_VCPU_LOAD) {
		unsigned r = 31;
		if (ec == EC_DABT_LOW && bw_abort_decoded(esr) && !bw_abort_is_write(esr)) {
			r = bw_abort_reg(esr);
			value = vcpu_load_value(esr, value);
		} else if (ec == EC_HVC64 || ec == EC_SMC64) {
			r = 0;
		} else if (ec == EC_SYSREG && bw_sysreg_is_read(esr)) {
			r = (esr >> 5) & 31;
		}
		if (r != 31)
			vc->ctx.x[r] = value;
	}
	/* An HVC's return address is already past it; every other trapped
	 * instruction (32-bit encodings only at AArch64) is skipped here. */
	if ((flags & BW_VCPU_SKIP) && ec != EC_HVC64)
		vc->ctx.pc += 4;
}

/* The loaded vCPU's timer fired (it is running, or blocked in WFI with the
 * CPU idle since): the physical interrupt stays active and goes into a
 * hardware-linked list register (vcpu_arch_refill), so the guest's EOI
 * deactivates it; the timer is not masked at its source and the guest's
 * EOI costs no exit.  Returns false when no vCPU is loaded (the timer was
 * silenced on the way out, so only a stale edge gets here). */
bool vcpu_timer_irq(void)
{
	struct vcpu *v = loaded;
	if (!v) {
		vcpu_arch_timer_silence();
		return false;
	}
	v->timer_linked = true;
	queue_virq(v, BW_VIRQ_VTIMER);
	vcpu_arch_refill(v);
	wake_waiting(v);
	return true;
}

/* A vGIC PPI arrived at EL2: it concerns the loaded vCPU. */
bool vcpu_irq(u32 intid)
{
	struct vcpu *v = loaded;
	if (intid == VCPU_WAKEUP_PPI) {
		wakeup_armed = 0; /* it fired: whatever comes next is rewritten */
		wake_expired();
		return true;
	}
	if (intid == 25) { /* maintenance: LRs drained, more are queued */
		if (v)
			vcpu_arch_refill(v);
		return true;
	}
	return false;
}

void vcpu_switch(struct thread *next)
{
	struct vcpu *v = next->vcpu;
	if (loaded == v)
		return;
	struct vcpu *prev = loaded;
	if (prev)
		vcpu_arch_put(prev);
	if (v)
		vcpu_arch_load(v);
	else
		vcpu_arch_native();
	loaded = v;
	/* A vCPU that just went to wait: its deadline became software's.  Only
	 * the timer is armed here (waking threads is not for the middle of a
	 * switch); a deadline already past fires at once. */
	if (prev && prev->waiting)
		arm_wakeup();
}

void vcpu_free(struct thread *t)
{
	struct vcpu *v = t->vcpu;
	if (!v)
		return;
	if (loaded == v) {
		vcpu_arch_put(v);
		vcpu_arch_native();
		loaded = NULL;
	}
	for (int i = 0; i < MAX_VCPUS; i++)
		if (vcpus[i] == v)
			vcpus[i] = NULL;
	t->vcpu = NULL;
	mmio_fast_release(&v->fast);
	kpage_free(t->task, v, 1);
}

static u64 vm_create(struct thread *t)
{
	u32 sid = t->task->obj.sid, label;
	u64 deny = check(sid, sid, SC_VM, P_VM_CREATE);
	if (deny)
		return deny;
	/* The VM is its guest's domain, not its VMM's (type_transition on vm),
	 * so policy can tell what the guest may do from what its VMM may. */
	if ((deny = security_label(sid, sid, SC_VM, &label)))
		return deny;
	u32 err;
	struct task *vm = task_create(t->task, t->ctx.x[1], label, "vm", &err);
	if (!vm)
		return err;
	vm->vm = true;
	u32 h = ht_insert(&t->task->ht, &vm->obj, BW_R_ALL, 0);
	if (!h) {
		obj_put(&vm->obj);
		return BW_E_FULL;
	}
	t->ctx.x[1] = h;
	return BW_OK;
}

static u64 vcpu_create(struct thread *t)
{
	struct handle_entry *e, *ee;
	u32 err;
	if ((err = ht_lookup(&t->task->ht, (u32)t->ctx.x[0], KOBJ_TASK, BW_R_MANAGE, &e)))
		return err;
	struct task *vm = container_of(e->obj, struct task, obj);
	if ((err = ht_lookup(&t->task->ht, (u32)t->ctx.x[4], KOBJ_ENDPOINT, BW_R_SEND, &ee)))
		return err;
	u64 entry = t->ctx.x[1], prio = t->ctx.x[3];
	if (!vm->vm || vm->threads || !ALIGNED(entry, 4) || entry >= BW_USER_END)
		return BW_E_INVAL; /* one vCPU per VM in this issue */
	if (prio > t->max_prio)
		return BW_E_RANGE;
	u64 deny = check(t->task->obj.sid, vm->obj.sid, SC_VM, P_VM_RUN);
	if (deny)
		return deny;
	/* Every exit is a call from the VM to this endpoint, decided where the
	 * vCPU cannot wait for policyd: ask now, while the VMM can, so a VM
	 * that may not report its exits is refused here instead of stopped at
	 * its first one (and the decision is cached for the exits). */
	struct endpoint *ep = container_of(ee->obj, struct endpoint, obj);
	if ((deny = check(vm->obj.sid, ep->obj.sid, SC_IPC, P_IPC_CALL)))
		return deny;
	int slot = -1;
	for (int i = 0; i < MAX_VCPUS && slot < 0; i++)
		if (!vcpus[i])
			slot = i;
	if (slot < 0)
		return BW_E_NOMEM;
	struct vcpu *v = kpage_alloc(vm, 1);
	if (!v)
		return BW_E_NOMEM;
	/* Created stopped: the vCPU must have its EL1 state and its VMM
	 * before it first runs. */
	struct thread *n = thread_create(vm, entry, 0, (u8)prio, t->ctx.x[2], &err);
	if (!n) {
		kpage_free(vm, v, 1);
		return err;
	}
	runq_remove(&this_cpu()->rq, &n->sn);
	v->thread = n;
	v->boot_pc = entry;
	v->boot_x0 = t->ctx.x[2];
	vcpu_arch_init(v);
	n->vcpu = v;
	n->ctx.spsr = SPSR_EL1H_MASKED;
	obj_get(&ep->obj);
	n->fault_ep = ep;
	n->fault_badge = ee->badge;
	vcpus[slot] = v;
	u32 h = ht_insert(&t->task->ht, &n->obj, BW_R_MANAGE | BW_R_GRANT, 0);
	if (!h) {
		thread_stop(n, "no handle slot for its VMM");
		return BW_E_FULL;
	}
	obj_get(&n->obj);
	t->ctx.x[1] = h;
	runq_add(&this_cpu()->rq, &n->sn);
	return BW_OK;
}

static u64 vcpu_inject(struct thread *t)
{
	struct handle_entry *e;
	u32 err;
	if ((err = ht_lookup(&t->task->ht, (u32)t->ctx.x[0], KOBJ_THREAD, BW_R_MANAGE, &e)))
		return err;
	struct thread *vc = container_of(e->obj, struct thread, obj);
	u64 intid = t->ctx.x[1];
	/* The virtual timer's INTID is the kernel's: it stands for the
	 * physical timer interrupt linked to the guest (vcpu_arch.c). */
	if (!vc->vcpu || intid < 16 || intid > 1019 || intid == BW_VIRQ_VTIMER)
		return BW_E_INVAL;
	u64 deny = check(t->task->obj.sid, vc->task->obj.sid, SC_VM, P_VM_INJECT_IRQ);
	if (deny)
		return deny;
	inject(vc->vcpu, (u32)intid);
	return BW_OK;
}

u64 sys_vcpu(struct thread *t, u64 nr)
{
	switch (nr) {
	case BW_SYS_VM_CREATE:
		return vm_create(t);
	case BW_SYS_VCPU_CREATE:
		return vcpu_create(t);
	case BW_SYS_VCPU_INJECT:
		return vcpu_inject(t);
	case BW_SYS_VCPU_MMIO_FAST:
		return sys_mmio_fast(t);
	}
	return BW_E_NOSYS;
}

/* An exit is a fault report: a miss parks the vCPU until policyd answers
 * (security.c).  vCPU creation asked for the decision, but a policy change
 * flushes the cache, so the change's scan asks again for each vCPU before
 * it ends, sparing the guest that wait. */
bool vcpu_exit_decision_missing(u32 *cursor, u32 *ssid, u32 *tsid)
{
	while (*cursor < MAX_VCPUS) {
		struct thread *t = vcpus[*cursor] ? vcpus[*cursor]->thread : NULL;
		(*cursor)++;
		if (t && t->fault_ep && !avc_lookup(&avc, t->task->obj.sid, t->fault_ep->obj.sid, SC_IPC)) {
			*ssid = t->task->obj.sid;
			*tsid = t->fault_ep->obj.sid;
			return true;
		}
	}
	return false;
}
