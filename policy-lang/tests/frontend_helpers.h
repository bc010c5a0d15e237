/* Shared helpers of the front end's unit tests: compile a policy from a
 * string, capture its diagnostics, look rules up by name. */
#ifndef FRONTEND_HELPERS_H
#define FRONTEND_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/compiler.h"
#include "policy/policydb.h"

/* A small base every semantic test builds on. */
#define BASE                                                   \
	"class process\nclass file\nclass dir\n"                   \
	"sid kernel\n"                                             \
	"common cf { read write }\n"                               \
	"class process { transition dyntransition }\n"             \
	"class file inherits cf { exec }\n"                        \
	"class dir inherits cf\n"

typedef struct compiled {
	int rc;
	pl_policy p;
	char *out; /* all diagnostics */
	size_t outlen;
	pl_diag diag;
} compiled;

static inline void compile_src(compiled *c, const char *src)
{
	memset(c, 0, sizeof *c);
	FILE *f = open_memstream(&c->out, &c->outlen);
	assert_non_null(f);
	pl_diag_init(&c->diag, f);
	c->rc = pl_compile_string("t.conf", src, strlen(src), &c->diag, &c->p);
	pl_diag_finish(&c->diag);
	fclose(f);
}

static inline void compiled_free(compiled *c)
{
	pl_policy_free(&c->p);
	free(c->out);
}

/* Compiles, asserts success, returns the policy inside c. */
static inline void compile_ok(compiled *c, const char *src)
{
	compile_src(c, src);
	if (c->rc != 0)
		print_error("unexpected failure:\n%s\n", c->out);
	assert_int_equal(c->rc, 0);
}

/* Compiles, asserts failure and that the diagnostics contain `needle`. */
static inline void compile_fails_with(const char *src, const char *needle)
{
	compiled c;
	compile_src(&c, src);
	if (c.rc != 1 || !strstr(c.out, needle))
		print_error("expected an error containing \"%s\", got rc=%d:\n%s\n", needle, c.rc, c.out);
	assert_int_equal(c.rc, 1);
	assert_non_null(strstr(c.out, needle));
	compiled_free(&c);
}

static inline uint32_t perm_mask(const pl_policy *p, uint32_t cls, const char *perms)
{
	uint32_t m = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", perms);
	for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
		int32_t b = pl_find_perm(p, cls, tok);
		assert_true(b >= 0);
		m |= 1u << b;
	}
	return m;
}

/* Permissions of the avrule (kind, src, tgt, cls, cond, branch), 0 if none.
 * src/tgt name types or attributes exactly as keys. */
static inline uint32_t av_perms(const pl_policy *p, enum pl_av_kind kind, const char *src,
				const char *tgt, const char *cls, uint32_t cond, int branch)
{
	int32_t s = pl_find_type(p, src), t = pl_find_type(p, tgt), c = pl_find_class(p, cls);
	assert_true(s >= 0 && t >= 0 && c >= 0);
	uint32_t v = 0;
	for (uint32_t i = 0; i < p->navrules; i++) {
		const pl_avrule *r = &p->avrules[i];
		if (r->kind == kind && r->source == (uint32_t)s && r->target == (uint32_t)t &&
		    r->cls == (uint32_t)c && r->cond == cond && (cond == PL_UNCOND || r->branch == (branch != 0)))
			v |= r->perms;
	}
	return v;
}

/* What the policy allows between two *types*, attributes expanded. */
static inline uint32_t allowed(const pl_policy *p, const char *src, const char *tgt, const char *cls)
{
	int32_t s = pl_find_type(p, src), t = pl_find_type(p, tgt), c = pl_find_class(p, cls);
	assert_true(s >= 0 && t >= 0 && c >= 0);
	uint32_t v = 0;
	for (uint32_t i = 0; i < p->navrules; i++) {
		const pl_avrule *r = &p->avrules[i];
		if (r->kind != PL_AV_ALLOW || r->cls != (uint32_t)c || r->cond != PL_UNCOND)
			continue;
		bool sm = r->source == (uint32_t)s ||
			  (p->types[r->source].is_attr && pl_bitset_test(&p->types[r->source].members, (uint32_t)s));
		bool tm = r->target == (uint32_t)t ||
			  (p->types[r->target].is_attr && pl_bitset_test(&p->types[r->target].members, (uint32_t)t));
		if (sm && tm)
			v |= r->perms;
	}
	return v;
}

#endif
