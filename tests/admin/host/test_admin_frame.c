/* The host admin frame decoder (drivers/console/admin_frame.c): frames are
 * taken whole and CRC-checked, typed text passes unchanged, and a bad
 * frame is dropped with a reason and costs nothing but its own bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "admin_frame.h"

struct outcome {
	char typed[8192];
	size_t ntyped;
	int payloads, dropped;
	uint8_t last[ADMIN_FRAME_MAX];
	uint32_t last_len;
	char why[128];
};

static void feed(struct admin_frame *f, const void *data, size_t n, struct outcome *o)
{
	const uint8_t *p = data;
	for (size_t i = 0; i < n; i++) {
		uint8_t typed[ADMIN_FRAME_PASS_MAX];
		enum admin_frame_event ev;
		uint32_t k = admin_frame_feed(f, p[i], typed, &ev);
		assert_true(k <= ADMIN_FRAME_PASS_MAX);
		assert_true(o->ntyped + k <= sizeof o->typed);
		memcpy(o->typed + o->ntyped, typed, k);
		o->ntyped += k;
		if (ev == ADMIN_FRAME_PAYLOAD) {
			o->payloads++;
			o->last_len = f->len;
			memcpy(o->last, f->payload, f->len);
		} else if (ev == ADMIN_FRAME_DROPPED) {
			o->dropped++;
			snprintf(o->why, sizeof o->why, "%s", f->why);
		}
	}
}

/* A frame as the host tool writes it. */
static size_t frame(char *out, const uint8_t *payload, uint32_t len, uint32_t crc)
{
	size_t n = (size_t)sprintf(out, "%s%04x%08x", ADMIN_FRAME_MAGIC, len, crc);
	for (uint32_t i = 0; i < len; i++)
		n += (size_t)sprintf(out + n, "%02x", payload[i]);
	return n;
}

/* The reference: CRC-32 bit by bit, as the standard defines it. */
static uint32_t zcrc(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;
	for (uint32_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int b = 0; b < 8; b++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void crc_matches_the_reference(void **state)
{
	(void)state;
	uint8_t buf[3000];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	assert_int_equal(admin_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
	assert_int_equal(admin_crc32(0, buf, sizeof buf), zcrc(buf, sizeof buf));
	/* continued in pieces: the same */
	uint32_t c = admin_crc32(0, buf, 1000);
	c = admin_crc32(c, buf + 1000, 2000);
	assert_int_equal(c, zcrc(buf, sizeof buf));
	assert_int_equal(admin_crc32(0, buf, 0), 0);
}

static void typed_text_passes_unchanged(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	admin_frame_init(&f);
	const char text[] = "ls -l\r\x01n\x01\x01 BWA 0010 \x7f\x1b[A";
	feed(&f, text, sizeof text - 1, &o);
	assert_int_equal(o.ntyped, sizeof text - 1);
	assert_memory_equal(o.typed, text, sizeof text - 1);
	assert_int_equal(o.payloads + o.dropped, 0);
	assert_false(admin_frame_busy(&f));
}

static void a_frame_between_keystrokes(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	static char buf[4096];
	admin_frame_init(&f);
	uint8_t payload[] = {'S', 1, 2, 0, 0xff, 0x02};
	size_t n = (size_t)sprintf(buf, "ab");
	n += frame(buf + n, payload, sizeof payload, zcrc(payload, sizeof payload));
	n += (size_t)sprintf(buf + n, "cd");
	feed(&f, buf, n, &o);
	assert_int_equal(o.payloads, 1);
	assert_int_equal(o.dropped, 0);
	assert_int_equal(o.last_len, sizeof payload);
	assert_memory_equal(o.last, payload, sizeof payload);
	assert_int_equal(o.ntyped, 4);
	assert_memory_equal(o.typed, "abcd", 4);
}

static void largest_frame_and_upper_case_hex(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	static char buf[8192];
	static uint8_t payload[ADMIN_FRAME_MAX];
	admin_frame_init(&f);
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i ^ 0x5a);
	size_t n = frame(buf, payload, sizeof payload, zcrc(payload, sizeof payload));
	for (size_t i = 0; i < n; i++)
		if (buf[i] >= 'a' && buf[i] <= 'f')
			buf[i] = (char)(buf[i] - 'a' + 'A');
	buf[2] = 'W'; /* the marker stays as is */
	feed(&f, buf, n, &o);
	assert_int_equal(o.payloads, 1);
	assert_int_equal(o.last_len, ADMIN_FRAME_MAX);
	assert_memory_equal(o.last, payload, sizeof payload);
	assert_int_equal(o.ntyped, 0);
}

/* A lone Ctrl-B, or one followed by text that is not the marker: held back
 * only until it is clearly typed text, then given back in order. */
static void a_marker_prefix_is_given_back(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	admin_frame_init(&f);
	feed(&f, "\x02", 1, &o);
	assert_int_equal(o.ntyped, 0);
	assert_true(admin_frame_busy(&f));
	feed(&f, "x", 1, &o);
	assert_int_equal(o.ntyped, 2);
	assert_memory_equal(o.typed, "\x02x", 2);
	feed(&f, "\x02" "BWx\x02" "B\x02" "BW\x02\x02q", 12, &o);
	assert_int_equal(o.ntyped, 14);
	assert_memory_equal(o.typed, "\x02x\x02" "BWx\x02" "B\x02" "BW\x02\x02q", 14);
	assert_int_equal(o.payloads + o.dropped, 0);
	assert_false(admin_frame_busy(&f));
}

static void bad_crc_is_dropped_and_nothing_else_lost(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	static char buf[4096];
	admin_frame_init(&f);
	uint8_t payload[] = "hello";
	size_t n = frame(buf, payload, 5, zcrc(payload, 5) ^ 1);
	n += (size_t)sprintf(buf + n, "ok");
	n += frame(buf + n, payload, 5, zcrc(payload, 5));
	feed(&f, buf, n, &o);
	assert_int_equal(o.dropped, 1);
	assert_non_null(strstr(o.why, "bad CRC-32"));
	assert_int_equal(o.payloads, 1);
	assert_int_equal(o.ntyped, 2);
	assert_memory_equal(o.typed, "ok", 2);
}

static void truncated_frame_gives_back_the_byte_that_ended_it(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	static char buf[4096];
	admin_frame_init(&f);
	uint8_t payload[] = "policy chunk";
	size_t whole = frame(buf, payload, 12, zcrc(payload, 12));
	/* cut mid-payload, then typed text, then a good frame */
	size_t n = whole - 7;
	n += (size_t)sprintf(buf + n, "\rls\r");
	n += frame(buf + n, payload, 12, zcrc(payload, 12));
	feed(&f, buf, n, &o);
	assert_int_equal(o.dropped, 1);
	assert_non_null(strstr(o.why, "truncated in its payload"));
	assert_non_null(strstr(o.why, "0x0d"));
	assert_int_equal(o.ntyped, 4);
	assert_memory_equal(o.typed, "\rls\r", 4);
	assert_int_equal(o.payloads, 1);
}

static void truncated_header_then_a_new_frame(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	static char buf[4096];
	admin_frame_init(&f);
	uint8_t payload[] = {1, 2, 3};
	size_t n = (size_t)sprintf(buf, "%s00", ADMIN_FRAME_MAGIC);  /* length cut */
	n += frame(buf + n, payload, 3, zcrc(payload, 3));
	n += (size_t)sprintf(buf + n, "%s0003abc", ADMIN_FRAME_MAGIC); /* CRC cut */
	n += (size_t)sprintf(buf + n, "z");
	feed(&f, buf, n, &o);
	assert_int_equal(o.dropped, 2);
	assert_non_null(strstr(o.why, "truncated in its CRC"));
	assert_int_equal(o.payloads, 1);
	assert_int_equal(o.ntyped, 1);
	assert_memory_equal(o.typed, "z", 1);
}

static void oversized_and_empty_frames_are_refused(void **state)
{
	(void)state;
	static struct admin_frame f;
	static struct outcome o;
	static char buf[8192];
	admin_frame_init(&f);
	/* announced 0x0401 bytes: refused at the length, its body swallowed */
	size_t n = (size_t)sprintf(buf, "%s0401%08x", ADMIN_FRAME_MAGIC, 0u);
	for (int i = 0; i < 2 * 0x401; i++)
		buf[n++] = 'a';
	n += (size_t)sprintf(buf + n, "after");
	feed(&f, buf, n, &o);
	assert_int_equal(o.dropped, 1);
	assert_non_null(strstr(o.why, "oversized: 1025 bytes"));
	assert_int_equal(o.ntyped, 5);
	assert_memory_equal(o.typed, "after", 5);
	/* an oversized frame cut short: the rest is typed text again */
	memset(&o, 0, sizeof o);
	n = (size_t)sprintf(buf, "%sffff00000000abc\rtext", ADMIN_FRAME_MAGIC);
	feed(&f, buf, n, &o);
	assert_int_equal(o.dropped, 1);
	assert_int_equal(o.ntyped, 5);
	assert_memory_equal(o.typed, "\rtext", 5);
	memset(&o, 0, sizeof o);
	n = (size_t)sprintf(buf, "%s0000%08xq", ADMIN_FRAME_MAGIC, 0u);
	feed(&f, buf, n, &o);
	assert_int_equal(o.dropped, 1);
	assert_non_null(strstr(o.why, "empty"));
	assert_int_equal(o.ntyped, 1);
	assert_memory_equal(o.typed, "q", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc_matches_the_reference),
		cmocka_unit_test(typed_text_passes_unchanged),
		cmocka_unit_test(a_frame_between_keystrokes),
		cmocka_unit_test(largest_frame_and_upper_case_hex),
		cmocka_unit_test(a_marker_prefix_is_given_back),
		cmocka_unit_test(bad_crc_is_dropped_and_nothing_else_lost),
		cmocka_unit_test(truncated_frame_gives_back_the_byte_that_ended_it),
		cmocka_unit_test(truncated_header_then_a_new_frame),
		cmocka_unit_test(oversized_and_empty_frames_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
