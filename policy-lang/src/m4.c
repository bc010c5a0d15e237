/* m4 preprocessing, as SELinux's reference policy does it, but with sync
 * lines (-s) so that the parser maps every token back to the user's file. */
#include "m4.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"

extern char **environ;

#ifndef POLC_SUPPORT_DIR
#define POLC_SUPPORT_DIR "policy/support"
#endif

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_support(const char *dir, char ***out)
{
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t n = 0, cap = 0;
	char **names = NULL;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".m4") != 0 || e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = pl_xrealloc(names, cap * sizeof *names);
		}
		size_t plen = strlen(dir) + 1 + len + 1;
		names[n] = pl_xmalloc(plen);
		snprintf(names[n], plen, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	*out = names;
	return n;
}

/* m4 says `m4:FILE:LINE: MESSAGE`; keep the location in our format. */
static void relay_stderr(FILE *f, pl_diag *diag)
{
	char line[2048];
	rewind(f);
	while (fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		const char *rest = strncmp(line, "m4:", 3) == 0 ? line + 3 : NULL;
		char *c1 = rest ? strchr(rest, ':') : NULL;
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *end = NULL;
		unsigned long ln = c1 ? strtoul(c1 + 1, &end, 10) : 0;
		if (c1 && c2 && end == c2 && ln > 0) {
			*c1 = '\0';
			const char *msg = c2 + 1;
			while (*msg == ' ')
				msg++;
			if (strncmp(msg, "Warning: ", 9) == 0 || strncmp(msg, "warning: ", 9) == 0)
				pl_diag_warning(diag, rest, (uint32_t)ln, 1, "m4: %s", msg + 9);
			else if (strncmp(msg, "ERROR: ", 7) == 0)
				pl_diag_error(diag, rest, (uint32_t)ln, 1, "m4: %s", msg + 7);
			else
				pl_diag_error(diag, rest, (uint32_t)ln, 1, "m4: %s", msg);
		} else {
			pl_diag_error(diag, NULL, 0, 0, "%s", line);
		}
	}
}

int pl_run_m4(const char *const *paths, size_t npaths, const pl_compile_options *opt,
	      pl_diag *diag, char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	const char *support = opt && opt->support_dir ? opt->support_dir : getenv("POLC_SUPPORT_DIR");
	if (!support || !*support)
		support = POLC_SUPPORT_DIR;
	char **lib = NULL;
	size_t nlib = list_support(support, &lib);
	size_t ninc = opt ? opt->ninclude_dirs : 0;

	size_t argc = 0;
	/* A policy source is data, not a build script: without these, a .te
	 * from an untrusted module could run host commands or write files at
	 * compile time through m4's builtins.  Nothing in the macro library
	 * needs them. */
	static const char *const unsafe_builtins[] = {"-Usyscmd",  "-Uesyscmd",
						      "-Usysval",  "-Umkstemp",
						      "-Umaketemp", "-Udebugfile"};
	size_t nunsafe = sizeof unsafe_builtins / sizeof unsafe_builtins[0];
	char **argv = pl_xcalloc(2 + nunsafe + 2 * ninc + nlib + npaths + 1, sizeof *argv);
	argv[argc++] = "m4";
	argv[argc++] = "-s";
	for (size_t i = 0; i < nunsafe; i++)
		argv[argc++] = (char *)unsafe_builtins[i];
	for (size_t i = 0; i < ninc; i++) {
		argv[argc++] = "-I";
		argv[argc++] = (char *)opt->include_dirs[i];
	}
	for (size_t i = 0; i < nlib; i++)
		argv[argc++] = lib[i];
	for (size_t i = 0; i < npaths; i++)
		argv[argc++] = (char *)paths[i];
	argv[argc] = NULL;

	int rc = PL_COMPILE_IO_ERROR;
	int pipefd[2] = {-1, -1};
	FILE *errf = tmpfile();
	posix_spawn_file_actions_t fa;
	bool fa_ok = false;
	pid_t pid = -1;
	if (!errf || pipe(pipefd) != 0) {
		pl_diag_error(diag, NULL, 0, 0, "cannot run m4: %s", strerror(errno));
		goto done;
	}
	if (posix_spawn_file_actions_init(&fa) != 0)
		goto done;
	fa_ok = true;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	int err = posix_spawnp(&pid, "m4", &fa, NULL, argv, environ);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (err != 0) {
		pl_diag_error(diag, NULL, 0, 0, "cannot run m4: %s", strerror(err));
		goto done;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = pl_xmalloc(cap);
	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = pl_xrealloc(buf, cap);
		}
		ssize_t r = read(pipefd[0], buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	uint32_t before = diag->nerrors;
	relay_stderr(errf, diag);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = PL_COMPILE_OK;
	} else {
		if (diag->nerrors == before)
			pl_diag_error(diag, NULL, 0, 0, "m4 failed (exit status %d)",
				      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		rc = PL_COMPILE_POLICY_ERROR;
	}
	*out = buf;
	*outlen = len;
done:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (errf)
		fclose(errf);
	for (size_t i = 0; i < nlib; i++)
		free(lib[i]);
	free(lib);
	free(argv);
	return rc;
}
