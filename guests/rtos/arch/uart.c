/* Polling keeps the console usable from any context, including the fault
 * handler; at 115200 baud on real hardware that costs time, which is why
 * only the low-priority reporter prints. */
#include "uart.h"
#include "platform.h"
#include "sysreg.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_TXFF 0x20

static void put(char c)
{
	while (mmio_read32(PL011_BASE + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(PL011_BASE + UARTDR, (unsigned char)c);
}

void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
