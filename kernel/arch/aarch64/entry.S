/* EL2 exception vectors and the user entry/exit paths.
 *
 * While a thread runs at EL0, SP_EL2 points at that thread's saved-register
 * area (struct regs, first member of struct thread), so an exception from
 * EL0 saves the user registers with plain stores and no scratch register;
 * only then does SP move to this CPU's kernel stack. The kernel never takes
 * exceptions from itself except on a bug (it runs with interrupts masked
 * and polls for them at preemption points), so those vectors panic. */

#define REGS_SP 248
#define REGS_PC 256

.macro VENTRY label
	.balign 0x80
	b	\label
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.global el2_vectors
el2_vectors:
	VENTRY	kernel_bad_exception	/* current EL, SP_EL0 */
	VENTRY	kernel_bad_exception
	VENTRY	kernel_bad_exception
	VENTRY	kernel_bad_exception
	VENTRY	kernel_sync		/* current EL, SP_ELx */
	VENTRY	kernel_bad_exception
	VENTRY	kernel_bad_exception
	VENTRY	kernel_bad_exception
	VENTRY	el0_sync		/* lower EL, AArch64 */
	VENTRY	el0_irq
	VENTRY	el0_fiq
	VENTRY	el0_serror
	VENTRY	kernel_bad_exception	/* lower EL, AArch32: never enabled */
	VENTRY	kernel_bad_exception
	VENTRY	kernel_bad_exception
	VENTRY	kernel_bad_exception

	.text
.macro SAVE_USER
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x21, sp_el0
	stp	x30, x21, [sp, #16 * 15]
	mrs	x22, elr_el2
	mrs	x23, spsr_el2
	stp	x22, x23, [sp, #16 * 16]
	mov	x0, sp
	mrs	x1, tpidr_el2
	ldr	x2, [x1]		/* percpu->kstack_top */
	mov	sp, x2
.endm

el0_sync:
	SAVE_USER
	/* The IPC fast path is a leaf function: no frame, no spills. It
	 * returns the thread to resume, or 0 for the general handler. */
	mov	x19, x0
	bl	fastpath
	cbnz	x0, exit_to_user
	mov	x0, x19
	bl	handle_el0_sync
	b	exit_to_user

el0_irq:
	SAVE_USER
	bl	handle_el0_irq
	b	exit_to_user

el0_fiq:
el0_serror:
	SAVE_USER
	bl	handle_el0_serror
	b	exit_to_user

/* exit_to_user(struct thread *t): resume t at EL0. Never returns. */
	.global exit_to_user
exit_to_user:
	mov	sp, x0
	ldp	x22, x23, [sp, #16 * 16]
	ldp	x30, x21, [sp, #16 * 15]
	msr	elr_el2, x22
	msr	spsr_el2, x23
	msr	sp_el0, x21
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	eret

kernel_sync:
	mrs	x0, esr_el2
	mrs	x1, elr_el2
	mrs	x2, far_el2
	b	kernel_panic_exception

kernel_bad_exception:
	mov	x0, #0
	mrs	x1, elr_el2
	mrs	x2, far_el2
	b	kernel_panic_exception

/* FP/SIMD state save and restore for the lazy FP switch. */
	.global fp_save
fp_save:
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x3, x0, #512
	stp	x1, x2, [x3]
	ret

	.global fp_restore
fp_restore:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	add	x3, x0, #512
	ldp	x1, x2, [x3]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
