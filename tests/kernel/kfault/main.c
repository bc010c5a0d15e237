/* kfault: a task that faults on purpose (a load from unmapped memory). The
 * kernel must stop it and report it; the test suite checks its thread's
 * state and the rest of the system keeps running. */
#include <bw/lib.h>

int main(void)
{
	bw_console_set(BW_BOOT_HANDLE(0));
	bw_printf("about to read unmapped memory\n");
	volatile uint64_t *bad = (volatile uint64_t *)0x12345000ul;
	return (int)*bad;
}
