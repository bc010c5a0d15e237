/* The console: a PL011 driven by polling (transmit only). */
#ifndef RTOS_UART_H
#define RTOS_UART_H

#include <stddef.h>

void uart_write(const char *s, size_t n);

#endif
