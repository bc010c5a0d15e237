/* A user task built with newlib: exercises the parts of the C library that
 * lean on the glue (stdio through _write, malloc through _sbrk, errno from
 * the stubs) and some that need only the library (formatting, strings,
 * libm), and reports in the suite format "N passed, N failed". */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bw/sys.h>

#include "bw_newlib.h"

static int passed, failed;

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s\n", what);
	}
}

static int by_value(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(void)
{
	bw_newlib_set_console(BW_BOOT_HANDLE(0));
	printf("newlib %s on Bulwark\n", _NEWLIB_VERSION);

	char buf[64];
	snprintf(buf, sizeof(buf), "%d %s %.3f %x", 42, "str", 3.14159, 255);
	check(strcmp(buf, "42 str 3.142 ff") == 0, "snprintf");

	char *p = malloc(100000);
	check(p != NULL, "malloc");
	if (p) {
		memset(p, 0x5a, 100000);
		check(p[99999] == 0x5a, "heap memory is usable");
	}
	free(p);
	errno = 0;
	void *huge = malloc(64u << 20);
	check(huge == NULL && errno == ENOMEM, "malloc beyond the heap fails with ENOMEM");

	check(strtol("-1234", NULL, 10) == -1234, "strtol");
	check(fabs(strtod("2.5e3", NULL) - 2500.0) < 1e-9, "strtod");
	check(fabs(sqrt(2.0) - 1.41421356) < 1e-6, "sqrt");

	int v[] = {5, 3, 9, 1, 7};
	qsort(v, 5, sizeof(v[0]), by_value);
	check(v[0] == 1 && v[4] == 9, "qsort");

	errno = 0;
	check(write(7, "x", 1) == -1 && errno == EBADF, "write to a closed descriptor");
	check(isatty(1) == 1, "stdout is a terminal");
	FILE *f = fopen("/etc/passwd", "r");
	check(f == NULL && errno == ENOENT, "no files");

	fprintf(stderr, "stderr works too\n");
	printf("%d passed, %d failed\n", passed, failed);
	return 0;
}
