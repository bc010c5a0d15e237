/* Spotting policy changes in a log (changes.h). */
#include "changes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *find(const char *p, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(p + i, needle, n) == 0)
			return p + i;
	return NULL;
}

static int add(changes *c, uint64_t line, const char *what, size_t n)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		change *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	change *e = &c->v[c->n++];
	e->line = line;
	if (n > sizeof e->what - 1)
		n = sizeof e->what - 1;
	for (size_t i = 0; i < n; i++) /* a log line may hold anything */
		e->what[i] = what[i] >= ' ' && what[i] < 127 ? what[i] : '?';
	e->what[n] = '\0';
	return 0;
}

int changes_note(changes *c, const char *text, size_t len, const avc_record *r, uint64_t line)
{
	if (r) {
		if (r->kind != AVC_GRANTED || !avc_str_eq(r->tclass, "security"))
			return 0;
		for (uint32_t i = 0; i < r->nperms; i++)
			if (avc_str_eq(r->perms[i], "load_policy") || avc_str_eq(r->perms[i], "setbool") ||
			    avc_str_eq(r->perms[i], "setenforce")) {
				char what[96];
				size_t n = (size_t)snprintf(what, sizeof what, "%.*s granted { %.*s }", (int)r->stype.n,
							     r->stype.p, (int)r->perms[i].n, r->perms[i].p);
				return add(c, line, what, n < sizeof what ? n : sizeof what - 1);
			}
		return 0;
	}
	static const char *const marks[] = {"policyd: policy ", "policyd: boolean ", "policyd: permissive",
					     "policyd: enforcing", "security server restarted"};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		const char *at = find(text, len, marks[i]);
		/* "policyd: policy 2 loaded, ..." but not "policyd: no region for a policy" */
		if (at && (i != 0 || find(at, len - (size_t)(at - text), " loaded")))
			return add(c, line, at, len - (size_t)(at - text));
	}
	return 0;
}

const change *changes_after(const changes *c, uint64_t line)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].line > line)
			return &c->v[i];
	return NULL;
}

void changes_free(changes *c)
{
	free(c->v);
	memset(c, 0, sizeof *c);
}
