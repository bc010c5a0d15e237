/* PL011 polled output for the early console. */
#include <kernel/console.h>

#define PL011_BASE 0x09000000ul
#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)

static volatile u32 *reg(unsigned off)
{
	return (volatile u32 *)(PL011_BASE + off);
}

void early_console_init(void)
{
	/* QEMU's PL011 comes up enabled; firmware on hardware leaves it so too. */
}

void kputc(char c)
{
	if (c == '\n')
		kputc('\r');
	while (*reg(UARTFR) & UARTFR_TXFF)
		;
	*reg(UARTDR) = (u8)c;
}
