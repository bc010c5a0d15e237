/* The summary and explain reports of `audit` (report.h). */
#include "report.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

static const avc_str no_perm = {"", 0};

/* ---- summary ---- */

void summary_record(const avc_record *r, uint64_t line, void *arg)
{
	tally *t = arg;
	if (r->kind > AVC_REVOKED)
		return;
	for (uint32_t i = 0; i < (r->nperms ? r->nperms : 1); i++) {
		avc_str f[TALLY_FIELDS] = {r->stype, r->ttype, r->tclass, r->nperms ? r->perms[i] : no_perm};
		if (!tally_add(t, (int)r->kind, f, r, line))
			oom();
	}
}

static const char *perm_or_none(const char *p)
{
	return *p ? p : "(none)";
}

static int width(const char *s, int w)
{
	int n = (int)strlen(s);
	return n > w ? n : w;
}

void print_summary(FILE *out, const char *name, const totals *tot, const tally *t)
{
	fprintf(out,
		"%s: %llu denied (%llu enforcing, %llu permissive), %llu granted (auditallow), %llu revoked; "
		"%llu suppressed by the rate limit, %llu lost (ring full); %llu malformed lines\n",
		name, (unsigned long long)tot->records[AVC_DENIED], (unsigned long long)tot->denied_enforcing,
		(unsigned long long)tot->denied_permissive, (unsigned long long)tot->records[AVC_GRANTED],
		(unsigned long long)tot->records[AVC_REVOKED], (unsigned long long)tot->suppressed,
		(unsigned long long)tot->lost, (unsigned long long)tot->malformed);
	if (tot->suppressed || tot->lost)
		fputs("(suppressed and lost records are counted above only: their contents never reached the log)\n", out);
	tally_group **g = tally_sorted(t);
	if (!g)
		oom();
	static const char *const titles[] = {"denied", "granted (auditallow)", "revoked (a reload withdrew a right in use)"};
	int ws = 6, wt = 6, wc = 5, wp = 10, wf = 5, wl = 4;
	for (size_t i = 0; i < t->ngroups; i++) {
		ws = width(g[i]->field[0], ws);
		wt = width(g[i]->field[1], wt);
		wc = width(g[i]->field[2], wc);
		wp = width(perm_or_none(g[i]->field[3]), wp);
		wf = width(g[i]->has_stamp ? g[i]->first.text : "-", wf);
		wl = width(g[i]->has_stamp ? g[i]->last.text : "-", wl);
	}
	int kind = -1;
	for (size_t i = 0; i < t->ngroups; i++) {
		const tally_group *x = g[i];
		if (x->kind != kind) {
			kind = x->kind;
			fprintf(out, "\n%s:\n%7s %9s %10s  %-*s %-*s  %-*s %-*s %-*s %s\n", titles[kind], "COUNT",
				"ENFORCING", "PERMISSIVE", wf, "FIRST", wl, "LAST", ws, "SOURCE", wt, "TARGET", wc,
				"CLASS", "PERMISSION");
		}
		char enf[24] = "-", per[24] = "-";
		if (x->kind != AVC_REVOKED) {
			snprintf(enf, sizeof enf, "%llu", (unsigned long long)x->enforcing);
			snprintf(per, sizeof per, "%llu", (unsigned long long)x->permissive);
		}
		fprintf(out, "%7llu %9s %10s  %-*s %-*s  %-*s %-*s %-*s %s\n", (unsigned long long)x->count, enf, per,
			wf, x->has_stamp ? x->first.text : "-", wl, x->has_stamp ? x->last.text : "-", ws, x->field[0],
			wt, x->field[1], wc, x->field[2], perm_or_none(x->field[3]));
	}
	if (!t->ngroups)
		fputs("no AVC records\n", out);
	free(g);
}

/* ---- explain ---- */

void explain_record(const avc_record *r, uint64_t line, void *arg)
{
	tally *t = arg;
	if (r->kind != AVC_DENIED)
		return;
	for (uint32_t i = 0; i < (r->nperms ? r->nperms : 1); i++) {
		avc_str f[TALLY_FIELDS] = {r->scontext, r->tcontext, r->tclass, r->nperms ? r->perms[i] : no_perm};
		if (!tally_add(t, (int)r->kind, f, r, line))
			oom();
	}
}

static int by_first_line(const void *a, const void *b)
{
	const tally_group *x = *(tally_group *const *)a, *y = *(tally_group *const *)b;
	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

/* A rule audit2allow would write: source type, target type, class, perm. */
typedef struct wanted {
	char *f[4];
} wanted;

static int cmp_wanted(const void *a, const void *b)
{
	const wanted *x = a, *y = b;
	for (int i = 0; i < 4; i++) {
		int c = strcmp(x->f[i], y->f[i]);
		if (c)
			return c;
	}
	return 0;
}

static char *type_of(const char *ctx)
{
	const char *a = strchr(ctx, ':');
	const char *b = a ? strchr(a + 1, ':') : NULL;
	const char *s = b ? b + 1 : ctx;
	const char *e = strchr(s, ':');
	size_t n = e ? (size_t)(e - s) : strlen(s);
	char *out = malloc(n + 1);
	if (!out)
		oom();
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* audit2allow's listing: rules grouped under their source type, one rule
 * per (source, target, class) with its permissions sorted. */
static void print_audit2allow(FILE *out, wanted *w, size_t n)
{
	qsort(w, n, sizeof *w, cmp_wanted);
	const char *perms[32];
	uint32_t np = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(w[i].f[0], w[i - 1].f[0]))
			fprintf(out, "\n#============= %s ==============\n", w[i].f[0]);
		if (np == 0 || strcmp(w[i].f[3], perms[np - 1]))
			perms[np++] = w[i].f[3];
		bool last = i + 1 == n || strcmp(w[i].f[0], w[i + 1].f[0]) || strcmp(w[i].f[1], w[i + 1].f[1]) ||
			    strcmp(w[i].f[2], w[i + 1].f[2]) || np == 32;
		if (last) {
			explain_print_allow(out, w[i].f[0], w[i].f[1], w[i].f[2], perms, np);
			np = 0;
		}
	}
}

int run_explain(FILE *out, const pl_view *v, const pl_state *st, const tally *t, const changes *ch)
{
	tally_group **g = tally_sorted(t);
	if (!g)
		oom();
	qsort(g, t->ngroups, sizeof *g, by_first_line);
	wanted *w = malloc((t->ngroups ? t->ngroups : 1) * sizeof *w);
	if (!w)
		oom();
	size_t nw = 0;
	uint64_t kinds[EXPLAIN_UNKNOWN + 1] = {0}, labels = 0;
	for (size_t i = 0; i < t->ngroups; i++) {
		const tally_group *x = g[i];
		const char *scon = x->field[0], *tcon = x->field[1], *cls = x->field[2], *perm = x->field[3];
		fprintf(out, "%sdenied { %s } for scontext=%s tcontext=%s tclass=%s\n", i ? "\n" : "",
			perm_or_none(perm), scon, tcon, cls);
		fprintf(out, "  %llu record%s (%llu enforcing, %llu permissive)", (unsigned long long)x->count,
			x->count == 1 ? "" : "s", (unsigned long long)x->enforcing, (unsigned long long)x->permissive);
		if (x->has_stamp)
			fprintf(out, ", time %s .. %s", x->first.text, x->last.text);
		fprintf(out, ", first at line %llu\n", (unsigned long long)x->first_line);
		if (!*perm) {
			fputs("  (none): [label] no permission was asked: a label query failed closed (policyd\n"
			      "    stopped, restarting or silent); the object was refused a label\n",
			      out);
			labels++;
			continue;
		}
		explanation e;
		if (explain_denial(v, st, scon, tcon, cls, perm, &e) < 0)
			oom();
		kinds[e.kind]++;
		explain_print(out, v, &e, scon, tcon, cls, perm);
		if (e.kind == EXPLAIN_ALLOWED_NOW || e.kind == EXPLAIN_UNKNOWN) {
			const change *c = changes_after(ch, x->first_line);
			if (c)
				fprintf(out, "    the log shows a change after the first of these records: line %llu: %s\n",
					(unsigned long long)c->line, c->what);
			else if (e.kind == EXPLAIN_ALLOWED_NOW)
				fputs("    the log shows no policy change after it: the change predates the log, or the\n"
				      "    decision failed closed\n",
				      out);
			else
				fputs("    the log shows no policy load after it: this is not the policy the device ran\n", out);
		}
		if (e.kind == EXPLAIN_MISSING_RULE) {
			wanted *n = &w[nw++];
			n->f[0] = type_of(scon);
			n->f[1] = type_of(tcon);
			n->f[2] = strdup(cls);
			n->f[3] = strdup(perm);
			if (!n->f[2] || !n->f[3])
				oom();
		}
	}
	fprintf(out, "%s%zu distinct denials: %llu missing-rule, %llu boolean, %llu constraint, %llu role, "
		     "%llu allowed-now, %llu policy-changed, %llu label\n",
		t->ngroups ? "\n" : "", t->ngroups, (unsigned long long)kinds[EXPLAIN_MISSING_RULE], (unsigned long long)kinds[EXPLAIN_BOOLEAN],
		(unsigned long long)kinds[EXPLAIN_CONSTRAINT], (unsigned long long)kinds[EXPLAIN_ROLE],
		(unsigned long long)kinds[EXPLAIN_ALLOWED_NOW], (unsigned long long)kinds[EXPLAIN_UNKNOWN],
		(unsigned long long)labels);
	if (nw) {
		fputs("\nThe rules that would allow the missing-rule denials (as audit2allow writes them):\n", out);
		print_audit2allow(out, w, nw);
	}
	for (size_t i = 0; i < nw; i++)
		for (int k = 0; k < 4; k++)
			free(w[i].f[k]);
	free(w);
	free(g);
	return 0;
}
