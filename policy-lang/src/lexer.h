/* Tokens of the policy.conf language.  Keywords are not special here: the
 * parser recognises them by position, so a name that happens to be a keyword
 * elsewhere still lexes as a name. */
#ifndef PL_LEXER_H
#define PL_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "policy/diag.h"
#include "policy/policydb.h"

enum pl_tok {
	TK_EOF = 0,
	TK_ID,    /* name or keyword */
	TK_NUM,   /* starts with a digit: ports, addresses, masks */
	TK_STR,   /* "quoted", text without the quotes */
	TK_PATH,  /* /starts/with/a/slash */
	TK_PUNCT, /* one character: { } ( ) ; : , ~ * - ! ^ . */
	TK_EQ,    /* == */
	TK_NE,    /* != */
	TK_AND,   /* && */
	TK_OR,    /* || */
};

typedef struct pl_token {
	enum pl_tok kind;
	char ch;          /* the character of a TK_PUNCT */
	const char *text; /* interned, for TK_ID/TK_NUM/TK_STR/TK_PATH */
	pl_srcpos pos;
	bool first_on_line; /* lets error recovery restart at a statement */
	bool space_before;  /* separates the words of Linux-only statements */
} pl_token;

typedef struct pl_lexer {
	const char *p, *end;
	const char *line_start;
	const char *file;  /* interned: changes with #line */
	uint32_t line;
	bool at_line_start; /* no token yet since the last newline */
	bool spaced;        /* blank or comment since the last token */
	pl_intern *strings;
	pl_diag *diag;
} pl_lexer;

void pl_lexer_init(pl_lexer *lx, const char *file, const char *text, size_t len,
		   pl_intern *strings, pl_diag *diag);
void pl_lexer_next(pl_lexer *lx, pl_token *t);

/* Human-readable form of a token for "unexpected X" messages. */
void pl_token_describe(const pl_token *t, char *buf, size_t len);

#endif
