/* Virtual CPUs (issue 5): a vCPU is a thread of a VM task that runs at EL1
 * with its own EL1 system registers, virtual GIC interface and virtual
 * timer.  Generic part: core/vcpu.c; register switching, the vGIC list
 * registers and the timer: arch/aarch64/vcpu_arch.c. */
#ifndef KERNEL_VCPU_H
#define KERNEL_VCPU_H

#include <kernel/mmio_fast.h>
#include <kernel/types.h>

struct thread;
struct task;

#define VCPU_LRS 4          /* list registers on both supported cores */
#define VCPU_QUEUE 32       /* virtual interrupts waiting for a free LR */
#define VCPU_WAKEUP_PPI 30  /* EL1 physical timer: waiting vCPUs' deadlines */
#define VCPU_VTIMER_PPI 27  /* the running vCPU's CNTV (BW_VIRQ_VTIMER) */

/* The guest's EL1 state while it is not on the CPU. */
struct vcpu_el1 {
	u64 sctlr, cpacr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	u64 tpidr, tpidrro, sp, elr, spsr, esr, far, afsr0, afsr1, par;
	u64 cntkctl, csselr, mdscr;
};

struct vcpu {
	struct thread *thread;
	struct vcpu_el1 el1;
	u64 cntv_ctl, cntv_cval, cntvoff;
	u64 vmpidr;
	u64 lr[VCPU_LRS];
	u64 vmcr, ap0r0, ap1r0;
	u32 queue[VCPU_QUEUE]; /* pending virtual INTIDs beyond the LRs */
	u32 queued;
	u32 dropped;           /* injections lost to a full queue */
	bool waiting;          /* in WFI, blocked until an interrupt */
	bool timer_linked;     /* its physical timer interrupt may be in an LR */
	u64 exit_mr3;          /* the 4th word of the current exit message */
	u64 exits[64];         /* exits by exception class (benchmarks) */
	struct mmio_fast fast; /* the MMIO short path, if its VMM registered one */
	u64 boot_pc, boot_x0;  /* as created: what BW_VCPU_RESET restarts with */
};

/* Kernel entry hooks. */
void vcpu_exit(struct thread *t, u64 esr);       /* synchronous exit */
bool vcpu_irq(u32 intid);                          /* a vGIC PPI; false: not ours */
bool vcpu_timer_irq(void);                         /* CNTV fired; true: linked into the guest */
void vcpu_tick(void);                              /* descheduled timers' deadlines */
void vcpu_switch(struct thread *next);             /* before next runs */
void vcpu_free(struct thread *t);                  /* the thread is being destroyed */
u64 vcpu_fault_mr3(struct thread *t);
void vcpu_reply(struct thread *vc, u64 flags, u64 value); /* the VMM resumes it */
u64 vcpu_load_value(u64 esr, u64 value);          /* as a trapped load's register gets it */
u64 sys_vcpu(struct thread *t, u64 nr);
/* The next vCPU from *cursor on whose exit decision (its VM calling its
 * fault endpoint) the cache lacks: a policy change's scan fetches it
 * (security.c); the cursor moves past it, so two decisions evicting each
 * other cannot keep the scan going. */
bool vcpu_exit_decision_missing(u32 *cursor, u32 *ssid, u32 *tsid);
void vcpu_reset(struct thread *vc);               /* as created (vcpu_reset.c) */

/* Architecture part. */
void vcpu_arch_init(struct vcpu *v);
void vcpu_arch_load(struct vcpu *v);
void vcpu_arch_put(struct vcpu *v);
void vcpu_arch_native(void);                 /* native threads' EL1/HCR settings */
bool vcpu_arch_id_reg(u32 sysreg, u64 *val); /* emulated ID register read */
void vcpu_arch_refill(struct vcpu *v);       /* queued interrupts into free LRs */
u64 vcpu_arch_vcount(const struct vcpu *v);  /* the guest's virtual counter */
u64 vcpu_arch_ipa(void);                     /* the faulting IPA of an abort exit */
void vcpu_arch_wakeup_at(u64 count);         /* physical count; ~0: none */
void vcpu_arch_timer_silence(void);          /* CNTV fired with no vCPU loaded */

#endif
