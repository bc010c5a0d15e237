/* What the console driver's output side (console.c) and input side
 * (input.c) share: the UART registers and the line printer. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <bw/lib.h>

#define H_UART BW_BOOT_HANDLE(0)
#define H_EP   BW_BOOT_HANDLE(1)
#define H_IRQ  BW_BOOT_HANDLE(2)

#define UARTDR   0x00
#define UARTFR   0x18
#define UARTLCR_H 0x2c
#define UARTCR   0x30
#define UARTIMSC 0x38
#define UARTMIS  0x40
#define UARTICR  0x44
#define UARTFR_RXFE (1u << 4)
#define UARTFR_TXFF (1u << 5)
#define UART_INT_RX (1u << 4)
#define UART_INT_TX (1u << 5)
#define UART_INT_RT (1u << 6)

#define CONSOLE_NAME 0x656c6f736e6f63ull /* "console" as a badge */

extern volatile uint32_t *uart;

/* One line (or a chunk without its newline) under a "[name] " prefix. */
void print_chunk(uint64_t badge, const char *s, uint64_t n);
/* The console's own report, printed like a partition's line. */
void console_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Input (input.c).  A partition's VMM asks for input: `ep` is a send
 * handle to its endpoint.  The first request starts the input side; a
 * system with nobody to type to never does (and asks policy for nothing
 * more than output needs).  If input cannot start, output works anyway. */
void console_input_register(uint64_t badge, bw_handle ep, uint64_t flags);
/* policyd's log ring (policyd_log.c): printed under "[policyd]" by a
 * thread of its own, if the system gives this driver the ring. */
void console_policyd_log_start(void);
/* Device-grant self-test: the transmit interrupt, unmasked, must arrive.
 * Returns the notification bits seen (0: it did not). */
uint64_t console_irq_selftest(void);

#endif
