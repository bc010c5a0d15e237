/* kfault: a task that faults on purpose. Its second thread executes an
 * undefined instruction, its first reads unmapped memory. The kernel must
 * stop both and report them; the test suite checks the first thread's
 * state, and the rest of the system keeps running. */
#include <bw/lib.h>

static uint8_t stack[4096] __attribute__((aligned(16)));

static void undefined(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("udf #1");
	bw_thread_exit();
}

int main(void)
{
	bw_console_set(BW_BOOT_HANDLE(0));
	bw_printf("about to execute an undefined instruction and read unmapped memory\n");
	bw_thread_create(0, undefined, stack + sizeof(stack), 25, 0, NULL);
	bw_yield();
	volatile uint64_t *bad = (volatile uint64_t *)0x12345000ul;
	return (int)*bad;
}
