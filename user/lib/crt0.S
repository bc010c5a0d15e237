/* Start-up of a boot task's first thread: the kernel enters at _start with
 * SP set and x0 = 0; main's return ends the thread. */
	.section .text.start, "ax"
	.global _start
_start:
	mov	x29, #0
	mov	x30, #0
	bl	main
	mov	x8, #10		/* BW_SYS_THREAD_EXIT */
	svc	#0
1:	b	1b
