/* The kernel's early console: boot messages, fault reports and panics only.
 * After boot the UART belongs to the user-level console driver; the kernel
 * keeps writing only if it must report something before it dies. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/types.h>

void early_console_init(void);
void kputc(char c);
void kputs(const char *s);
/* printf subset: %s %c %d %u %x %lx %lu %ld %p %%, width/zero-pad for x/u. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
