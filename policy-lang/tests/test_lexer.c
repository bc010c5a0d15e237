/* The lexer: tokens, positions (1-based byte columns), #line sync lines
 * from m4, and junk reported once per run rather than once per byte. */
#include "frontend_helpers.h"

#include "../src/lexer.h"

typedef struct lexfix {
	pl_intern strings;
	pl_diag diag;
	pl_lexer lx;
} lexfix;

static void start(lexfix *f, const char *src, size_t len)
{
	memset(f, 0, sizeof *f);
	pl_diag_init(&f->diag, NULL);
	pl_lexer_init(&f->lx, "in.conf", src, len, &f->strings, &f->diag);
}

static void stop(lexfix *f)
{
	pl_intern_free(&f->strings);
}

static void test_tokens_and_columns(void **state)
{
	(void)state;
	const char *src = "allow a_t b.t-x:{ file } ~read;\n  == != && || ^ \"n am\" /p/q 80";
	lexfix f;
	start(&f, src, strlen(src));
	pl_token t;
	struct { enum pl_tok kind; const char *text; char ch; uint32_t line, col; } want[] = {
		{TK_ID, "allow", 0, 1, 1}, {TK_ID, "a_t", 0, 1, 7}, {TK_ID, "b.t-x", 0, 1, 11},
		{TK_PUNCT, NULL, ':', 1, 16}, {TK_PUNCT, NULL, '{', 1, 17}, {TK_ID, "file", 0, 1, 19},
		{TK_PUNCT, NULL, '}', 1, 24}, {TK_PUNCT, NULL, '~', 1, 26}, {TK_ID, "read", 0, 1, 27},
		{TK_PUNCT, NULL, ';', 1, 31}, {TK_EQ, NULL, 0, 2, 3}, {TK_NE, NULL, 0, 2, 6},
		{TK_AND, NULL, 0, 2, 9}, {TK_OR, NULL, 0, 2, 12}, {TK_PUNCT, NULL, '^', 2, 15},
		{TK_STR, "n am", 0, 2, 17}, {TK_PATH, "/p/q", 0, 2, 24}, {TK_NUM, "80", 0, 2, 29},
		{TK_EOF, NULL, 0, 2, 31},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		pl_lexer_next(&f.lx, &t);
		assert_int_equal(t.kind, want[i].kind);
		if (want[i].text)
			assert_string_equal(t.text, want[i].text);
		if (want[i].ch)
			assert_int_equal(t.ch, want[i].ch);
		assert_int_equal(t.pos.line, want[i].line);
		assert_int_equal(t.pos.col, want[i].col);
	}
	assert_int_equal(f.diag.nerrors, 0);
	stop(&f);
}

static void test_comments_and_line_directives(void **state)
{
	(void)state;
	const char *src = "# comment\n#line 40 \"user.te\"\n  type x; # trailing\n#line 7\ny\n";
	lexfix f;
	start(&f, src, strlen(src));
	pl_token t;
	pl_lexer_next(&f.lx, &t);
	assert_string_equal(t.text, "type");
	assert_string_equal(t.pos.file, "user.te");
	assert_int_equal(t.pos.line, 40);
	assert_int_equal(t.pos.col, 3);
	pl_lexer_next(&f.lx, &t);
	pl_lexer_next(&f.lx, &t);
	assert_int_equal(t.ch, ';');
	pl_lexer_next(&f.lx, &t);
	assert_string_equal(t.text, "y");
	assert_string_equal(t.pos.file, "user.te");
	assert_int_equal(t.pos.line, 7);
	stop(&f);
}

static void test_same_names_are_interned(void **state)
{
	(void)state;
	const char *src = "abc abc";
	lexfix f;
	start(&f, src, strlen(src));
	pl_token a, b;
	pl_lexer_next(&f.lx, &a);
	pl_lexer_next(&f.lx, &b);
	assert_ptr_equal(a.text, b.text);
	stop(&f);
}

static void test_nul_and_junk_are_errors(void **state)
{
	(void)state;
	const char src[] = "a\0b @@@@ c\n\x01\x02 d";
	lexfix f;
	start(&f, src, sizeof src - 1);
	pl_token t;
	int ids = 0;
	do {
		pl_lexer_next(&f.lx, &t);
		ids += t.kind == TK_ID;
	} while (t.kind != TK_EOF);
	assert_int_equal(ids, 4);
	assert_int_equal(f.diag.nerrors, 3); /* NUL, the @ run, the control bytes */
	assert_non_null(strstr(f.diag.first_error, "in.conf:1:2: error: NUL byte"));
	stop(&f);
}

static void test_unterminated_string(void **state)
{
	(void)state;
	const char *src = "x \"abc\ny";
	lexfix f;
	start(&f, src, strlen(src));
	pl_token t;
	pl_lexer_next(&f.lx, &t);
	pl_lexer_next(&f.lx, &t);
	assert_string_equal(t.text, "y");
	assert_int_equal(f.diag.nerrors, 1);
	assert_non_null(strstr(f.diag.first_error, "in.conf:1:3: error: unterminated string"));
	stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_and_columns),
		cmocka_unit_test(test_comments_and_line_directives),
		cmocka_unit_test(test_same_names_are_interned),
		cmocka_unit_test(test_nul_and_junk_are_errors),
		cmocka_unit_test(test_unterminated_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
