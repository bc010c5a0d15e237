/* audit: reads the device's AVC records (build/run/audit.log, a console
 * capture, or stdin) and summarises them or explains each denial against
 * a binary policy, as SELinux's aureport and audit2why do.
 *
 *   audit summary [LOG]
 *   audit explain [LOG] -p POLICY.bin [--bool NAME=VALUE]...
 *
 * LOG "-" or absent: stdin.  Lines that are not records are skipped in
 * silence; a line that announces a record but does not hold a whole one is
 * reported on stderr with its line number and skipped.
 *
 * Exit status: 0 every record line was read; 1 some lines were malformed
 * (the rest were still summarised or explained); 2 usage, I/O, memory or
 * policy errors (an unreadable or corrupt binary policy, an unknown
 * boolean). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avc_parse.h"
#include "explain.h"
#include "tally.h"

static const char usage_text[] =
	"usage: audit summary [LOG]\n"
	"       audit explain [LOG] -p POLICY.bin [--bool NAME=VALUE]...\n"
	"LOG is an audit log or console capture; - or nothing reads stdin.\n"
	"Exit status: 0 ok, 1 malformed record lines were skipped, 2 usage, I/O or policy errors.\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "audit: %s\n", why);
	fputs(usage_text, stderr);
	return 2;
}

static void oom(void)
{
	fprintf(stderr, "audit: out of memory\n");
	exit(2);
}

/* ---- reading the log ---- */

typedef struct totals {
	uint64_t records[AVC_LOST + 1]; /* by kind; SUPPRESSED/LOST: lines */
	uint64_t denied_enforcing, denied_permissive;
	uint64_t suppressed, lost, malformed, lines;
} totals;

typedef void (*record_fn)(const avc_record *r, uint64_t line, void *arg);

/* Returns 0, or -1 on a read error (reported). */
static int read_log(FILE *f, const char *name, record_fn fn, void *arg, totals *tot)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&buf, &cap, f)) >= 0) {
		tot->lines++;
		size_t len = (size_t)n;
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			len--;
		avc_record r;
		const char *why;
		int rc = avc_parse_line(buf, len, &r, &why);
		if (rc == AVC_MALFORMED) {
			tot->malformed++;
			fprintf(stderr, "%s:%llu: malformed AVC record, skipped: %s\n", name,
				(unsigned long long)tot->lines, why);
			continue;
		}
		if (rc != AVC_RECORD)
			continue;
		tot->records[r.kind]++;
		if (r.kind == AVC_SUPPRESSED)
			tot->suppressed += r.count;
		else if (r.kind == AVC_LOST)
			tot->lost += r.count;
		if (r.kind == AVC_DENIED) {
			tot->denied_enforcing += r.permissive == 0;
			tot->denied_permissive += r.permissive == 1;
		}
		fn(&r, tot->lines, arg);
	}
	int err = ferror(f);
	free(buf);
	if (err) {
		fprintf(stderr, "audit: error reading %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

static const avc_str no_perm = {"", 0};

/* ---- summary ---- */

static void summary_record(const avc_record *r, uint64_t line, void *arg)
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

static void print_summary(FILE *out, const char *name, const totals *tot, const tally *t)
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

static void explain_record(const avc_record *r, uint64_t line, void *arg)
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

static int run_explain(FILE *out, const pl_view *v, const pl_state *st, const tally *t)
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
	fprintf(out, "\n%zu distinct denials: %llu missing-rule, %llu boolean, %llu constraint, %llu role, "
		     "%llu allowed-now, %llu policy-changed, %llu label\n",
		t->ngroups, (unsigned long long)kinds[EXPLAIN_MISSING_RULE], (unsigned long long)kinds[EXPLAIN_BOOLEAN],
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

/* ---- policy loading ---- */

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap); /* malloc's alignment suits the reader */
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
				errno = EIO;
			}
			break;
		}
		cap *= 2;
		uint8_t *nb = realloc(buf, cap);
		if (!nb)
			free(buf);
		buf = nb;
	}
	int saved = errno;
	fclose(f);
	errno = saved;
	*len = n;
	return buf;
}

static int parse_bool_value(const char *s, bool *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "off")) {
		*out = false;
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage("no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	bool explain = !strcmp(argv[1], "explain");
	if (!explain && strcmp(argv[1], "summary"))
		return usage("the command is summary or explain");
	const char *log = NULL, *policy = NULL;
	const char *bools[256];
	int nbools = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (explain && (!strcmp(a, "-p") || !strcmp(a, "--policy"))) {
			if (++i >= argc)
				return usage("-p needs a binary policy");
			policy = argv[i];
		} else if (explain && !strcmp(a, "--bool")) {
			if (++i >= argc)
				return usage("--bool needs NAME=VALUE");
			if (nbools == (int)(sizeof bools / sizeof *bools))
				return usage("too many --bool options");
			bools[nbools++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "audit: unknown option '%s'\n", a);
			return usage(NULL);
		} else if (!log) {
			log = a;
		} else {
			return usage("more than one log given");
		}
	}
	if (explain && !policy)
		return usage("explain needs -p POLICY.bin (the policy to explain against)");

	void *buf = NULL, *mem = NULL;
	pl_view v;
	pl_state st;
	if (explain) {
		size_t len;
		buf = read_file(policy, &len);
		if (!buf) {
			fprintf(stderr, "audit: cannot read %s: %s\n", policy, strerror(errno));
			return 2;
		}
		pl_load_error err;
		if (pl_view_load(&v, buf, len, 0, &err) != PL_OK) {
			fprintf(stderr, "audit: %s: corrupt binary policy: %s (at byte %u)\n", policy, err.msg, err.offset);
			free(buf);
			return 2;
		}
		mem = malloc(pl_state_size(&v) + 1);
		if (!mem || pl_state_init(&st, &v, mem, pl_state_size(&v) + 1) != PL_OK)
			oom();
		for (int i = 0; i < nbools; i++) {
			const char *eq = strchr(bools[i], '=');
			bool value;
			if (!eq || parse_bool_value(eq + 1, &value) < 0) {
				free(mem);
				free(buf);
				return usage("--bool wants NAME=VALUE with VALUE true, false, 1 or 0");
			}
			int32_t b = pl_find_bool_n(&v, bools[i], (size_t)(eq - bools[i]));
			if (b < 0) {
				fprintf(stderr, "audit: %s has no boolean '%.*s'\n", policy, (int)(eq - bools[i]), bools[i]);
				free(mem);
				free(buf);
				return 2;
			}
			pl_state_set_bool(&st, (uint32_t)b, value);
		}
	}

	FILE *in = stdin;
	const char *name = "<stdin>";
	if (log && strcmp(log, "-")) {
		in = fopen(log, "r");
		name = log;
		if (!in) {
			fprintf(stderr, "audit: cannot open %s: %s\n", log, strerror(errno));
			free(mem);
			free(buf);
			return 2;
		}
	}
	totals tot;
	memset(&tot, 0, sizeof tot);
	tally t;
	tally_init(&t);
	int rc = read_log(in, name, explain ? explain_record : summary_record, &t, &tot);
	if (in != stdin)
		fclose(in);
	if (rc == 0) {
		if (explain)
			run_explain(stdout, &v, &st, &t);
		else
			print_summary(stdout, name, &tot, &t);
	}
	tally_free(&t);
	free(mem);
	free(buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "audit: error writing the output\n");
		return 2;
	}
	return rc < 0 ? 2 : tot.malformed ? 1 : 0;
}
