/* m4 sources: the support library is read first, macros defined in one
 * source serve the others, and errors point at the user's file and line
 * (the macro call's line for errors inside an expansion). */
#include "frontend_helpers.h"

#include <sys/stat.h>
#include <unistd.h>

typedef struct tmpdir {
	char path[64];
} tmpdir;

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	tmpdir *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	snprintf(t->path, sizeof t->path, "/tmp/polc-m4-XXXXXX");
	if (!mkdtemp(t->path))
		return -1;
	char sup[128];
	snprintf(sup, sizeof sup, "%s/support", t->path);
	if (mkdir(sup, 0700) != 0)
		return -1;
	write_file(sup, "10-perms.m4", "divert(-1)\ndefine(`rw_perms', `{ read write }')\ndivert(0)dnl\n");
	write_file(sup, "20-iface.m4", "divert(-1)\ndefine(`rw_files', `allow $1 $2:file rw_perms;')\ndivert(0)dnl\n");
	write_file(t->path, "base.conf", BASE "type a_t;\ntype b_t;\n");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tmpdir *t = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", t->path);
	int rc = system(cmd);
	free(t);
	return rc == 0 ? 0 : -1;
}

static int compile_in(tmpdir *t, const char *const *names, size_t n, compiled *c)
{
	char paths[4][256];
	const char *ptrs[4];
	for (size_t i = 0; i < n; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/%s", t->path, names[i]);
		ptrs[i] = paths[i];
	}
	char sup[128];
	snprintf(sup, sizeof sup, "%s/support", t->path);
	memset(c, 0, sizeof *c);
	FILE *f = open_memstream(&c->out, &c->outlen);
	pl_diag_init(&c->diag, f);
	pl_compile_options opt = {NULL, 0, sup};
	c->rc = pl_compile_files(ptrs, n, &opt, &c->diag, &c->p);
	fclose(f);
	return c->rc;
}

static void test_macros_across_files(void **state)
{
	tmpdir *t = *state;
	write_file(t->path, "mod.if", "define(`mod_read', `allow $1 b_t:file read;')\n");
	write_file(t->path, "mod.te", "rw_files(a_t, b_t)\nmod_read(b_t)\n");
	const char *names[] = {"base.conf", "mod.if", "mod.te"};
	compiled c;
	assert_int_equal(compile_in(t, names, 3, &c), 0);
	assert_int_equal(allowed(&c.p, "a_t", "b_t", "file"), 3u);
	assert_int_equal(allowed(&c.p, "b_t", "b_t", "file"), 1u);
	compiled_free(&c);
}

static void test_errors_point_at_user_lines(void **state)
{
	tmpdir *t = *state;
	write_file(t->path, "bad.te", "# line 1\n\nrw_files(a_t, nosuch_t)\nallow a_t b_t:file fly;\n");
	const char *names[] = {"base.conf", "bad.te"};
	compiled c;
	assert_int_equal(compile_in(t, names, 2, &c), 1);
	assert_non_null(strstr(c.out, "bad.te:3:"));
	assert_non_null(strstr(c.out, "unknown type or attribute 'nosuch_t'"));
	assert_non_null(strstr(c.out, "bad.te:4:20: error: permission 'fly'"));
	compiled_free(&c);
}

static void test_m4_errors_are_located(void **state)
{
	tmpdir *t = *state;
	write_file(t->path, "broken.te", "type c_t;\nrw_files(a_t, b_t\n");
	const char *names[] = {"base.conf", "broken.te"};
	compiled c;
	assert_int_equal(compile_in(t, names, 2, &c), 1);
	assert_non_null(strstr(c.out, "broken.te:2:1: error: m4: end of file in argument list"));
	compiled_free(&c);
}

static void test_missing_source_is_io_error(void **state)
{
	tmpdir *t = *state;
	const char *names[] = {"base.conf", "absent.te"};
	compiled c;
	assert_int_equal(compile_in(t, names, 2, &c), 2);
	compiled_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_macros_across_files),
		cmocka_unit_test(test_errors_point_at_user_lines),
		cmocka_unit_test(test_m4_errors_are_located),
		cmocka_unit_test(test_missing_source_is_io_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
