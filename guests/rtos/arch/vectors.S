/* EL1 exception vectors and the context switch.
 *
 * Tasks run at EL1 on their own stacks (SP_EL1).  An exception pushes the
 * whole context, general and FP/SIMD, onto the interrupted task's stack; the
 * C handler gets that frame's address and returns the frame to resume,
 * which is another task's when the scheduler decided to switch.  A blocking
 * call switches the same way through SVC, so there is one switch path.
 *
 * Frame (FRAME_SIZE bytes, struct frame in port.c): x0..x30, ELR, SPSR,
 * FPCR, FPSR (32 bits each), q0..q31.
 */
#define FRAME_SIZE 784
#define FRAME_FPCR 264
#define FRAME_FPSR 268
#define FRAME_Q 272

	.macro save_context
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #240]
	str	x1, [sp, #256]
	add	x0, sp, #FRAME_Q
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpcr
	mrs	x2, fpsr
	str	w1, [sp, #FRAME_FPCR]
	str	w2, [sp, #FRAME_FPSR]
	mov	x0, sp
	.endm

	.global rtos_resume
	.type rtos_resume, %function
/* rtos_resume(frame): restores a frame and returns from the exception into it. */
rtos_resume:
	mov	sp, x0
	add	x0, sp, #FRAME_Q
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	w1, [sp, #FRAME_FPCR]
	ldr	w2, [sp, #FRAME_FPSR]
	msr	fpcr, x1
	msr	fpsr, x2
	ldp	x30, x0, [sp, #240]
	ldr	x1, [sp, #256]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME_SIZE
	eret

	.macro stub name, handler, kind
\name:
	save_context
	mov	x1, #\kind
	bl	\handler
	b	rtos_resume
	.endm

/* The table has 32 instructions per slot; the context save alone is more. */
	.macro slot target
	.balign 0x80
	b	\target
	.endm

	stub sync_entry, rtos_sync, 4
	stub irq_entry, rtos_irq, 5
	stub unexpected_entry, rtos_unexpected, 0

	.section .text.vectors, "ax"
	.balign 0x800
	.global rtos_vectors
rtos_vectors:
	slot unexpected_entry	/* current EL, SP_EL0: never used */
	slot unexpected_entry
	slot unexpected_entry
	slot unexpected_entry
	slot sync_entry		/* current EL, SP_EL1: where tasks run */
	slot irq_entry
	slot unexpected_entry	/* FIQ, SError */
	slot unexpected_entry
	slot unexpected_entry	/* lower EL: nothing runs below EL1 */
	slot unexpected_entry
	slot unexpected_entry
	slot unexpected_entry
	slot unexpected_entry
	slot unexpected_entry
	slot unexpected_entry
	slot unexpected_entry
