/* The console: a PL011, transmitting by polling, receiving on its interrupt. */
#ifndef RTOS_UART_H
#define RTOS_UART_H

#include <stddef.h>

void uart_write(const char *s, size_t n);
/* Receiving (uart_rx.c): unmask the receive interrupts; the next byte
 * typed, or -1 when the FIFO is empty (reading empties it: the receive
 * interrupts follow its level). */
void uart_rx_enable(void);
int uart_rx_byte(void);

#endif
