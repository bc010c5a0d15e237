/* polc: compiles a Bulwark security policy (SELinux policy.conf language,
 * optionally through m4) into the binary policy the security server loads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/binary.h"
#include "policy/compiler.h"
#include "policy/emit_conf.h"

#define DEFAULT_OUTPUT "policy.bin"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: polc [-I DIR]... [-o OUT] [--check] [--emit-conf OUT.conf] SRC...\n"
		"\n"
		"Compiles the sources, read in the order given, as one policy.\n"
		"Sources ending in .te, .if or .m4 go through m4 together with the macro\n"
		"library (every *.m4 of $POLC_SUPPORT_DIR, default %s);\n"
		"others are read as policy.conf.\n"
		"\n"
		"  -I DIR               add DIR to m4's include path\n"
		"  -o OUT               write the binary policy to OUT (default: %s)\n"
		"  --check              check only; write no binary policy\n"
		"  --emit-conf OUT.conf also write the policy as one policy.conf for\n"
		"                       SELinux's own tools (checkpolicy, sesearch, ...)\n"
		"\n"
		"Exit status: 0 compiled (warnings allowed), 1 policy errors, 2 usage or I/O error.\n",
#ifdef POLC_SUPPORT_DIR
		POLC_SUPPORT_DIR,
#else
		"policy/support",
#endif
		DEFAULT_OUTPUT);
}

/* Writes path through path.tmp and a rename, so a failed run never leaves a
 * truncated file where a good one was.  produce returns 0, 1 (policy error,
 * already reported) or 2 (I/O error, reported here from errno). */
static int write_atomically(const char *path, int (*produce)(FILE *, const void *), const void *arg)
{
	size_t tlen = strlen(path) + 8;
	char *tmp = malloc(tlen);
	if (!tmp) {
		fprintf(stderr, "polc: error: out of memory\n");
		return 2;
	}
	snprintf(tmp, tlen, "%s.tmp", path);
	int rc = 0;
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "polc: error: cannot write %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return 2;
	}
	rc = produce(f, arg);
	if (rc == 2 || fflush(f) != 0)
		fprintf(stderr, "polc: error: cannot write %s: %s\n", tmp, strerror(errno)), rc = 2;
	if (fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "polc: error: cannot write %s: %s\n", tmp, strerror(errno));
		rc = 2;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		fprintf(stderr, "polc: error: cannot rename %s to %s: %s\n", tmp, path, strerror(errno));
		rc = 2;
	}
	if (rc != 0)
		remove(tmp);
	free(tmp);
	return rc;
}

struct blob {
	const uint8_t *buf;
	size_t len;
};

static int produce_blob(FILE *f, const void *arg)
{
	const struct blob *b = arg;
	return fwrite(b->buf, 1, b->len, f) == b->len ? 0 : 2;
}

static int write_binary(const pl_policy *p, const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char err[256] = "";
	if (pl_binary_write(p, &buf, &len, err, sizeof err) != 0) {
		fprintf(stderr, "polc: error: cannot encode the binary policy: %s\n", err);
		return 1;
	}
	struct blob b = {buf, len};
	int rc = write_atomically(path, produce_blob, &b);
	free(buf);
	return rc;
}

static int produce_conf(FILE *f, const void *arg)
{
	char err[256] = "";
	if (pl_emit_conf(arg, f, err, sizeof err) != 0) {
		if (ferror(f))
			return 2;
		fprintf(stderr, "polc: error: --emit-conf: %s\n", err);
		return 1;
	}
	return 0;
}

static int emit_conf(const pl_policy *p, const char *path)
{
	return write_atomically(path, produce_conf, p);
}

int main(int argc, char **argv)
{
	const char **includes = calloc((size_t)argc, sizeof *includes);
	const char **sources = calloc((size_t)argc, sizeof *sources);
	if (!includes || !sources) {
		fprintf(stderr, "polc: error: out of memory\n");
		return 2;
	}
	size_t ninc = 0, nsrc = 0;
	const char *output = NULL, *conf = NULL;
	int check_only = 0, rc = 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				sources[nsrc++] = argv[i];
			break;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			rc = 0;
			goto out;
		}
		if (strcmp(a, "--check") == 0) {
			check_only = 1;
		} else if (strcmp(a, "-I") == 0 || strcmp(a, "-o") == 0 || strcmp(a, "--emit-conf") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "polc: error: %s needs an argument\n", a);
				usage(stderr);
				goto out;
			}
			const char *v = argv[++i];
			if (a[1] == 'I')
				includes[ninc++] = v;
			else if (a[1] == 'o')
				output = v;
			else
				conf = v;
		} else if (strncmp(a, "-I", 2) == 0) {
			includes[ninc++] = a + 2;
		} else if (strncmp(a, "--emit-conf=", 12) == 0) {
			conf = a + 12;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "polc: error: unknown option %s\n", a);
			usage(stderr);
			goto out;
		} else {
			sources[nsrc++] = a;
		}
	}
	if (nsrc == 0) {
		fprintf(stderr, "polc: error: no source files\n");
		usage(stderr);
		goto out;
	}
	if (check_only && output) {
		fprintf(stderr, "polc: error: --check writes no output; drop -o\n");
		goto out;
	}

	pl_diag diag;
	pl_diag_init(&diag, stderr);
	pl_compile_options opt = {includes, ninc, NULL};
	pl_policy policy;
	rc = pl_compile_files(sources, nsrc, &opt, &diag, &policy);
	pl_diag_finish(&diag);
	if (rc != PL_COMPILE_OK)
		goto out;
	if (conf)
		rc = emit_conf(&policy, conf);
	if (rc == 0 && !check_only)
		rc = write_binary(&policy, output ? output : DEFAULT_OUTPUT);
	pl_policy_free(&policy);
out:
	free(includes);
	free(sources);
	return rc;
}
