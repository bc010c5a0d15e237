/* kbsrv: the benchmark's IPC server, in its own address space. Its loop
 * is four instructions so the round trip measures the kernel, not us:
 * reply to the caller with the message registers as received, wait for
 * the next call. */
#include <bw/sys.h>

#define H_EP BW_BOOT_HANDLE(0)

int main(void)
{
	struct bw_msg m = {0};
	bw_recv(H_EP, &m);
	register uint64_t x1 __asm__("x1") = m.info;
	__asm__ volatile("1:	mov x0, %0\n"
			 "	mov x8, %1\n"
			 "	svc #0\n"
			 "	b 1b\n"
			 :
			 : "i"(H_EP), "i"(BW_SYS_REPLY_RECV), "r"(x1)
			 : "x0", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "memory");
	return 0;
}
