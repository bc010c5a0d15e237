/* The AVC line parser: the lines policyd prints, behind console prefixes
 * and among noise, and every way a line can be cut short or garbled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "avc_parse.h"

#define DENIED                                                                                            \
	"[policyd] type=AVC msg=audit(0.008:1): avc:  denied  { send } for  pid=5 comm=\"secattack\" "   \
	"scontext=system_u:system_r:sectest_attack_t tcontext=system_u:object_r:victim_chan_t tclass=ipc " \
	"permissive=0"

static int parse(const char *line, avc_record *r, const char **why)
{
	return avc_parse_line(line, strlen(line), r, why);
}

static void assert_str(avc_str s, const char *want)
{
	if (!avc_str_eq(s, want))
		fail_msg("got '%.*s', want '%s'", (int)s.n, s.p ? s.p : "", want);
}

static void denied_line_behind_a_prefix(void **state)
{
	(void)state;
	avc_record r;
	const char *why;
	assert_int_equal(parse(DENIED, &r, &why), AVC_RECORD);
	assert_int_equal(r.kind, AVC_DENIED);
	assert_true(r.has_stamp);
	assert_int_equal(r.sec, 0);
	assert_int_equal(r.nsec, 8000000);
	assert_int_equal(r.serial, 1);
	assert_str(r.stamp, "0.008");
	assert_int_equal(r.nperms, 1);
	assert_str(r.perms[0], "send");
	assert_str(r.comm, "secattack");
	assert_str(r.scontext, "system_u:system_r:sectest_attack_t");
	assert_str(r.tcontext, "system_u:object_r:victim_chan_t");
	assert_str(r.stype, "sectest_attack_t");
	assert_str(r.ttype, "victim_chan_t");
	assert_str(r.tclass, "ipc");
	assert_int_equal(r.permissive, 0);
}

static void granted_revoked_and_counters(void **state)
{
	(void)state;
	avc_record r;
	const char *why;
	assert_int_equal(parse("[policyd] type=AVC msg=audit(0.000:2147483651): avc:  granted  { setbool } for  "
			       "pid=4 comm=\"secadmin\" scontext=system_u:system_r:secadmin_t "
			       "tcontext=system_u:object_r:security_t tclass=security permissive=0",
			       &r, &why),
			 AVC_RECORD);
	assert_int_equal(r.kind, AVC_GRANTED);
	assert_int_equal(r.serial, 2147483651u);

	assert_int_equal(parse("type=AVC msg=audit(0.019:6): bulwark:  revoked  { send call receive } for  "
			       "comm=\"secattack\" scontext=system_u:system_r:sectest_attack_t "
			       "tcontext=system_u:object_r:victim_chan_t tclass=ipc",
			       &r, &why),
			 AVC_RECORD);
	assert_int_equal(r.kind, AVC_REVOKED);
	assert_int_equal(r.nperms, 3);
	assert_str(r.perms[2], "receive");
	assert_int_equal(r.permissive, -1);

	assert_int_equal(parse("[policyd] audit: 167 records suppressed (rate limit)", &r, &why), AVC_RECORD);
	assert_int_equal(r.kind, AVC_SUPPRESSED);
	assert_int_equal(r.count, 167);
	assert_int_equal(parse("audit: 3 records lost (audit ring full)", &r, &why), AVC_RECORD);
	assert_int_equal(r.kind, AVC_LOST);
	assert_int_equal(r.count, 3);
}

static void noise_is_not_a_record(void **state)
{
	(void)state;
	static const char *const noise[] = {
		"",
		"[kernel] starting user tasks",
		"[secattac] ok: receive on it is denied without an audit line (dontaudit)",
		"[policyd] policyd: policy 2 loaded, 18 SIDs (0 unlabeled), enforcing",
		"Bulwark microkernel booting at EL2",
		"bulwark: a banner, not a revocation",
		"[linux] [    0.000000] audit: initializing netlink subsys (disabled)",
		"audit: 12 records of something else",
	};
	for (size_t i = 0; i < sizeof noise / sizeof *noise; i++) {
		avc_record r;
		const char *why;
		assert_int_equal(parse(noise[i], &r, &why), AVC_NOISE);
	}
}

static void permissive_empty_set_and_linux_lines(void **state)
{
	(void)state;
	avc_record r;
	const char *why;
	assert_int_equal(parse("type=AVC msg=audit(0.109:2): avc:  denied  { } for  pid=2 comm=\"console\" "
			       "scontext=system_u:system_r:console_t tcontext=system_u:system_r:console_t "
			       "tclass=notification permissive=1",
			       &r, &why),
			 AVC_RECORD);
	assert_int_equal(r.nperms, 0);
	assert_int_equal(r.permissive, 1);
	/* Linux's own kernel log: audit(...) without msg=, extra fields, an MLS level. */
	assert_int_equal(parse("[linux] [   12.3] audit: type=1400 audit(1700000000.123:45): avc:  denied  { read write } "
			       "for  pid=1 comm=\"cat\" name=\"x\" dev=\"vda\" ino=12 "
			       "scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:etc_t:s0-s0:c0.c1023 "
			       "tclass=file",
			       &r, &why),
			 AVC_RECORD);
	assert_int_equal(r.sec, 1700000000u);
	assert_int_equal(r.nsec, 123000000);
	assert_str(r.stype, "init_t");
	assert_str(r.ttype, "etc_t");
	assert_int_equal(r.nperms, 2);
	assert_int_equal(r.permissive, -1);
}

static void quoted_comm_cannot_fake_fields(void **state)
{
	(void)state;
	avc_record r;
	const char *why;
	assert_int_equal(parse("type=AVC msg=audit(1.5:9): avc:  denied  { send } for  pid=7 "
			       "comm=\"evil scontext=u:r:admin_t\" scontext=u:r:guest_t tcontext=u:object_r:x_t tclass=ipc "
			       "permissive=0",
			       &r, &why),
			 AVC_RECORD);
	assert_str(r.comm, "evil scontext=u:r:admin_t");
	assert_str(r.stype, "guest_t");
	assert_int_equal(r.nsec, 500000000);
}

static void expect_malformed(const char *line, const char *why_part)
{
	avc_record r;
	const char *why = NULL;
	int rc = parse(line, &r, &why);
	if (rc != AVC_MALFORMED)
		fail_msg("not malformed (%d): %s", rc, line);
	assert_non_null(why);
	if (why_part && !strstr(why, why_part))
		fail_msg("reason '%s' lacks '%s' for: %s", why, why_part, line);
}

static void malformed_records_say_why(void **state)
{
	(void)state;
	expect_malformed("type=AVC msg=audit(*): avc:  denied  { send } for  pid=5 scontext=a:b:c tcontext=a:b:d tclass=ipc",
			 "timestamp");
	expect_malformed("type=AVC msg=audit(1.0000000001:1): avc:  denied  { send } for scontext=a:b:c tcontext=a:b:d tclass=x",
			 "digits");
	expect_malformed("avc:  refused  { send } for scontext=a:b:c tcontext=a:b:d tclass=ipc", "denied");
	expect_malformed("avc:  denied  send for scontext=a:b:c tcontext=a:b:d tclass=ipc", "'{'");
	expect_malformed("avc:  denied  { send for scontext=a:b:c", NULL);
	expect_malformed("avc:  denied  { se$nd } for scontext=a:b:c tcontext=a:b:d tclass=ipc", "permission");
	expect_malformed("avc:  denied  { send } scontext=a:b:c tcontext=a:b:d tclass=ipc", "'for'");
	expect_malformed("avc:  denied  { send } for scontext=a:b:c tcontext=a:b:d", "required");
	expect_malformed("avc:  denied  { send } for scontext=a:b tcontext=a:b:d tclass=ipc", "scontext");
	expect_malformed("avc:  denied  { send } for scontext=a:b:c tcontext=a::d tclass=ipc", "tcontext");
	expect_malformed("avc:  denied  { send } for scontext=a:b:c scontext=a:b:c tcontext=a:b:d tclass=ipc", "twice");
	expect_malformed("avc:  denied  { send } for scontext=a:b:c tcontext=a:b:d tclass=ipc permissive=2", "permissive");
	expect_malformed("avc:  denied  { send } for comm=\"open scontext=a:b:c tcontext=a:b:d tclass=ipc", "quoted");
	expect_malformed("avc:  denied  { send } for junk scontext=a:b:c tcontext=a:b:d tclass=ipc", "key=value");
	expect_malformed("avc:  denied  { send } for scontext=a:b:c tcontext=a:b:d tclass=i/pc", "tclass");
	expect_malformed("type=AVC msg=audit(1.0:1): something else entirely", "type=AVC");
	expect_malformed("audit: 99999999999999999999999 records suppressed", "too large");

	char many[2048] = "avc:  denied  {";
	for (int i = 0; i < 33; i++)
		strcat(many, " p");
	strcat(many, " } for scontext=a:b:c tcontext=a:b:d tclass=ipc");
	expect_malformed(many, "32");
}

/* A line cut anywhere (a console that lost bytes, policyd's 240-byte line
 * limit) is malformed once it has announced a record, noise before. */
static void every_truncation_is_noise_or_malformed(void **state)
{
	(void)state;
	const char *full = DENIED;
	size_t len = strlen(full);
	size_t mark = (size_t)(strstr(full, "type=AVC") - full) + 8; /* announces a record */
	size_t tclass = (size_t)(strstr(full, "tclass=") - full) + 8; /* first byte of a class name */
	for (size_t n = 0; n <= len; n++) {
		char *cut = malloc(n ? n : 1); /* exact size: ASan sees any overread */
		assert_non_null(cut);
		memcpy(cut, full, n);
		avc_record r;
		const char *why = NULL;
		int rc = avc_parse_line(cut, n, &r, &why);
		if (n < mark)
			assert_int_equal(rc, AVC_NOISE);
		else if (n < tclass)
			assert_int_equal(rc, AVC_MALFORMED);
		else if (n == len)
			assert_int_equal(rc, AVC_RECORD);
		else
			assert_int_not_equal(rc, AVC_NOISE); /* "tclass=ip" is a record, "permissive=" is not */
		if (rc == AVC_MALFORMED)
			assert_non_null(why);
		free(cut);
	}
}

static void nul_bytes_and_crlf_do_not_confuse_it(void **state)
{
	(void)state;
	char line[] = "avc:  denied  { send } for scontext=a:b:c tcontext=a:b:d tclass=ipc\0 permissive=0";
	avc_record r;
	const char *why;
	/* The NUL is inside len: it becomes part of an unknown field. */
	assert_int_equal(avc_parse_line(line, sizeof line - 1, &r, &why), AVC_MALFORMED);
	assert_int_equal(avc_parse_line(line, strlen(line), &r, &why), AVC_RECORD);
	assert_int_equal(r.permissive, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(denied_line_behind_a_prefix),
		cmocka_unit_test(granted_revoked_and_counters),
		cmocka_unit_test(noise_is_not_a_record),
		cmocka_unit_test(permissive_empty_set_and_linux_lines),
		cmocka_unit_test(quoted_comm_cannot_fake_fields),
		cmocka_unit_test(malformed_records_say_why),
		cmocka_unit_test(every_truncation_is_noise_or_malformed),
		cmocka_unit_test(nul_bytes_and_crlf_do_not_confuse_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
