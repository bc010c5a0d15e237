/* newlib's system calls for Bulwark user tasks.
 *
 * newlib is built with --disable-newlib-supplied-syscalls, so its reentrant
 * wrappers (_write_r, _sbrk_r, ...) end in the functions below.  A task has
 * no files: standard output and error go to the console driver over IPC
 * (bw_newlib_set_console), or to the kernel's debug output before a console
 * is named; the heap is a static array; everything else fails with the errno
 * a POSIX program expects, never silently. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/time.h>

#include <bw/lib.h>
#include <bw/sys.h>

#include "bw_newlib.h"

#undef errno
extern int errno;

#ifndef BW_NEWLIB_HEAP_SIZE
#define BW_NEWLIB_HEAP_SIZE (1024 * 1024)
#endif

static bw_handle console_ep;

void bw_newlib_set_console(bw_handle endpoint)
{
	console_ep = endpoint;
}

/* Lines longer than one console message go out in pieces. */
static int console_write(const char *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		size_t n = len - done;
		if (n > BW_CONSOLE_LINE_MAX)
			n = BW_CONSOLE_LINE_MAX;
		uint64_t err;
		if (console_ep) {
			struct bw_msg m = {.info = bw_info(BW_CONSOLE_WRITE, n, 0),
					   .buf = (void *)(uintptr_t)(buf + done)};
			err = bw_send(console_ep, &m);
		} else {
			err = bw_debug_puts(buf + done, n);
		}
		if (err != BW_OK) {
			errno = EIO;
			return done ? (int)done : -1;
		}
		done += n;
	}
	return (int)done;
}

int _write(int fd, const void *buf, size_t len);
int _write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	if (len > INT32_MAX)
		len = INT32_MAX;
	return console_write(buf, len);
}

int _read(int fd, void *buf, size_t len);
int _read(int fd, void *buf, size_t len)
{
	(void)buf;
	(void)len;
	/* No input yet: the console driver does not route it to tasks. */
	errno = fd == 0 ? EAGAIN : EBADF;
	return -1;
}

void *_sbrk(ptrdiff_t increment);
void *_sbrk(ptrdiff_t increment)
{
	static uint8_t heap[BW_NEWLIB_HEAP_SIZE] __attribute__((aligned(16)));
	static size_t used;
	if (increment < 0 ? (size_t)-increment > used : (size_t)increment > sizeof(heap) - used) {
		errno = ENOMEM;
		return (void *)-1;
	}
	void *old = heap + used;
	used += (size_t)increment;
	return old;
}

_Noreturn void _exit(int status);
_Noreturn void _exit(int status)
{
	(void)status;
	bw_thread_exit();
}

int _close(int fd);
int _close(int fd)
{
	errno = fd >= 0 && fd <= 2 ? EINVAL : EBADF;
	return -1;
}

int _fstat(int fd, struct stat *st);
int _fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){0};
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd);
int _isatty(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 1;
	errno = EBADF;
	return 0;
}

off_t _lseek(int fd, off_t offset, int whence);
off_t _lseek(int fd, off_t offset, int whence)
{
	(void)offset;
	(void)whence;
	errno = fd >= 0 && fd <= 2 ? ESPIPE : EBADF;
	return -1;
}

int _open(const char *path, int flags, int mode);
int _open(const char *path, int flags, int mode)
{
	(void)path;
	(void)flags;
	(void)mode;
	errno = ENOENT;
	return -1;
}

int _getpid(void);
int _getpid(void)
{
	return 1;
}

int _kill(int pid, int sig);
int _kill(int pid, int sig)
{
	(void)pid;
	(void)sig;
	errno = EPERM;
	return -1;
}

int _gettimeofday(struct timeval *tv, void *tz);
int _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tv;
	(void)tz;
	errno = ENOSYS;
	return -1;
}

clock_t _times(struct tms *buf);
clock_t _times(struct tms *buf)
{
	(void)buf;
	errno = ENOSYS;
	return (clock_t)-1;
}

int _link(const char *old, const char *new_path);
int _link(const char *old, const char *new_path)
{
	(void)old;
	(void)new_path;
	errno = EMLINK;
	return -1;
}

int _unlink(const char *path);
int _unlink(const char *path)
{
	(void)path;
	errno = ENOENT;
	return -1;
}
