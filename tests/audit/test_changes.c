/* Policy changes a log shows (changes.h): policyd's auditallow records of
 * the security permissions that change the policy, and its console
 * announcements; nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "changes.h"

static int note(changes *c, const char *line, uint64_t n)
{
	avc_record r;
	const char *why;
	int rc = avc_parse_line(line, strlen(line), &r, &why);
	return changes_note(c, line, strlen(line), rc == AVC_RECORD ? &r : NULL, n);
}

static void records_and_announcements_are_changes(void **state)
{
	(void)state;
	changes c = {0};
	static const char *const lines[] = {
		/* 1 */ "[policyd] policyd: policy 2 loaded, 18 SIDs (0 unlabeled), enforcing",
		/* 2 */ "[policyd] type=AVC msg=audit(0.1:1): avc:  denied  { send } for  pid=5 comm=\"a\" "
			"scontext=u:r:a_t tcontext=u:object_r:b_t tclass=ipc permissive=0",
		/* 3 */ "type=AVC msg=audit(0.000:2147483651): avc:  granted  { setbool } for  pid=4 comm=\"adm\" "
			"scontext=u:r:adm_t tcontext=u:object_r:security_t tclass=security permissive=0",
		/* 4 */ "type=AVC msg=audit(0.000:2147483652): avc:  granted  { compute_av } for  pid=4 comm=\"adm\" "
			"scontext=u:r:adm_t tcontext=u:object_r:security_t tclass=security permissive=0",
		/* 5 */ "[policyd] policyd: no region for a policy of 99 bytes",
		/* 6 */ "[kernel] security server restarted (1): failing closed until it has rebuilt its state",
		/* 7 */ "[policyd] policyd: boolean chan_on = 1",
		/* 8 */ "[policyd] policyd: permissive",
		/* 9 */ "[linux] just some text",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		assert_int_equal(note(&c, lines[i], i + 1), 0);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.v[0].line, 1);
	assert_int_equal(c.v[1].line, 3);
	assert_string_equal(c.v[1].what, "adm_t granted { setbool }");
	assert_int_equal(c.v[2].line, 6);
	assert_string_equal(c.v[3].what, "policyd: boolean chan_on = 1");
	assert_int_equal(c.v[4].line, 8);
	assert_int_equal(changes_after(&c, 2)->line, 3);
	assert_int_equal(changes_after(&c, 6)->line, 7);
	assert_null(changes_after(&c, 8));
	changes_free(&c);
}

static void control_bytes_are_not_copied(void **state)
{
	(void)state;
	changes c = {0};
	char line[300];
	memset(line, 'x', sizeof line);
	memcpy(line, "policyd: boolean \x1b[2J", 21);
	assert_int_equal(changes_note(&c, line, sizeof line, NULL, 1), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(strlen(c.v[0].what), sizeof c.v[0].what - 1);
	assert_null(strchr(c.v[0].what, '\x1b'));
	changes_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_and_announcements_are_changes),
		cmocka_unit_test(control_bytes_are_not_copied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
