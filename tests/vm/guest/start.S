/* Entry and exception vectors of the in-tree test guest (EL1, MMU off).
 * x0 on entry selects the scenario (see guest.c); it is passed on. */
	.section .text.start, "ax"
	.global _start
_start:
	ldr	x1, =stack_top
	mov	sp, x1
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: FP/SIMD at EL1 */
	msr	cpacr_el1, x1
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	bl	guest_main
1:	wfi
	b	1b

/* Only IRQs from EL1h are expected; anything else is a failure the
 * handler reports to the VMM. */
.macro VEC handler
	.balign 0x80
	b	\handler
.endm
	.balign 0x800
vectors:
	VEC	bad_vector
	VEC	bad_vector
	VEC	bad_vector
	VEC	bad_vector
	VEC	bad_vector	/* current EL, SPx: sync */
	VEC	irq_entry	/* current EL, SPx: IRQ */
	VEC	bad_vector
	VEC	bad_vector
	.rept 8
	VEC	bad_vector
	.endr

irq_entry:
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	bl	guest_irq
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #256
	eret

bad_vector:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	guest_bad_exception
2:	b	2b
