/* The front end's driver: read sources, m4 where needed, parse, check. */
#include "policy/compiler.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "m4.h"
#include "parser.h"
#include "sema.h"

static int check(ast_program *prog, pl_diag *diag, pl_policy *out)
{
	checker c;
	memset(&c, 0, sizeof c);
	c.prog = prog;
	c.diag = diag;
	c.pol = out;
	sema_collect(&c);
	sema_enable_optionals(&c);
	sema_build_tables(&c);
	sema_attributes(&c);
	sema_rbac(&c);
	sema_conds(&c);
	sema_te_rules(&c);
	sema_constraints(&c);
	sema_isids(&c);
	sema_misc(&c);

	/* Source positions in the policy point into the program's strings. */
	out->pool = prog->strings;
	prog->strings = NULL;

	free(c.syms);
	pl_map_free(&c.names);
	pl_map_free(&c.reqs);
	pl_map_free(&c.perm_bits);
	free(c.type_sym);
	pl_bitset_free(&c.all_types);
	free(c.if_cond);
	free(c.if_swap);
	free(c.avslots);
	pl_map_free(&c.temap);
	free(c.te_entries);
	pl_map_free(&c.fname_trans);
	pl_map_free(&c.rtrans_keys);
	for (uint32_t i = 0; i < c.nnevers; i++) {
		pl_bitset_free(&c.nevers[i].src);
		pl_bitset_free(&c.nevers[i].tgt);
		free(c.nevers[i].perms);
	}
	free(c.nevers);
	pl_bitset_free(&c.scratch_src);
	pl_bitset_free(&c.scratch_tgt);
	rset_free(&c.rs_src);
	rset_free(&c.rs_tgt);
	return diag->nerrors ? PL_COMPILE_POLICY_ERROR : PL_COMPILE_OK;
}

static int finish(ast_program *prog, pl_diag *diag, pl_policy *out, int rc, const char *first)
{
	memset(out, 0, sizeof *out);
	/* An empty policy is almost certainly the wrong file, and silently
	 * producing a policy that denies everything helps nobody. */
	if (rc == PL_COMPILE_OK && prog->nstmts == 0 && !diag->nerrors) {
		pl_diag_error(diag, first, 1, 1, "the policy has no statements");
		rc = PL_COMPILE_POLICY_ERROR;
	}
	if (rc != PL_COMPILE_IO_ERROR)
		rc = check(prog, diag, out) == PL_COMPILE_OK && rc == PL_COMPILE_OK
			     ? PL_COMPILE_OK : PL_COMPILE_POLICY_ERROR;
	if (rc != PL_COMPILE_OK)
		pl_policy_free(out);
	ast_program_free(prog);
	return rc;
}

int pl_compile_string(const char *name, const char *text, size_t len, pl_diag *diag, pl_policy *out)
{
	ast_program prog;
	ast_program_init(&prog);
	pl_parse(&prog, name, text, len, diag);
	return finish(&prog, diag, out, diag->nerrors ? PL_COMPILE_POLICY_ERROR : PL_COMPILE_OK, name);
}

static bool wants_m4(const char *path)
{
	size_t n = strlen(path);
	return (n >= 3 && (strcmp(path + n - 3, ".te") == 0 || strcmp(path + n - 3, ".if") == 0 ||
			   strcmp(path + n - 3, ".m4") == 0));
}

static int read_file(const char *path, char **buf, size_t *len, pl_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		pl_diag_error(diag, NULL, 0, 0, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	/* Size the buffer from the file when it can tell (not a pipe). */
	size_t cap = 1 << 16, n = 0;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	char *b = pl_xmalloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			b = pl_xrealloc(b, cap);
		}
		size_t r = fread(b + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		pl_diag_error(diag, NULL, 0, 0, "cannot read %s", path);
		free(b);
		return -1;
	}
	*buf = b;
	*len = n;
	return 0;
}

int pl_compile_files(const char *const *paths, size_t npaths, const pl_compile_options *opt,
		     pl_diag *diag, pl_policy *out)
{
	ast_program prog;
	ast_program_init(&prog);
	int rc = PL_COMPILE_OK;
	const char **m4paths = pl_xcalloc(npaths + 1, sizeof *m4paths);
	size_t nm4 = 0;
	for (size_t i = 0; i < npaths; i++) {
		if (!wants_m4(paths[i]))
			continue;
		/* m4 would only say it cannot open the file; that is an I/O
		 * error, not a policy error. */
		FILE *f = fopen(paths[i], "rb");
		if (!f) {
			pl_diag_error(diag, NULL, 0, 0, "cannot open %s: %s", paths[i], strerror(errno));
			rc = PL_COMPILE_IO_ERROR;
			continue;
		}
		fclose(f);
		m4paths[nm4++] = paths[i];
	}
	bool m4_done = false;
	for (size_t i = 0; i < npaths && rc != PL_COMPILE_IO_ERROR; i++) {
		char *buf = NULL;
		size_t len = 0;
		if (wants_m4(paths[i])) {
			if (m4_done)
				continue;
			m4_done = true;
			int r = pl_run_m4(m4paths, nm4, opt, diag, &buf, &len);
			if (r == PL_COMPILE_IO_ERROR) {
				rc = r;
				break;
			}
			if (r != PL_COMPILE_OK)
				rc = r;
			pl_parse(&prog, paths[i], buf, len, diag);
		} else {
			if (read_file(paths[i], &buf, &len, diag) < 0) {
				rc = PL_COMPILE_IO_ERROR;
				break;
			}
			pl_parse(&prog, paths[i], buf, len, diag);
		}
		free(buf);
	}
	free(m4paths);
	if (rc == PL_COMPILE_OK && diag->nerrors)
		rc = PL_COMPILE_POLICY_ERROR;
	return finish(&prog, diag, out, rc, npaths ? paths[0] : "<none>");
}
