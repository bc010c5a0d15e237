#include "lexer.h"

#include <stdlib.h>
#include <string.h>

void pl_lexer_init(pl_lexer *lx, const char *file, const char *text, size_t len,
		   pl_intern *strings, pl_diag *diag)
{
	memset(lx, 0, sizeof *lx);
	lx->p = text;
	lx->end = text + len;
	lx->line_start = text;
	lx->file = pl_intern_str(strings, file, strlen(file));
	lx->line = 1;
	lx->at_line_start = true;
	lx->strings = strings;
	lx->diag = diag;
}

static int is_id_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_id_char(int c)
{
	return is_id_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static uint32_t col_of(const pl_lexer *lx, const char *at)
{
	size_t c = (size_t)(at - lx->line_start) + 1;
	return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

static void newline(pl_lexer *lx, const char *after)
{
	lx->at_line_start = true;
	if (lx->line < UINT32_MAX)
		lx->line++;
	lx->line_start = after;
}

/* m4 -s writes `#line N "FILE"`: the next line is line N of FILE.  That is
 * how errors in m4 sources point at the user's file rather than m4's output. */
static int try_line_directive(pl_lexer *lx, const char *hash)
{
	const char *p = hash + 1;
	if (lx->end - p < 5 || memcmp(p, "line", 4) != 0 || (p[4] != ' ' && p[4] != '\t'))
		return 0;
	p += 4;
	while (p < lx->end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= lx->end || !is_digit(*p))
		return 0;
	unsigned long n = 0;
	while (p < lx->end && is_digit(*p)) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > UINT32_MAX)
			return 0;
		p++;
	}
	while (p < lx->end && (*p == ' ' || *p == '\t'))
		p++;
	const char *file = NULL;
	size_t flen = 0;
	if (p < lx->end && *p == '"') {
		const char *q = ++p;
		while (q < lx->end && *q != '"' && *q != '\n')
			q++;
		if (q >= lx->end || *q != '"')
			return 0;
		file = p;
		flen = (size_t)(q - p);
		p = q + 1;
	}
	while (p < lx->end && *p != '\n')
		p++;
	if (file)
		lx->file = pl_intern_str(lx->strings, file, flen);
	/* The directive's own newline must land us on line n. */
	lx->line = n ? (uint32_t)n - 1 : 0;
	lx->p = p;
	return 1;
}

static void skip_space(pl_lexer *lx)
{
	const char *from = lx->p;
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == '\n') {
			lx->p++;
			newline(lx, lx->p);
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->p++;
		} else if (c == '#') {
			int at_line_start = 1;
			for (const char *q = lx->line_start; q < lx->p; q++)
				if (*q != ' ' && *q != '\t')
					at_line_start = 0;
			if (at_line_start && try_line_directive(lx, lx->p))
				continue;
			const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			lx->p = nl ? nl : lx->end;
		} else {
			break;
		}
	}
	if (lx->p != from)
		lx->spaced = true;
}

void pl_lexer_next(pl_lexer *lx, pl_token *t)
{
	for (;;) {
		skip_space(lx);
		memset(t, 0, sizeof *t);
		t->pos.file = lx->file;
		t->pos.line = lx->line;
		t->pos.col = col_of(lx, lx->p);
		t->first_on_line = lx->at_line_start;
		t->space_before = lx->spaced || lx->at_line_start;
		lx->at_line_start = false;
		lx->spaced = false;
		if (lx->p >= lx->end) {
			t->kind = TK_EOF;
			return;
		}
		const char *s = lx->p;
		unsigned char c = (unsigned char)*s;
		if (is_id_start(c)) {
			const char *q = s + 1;
			while (q < lx->end && is_id_char((unsigned char)*q))
				q++;
			t->kind = TK_ID;
			t->text = pl_intern_str(lx->strings, s, (size_t)(q - s));
			lx->p = q;
			return;
		}
		if (is_digit(c)) {
			const char *q = s + 1;
			while (q < lx->end && (is_id_char((unsigned char)*q)))
				q++;
			t->kind = TK_NUM;
			t->text = pl_intern_str(lx->strings, s, (size_t)(q - s));
			lx->p = q;
			return;
		}
		if (c == '/') {
			const char *q = s + 1;
			while (q < lx->end && (is_id_char((unsigned char)*q) || *q == '/' ||
					       *q == '*' || *q == '+'))
				q++;
			t->kind = TK_PATH;
			t->text = pl_intern_str(lx->strings, s, (size_t)(q - s));
			lx->p = q;
			return;
		}
		if (c == '"') {
			const char *q = s + 1;
			while (q < lx->end && *q != '"' && *q != '\n' && *q != '\0')
				q++;
			if (q >= lx->end || *q != '"') {
				pl_diag_error(lx->diag, t->pos.file, t->pos.line, t->pos.col,
					      "unterminated string");
				lx->p = q;
				continue;
			}
			t->kind = TK_STR;
			t->text = pl_intern_str(lx->strings, s + 1, (size_t)(q - s - 1));
			lx->p = q + 1;
			return;
		}
		const char *n = s + 1;
		char c2 = n < lx->end ? *n : '\0';
		if (c == '=' && c2 == '=') { t->kind = TK_EQ; lx->p += 2; return; }
		if (c == '!' && c2 == '=') { t->kind = TK_NE; lx->p += 2; return; }
		if (c == '&' && c2 == '&') { t->kind = TK_AND; lx->p += 2; return; }
		if (c == '|' && c2 == '|') { t->kind = TK_OR; lx->p += 2; return; }
		if (strchr("{}();:,~*-!^.", c) && c != '\0') {
			t->kind = TK_PUNCT;
			t->ch = (char)c;
			lx->p++;
			return;
		}
		/* One error for a run of junk, not one per byte: a binary file
		 * given as source should not drown the summary. */
		const char *q = s + 1;
		while (q < lx->end && *q != '\n' && !is_id_start((unsigned char)*q) &&
		       !strchr(" \t{}();:,", *q))
			q++;
		if (c == '\0')
			pl_diag_error(lx->diag, t->pos.file, t->pos.line, t->pos.col,
				      "NUL byte in source");
		else if (c >= 0x21 && c < 0x7f)
			pl_diag_error(lx->diag, t->pos.file, t->pos.line, t->pos.col,
				      "unexpected character '%c'", c);
		else
			pl_diag_error(lx->diag, t->pos.file, t->pos.line, t->pos.col,
				      "unexpected byte 0x%02x", c);
		lx->p = q;
	}
}

void pl_token_describe(const pl_token *t, char *buf, size_t len)
{
	switch (t->kind) {
	case TK_EOF: snprintf(buf, len, "end of file"); break;
	case TK_ID: snprintf(buf, len, "'%.60s'", t->text); break;
	case TK_NUM: snprintf(buf, len, "number '%.60s'", t->text); break;
	case TK_STR: snprintf(buf, len, "string \"%.60s\"", t->text); break;
	case TK_PATH: snprintf(buf, len, "path '%.60s'", t->text); break;
	case TK_PUNCT: snprintf(buf, len, "'%c'", t->ch); break;
	case TK_EQ: snprintf(buf, len, "'=='"); break;
	case TK_NE: snprintf(buf, len, "'!='"); break;
	case TK_AND: snprintf(buf, len, "'&&'"); break;
	case TK_OR: snprintf(buf, len, "'||'"); break;
	}
}
