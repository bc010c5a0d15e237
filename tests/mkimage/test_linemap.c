/* Reading dtc's annotated output back into source lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "linemap.h"

static const char annotated[] =
	"/dts-v1/;\n"
	"\n"
	"/ { /* sys.dts:2:3-20:3 */\n"
	"\tcompatible = \"bulwark,system\"; /* sys.dts:3:2-3:32 */\n"
	"\n"
	"\ttasks { /* sys.dts:4:8-9:4 */\n"
	"\n"
	"\t\tcon: console { /* inc/tasks.dtsi:5:11-8:5 */\n"
	"\t\t\timage = \"a/*b{c};\"; /* sys.dts:6:4-6:26 */\n"
	"\t\t\tlbl: priority = <0xc8>; /* sys.dts:7:4-7:21 */\n"
	"\t\t\tflag; /* sys.dts:8:4-8:9 */\n"
	"\t\t}; /* inc/tasks.dtsi:5:11-8:5 */\n"
	"\t}; /* sys.dts:4:8-9:4 */\n"
	"\tobjects { /* sys.dts:10:10-12:4 */\n"
	"\t\tep@1 {\n" /* no annotation: still tracked for nesting */
	"\t\t\ttype = \"endpoint\"; /* sys.dts:11:8-11:26 */\n"
	"\t\t};\n"
	"\t}; /* sys.dts:10:10-12:4 */\n"
	"}; /* sys.dts:2:3-20:3 */\n";

static void expect(const struct sd_linemap *m, const char *path, const char *prop,
		   const char *file, unsigned line)
{
	const char *f = NULL;
	unsigned l = 0;
	assert_int_equal(sd_linemap_find(m, path, prop, &f, &l), 0);
	assert_string_equal(f, file);
	assert_int_equal(l, line);
}

static void test_nodes_and_properties(void **state)
{
	(void)state;
	struct sd_linemap *m = sd_linemap_parse(annotated, strlen(annotated));
	assert_non_null(m);
	expect(m, "/", NULL, "sys.dts", 2);
	expect(m, "/", "compatible", "sys.dts", 3);
	expect(m, "/tasks", NULL, "sys.dts", 4);
	expect(m, "/tasks/console", NULL, "inc/tasks.dtsi", 5);
	expect(m, "/tasks/console", "image", "sys.dts", 6);
	expect(m, "/tasks/console", "priority", "sys.dts", 7);
	expect(m, "/tasks/console", "flag", "sys.dts", 8);
	expect(m, "/objects", NULL, "sys.dts", 10);
	expect(m, "/objects/ep@1", "type", "sys.dts", 11);
	sd_linemap_free(m);
}

static void test_unknown_lookups(void **state)
{
	(void)state;
	struct sd_linemap *m = sd_linemap_parse(annotated, strlen(annotated));
	const char *f;
	unsigned l;
	assert_int_equal(sd_linemap_find(m, "/tasks/nope", NULL, &f, &l), -1);
	assert_int_equal(sd_linemap_find(m, "/tasks/console", "nope", &f, &l), -1);
	assert_int_equal(sd_linemap_find(m, "/objects/ep@1", NULL, &f, &l), -1);
	assert_int_equal(sd_linemap_find(NULL, "/", NULL, &f, &l), -1);
	sd_linemap_free(m);
}

static void test_garbage_gives_an_empty_map(void **state)
{
	(void)state;
	static const char junk[] = "}; }; }; /* x */\n{ /* :1:2 */\n/* */ ; /* a:b:c */\n\0\0\n";
	struct sd_linemap *m = sd_linemap_parse(junk, sizeof(junk));
	assert_non_null(m);
	sd_linemap_free(m);
	m = sd_linemap_parse("", 0);
	assert_non_null(m);
	assert_int_equal(sd_linemap_size(m), 0);
	sd_linemap_free(m);
}

static void test_deep_nesting_is_bounded(void **state)
{
	(void)state;
	char text[20000];
	size_t n = 0;
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "n%d { /* f:%d:1-1:1 */\n", i, i + 1);
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "}; /* f:1:1-1:1 */\n");
	struct sd_linemap *m = sd_linemap_parse(text, n);
	assert_non_null(m);
	expect(m, "/n0", NULL, "f", 1);
	expect(m, "/n0/n1", NULL, "f", 2);
	sd_linemap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nodes_and_properties),
		cmocka_unit_test(test_unknown_lookups),
		cmocka_unit_test(test_garbage_gives_an_empty_map),
		cmocka_unit_test(test_deep_nesting_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
