/* Small user library: strings, formatting and console output. */
#ifndef BW_LIB_H
#define BW_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bw/sys.h>

size_t bw_strlen(const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int bw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int bw_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A thread of this task whose entry may return: returning ends it as
 * bw_thread_exit() does (status 0), where a thread bw_thread_create()
 * started would jump to address 0 and fault.  The entry and its argument
 * ride in the top 16 bytes of the stack; stack_top 16-byte aligned. */
uint64_t bw_thread_start(void (*entry)(uint64_t), void *stack_top, uint64_t prio, uint64_t arg,
			 bw_handle *out);

/* Console output: lines go to the console driver's endpoint over IPC once
 * bw_console_set() named it, and to the kernel's debug output before. */
void bw_console_set(bw_handle endpoint);
/* Or every line goes to `sink` instead (a task that must never wait for
 * the console driver: policyd's log ring, bw/logring.h). */
void bw_console_set_sink(void (*sink)(const char *line, size_t n));
void bw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define BW_CONSOLE_WRITE 1    /* label of a console write message (send) */
#define BW_CONSOLE_IRQ_TEST 2 /* call: the driver proves its IRQ arrives; mr0 = bits */
#define BW_CONSOLE_LINE_MAX 256
/* Console input (drivers/console): a partition's VMM sends a send handle to
 * an endpoint of its own (BW_INFO_XFER) with label BW_CONSOLE_INPUT_REGISTER;
 * while it has the focus, typed bytes arrive there as BW_CONSOLE_INPUT
 * messages, sent without blocking (the driver buffers and counts drops). */
#define BW_CONSOLE_INPUT_REGISTER 3
/* mr0 of the registration: this partition takes the input focus as it
 * registers (an interactive shell); others join without taking it. */
#define BW_CONSOLE_INPUT_FOCUS 1
#define BW_CONSOLE_INPUT 4

#endif
