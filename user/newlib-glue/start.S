/* Start-up of a newlib task's first thread: the kernel enters at _start with
 * SP set, x0 = 0 and .bss zeroed.  Returning from main goes through exit(),
 * so stdio buffers are flushed before the thread ends. */
	.section .text.start, "ax"
	.global _start
_start:
	mov	x29, #0
	mov	x30, #0
	mov	x0, #0
	mov	x1, #0
	bl	main
	bl	exit
1:	b	1b
