/* The PL011's receive side: typed bytes, read on the receive interrupt
 * (app/command.c).  Under Bulwark the PL011 is its VMM's emulation, fed by
 * the console driver while the RTOS has the input focus; natively it is
 * QEMU's, and nobody types. */
#include "uart.h"
#include "platform.h"
#include "sysreg.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UARTFR_RXFE 0x10
#define UART_INT_RX 0x10 /* the FIFO reached its trigger level */
#define UART_INT_RT 0x40 /* receive timeout: fewer bytes, then a pause */

void uart_rx_enable(void)
{
	mmio_write32(PL011_BASE + UARTICR, UART_INT_RX | UART_INT_RT);
	mmio_write32(PL011_BASE + UARTIMSC, UART_INT_RX | UART_INT_RT);
}

int uart_rx_byte(void)
{
	if (mmio_read32(PL011_BASE + UARTFR) & UARTFR_RXFE)
		return -1;
	return (int)(mmio_read32(PL011_BASE + UARTDR) & 0xff);
}
