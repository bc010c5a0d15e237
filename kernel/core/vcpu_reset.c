/* Restarting a vCPU as its VMM created it (PSCI SYSTEM_RESET).
 *
 * The VMM has reloaded the guest's images into the VM's RAM; the kernel
 * gives the vCPU back the state of a CPU coming out of reset under the
 * arm64 boot protocol: the entry PC and x0 it was created with, EL1h with
 * interrupts masked, MMU and caches off, no pending virtual interrupt, the
 * virtual timer stopped and its count from zero again.  The VM, its RAM,
 * the vCPU's thread, priority and fault endpoint stay: nothing is
 * allocated, so a reset cannot fail for lack of memory. */
#include <kernel/kernel.h>
#include <kernel/vcpu.h>

#define SPSR_EL1H_MASKED 0x3c5ull /* EL1h, D A I F masked */

/* Called from the VMM's reply, so the VMM's thread is on the CPU and the
 * vCPU's state is in memory, not in the registers (vcpu_switch put it,
 * deactivating a physical timer interrupt it still had linked). */
void vcpu_reset(struct thread *vc)
{
	struct vcpu *v = vc->vcpu;
	v->el1 = (struct vcpu_el1){0};
	v->cntv_ctl = v->cntv_cval = 0;
	for (int i = 0; i < VCPU_LRS; i++)
		v->lr[i] = 0;
	v->vmcr = v->ap0r0 = v->ap1r0 = 0;
	v->queued = 0;
	v->waiting = false;
	v->timer_linked = false;
	vcpu_arch_init(v); /* SCTLR (MMU off), CPACR, CNTVOFF, VMPIDR */
	vc->ctx = (struct regs){0};
	vc->ctx.x[0] = v->boot_x0;
	vc->ctx.pc = v->boot_pc;
	vc->ctx.spsr = SPSR_EL1H_MASKED;
	vc->tpidr = 0;
}
