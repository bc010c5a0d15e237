/* Kernel entry from QEMU's loader (or firmware): EL2, MMU off, x0 = 0.
 * Linked at its physical address, so everything here runs position-exact. */
	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	not_el2
	/* Stage-1 at EL2 is off and SP_EL2 is selected at reset for EL2h. */
	ldr	x0, =boot_stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	ldr	x0, =el2_vectors
	msr	vbar_el2, x0
	isb
	bl	kmain
not_el2:
	/* Not entered at EL2: nothing this kernel can do. */
	wfe
	b	not_el2

	.section .bss.stack, "aw", %nobits
	.balign 16
	.global boot_stack_top
boot_stack:
	.space	16384
boot_stack_top:
