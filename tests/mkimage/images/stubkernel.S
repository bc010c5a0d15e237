/* A stand-in kernel for the boot test of mkimage's output: QEMU enters it at
 * EL2 with the MMU off; it checks the boot payload the way the real kernel
 * must (bounds of every table, strings, SIDs) and reports on the PL011, then
 * powers off through PSCI.  Assembly keeps it free of any C runtime. */
#include "bulwark/bootinfo.h"

#define UART 0x09000000

	.section .bootptr, "aw"
	.balign 8
	.global bw_boot_payload
bw_boot_payload:
	.quad 0

	.section .rodata
msg_ok:		.asciz "stub: bootinfo ok: tasks="
msg_objs:	.asciz " objects="
msg_sids:	.asciz " sids="
msg_first:	.asciz " first-task="
msg_bad:	.asciz "stub: bootinfo BAD\n"
msg_nl:		.asciz "\n"

	.section .text.start, "ax"
	.global _start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	ldr	x0, =bw_boot_payload
	ldr	x19, [x0]			// x19 = payload
	cbz	x19, bad
	ldr	x1, [x19]			// magic
	ldr	x2, =BW_BOOTINFO_MAGIC
	cmp	x1, x2
	b.ne	bad
	ldr	w1, [x19, #8]			// version
	cmp	w1, #BW_BOOTINFO_VERSION
	b.ne	bad
	ldr	x1, [x19, #24]			// payload_phys
	cmp	x1, x19
	b.ne	bad
	ldr	x20, [x19, #16]			// payload_size
	// Each table: offset + count * entry_size <= payload_size.
	mov	x21, #56			// tasks table
1:	add	x3, x19, x21
	ldr	w4, [x3]			// offset
	ldr	w5, [x3, #4]			// count
	ldr	w6, [x3, #8]			// entry_size
	umull	x7, w5, w6
	add	x7, x7, x4
	cmp	x7, x20
	b.hi	bad
	add	x21, x21, #16
	cmp	x21, #(56 + 6 * 16)
	b.lo	1b
	// The strings blob lies inside and the first task's name is terminated.
	ldr	w22, [x19, #152]		// strings.offset
	ldr	w23, [x19, #156]		// strings.size
	add	x7, x22, x23
	cmp	x7, x20
	b.hi	bad
	ldr	w4, [x19, #56]			// tasks.offset
	ldr	w5, [x19, #60]			// tasks.count
	cbz	w5, bad
	add	x24, x19, x4			// first task
	ldr	w25, [x24]			// name.offset
	ldr	w26, [x24, #4]			// name.length
	add	x7, x25, x26
	cmp	x7, x23
	b.hs	bad
	add	x25, x25, x22
	add	x25, x25, x19			// name
	ldrb	w7, [x25, x26]
	cbnz	w7, bad

	ldr	x0, =msg_ok
	bl	puts
	ldr	w0, [x19, #60]
	bl	putdec
	ldr	x0, =msg_objs
	bl	puts
	ldr	w0, [x19, #92]			// objects.count
	bl	putdec
	ldr	x0, =msg_sids
	bl	puts
	ldr	w0, [x19, #140]			// sids.count
	bl	putdec
	ldr	x0, =msg_first
	bl	puts
	mov	x0, x25
	bl	puts
	ldr	x0, =msg_nl
	bl	puts
	b	off
bad:
	ldr	x0, =msg_bad
	bl	puts
off:
	ldr	x0, =0x84000008			// PSCI SYSTEM_OFF
	smc	#0
	hvc	#0
2:	wfi
	b	2b

// puts(x0): NUL-terminated string to the PL011.
puts:
	ldr	x1, =UART
1:	ldrb	w2, [x0], #1
	cbz	w2, 2f
	strb	w2, [x1]
	b	1b
2:	ret

// putdec(w0): unsigned decimal.
putdec:
	mov	x3, sp
	sub	sp, sp, #32
	mov	x4, x3
	mov	w5, #10
	strb	wzr, [x4, #-1]!
1:	udiv	w6, w0, w5
	msub	w7, w6, w5, w0
	add	w7, w7, #'0'
	strb	w7, [x4, #-1]!
	mov	w0, w6
	cbnz	w0, 1b
	mov	x0, x4
	mov	x9, x30
	bl	puts
	mov	x30, x9
	add	sp, sp, #32
	ret
