/* The parser: every statement form, error recovery (all errors, each one
 * located), bounded nesting, and the m4-free any-order declarations. */
#include "frontend_helpers.h"

static void test_all_statement_forms_parse(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE
		   "type a_t alias { a1 a2 }, dom;\n"
		   "TYPE b_t;\n"
		   "typealias b_t alias b1;\n"
		   "attribute dom;\n"
		   "attribute other;\n"
		   "typeattribute b_t other, dom;\n"
		   "bool on true; bool off false;\n"
		   "allow a_t b_t:file { read write };\n"
		   "auditallow dom other:{ file dir } read;\n"
		   "dontaudit a_t self:file ~{ exec };\n"
		   "neverallow * a_t:process dyntransition;\n"
		   "if on && !(off || on) ^ off == on { allow a_t b_t:dir read; } else { allow a_t b_t:dir write; }\n"
		   "type_transition a_t b_t:file a_t;\n"
		   "type_transition a_t b_t:dir a_t \"name\";\n"
		   "type_change a_t b_t:file b_t;\n"
		   "type_member a_t b_t:file b_t;\n"
		   "role r_r; role r_r types { a_t b_t };\n"
		   "role q_r; allow r_r q_r;\n"
		   "role_transition r_r b_t q_r;\n"
		   "role_transition r_r b_t:file q_r;\n"
		   "user u_u roles { r_r q_r };\n"
		   "constrain file { read } (u1 == u2 and r1 dom r2) or not t1 == { a_t dom };\n"
		   "permissive b_t;\n"
		   "policycap open_perms;\n"
		   "optional { require { type a_t; class file { read }; } allow a_t a_t:file read; } else { allow b_t b_t:file read; }\n"
		   "sid kernel u_u:r_r:a_t\n"
		   "genfscon proc / u_u:r_r:a_t\n"
		   "portcon tcp 80-90 u_u:r_r:a_t\n"
		   "netifcon eth0 u_u:r_r:a_t u_u:r_r:a_t\n"
		   "nodecon 10.0.0.0 255.0.0.0 u_u:r_r:a_t\n"
		   "fs_use_xattr ext4 u_u:r_r:a_t;\n");
	/* One warning per kind of Linux statement. */
	assert_int_equal(c.diag.nwarnings, 5);
	if (!strstr(c.out, "t.conf:35:1: warning: 'genfscon'")) print_error("%s", c.out);
	assert_non_null(strstr(c.out, "t.conf:35:1: warning: 'genfscon' statements only make sense on Linux"));
	compiled_free(&c);
}

static void test_linux_warning_once_per_kind(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE "type a_t;\nrole r_r types a_t;\nuser u_u roles r_r;\nrole r_r;\n"
		   "portcon tcp 1 u_u:r_r:a_t\nportcon tcp 2 u_u:r_r:a_t\nportcon udp 3 u_u:r_r:a_t\n");
	assert_int_equal(c.diag.nwarnings, 1);
	compiled_free(&c);
}

static void test_linux_statements_are_skipped_whole(void **state)
{
	(void)state;
	compiled c;
	/* IPv6 addresses contain ':' but are not contexts; a level after a
	 * context is MLS. */
	compile_ok(&c, BASE "type a_t;\nrole r_r;\nrole r_r types a_t;\nuser u_u roles r_r;\n"
		   "nodecon 2001:db8:: ffff:ffff:: u_u:r_r:a_t\n"
		   "nodecon ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff u_u:r_r:a_t\n"
		   "ibpkeycon fe80:: 0xFFFF u_u:r_r:a_t\n"
		   "genfscon sysfs /devices -d u_u:r_r:a_t portcon tcp 1-1023 u_u:r_r:a_t\n"
		   "iomemcon 0xfebd9-0xfebdf u_u:r_r:a_t\n"
		   "allow a_t a_t:file read;\n");
	assert_int_equal(c.p.navrules, 1);
	assert_int_equal(c.diag.nerrors, 0);
	compiled_free(&c);
	compile_fails_with(BASE "genfscon proc / u:r:t:s0\n",
			   "t.conf:9:17: error: MLS is not supported yet (context with a level in genfscon)");
}

static void test_recovery_finds_all_errors(void **state)
{
	(void)state;
	compiled c;
	compile_src(&c, BASE
		    "type a_t\n"                     /* 9: missing ; -> reported at line 10 */
		    "type b_t;\n"
		    "allow a_t b_t file read;\n"      /* 11 */
		    "optional { allow ; }\n"          /* 12 */
		    "allow a_t b_t:file read;\n"      /* 13: fine */
		    "bogus;\n");                      /* 14 */
	assert_int_equal(c.rc, 1);
	assert_non_null(strstr(c.out, "t.conf:10:1: error: expected ';', found 'type'"));
	assert_non_null(strstr(c.out, "t.conf:11:15: error: expected ':', found 'file'"));
	assert_non_null(strstr(c.out, "t.conf:12:18: error: expected a source type set, found ';'"));
	assert_non_null(strstr(c.out, "t.conf:14:1: error: unknown statement 'bogus'"));
	/* The forgotten `;` did not swallow the next declaration. */
	assert_null(strstr(c.out, "unknown type or attribute 'b_t'"));
	assert_int_equal(c.diag.nerrors, 4);
	compiled_free(&c);
}

static void test_error_bound(void **state)
{
	(void)state;
	char *src = malloc(100000);
	size_t off = (size_t)sprintf(src, "%s", BASE "type a_t;\n");
	for (int i = 0; i < 80; i++)
		off += (size_t)sprintf(src + off, "allow a_t nosuch%d:file read;\n", i);
	compiled c;
	compile_src(&c, src);
	assert_int_equal(c.rc, 1);
	assert_int_equal(c.diag.nerrors, 80);
	assert_non_null(strstr(c.out, "30 more errors not shown (80 in total)"));
	assert_null(strstr(c.out, "nosuch50"));
	compiled_free(&c);
	free(src);
}

static void test_nesting_is_bounded(void **state)
{
	(void)state;
	size_t n = 5000;
	char *src = malloc(n * 4 + 200);
	size_t off = (size_t)sprintf(src, "bool b true;\nif ");
	for (size_t i = 0; i < n; i++)
		src[off++] = '(';
	off += (size_t)sprintf(src + off, "b");
	for (size_t i = 0; i < n; i++)
		src[off++] = ')';
	sprintf(src + off, " { }\n");
	compile_fails_with(src, "t.conf:2:");
	compile_fails_with(src, "expression nested too deeply");
	free(src);
}

static void test_unterminated_block(void **state)
{
	(void)state;
	compile_fails_with(BASE "type a_t;\noptional {\n  allow a_t a_t:file read;\n",
			   "t.conf:10:10: error: '{' is never closed");
}

static void test_mls_and_unsupported(void **state)
{
	(void)state;
	compile_fails_with(BASE "sensitivity s0;\n", "t.conf:9:1: error: MLS is not supported yet (sensitivity)");
	compile_fails_with(BASE "type a_t;\nrole r_r;\nuser u_u roles r_r level s0;\n",
			   "t.conf:11:20: error: MLS is not supported yet (user level)");
	compile_fails_with(BASE "typebounds a b;\n", "t.conf:9:1: error: 'typebounds' is not supported");
	compile_fails_with(BASE "default_type file source;\n", "'default_type' is not supported");
}

static void test_any_order(void **state)
{
	(void)state;
	compiled c;
	/* Rules before declarations, classes defined by their permissions. */
	compile_ok(&c, "allow a_t b_t:file read;\ntype b_t;\nclass file { read }\ntype a_t;\n");
	assert_int_equal(c.p.nclasses, 1);
	assert_int_equal(c.p.navrules, 1);
	compiled_free(&c);
}

static void test_empty_policy(void **state)
{
	(void)state;
	compile_fails_with("", "t.conf:1:1: error: the policy has no statements");
	compile_fails_with("# only a comment\n", "t.conf:1:1: error: the policy has no statements");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_statement_forms_parse),
		cmocka_unit_test(test_linux_warning_once_per_kind),
		cmocka_unit_test(test_linux_statements_are_skipped_whole),
		cmocka_unit_test(test_recovery_finds_all_errors),
		cmocka_unit_test(test_error_bound),
		cmocka_unit_test(test_nesting_is_bounded),
		cmocka_unit_test(test_unterminated_block),
		cmocka_unit_test(test_mls_and_unsupported),
		cmocka_unit_test(test_any_order),
		cmocka_unit_test(test_empty_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
