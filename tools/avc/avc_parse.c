/* The AVC line parser (avc_parse.h).  Every read is bounded by len: a log
 * line is untrusted input (a guest's console output shares the serial line
 * with policyd's records). */
#include "avc_parse.h"

#include <string.h>

typedef struct cursor {
	const char *p, *end;
} cursor;

bool avc_str_eq(avc_str s, const char *c)
{
	size_t n = strlen(c);
	return s.n == n && (n == 0 || memcmp(s.p, c, n) == 0);
}

/* First occurrence of the NUL-terminated needle in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (; p && (size_t)(end - p) >= n; p++)
		if (memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Characters of a policy identifier: what polc and checkpolicy accept in
 * user, role, type, class and permission names. */
static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '.' ||
	       c == '-';
}

static size_t skip_spaces(cursor *c)
{
	size_t n = 0;
	while (c->p < c->end && *c->p == ' ') {
		c->p++;
		n++;
	}
	return n;
}

static bool eat(cursor *c, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* Decimal digits into *v; false on no digits or overflow. */
static bool number(cursor *c, uint64_t *v, size_t *ndigits)
{
	uint64_t x = 0;
	size_t n = 0;
	while (c->p < c->end && is_digit(*c->p)) {
		uint64_t d = (uint64_t)(*c->p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		c->p++;
		n++;
	}
	*v = x;
	if (ndigits)
		*ndigits = n;
	return n > 0;
}

/* "audit(SEC.FRAC:SERIAL)" somewhere before the verdict. */
static const char *parse_stamp(const char *line, const char *verdict, avc_record *r)
{
	const char *a = find(line, verdict, "audit(");
	if (!a)
		return NULL; /* optional: some consoles strip it */
	cursor c = {a + 6, verdict};
	const char *start = c.p;
	uint64_t frac = 0;
	size_t nfrac = 0;
	if (!number(&c, &r->sec, NULL))
		return "timestamp: expected seconds after 'audit('";
	if (eat(&c, ".")) {
		if (!number(&c, &frac, &nfrac) || nfrac > 9)
			return "timestamp: expected 1 to 9 digits after the decimal point";
		for (size_t i = nfrac; i < 9; i++)
			frac *= 10;
	}
	const char *stamp_end = c.p;
	if (!eat(&c, ":") || !number(&c, &r->serial, NULL) || !eat(&c, ")"))
		return "timestamp: expected 'audit(SECONDS.FRACTION:SERIAL)'";
	r->has_stamp = true;
	r->nsec = (uint32_t)frac;
	r->stamp = (avc_str){start, (size_t)(stamp_end - start)};
	return NULL;
}

/* "{ perm perm ... }"; an empty set is legal (a label query failed closed). */
static const char *parse_perms(cursor *c, avc_record *r)
{
	skip_spaces(c);
	if (!eat(c, "{"))
		return "expected '{' before the permissions";
	for (;;) {
		skip_spaces(c);
		if (c->p >= c->end)
			return "the permission list is not closed with '}'";
		if (*c->p == '}') {
			c->p++;
			return NULL;
		}
		const char *s = c->p;
		while (c->p < c->end && is_ident(*c->p))
			c->p++;
		if (c->p == s)
			return "a permission name has a character no policy identifier has";
		if (r->nperms == AVC_MAX_PERMS)
			return "more than 32 permissions in one record";
		r->perms[r->nperms++] = (avc_str){s, (size_t)(c->p - s)};
	}
}

/* user:role:type[:level]; the type is what policies are written about. */
static const char *check_context(avc_str ctx, avc_str *type, const char *bad)
{
	const char *p = ctx.p, *end = ctx.p + ctx.n;
	avc_str field[3];
	for (int i = 0; i < 3; i++) {
		const char *s = p;
		while (p < end && is_ident(*p))
			p++;
		if (p == s)
			return bad;
		field[i] = (avc_str){s, (size_t)(p - s)};
		if (i < 2 && (p == end || *p++ != ':'))
			return bad;
	}
	if (p != end && *p != ':')
		return bad;
	*type = field[2];
	return NULL;
}

/* key=value fields after "for"; values may be "quoted" (comm). */
static const char *parse_fields(cursor *c, avc_record *r)
{
	bool seen_perm = false;
	for (;;) {
		skip_spaces(c);
		if (c->p >= c->end)
			break;
		const char *k = c->p;
		while (c->p < c->end && *c->p != '=' && *c->p != ' ')
			c->p++;
		if (c->p >= c->end || *c->p != '=')
			return "a field after 'for' is not key=value";
		avc_str key = {k, (size_t)(c->p - k)};
		c->p++;
		avc_str val;
		if (c->p < c->end && *c->p == '"') {
			const char *q = c->p + 1;
			while (q < c->end && *q != '"')
				q++;
			if (q >= c->end)
				return "a quoted value is not closed";
			val = (avc_str){c->p + 1, (size_t)(q - c->p - 1)};
			c->p = q + 1;
			if (c->p < c->end && *c->p != ' ')
				return "junk after a quoted value";
		} else {
			const char *v = c->p;
			while (c->p < c->end && *c->p != ' ')
				c->p++;
			val = (avc_str){v, (size_t)(c->p - v)};
		}
		avc_str *slot = NULL;
		if (avc_str_eq(key, "scontext"))
			slot = &r->scontext;
		else if (avc_str_eq(key, "tcontext"))
			slot = &r->tcontext;
		else if (avc_str_eq(key, "tclass"))
			slot = &r->tclass;
		else if (avc_str_eq(key, "comm"))
			slot = &r->comm;
		else if (avc_str_eq(key, "permissive")) {
			if (seen_perm)
				return "permissive= given twice";
			seen_perm = true;
			if (avc_str_eq(val, "0"))
				r->permissive = 0;
			else if (avc_str_eq(val, "1"))
				r->permissive = 1;
			else
				return "permissive= is neither 0 nor 1";
			continue;
		}
		if (!slot)
			continue; /* pid, name, dev, ino...: not needed */
		if (slot->p)
			return "a field is given twice";
		*slot = val;
	}
	if (!r->scontext.p || !r->tcontext.p || !r->tclass.p)
		return "scontext=, tcontext= and tclass= are all required";
	const char *why;
	if ((why = check_context(r->scontext, &r->stype, "scontext is not user:role:type")) ||
	    (why = check_context(r->tcontext, &r->ttype, "tcontext is not user:role:type")))
		return why;
	if (r->tclass.n == 0)
		return "tclass is empty";
	for (size_t i = 0; i < r->tclass.n; i++)
		if (!is_ident(r->tclass.p[i]))
			return "tclass is not a class name";
	return NULL;
}

/* policyd's "audit: N records suppressed (rate limit)" / "... lost ...". */
static int parse_counter(const char *line, const char *end, avc_record *r, const char **why)
{
	for (const char *a = find(line, end, "audit: "); a; a = find(a + 1, end, "audit: ")) {
		cursor c = {a + 7, end};
		if (c.p >= end || !is_digit(*c.p))
			continue;
		if (!number(&c, &r->count, NULL)) {
			*why = "record count too large";
			return AVC_MALFORMED;
		}
		if (!eat(&c, " records "))
			continue;
		if (eat(&c, "suppressed"))
			r->kind = AVC_SUPPRESSED;
		else if (eat(&c, "lost"))
			r->kind = AVC_LOST;
		else
			continue;
		return AVC_RECORD;
	}
	return AVC_NOISE;
}

int avc_parse_line(const char *line, size_t len, avc_record *out, const char **why)
{
	static const char *const verdicts[] = {"avc:", "bulwark:"};
	const char *end = line + len;
	avc_record r;
	memset(&r, 0, sizeof r);
	r.permissive = -1;
	*why = NULL;

	cursor c = {NULL, end};
	const char *mark = NULL;
	for (int i = 0; i < 2 && !mark; i++) {
		mark = find(line, end, verdicts[i]);
		if (mark)
			c.p = mark + strlen(verdicts[i]);
	}
	if (!mark) {
		int rc = parse_counter(line, end, &r, why);
		if (rc == AVC_NOISE && find(line, end, "type=AVC")) {
			*why = "'type=AVC' without an 'avc:' record";
			return AVC_MALFORMED;
		}
		if (rc == AVC_RECORD)
			*out = r;
		return rc;
	}
	/* "bulwark:" alone (e.g. a boot banner) is not a record; a revocation is. */
	if (mark[0] == 'b') {
		cursor peek = c;
		skip_spaces(&peek);
		if (!eat(&peek, "revoked"))
			return find(line, end, "type=AVC") ? (*why = "'type=AVC' without an 'avc:' record", AVC_MALFORMED)
							  : AVC_NOISE;
	}
	if ((*why = parse_stamp(line, mark, &r)))
		return AVC_MALFORMED;
	skip_spaces(&c);
	if (mark[0] == 'b') {
		eat(&c, "revoked");
		r.kind = AVC_REVOKED;
	} else if (eat(&c, "denied")) {
		r.kind = AVC_DENIED;
	} else if (eat(&c, "granted")) {
		r.kind = AVC_GRANTED;
	} else {
		*why = "expected 'denied' or 'granted' after 'avc:'";
		return AVC_MALFORMED;
	}
	if ((*why = parse_perms(&c, &r)))
		return AVC_MALFORMED;
	if (skip_spaces(&c) == 0 || !eat(&c, "for") || (c.p < c.end && *c.p != ' ')) {
		*why = "expected 'for' after the permissions";
		return AVC_MALFORMED;
	}
	if ((*why = parse_fields(&c, &r)))
		return AVC_MALFORMED;
	*out = r;
	return AVC_RECORD;
}
