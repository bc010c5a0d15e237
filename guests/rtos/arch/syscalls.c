/* newlib's system calls for a single-address-space RTOS: output goes to the
 * console, the heap is the RAM after the image, and there is no file
 * system.  newlib's reentrancy state is shared: tasks that print must not
 * preempt each other mid-printf (the demo has one printing task). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <rtos/rtos.h>
#include "uart.h"

#undef errno
extern int errno;

extern char __heap_start[], __heap_end[];

/* Whole writes stay together under a mutex, not with interrupts masked:
 * under the VMM every UART register access is a VM exit, and a line's
 * worth of them would hold off the control task's release for far longer
 * than its deadline allows. */
static struct mutex console_lock; /* all-zero is a valid unlocked mutex */

/* newlib has no prototypes for its syscall hooks. */
int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int off, int whence);
void *_sbrk(ptrdiff_t incr);
int _kill(int pid, int sig);
int _getpid(void);
void _exit(int status);

int _write(int fd, const char *buf, int len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	bool locked = rtos_running() && rtos_mutex_lock(&console_lock) == K_OK;
	uart_write(buf, len > 0 ? (size_t)len : 0);
	if (locked)
		rtos_mutex_unlock(&console_lock);
	return len;
}

int _read(int fd, char *buf, int len)
{
	(void)fd, (void)buf, (void)len;
	return 0;
}

int _close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	return fd <= 2;
}

int _lseek(int fd, int off, int whence)
{
	(void)fd, (void)off, (void)whence;
	return 0;
}

void *_sbrk(ptrdiff_t incr)
{
	static char *brk = __heap_start;
	char *old = brk;

	if (incr > __heap_end - brk || incr < __heap_start - brk) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk += incr;
	return old;
}

int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = EINVAL;
	return -1;
}

int _getpid(void)
{
	return 1;
}

void _exit(int status)
{
	(void)status;
	rtos_poweroff();
}
