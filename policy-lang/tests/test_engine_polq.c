/* polq's command line, exactly as issue 2 specifies it: output formats,
 * error lines and exit codes, run on the sanitised polq ($BUILD/san/bin/polq)
 * over a hand-built policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_engine_fixture.h"

static char dir[64], policy_path[128], polq[256];

typedef struct result {
	int status;
	char out[4096], err[4096];
} result;

static void slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got = f ? fread(buf, 1, n - 1, f) : 0;
	buf[got] = '\0';
	if (f)
		fclose(f);
}

/* Runs polq with args (a shell fragment) and stdin from `input`. */
static void run(result *r, const char *args, const char *input)
{
	char cmd[2048], in[160], out[160], err[160];
	snprintf(in, sizeof in, "%s/in", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	snprintf(err, sizeof err, "%s/err", dir);
	FILE *f = fopen(in, "w");
	assert_non_null(f);
	fputs(input ? input : "", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "%s %s %s <%s >%s 2>%s", polq, policy_path, args, in, out, err);
	int st = system(cmd);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	slurp(out, r->out, sizeof r->out);
	slurp(err, r->err, sizeof r->err);
}

static int setup(void **state)
{
	(void)state;
	const char *build = getenv("BUILD");
	snprintf(polq, sizeof polq, "%s/san/bin/polq", build && *build ? build : "build");
	if (access(polq, X_OK) != 0) {
		fprintf(stderr, "test_engine_polq: %s is not built\n", polq);
		return -1;
	}
	snprintf(dir, sizeof dir, "/tmp/test_polq.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(policy_path, sizeof policy_path, "%s/p.bin", dir);

	pl_policy p;
	fx_init(&p);
	int32_t fc = (int32_t)fx_common(&p, "file_common", "read write");
	fx_class(&p, "file", fc, "execute");
	fx_class(&p, "process", -1, "transition dyntransition");
	fx_type(&p, "a_t");
	fx_type(&p, "b_t");
	fx_attr(&p, "domain");
	fx_typeattr(&p, "a_t", "domain");
	fx_role(&p, "r", "a_t b_t");
	fx_user(&p, "u", "r");
	fx_bool(&p, "flag", false);
	uint32_t c = fx_cond(&p, "flag");
	fx_av(&p, PL_AV_ALLOW, "domain", "b_t", "file", "write read", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "a_t", "b_t", "file", "execute", c, true);
	fx_av(&p, PL_AV_DONTAUDIT, "a_t", "b_t", "file", "write", PL_UNCOND, true);
	fx_te(&p, PL_TE_TRANSITION, "a_t", "b_t", "file", "a_t", PL_UNCOND, true);
	uint8_t *bin;
	size_t len;
	char err[256];
	int rc = pl_binary_write(&p, &bin, &len, err, sizeof err);
	fx_free(&p);
	if (rc != 0)
		return -1;
	FILE *f = fopen(policy_path, "wb");
	rc = f && fwrite(bin, 1, len, f) == len ? 0 : -1;
	if (f)
		fclose(f);
	free(bin);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_single_query(void **state)
{
	(void)state;
	result r;
	run(&r, "u:r:a_t u:object_r:b_t file", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "allowed= { read write } auditallow= { } auditdeny= { read execute }\n");
	run(&r, "--bool flag=true u:r:a_t u:object_r:b_t file", NULL);
	assert_string_equal(r.out, "allowed= { read write execute } auditallow= { } auditdeny= { read execute }\n");
	run(&r, "--bool flag=1 --bool flag=0 u:r:b_t u:r:a_t process", NULL);
	assert_string_equal(r.out, "allowed= { } auditallow= { } auditdeny= { transition dyntransition }\n");
}

static void test_query_errors(void **state)
{
	(void)state;
	result r;
	run(&r, "u:r:a_t u:object_r:b_t nosuch", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "error: unknown class 'nosuch'\n");
	run(&r, "u:r:domain u:r:b_t file", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error: "));
	run(&r, "u:object_r u:r:b_t file", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error: malformed context"));
	run(&r, "--bool nosuch=1 u:r:a_t u:r:b_t file", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "error: unknown boolean 'nosuch'\n");
	run(&r, "--bool flag=maybe u:r:a_t u:r:b_t file", NULL);
	assert_int_equal(r.status, 2);
	run(&r, "u:r:a_t u:r:b_t", NULL);
	assert_int_equal(r.status, 2);
}

static void test_batch(void **state)
{
	(void)state;
	result r;
	run(&r, "--batch",
	    "u:r:a_t u:object_r:b_t file\n"
	    "garbage\n"
	    "u:r:a_t u:r:nosuch_t file\n"
	    "u:r:b_t u:r:a_t process\n");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out,
			    "allowed= { read write } auditallow= { } auditdeny= { read execute }\n"
			    "error: malformed query (expected SCONTEXT TCONTEXT CLASS)\n"
			    "error: unknown type (or an attribute) in context 'u:r:nosuch_t'\n"
			    "allowed= { } auditallow= { } auditdeny= { transition dyntransition }\n");
}

static void test_create(void **state)
{
	(void)state;
	result r;
	run(&r, "--create u:r:a_t u:object_r:b_t file", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "u:object_r:a_t\n");
	run(&r, "--create --batch", "u:r:a_t u:object_r:b_t file\nu:r:b_t u:r:a_t process\nx\n");
	assert_string_equal(r.out, "u:object_r:a_t\nu:r:b_t\nerror: malformed query (expected SCONTEXT TCONTEXT CLASS)\n");
}

static void test_rules_and_stats(void **state)
{
	(void)state;
	result r;
	run(&r, "--rules -s a_t -c file", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out,
			    "allow a_t b_t:file execute; [ flag ]:True\n"
			    "allow domain b_t:file { read write };\n"
			    "dontaudit a_t b_t:file write;\n"
			    "type_transition a_t b_t:file a_t;\n");
	run(&r, "--rules -s b_t", NULL);
	assert_string_equal(r.out, "");
	run(&r, "--rules -t nosuch", NULL);
	assert_int_equal(r.status, 1);
	run(&r, "--stats", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "classes: 2\n"));
	assert_non_null(strstr(r.out, "types: 2\nattributes: 1\n"));
	assert_non_null(strstr(r.out, "allow: 2\n"));
	assert_non_null(strstr(r.out, "dontaudit: 1\n"));
	assert_non_null(strstr(r.out, "conditionals: 1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_query),
		cmocka_unit_test(test_query_errors),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_rules_and_stats),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
