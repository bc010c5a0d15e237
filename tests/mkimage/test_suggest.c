/* "Did you mean" hints: close misspellings get one, unrelated names none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "suggest.h"

static const char *hint_for(const char *word, const char *const *candidates, char *buf, size_t len)
{
	struct sd_suggest s;
	sd_suggest_init(&s, word);
	for (const char *const *c = candidates; *c; c++)
		sd_suggest_consider(&s, *c);
	return sd_suggest_text(&s, buf, len);
}

static void test_typos_are_caught(void **state)
{
	(void)state;
	static const char *const props[] = {"image", "context", "priority", "stack-size", NULL};
	char buf[96];
	assert_string_equal(hint_for("priorty", props, buf, sizeof(buf)),
			    " (did you mean 'priority'?)");
	assert_string_equal(hint_for("contxet", props, buf, sizeof(buf)),
			    " (did you mean 'context'?)");
	assert_string_equal(hint_for("stack_size", props, buf, sizeof(buf)),
			    " (did you mean 'stack-size'?)");
}

static void test_unrelated_names_get_no_hint(void **state)
{
	(void)state;
	static const char *const names[] = {"log", "uart", "console-ep", NULL};
	char buf[96];
	assert_string_equal(hint_for("logger", names, buf, sizeof(buf)), "");
	assert_string_equal(hint_for("x", names, buf, sizeof(buf)), "");
	static const char *const none[] = {NULL};
	assert_string_equal(hint_for("uart", none, buf, sizeof(buf)), "");
}

static void test_long_names_are_not_compared(void **state)
{
	(void)state;
	char longname[200];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	const char *const names[] = {longname, NULL};
	char buf[96];
	assert_string_equal(hint_for(longname, names, buf, sizeof(buf)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typos_are_caught),
		cmocka_unit_test(test_unrelated_names_get_no_hint),
		cmocka_unit_test(test_long_names_are_not_compared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
