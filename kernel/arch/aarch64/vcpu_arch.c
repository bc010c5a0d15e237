/* The aarch64 half of a vCPU: its EL1 registers, the trap configuration
 * that turns the CPU from "EL0 task" into "EL1 guest" and back, the GICv3
 * list registers and the virtual timer.
 *
 * Switching is eager: a vCPU's state is in the registers exactly while it
 * is the running thread, so a native thread never runs with a guest's
 * EL1 settings (SCTLR_EL1 and CNTKCTL_EL1 still govern EL0 with TGE=1) and
 * a descheduled guest's timer cannot fire: its deadline is kept in software
 * (core/vcpu.c checks it every tick). */
#include <kernel/kernel.h>
#include <kernel/irq.h>
#include <kernel/vcpu.h>
#include <bulwark/vcpu.h>
#include <arch/sysreg.h>

#define HCR_FB    (1ull << 9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_TID3  (1ull << 18)
#define HCR_APK   (1ull << 40)
#define HCR_API   (1ull << 41)

/* A guest: stage 2 on, its own stage 1 (DC=0), exceptions at EL1 stay at
 * EL1 (TGE=0); physical interrupts, WFI/WFE, SMC and ID-register reads come
 * to EL2; broadcast maintenance inner shareable. */
#define HCR_GUEST (HCR_VM | HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TWI | HCR_TWE | HCR_TSC | \
		   HCR_TID3 | HCR_FB | HCR_BSU_IS)
#define HCR_NATIVE_TASKS (HCR_VM | HCR_DC | HCR_TGE | HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TSC | HCR_TWI | HCR_TWE)

#define CNTHCTL_EL1PCTEN (1ull << 0) /* EL1/EL0 may read the physical counter */
#define MDCR_TPM (1ull << 6)         /* PMU accesses trap: the kernel's counters */
#define MDCR_TPMCR (1ull << 5)
#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_UIE (1ull << 1)
#define LR_STATE_SHIFT 62
#define LR_PENDING (1ull << 62)
#define LR_HW (1ull << 61)
#define LR_GROUP1 (1ull << 60)
#define LR_PINTID_SHIFT 32
#define LR_PRIO_DEFAULT (0xa0ull << 48)
#define MAINTENANCE_PPI 25

/* With TGE=1 stage 1 of the EL1&0 regime is off, so SCTLR_EL1 translates
 * nothing for native EL0; these bits still govern it: alignment checks,
 * data endianness, EL0's cache maintenance, CTR_EL0, DC ZVA and DAIF, and
 * its pointer-authentication keys.  Where a guest's SCTLR_EL1 agrees with
 * the native value on them, it stays in the hardware while native threads
 * run: rewriting SCTLR invalidates translation caches (QEMU flushes its
 * whole software TLB), twice per exit round trip through a VMM.  Bits left
 * out only add checks or concern EL1 or AArch32 (e.g. SA0, SP alignment
 * checks at EL0, which AAPCS64 code never trips; nTWI/nTWE, overridden by
 * HCR_EL2.TWI/TWE). */
#define SCTLR_EL0_GOVERNING                                                                        \
	((1ull << 1) /* A */ | (1ull << 9) /* UMA */ | (1ull << 13) /* EnDB */ | (1ull << 14) /* DZE */ | \
	 (1ull << 15) /* UCT */ | (1ull << 24) /* E0E */ | (1ull << 26) /* UCI */ |                       \
	 (1ull << 27) /* EnDA */ | (1ull << 30) /* EnIB */ | (1ull << 31) /* EnIA */)

/* What native threads run with, captured before the first guest ran. */
static bool native_saved;
static u64 native_sctlr, native_cpacr, native_cntkctl, native_cnthctl, native_mdcr, guest_hcr;

static void save_native(void)
{
	if (native_saved)
		return;
	native_sctlr = read_sysreg(sctlr_el1);
	native_cpacr = read_sysreg(cpacr_el1);
	native_cntkctl = read_sysreg(cntkctl_el1);
	native_cnthctl = read_sysreg(cnthctl_el2);
	native_mdcr = read_sysreg(mdcr_el2);
	/* Pointer authentication is hidden from guests (vcpu_arch_id_reg);
	 * where the CPU has it, its instructions must not trap (they are
	 * NOPs for a guest that never enables keys). */
	u64 isar1 = read_sysreg(id_aa64isar1_el1);
	guest_hcr = HCR_GUEST;
	if (isar1 & ((0xfull << 4) | (0xfull << 8) | (0xfull << 24) | (0xfull << 28)))
		guest_hcr |= HCR_API | HCR_APK;
	irq_enable(BW_VIRQ_VTIMER);
	irq_enable(MAINTENANCE_PPI);
	irq_enable(VCPU_WAKEUP_PPI);
	native_saved = true;
}

void vcpu_arch_init(struct vcpu *v)
{
	save_native();
	/* The arm64 boot protocol: MMU and caches off. */
	v->el1.sctlr = 0x30d00800ull;
	v->el1.cpacr = 0;
	v->cntvoff = read_sysreg(cntpct_el0); /* the guest's virtual count starts at 0 */
	v->vmpidr = (1ull << 31); /* uniprocessor guest, Aff0 = 0 */
}

/* The EL1 physical timer is the kernel's while guests run (CNTHCTL_EL2
 * traps their use of it) and native tasks may not use it (CNTKCTL_EL1). */
void vcpu_arch_wakeup_at(u64 count)
{
	if (count == ~0ull) {
		write_sysreg(cntp_ctl_el0, 0);
		return;
	}
	write_sysreg(cntp_cval_el0, count);
	write_sysreg(cntp_ctl_el0, 1);
	isb();
}

u64 vcpu_arch_vcount(const struct vcpu *v)
{
	return read_sysreg(cntpct_el0) - v->cntvoff;
}

u64 vcpu_arch_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
}

static u64 read_lr(int i)
{
	switch (i) {
	case 0: return read_sysreg(ich_lr0_el2);
	case 1: return read_sysreg(ich_lr1_el2);
	case 2: return read_sysreg(ich_lr2_el2);
	default: return read_sysreg(ich_lr3_el2);
	}
}

static void write_lr(int i, u64 val)
{
	switch (i) {
	case 0: write_sysreg(ich_lr0_el2, val); break;
	case 1: write_sysreg(ich_lr1_el2, val); break;
	case 2: write_sysreg(ich_lr2_el2, val); break;
	default: write_sysreg(ich_lr3_el2, val); break;
	}
}

/* The guest's timer interrupt is the physical PPI 27 itself, left active
 * by the kernel (priority dropped only): HW=1 and pINTID=27 make the
 * guest's deactivation of the virtual interrupt deactivate the physical
 * one, after which a still-asserted timer fires again on its own. */
static u64 new_lr(u32 intid)
{
	u64 lr = LR_PENDING | LR_GROUP1 | LR_PRIO_DEFAULT | intid;
	if (intid == VCPU_VTIMER_PPI)
		lr |= LR_HW | ((u64)VCPU_VTIMER_PPI << LR_PINTID_SHIFT);
	return lr;
}

/* Whether the physical timer interrupt is still active on this vCPU's
 * behalf: linked in a valid LR, or queued for one (all four were busy).
 * v->timer_linked says whether it may be, so that a switch without a
 * timer interrupt in flight (the common case) looks at nothing else. */
static bool timer_still_linked(const struct vcpu *v)
{
	for (int i = 0; i < VCPU_LRS; i++)
		if ((v->lr[i] >> LR_STATE_SHIFT) && (v->lr[i] & LR_HW))
			return true;
	for (u32 q = 0; q < v->queued; q++)
		if (v->queue[q] == VCPU_VTIMER_PPI)
			return true;
	return false;
}

/* Move queued virtual interrupts into the list registers: an INTID an LR
 * already holds becomes pending there (pending+active if the guest is
 * still handling it: a level, not a count), others take a free LR.  What
 * is left waits for the maintenance interrupt that says the LRs drained
 * (ICH_HCR_EL2.UIE: at most one valid); it is left only while all LRs are
 * valid, so that interrupt cannot fire with nothing to do. */
void vcpu_arch_refill(struct vcpu *v)
{
	u64 lr[VCPU_LRS];
	for (int i = 0; i < VCPU_LRS; i++)
		lr[i] = read_lr(i);
	u32 kept = 0;
	for (u32 q = 0; q < v->queued; q++) {
		u32 intid = v->queue[q];
		int free = -1, same = -1;
		for (int i = 0; i < VCPU_LRS; i++) {
			if (!(lr[i] >> LR_STATE_SHIFT)) {
				if (free < 0)
					free = i;
			} else if ((u32)lr[i] == intid) {
				same = i;
			}
		}
		if (same >= 0) {
			if (!(lr[same] & LR_PENDING)) {
				lr[same] |= LR_PENDING;
				write_lr(same, lr[same]);
			}
			continue;
		}
		if (free < 0) {
			v->queue[kept++] = intid;
			continue;
		}
		lr[free] = new_lr(intid);
		write_lr(free, lr[free]);
	}
	v->queued = kept;
	write_sysreg(ich_hcr_el2, ICH_HCR_EN | (kept ? ICH_HCR_UIE : 0));
	isb();
}

/* Translation-regime registers stay in the hardware while native threads
 * run (with TGE=1 they do not affect EL0), so a vCPU coming back after its
 * VMM finds most of its state still there: writing an unchanged value is
 * skipped, because on many implementations (and in QEMU) writing SCTLR,
 * TCR or TTBR invalidates translation caches. */
#define LOAD_IF_CHANGED(reg, val)                       \
	do {                                            \
		u64 want__ = (val);                     \
		if (read_sysreg(reg) != want__)         \
			write_sysreg(reg, want__);      \
	} while (0)

void vcpu_arch_load(struct vcpu *v)
{
	const struct vcpu_el1 *s = &v->el1;
	LOAD_IF_CHANGED(sctlr_el1, s->sctlr);
	write_sysreg(cpacr_el1, s->cpacr);
	LOAD_IF_CHANGED(ttbr0_el1, s->ttbr0);
	LOAD_IF_CHANGED(ttbr1_el1, s->ttbr1);
	LOAD_IF_CHANGED(tcr_el1, s->tcr);
	LOAD_IF_CHANGED(mair_el1, s->mair);
	LOAD_IF_CHANGED(amair_el1, s->amair);
	LOAD_IF_CHANGED(contextidr_el1, s->contextidr);
	write_sysreg(vbar_el1, s->vbar);
	write_sysreg(tpidr_el1, s->tpidr);
	write_sysreg(tpidrro_el0, s->tpidrro);
	write_sysreg(sp_el1, s->sp);
	write_sysreg(elr_el1, s->elr);
	write_sysreg(spsr_el1, s->spsr);
	write_sysreg(esr_el1, s->esr);
	write_sysreg(far_el1, s->far);
	write_sysreg(afsr0_el1, s->afsr0);
	write_sysreg(afsr1_el1, s->afsr1);
	write_sysreg(par_el1, s->par);
	write_sysreg(cntkctl_el1, s->cntkctl);
	write_sysreg(csselr_el1, s->csselr);
	write_sysreg(mdscr_el1, s->mdscr);
	write_sysreg(vmpidr_el2, v->vmpidr);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cntvoff_el2, v->cntvoff);
	write_sysreg(cntv_cval_el0, v->cntv_cval);
	/* The timer interrupt in flight when the vCPU left (vcpu_arch_put
	 * deactivated it for the next one), or a deadline that passed while it
	 * was away: the physical interrupt becomes active again before the
	 * timer can assert it, so it does not fire a second time, and the
	 * guest gets it linked as if it had fired here — without an exit. */
	if (!v->timer_linked && (v->cntv_ctl & 3) == 1 &&
	    read_sysreg(cntpct_el0) - v->cntvoff >= v->cntv_cval && v->queued < VCPU_QUEUE) {
		v->queue[v->queued++] = VCPU_VTIMER_PPI;
		v->timer_linked = true;
	}
	if (v->timer_linked)
		irq_set_active(VCPU_VTIMER_PPI, true);
	write_sysreg(cntv_ctl_el0, v->cntv_ctl);
	/* The guest's EL1 physical timer traps (to its VMM); the counter not. */
	write_sysreg(cnthctl_el2, (native_cnthctl & ~3ull) | CNTHCTL_EL1PCTEN);
	write_sysreg(mdcr_el2, native_mdcr | MDCR_TPM | MDCR_TPMCR);
	write_sysreg(S3_0_C12_C12_5, 0x7); /* ICC_SRE_EL1: the guest uses the system-register GIC */
	write_sysreg(ich_vmcr_el2, v->vmcr);
	write_sysreg(ich_ap0r0_el2, v->ap0r0);
	write_sysreg(ich_ap1r0_el2, v->ap1r0);
	for (int i = 0; i < VCPU_LRS; i++)
		write_lr(i, v->lr[i]);
	write_sysreg(hcr_el2, guest_hcr);
	isb();
	vcpu_arch_refill(v);
}

void vcpu_arch_put(struct vcpu *v)
{
	struct vcpu_el1 *s = &v->el1;
	s->sctlr = read_sysreg(sctlr_el1);
	s->cpacr = read_sysreg(cpacr_el1);
	s->ttbr0 = read_sysreg(ttbr0_el1);
	s->ttbr1 = read_sysreg(ttbr1_el1);
	s->tcr = read_sysreg(tcr_el1);
	s->mair = read_sysreg(mair_el1);
	s->amair = read_sysreg(amair_el1);
	s->vbar = read_sysreg(vbar_el1);
	s->contextidr = read_sysreg(contextidr_el1);
	s->tpidr = read_sysreg(tpidr_el1);
	s->tpidrro = read_sysreg(tpidrro_el0);
	s->sp = read_sysreg(sp_el1);
	s->elr = read_sysreg(elr_el1);
	s->spsr = read_sysreg(spsr_el1);
	s->esr = read_sysreg(esr_el1);
	s->far = read_sysreg(far_el1);
	s->afsr0 = read_sysreg(afsr0_el1);
	s->afsr1 = read_sysreg(afsr1_el1);
	s->par = read_sysreg(par_el1);
	s->cntkctl = read_sysreg(cntkctl_el1);
	s->csselr = read_sysreg(csselr_el1);
	s->mdscr = read_sysreg(mdscr_el1);
	v->cntv_ctl = read_sysreg(cntv_ctl_el0);
	v->cntv_cval = read_sysreg(cntv_cval_el0);
	/* Silence the timer: the next thread is someone else. */
	write_sysreg(cntv_ctl_el0, 0);
	v->vmcr = read_sysreg(ich_vmcr_el2);
	v->ap0r0 = read_sysreg(ich_ap0r0_el2);
	v->ap1r0 = read_sysreg(ich_ap1r0_el2);
	for (int i = 0; i < VCPU_LRS; i++)
		v->lr[i] = read_lr(i);
	write_sysreg(ich_hcr_el2, 0);
	/* A timer interrupt the guest has not deactivated yet keeps PPI 27
	 * active, and PPI 27 is the CPU's, not the vCPU's: left so, the next
	 * vCPU's timer could never reach EL2.  Deactivate it; the saved LR
	 * still says HW, and vcpu_arch_load makes it active again before this
	 * vCPU's timer can assert it, so the guest's EOI finds it as it left
	 * it.  (Its timer is silenced above, so the line is low meanwhile.) */
	if (v->timer_linked && (v->timer_linked = timer_still_linked(v)))
		irq_set_active(VCPU_VTIMER_PPI, false);
	isb();
}

void vcpu_arch_timer_silence(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

void vcpu_arch_native(void)
{
	if (!native_saved)
		return;
	write_sysreg(hcr_el2, HCR_NATIVE_TASKS);
	if ((read_sysreg(sctlr_el1) ^ native_sctlr) & SCTLR_EL0_GOVERNING)
		write_sysreg(sctlr_el1, native_sctlr);
	write_sysreg(cpacr_el1, native_cpacr);
	write_sysreg(cntkctl_el1, native_cntkctl);
	write_sysreg(cnthctl_el2, native_cnthctl);
	write_sysreg(mdcr_el2, native_mdcr);
	write_sysreg(cntvoff_el2, 0);
	isb();
}

#define ID(crm, op2) \
	case BW_SYSREG(3, 0, 0, crm, op2): v = read_sysreg(S3_0_C0_C##crm##_##op2); break

/* HCR_EL2.TID3: the guest reads the ID registers through here, with the
 * features this kernel does not switch or virtualise taken out: SVE, SME,
 * pointer authentication, MTE, AMU, MPAM, the PMU, SPE, trace, and the
 * v8.7+ translation controls (TCR2/SCTLR2/permission indirection). */
bool vcpu_arch_id_reg(u32 sysreg, u64 *val)
{
	u64 v;
	switch (sysreg) {
	ID(1, 0); ID(1, 1); ID(1, 2); ID(1, 3); ID(1, 4); ID(1, 5); ID(1, 6); ID(1, 7);
	ID(2, 0); ID(2, 1); ID(2, 2); ID(2, 3); ID(2, 4); ID(2, 5); ID(2, 6); ID(2, 7);
	ID(3, 0); ID(3, 1); ID(3, 2); ID(3, 3); ID(3, 4); ID(3, 5); ID(3, 6); ID(3, 7);
	case BW_SYSREG(3, 0, 0, 4, 0): /* ID_AA64PFR0: no SVE, MPAM, AMU */
		v = read_sysreg(S3_0_C0_C4_0) & ~((0xfull << 32) | (0xfull << 40) | (0xfull << 44));
		break;
	case BW_SYSREG(3, 0, 0, 4, 1): /* ID_AA64PFR1: no MTE, SME, MPAM_frac, NMI */
		v = read_sysreg(S3_0_C0_C4_1) &
		    ~((0xfull << 8) | (0xfull << 16) | (0xfull << 24) | (0xfull << 36));
		break;
	case BW_SYSREG(3, 0, 0, 5, 0): /* ID_AA64DFR0: no PMU, SPE, trace buffer, BRBE */
		v = read_sysreg(S3_0_C0_C5_0) &
		    ~((0xfull << 8) | (0xfull << 32) | (0xfull << 44) | (0xfull << 52));
		break;
	case BW_SYSREG(3, 0, 0, 6, 1): /* ID_AA64ISAR1: no pointer authentication */
		v = read_sysreg(S3_0_C0_C6_1) & ~((0xfull << 4) | (0xfull << 8) | (0xfull << 24) | (0xfull << 28));
		break;
	case BW_SYSREG(3, 0, 0, 6, 2): /* ID_AA64ISAR2: no PAuth (QARMA3) */
		v = read_sysreg(S3_0_C0_C6_2) & ~((0xfull << 8) | (0xfull << 12));
		break;
	ID(4, 2); ID(5, 1); ID(5, 4); ID(5, 5); ID(6, 0); ID(6, 3);
	ID(7, 0); ID(7, 1); ID(7, 2); ID(7, 4);
	case BW_SYSREG(3, 0, 0, 4, 4): /* ID_AA64ZFR0 (SVE) */
	case BW_SYSREG(3, 0, 0, 4, 5): /* ID_AA64SMFR0 (SME) */
	case BW_SYSREG(3, 0, 0, 7, 3): /* ID_AA64MMFR3: TCR2, SCTLR2, S1PIE... */
		v = 0;
		break;
	default:
		if ((sysreg >> 3) >= BW_SYSREG(3, 0, 0, 1, 0) >> 3 && (sysreg >> 3) <= BW_SYSREG(3, 0, 0, 7, 7) >> 3) {
			v = 0; /* the rest of the ID space reads as zero */
			break;
		}
		return false;
	}
	*val = v;
	return true;
}
