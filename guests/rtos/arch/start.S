/* Entry.  QEMU (and the VMM) enter at EL1, MMU off; QEMU with
 * virtualization=on enters at EL2, and then we configure EL2 to host a plain
 * EL1 (no stage 2, timers and GIC system registers open) and drop to it. */
	.section .text.start, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mrs	x19, CurrentEL
	lsr	x19, x19, #2
	cmp	x19, #2
	b.ne	in_el1

	mov	x0, #(1 << 31)			/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x0
	mov	x0, #3				/* CNTHCTL_EL2.EL1PCTEN|EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff			/* CPTR_EL2: no FP/SIMD traps */
	msr	cptr_el2, x0
	mrs	x0, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	orr	x0, x0, #0x1			/* SRE */
	orr	x0, x0, #0x8			/* Enable: EL1 may use ICC_SRE_EL1 */
	msr	S3_4_C12_C9_5, x0
	isb
	ldr	x0, =0x30d00800			/* SCTLR_EL1 RES1 bits, MMU off */
	msr	sctlr_el1, x0
	mov	x0, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x0
	adr	x0, in_el1
	msr	elr_el2, x0
	eret

in_el1:
	ldr	x0, =__boot_stack_top
	mov	sp, x0
	mov	x0, #(3 << 20)			/* CPACR_EL1.FPEN: FP/SIMD at EL1 */
	msr	cpacr_el1, x0
	ldr	x0, =rtos_vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, x19				/* the EL we were entered at */
	bl	rtos_main
3:	wfi
	b	3b
