#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Bounds what a description may expand to, so that a runaway /include/ cannot
 * exhaust memory. */
#define MAX_INPUT (64u << 20)

int mk_read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 65536, len = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
				errno = EIO;
			}
			break;
		}
		if (cap >= (size_t)4 << 30) {
			free(buf);
			buf = NULL;
			errno = EFBIG;
			break;
		}
		uint8_t *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			errno = ENOMEM;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	if (!buf)
		return -1;
	*data = buf;
	*size = len;
	return 0;
}

/* Runs argv and collects its standard output.  Returns its exit status, or
 * -1 if it could not be run. */
static int run_capture(char *const argv[], uint8_t **out, size_t *out_len)
{
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "mkimage: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	size_t cap = 65536, len = 0;
	uint8_t *buf = malloc(cap);
	int failed = buf == NULL;
	for (;;) {
		if (!failed && len == cap) {
			uint8_t *nb = cap < MAX_INPUT ? realloc(buf, cap * 2) : NULL;
			if (nb) {
				buf = nb;
				cap *= 2;
			} else {
				failed = 1;
			}
		}
		uint8_t scratch[4096];
		ssize_t n = failed ? read(fds[0], scratch, sizeof(scratch))
				   : read(fds[0], buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!failed)
			len += (size_t)n;
	}
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (failed) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = len;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int mk_load_source(const char *path, uint8_t **blob, size_t *size, struct sd_linemap **lines,
		   struct sd_diag *d)
{
	*lines = NULL;
	if (ends_with(path, ".dtb")) {
		if (mk_read_file(path, blob, size) < 0) {
			sd_error(d, -1, NULL, "cannot read: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (access(path, R_OK) < 0) {
		sd_error(d, -1, NULL, "cannot read: %s", strerror(errno));
		return -1;
	}
	const char *dtc = getenv("DTC");
	if (!dtc || !*dtc)
		dtc = "dtc";
	char *compile[] = {(char *)dtc, "-I", "dts", "-O", "dtb", "-o", "-", (char *)path, NULL};
	int rc = run_capture(compile, blob, size);
	if (rc != 0) {
		if (rc > 0)
			free(*blob);
		sd_error(d, -1, NULL, "dtc could not compile the description%s",
			 rc < 0 ? " (is device-tree-compiler installed?)" : " (see above)");
		return -1;
	}
	char *annotate[] = {(char *)dtc, "-q",  "-I", "dts", "-O",         "dts",
			    "-T",        "-T",  "-o", "-",   (char *)path, NULL};
	uint8_t *text = NULL;
	size_t text_len = 0;
	/* Without the annotated form errors still come out, located by node
	 * path instead of line. */
	if (run_capture(annotate, &text, &text_len) == 0)
		*lines = sd_linemap_parse((const char *)text, text_len);
	free(text);
	return 0;
}
