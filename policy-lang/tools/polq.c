/* polq: asks a compiled binary policy for access decisions, new-object
 * contexts, counts and rule listings.  A thin host front end over the
 * freestanding engine (policy/engine.h), so its answers are the device's.
 *
 *   polq POLICY [--bool NAME=VALUE]... SCONTEXT TCONTEXT CLASS
 *   polq POLICY [--bool NAME=VALUE]... --batch            (queries on stdin)
 *   polq POLICY [--bool NAME=VALUE]... --create [--batch | SCONTEXT TCONTEXT CLASS]
 *   polq POLICY --stats
 *   polq POLICY --rules [-s TYPE] [-t TYPE] [-c CLASS]
 *
 * Exit status: 0 ok, 1 query or policy errors, 2 usage or I/O errors
 * (a corrupt binary policy included). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/engine.h"
#include "policy/policy_file.h"

enum mode { MODE_QUERY, MODE_BATCH, MODE_CREATE, MODE_CREATE_BATCH, MODE_STATS, MODE_RULES };

static const char usage_text[] =
	"usage: polq POLICY [--bool NAME=VALUE]... SCONTEXT TCONTEXT CLASS\n"
	"       polq POLICY [--bool NAME=VALUE]... --batch\n"
	"       polq POLICY [--bool NAME=VALUE]... --create [--batch | SCONTEXT TCONTEXT CLASS]\n"
	"       polq POLICY --stats\n"
	"       polq POLICY [--bool NAME=VALUE]... --rules [-s TYPE] [-t TYPE] [-c CLASS]\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "polq: %s\n", why);
	fputs(usage_text, stderr);
	return 2;
}

/* ---- output buffer: answers are assembled in memory, then written once ---- */

/* Names have no length limit, so a line grows as needed; running out of
 * memory ends the program (exit 2) rather than printing a cut answer. */
typedef struct line {
	char *buf;
	size_t len, cap;
} line;

static void put(line *l, const char *s)
{
	size_t n = strlen(s);
	if (l->len + n + 1 > l->cap) {
		size_t cap = l->cap ? l->cap : 256;
		while (cap < l->len + n + 1)
			cap *= 2;
		char *nb = realloc(l->buf, cap);
		if (!nb) {
			fprintf(stderr, "polq: out of memory\n");
			exit(2);
		}
		l->buf = nb;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void put_set(line *l, const pl_view *v, uint32_t cls, uint32_t perms)
{
	put(l, "{ ");
	for (uint32_t b = 0; b < pl_class_nperms(v, cls); b++) {
		if (perms & (1u << b)) {
			put(l, pl_perm_name(v, cls, b));
			put(l, " ");
		}
	}
	put(l, "}");
}

/* ---- queries ---- */

typedef struct query {
	pl_ctx s, t;
	uint32_t cls;
} query;

/* Echoes a context in a message, shortened: a hostile line may be huge. */
static void put_echo(line *l, const char *s)
{
	char buf[200];
	size_t n = strlen(s);
	if (n < sizeof buf) {
		put(l, s);
		return;
	}
	memcpy(buf, s, sizeof buf - 4);
	memcpy(buf + sizeof buf - 4, "...", 4);
	put(l, buf);
}

static void describe_context_error(line *l, const pl_view *v, int rc, const char *ctx, const pl_ctx *c)
{
	put(l, "error: ");
	switch (rc) {
	case PL_E_CONTEXT_SYNTAX:
		put(l, "malformed context '");
		put_echo(l, ctx);
		put(l, "' (expected user:role:type)");
		return;
	case PL_E_NO_USER:
		put(l, "unknown user in context '");
		break;
	case PL_E_NO_ROLE:
		put(l, "unknown role in context '");
		break;
	case PL_E_NO_TYPE:
		put(l, "unknown type (or an attribute) in context '");
		break;
	case PL_E_INVALID_CONTEXT:
		put(l, "invalid context '");
		put_echo(l, ctx);
		if (!pl_role_has_type(v, c->role, c->type)) {
			put(l, "': role ");
			put(l, pl_role_name(v, c->role));
			put(l, " is not authorised for type ");
			put(l, pl_type_name(v, c->type));
		} else {
			put(l, "': user ");
			put(l, pl_user_name(v, c->user));
			put(l, " is not authorised for role ");
			put(l, pl_role_name(v, c->role));
		}
		return;
	default:
		put(l, pl_strerror(rc));
		put(l, " in context '");
		break;
	}
	put_echo(l, ctx);
	put(l, "'");
}

/* Resolves the three words of a query; on error writes "error: ..." to l. */
static int resolve(const pl_view *v, char *const w[3], query *q, line *l)
{
	int rc = pl_context_parse(v, w[0], &q->s);
	if (rc) {
		describe_context_error(l, v, rc, w[0], &q->s);
		return -1;
	}
	rc = pl_context_parse(v, w[1], &q->t);
	if (rc) {
		describe_context_error(l, v, rc, w[1], &q->t);
		return -1;
	}
	int32_t c = pl_find_class_n(v, w[2], strlen(w[2]));
	if (c < 0) {
		put(l, "error: unknown class '");
		put_echo(l, w[2]);
		put(l, "'");
		return -1;
	}
	q->cls = (uint32_t)c;
	return 0;
}

static int answer_av(const pl_view *v, const pl_state *st, char *const w[3], line *l)
{
	query q;
	if (resolve(v, w, &q, l) < 0)
		return -1;
	pl_av av;
	if (pl_compute_av(v, st, &q.s, &q.t, q.cls, &av) != PL_OK) {
		put(l, "error: internal error computing the decision");
		return -1;
	}
	put(l, "allowed= ");
	put_set(l, v, q.cls, av.allowed);
	put(l, " auditallow= ");
	put_set(l, v, q.cls, av.auditallow);
	put(l, " auditdeny= ");
	put_set(l, v, q.cls, av.auditdeny);
	return 0;
}

static void put_context(line *l, const pl_view *v, const pl_ctx *c)
{
	put(l, pl_user_name(v, c->user));
	put(l, ":");
	put(l, pl_role_name(v, c->role));
	put(l, ":");
	put(l, pl_type_name(v, c->type));
}

static int answer_create(const pl_view *v, const pl_state *st, char *const w[3], line *l)
{
	query q;
	if (resolve(v, w, &q, l) < 0)
		return -1;
	pl_ctx n;
	int rc = pl_compute_create(v, st, &q.s, &q.t, q.cls, PL_BIN_TE_TRANSITION, &n);
	if (rc == PL_E_INVALID_CONTEXT) {
		put(l, "error: computed context ");
		put_context(l, v, &n);
		put(l, " is invalid (as libsepol refuses it)");
		return -1;
	}
	if (rc) {
		put(l, "error: ");
		put(l, pl_strerror(rc));
		return -1;
	}
	put_context(l, v, &n);
	return 0;
}

typedef int (*answer_fn)(const pl_view *, const pl_state *, char *const[3], line *);

/* Splits s in place into exactly three whitespace-separated words. */
static int split3(char *s, char *w[3])
{
	int n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(s, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 3)
			return -1;
		w[n++] = tok;
	}
	return n == 3 ? 0 : -1;
}

static int run_batch(const pl_view *v, const pl_state *st, answer_fn fn)
{
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int status = 0;
	line l = {0};
	while ((n = getline(&buf, &cap, stdin)) >= 0) {
		l.len = 0;
		char *w[3];
		if (memchr(buf, '\0', (size_t)n) || split3(buf, w) < 0)
			put(&l, "error: malformed query (expected SCONTEXT TCONTEXT CLASS)");
		else
			fn(v, st, w, &l);
		put(&l, "\n");
		fwrite(l.buf, 1, l.len, stdout);
	}
	free(l.buf);
	if (ferror(stdin)) {
		fprintf(stderr, "polq: error reading stdin: %s\n", strerror(errno));
		status = 2;
	}
	free(buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "polq: error writing stdout\n");
		status = 2;
	}
	return status;
}

static int run_single(const pl_view *v, const pl_state *st, answer_fn fn, char *const w[3])
{
	line l = {0};
	int rc = fn(v, st, w, &l);
	fprintf(rc < 0 ? stderr : stdout, "%s\n", l.buf ? l.buf : "");
	free(l.buf);
	return rc < 0 ? 1 : 0;
}

/* ---- --stats ---- */

static int run_stats(const pl_view *v)
{
	uint32_t nattr = 0, nperm_common = 0, nperm_own = 0, npermissive = 0;
	uint32_t nav[4] = {0}, nte[4] = {0}, nav_cond = 0, nused = 0;
	for (uint32_t i = 0; i < v->ntypes; i++) {
		nattr += (v->types[i].flags & PL_BIN_TYPE_ATTR) != 0;
		npermissive += (v->types[i].flags & PL_BIN_TYPE_PERMISSIVE) != 0;
	}
	for (uint32_t i = 0; i < v->ncommons; i++)
		nperm_common += v->commons[i].nperms;
	for (uint32_t i = 0; i < v->nclasses; i++) {
		uint32_t inh = v->classes[i].common == PL_BIN_NONE ? 0 : v->commons[v->classes[i].common].nperms;
		nperm_own += v->classes[i].nperms - inh;
	}
	for (uint32_t i = 0; i < v->nrules; i++) {
		nav[v->rules[i].kind]++;
		nav_cond += v->rules[i].cond != PL_BIN_NONE;
	}
	for (uint32_t i = 0; i < v->nterules; i++)
		nte[v->terules[i].kind]++;
	for (uint32_t i = 0; i < v->navrows; i++)
		nused += (v->avrows[i].nattr | v->avrows[i].ntype) != 0;
	printf("classes: %u\n", v->nclasses);
	printf("commons: %u\n", v->ncommons);
	printf("permissions: %u\n", nperm_common + nperm_own);
	printf("types: %u\n", v->ntypes - nattr);
	printf("attributes: %u\n", nattr);
	printf("aliases: %u\n", v->naliases);
	printf("permissive: %u\n", npermissive);
	printf("roles: %u\n", v->nroles);
	printf("users: %u\n", v->nusers);
	printf("booleans: %u\n", v->nbools);
	printf("conditionals: %u\n", v->nconds);
	printf("allow: %u\n", nav[PL_BIN_AV_ALLOW]);
	printf("auditallow: %u\n", nav[PL_BIN_AV_AUDITALLOW]);
	printf("dontaudit: %u\n", nav[PL_BIN_AV_DONTAUDIT]);
	printf("conditional_av_rules: %u\n", nav_cond);
	printf("type_transition: %u\n", nte[PL_BIN_TE_TRANSITION]);
	printf("type_member: %u\n", nte[PL_BIN_TE_MEMBER]);
	printf("type_change: %u\n", nte[PL_BIN_TE_CHANGE]);
	printf("role_allow: %u\n", v->nrole_allows);
	printf("role_transition: %u\n", v->nrole_trans);
	printf("constraints: %u\n", v->nconstraints);
	printf("initial_sids: %u\n", v->nisids);
	printf("av_table_entries: %u\n", v->navent);
	printf("av_table_rows_used: %u\n", nused);
	printf("av_table_expanded: %u\n", (v->flags & PL_BIN_F_EXPANDED) ? 1u : 0u);
	printf("av_table_summaries: %u\n", v->avsum ? 1u : 0u);
	printf("binary_bytes: %u\n", v->len);
	return 0;
}

/* ---- --rules ---- */

/* As sesearch prints them: one name bare, several sorted by name in braces. */
static void put_sorted_perms(line *l, const pl_view *v, uint32_t cls, uint32_t perms)
{
	const char *names[32];
	int n = 0;
	for (uint32_t b = 0; b < pl_class_nperms(v, cls); b++)
		if (perms & (1u << b))
			names[n++] = pl_perm_name(v, cls, b);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	if (n == 1) {
		put(l, names[0]);
		return;
	}
	put(l, "{ ");
	for (int i = 0; i < n; i++) {
		put(l, names[i]);
		put(l, " ");
	}
	put(l, "}");
}

/* sesearch's indirect matching: a criterion and a rule's key match when
 * their expansions to types intersect (a type expands to itself, an
 * attribute to its members). */
static bool key_matches(const pl_view *v, uint32_t key, int32_t crit)
{
	if (crit < 0)
		return true;
	const pl_bin_type *k = &v->types[key], *c = &v->types[crit];
	/* sesearch (setools 4) tests its criterion for truth before matching,
	 * and an attribute with no members is false: no filtering at all. */
	if ((c->flags & PL_BIN_TYPE_ATTR) && c->nlist == 0)
		return true;
	bool kattr = k->flags & PL_BIN_TYPE_ATTR, cattr = c->flags & PL_BIN_TYPE_ATTR;
	if (!kattr && !cattr)
		return key == (uint32_t)crit;
	if (!kattr)
		for (uint32_t i = 0; i < c->nlist; i++)
			if (v->typelists[c->list_first + i] == key)
				return true;
	if (!cattr)
		for (uint32_t i = 0; i < k->nlist; i++)
			if (v->typelists[k->list_first + i] == (uint32_t)crit)
				return true;
	if (kattr && cattr)
		for (uint32_t i = 0; i < k->nlist; i++)
			for (uint32_t j = 0; j < c->nlist; j++)
				if (v->typelists[k->list_first + i] == v->typelists[c->list_first + j])
					return true;
	return false;
}

static const char *cond_op_text(uint32_t op)
{
	static const char *const ops[] = {"", "", "!", "||", "&&", "^", "==", "!="};
	return op < sizeof ops / sizeof *ops ? ops[op] : "?";
}

/* Binding strength as sesearch ranks the operators. */
static int cond_op_rank(uint32_t op)
{
	switch (op) {
	case PL_BIN_COND_NOT:
		return 5;
	case PL_BIN_COND_EQ:
	case PL_BIN_COND_NEQ:
		return 4;
	case PL_BIN_COND_AND:
		return 3;
	case PL_BIN_COND_XOR:
		return 2;
	default:
		return 1; /* || */
	}
}

typedef struct infix {
	char *text;
	bool compound; /* an operator expression rather than a boolean name */
} infix;

static char *join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", a, b, c);
	return s;
}

/* The condition in infix, exactly as sesearch (setools 4) renders the
 * postfix form: operands come out in popping order, and parentheses are
 * added whenever the previous operator does not bind tighter. */
static void put_cond(line *l, const pl_view *v, uint32_t cond, uint32_t branch)
{
	const pl_bin_cond *c = &v->conds[cond];
	infix stack[PL_BIN_MAX_DEPTH];
	int sp = 0, prev = 5;
	bool oom = false;
	for (uint32_t k = 0; k < c->nexpr && !oom; k++) {
		const pl_bin_cond_node *n = &v->condexpr[c->expr_first + k];
		char *s = NULL;
		if (n->op == PL_BIN_COND_BOOL) {
			s = join3(pl_bool_name(v, n->arg), "", "");
			stack[sp++] = (infix){s, false};
		} else if (n->op == PL_BIN_COND_NOT) {
			infix a = stack[--sp];
			s = a.compound ? join3("! ( ", a.text ? a.text : "", " )") : join3("! ", a.text ? a.text : "", "");
			free(a.text);
			stack[sp++] = (infix){s, true};
			prev = 5;
		} else {
			infix a = stack[--sp], b = stack[--sp];
			int rank = cond_op_rank(n->op);
			char *mid = join3(" ", cond_op_text(n->op), " ");
			char *ab = mid ? join3(a.text ? a.text : "", mid, b.text ? b.text : "") : NULL;
			s = ab && prev <= rank ? join3("( ", ab, " )") : ab;
			if (s != ab)
				free(ab);
			free(mid);
			free(a.text);
			free(b.text);
			stack[sp++] = (infix){s, true};
			prev = rank;
		}
		oom = s == NULL;
	}
	put(l, " [ ");
	put(l, !oom && sp == 1 ? stack[0].text : "?");
	put(l, branch ? " ]:True" : " ]:False");
	while (sp > 0)
		free(stack[--sp].text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "KIND SOURCE TARGET:CLASS " — the part every listed rule starts with. */
static void put_rule_head(line *l, const pl_view *v, const char *kind, uint32_t src, uint32_t tgt,
			  uint32_t cls)
{
	put(l, kind);
	put(l, " ");
	put(l, pl_type_name(v, src));
	put(l, " ");
	put(l, pl_type_name(v, tgt));
	put(l, ":");
	put(l, pl_class_name(v, cls));
	put(l, " ");
}

static int run_rules(const pl_view *v, int32_t s, int32_t t, int32_t c)
{
	static const char *const av_kw[] = {"", "allow", "auditallow", "dontaudit"};
	static const char *const te_kw[] = {"", "type_transition", "type_member", "type_change"};
	char **out = NULL;
	size_t n = 0, cap = 0;
	for (uint32_t i = 0; i < v->nrules + v->nterules; i++) {
		line l = {0};
		if (i < v->nrules) {
			const pl_bin_rule *r = &v->rules[i];
			if ((c >= 0 && r->cls != (uint32_t)c) || !key_matches(v, r->src, s) ||
			    !key_matches(v, r->tgt, t))
				continue;
			put_rule_head(&l, v, av_kw[r->kind], r->src, r->tgt, r->cls);
			put_sorted_perms(&l, v, r->cls, r->perms);
			put(&l, ";");
			if (r->cond != PL_BIN_NONE)
				put_cond(&l, v, r->cond, r->branch);
		} else {
			const pl_bin_terule *r = &v->terules[i - v->nrules];
			if ((c >= 0 && r->cls != (uint32_t)c) || !key_matches(v, r->src, s) ||
			    !key_matches(v, r->tgt, t))
				continue;
			put_rule_head(&l, v, te_kw[r->kind], r->src, r->tgt, r->cls);
			put(&l, pl_type_name(v, r->deflt));
			put(&l, ";");
			if (r->cond != PL_BIN_NONE)
				put_cond(&l, v, r->cond, r->branch);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			char **no = realloc(out, cap * sizeof *no);
			if (!no) {
				free(l.buf);
				goto oom;
			}
			out = no;
		}
		out[n++] = l.buf;
	}
	/* sesearch prints in table order; sorted text is stable across
	 * compilers and easy to compare. */
	qsort(out, n, sizeof *out, cmp_str);
	for (size_t i = 0; i < n; i++) {
		puts(out[i]);
		free(out[i]);
	}
	free(out);
	return 0;
oom:
	for (size_t i = 0; i < n; i++)
		free(out[i]);
	free(out);
	fprintf(stderr, "polq: out of memory\n");
	return 2;
}

static int parse_bool_value(const char *s, bool *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0")) {
		*out = false;
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	enum mode mode = MODE_QUERY;
	const char *policy = NULL;
	const char *bools[256];
	int nbools = 0;
	char *pos[3];
	int npos = 0;
	const char *rs = NULL, *rt = NULL, *rc_ = NULL;
	bool batch = false, create = false, stats = false, rules = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--bool")) {
			if (++i >= argc)
				return usage("--bool needs NAME=VALUE");
			if (nbools == (int)(sizeof bools / sizeof *bools))
				return usage("too many --bool options");
			bools[nbools++] = argv[i];
		} else if (!strncmp(a, "--bool=", 7)) {
			if (nbools == (int)(sizeof bools / sizeof *bools))
				return usage("too many --bool options");
			bools[nbools++] = a + 7;
		} else if (!strcmp(a, "--batch")) {
			batch = true;
		} else if (!strcmp(a, "--create")) {
			create = true;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
		} else if (!strcmp(a, "--rules")) {
			rules = true;
		} else if (rules && (!strcmp(a, "-s") || !strcmp(a, "-t") || !strcmp(a, "-c"))) {
			if (++i >= argc)
				return usage("option needs an argument");
			if (a[1] == 's')
				rs = argv[i];
			else if (a[1] == 't')
				rt = argv[i];
			else
				rc_ = argv[i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "polq: unknown option '%s'\n", a);
			return usage(NULL);
		} else if (!policy) {
			policy = a;
		} else if (npos < 3) {
			pos[npos++] = argv[i];
		} else {
			return usage("too many arguments");
		}
	}
	if (!policy)
		return usage("no policy given");
	if ((int)batch + (int)stats + (int)rules > 1 || (create && (stats || rules)))
		return usage("--batch, --create, --stats and --rules do not combine that way");
	if (stats)
		mode = MODE_STATS;
	else if (rules)
		mode = MODE_RULES;
	else if (create)
		mode = batch ? MODE_CREATE_BATCH : MODE_CREATE;
	else if (batch)
		mode = MODE_BATCH;
	bool wants_query = mode == MODE_QUERY || mode == MODE_CREATE;
	if (wants_query ? npos != 3 : npos != 0)
		return usage(wants_query ? "expected SCONTEXT TCONTEXT CLASS" : "unexpected arguments");

	void *buf, *mem;
	pl_view v;
	pl_state st;
	pl_load_error err;
	switch (pl_policy_file_load(policy, &v, &st, &buf, &mem, &err)) {
	case PL_FILE_OK:
		break;
	case PL_FILE_UNREADABLE:
		fprintf(stderr, "error: cannot read %s: %s\n", policy, strerror(errno));
		return 2;
	case PL_FILE_CORRUPT:
		fprintf(stderr, "error: %s: corrupt binary policy: %s (at byte %u)\n", policy, err.msg,
			err.offset);
		return 2;
	case PL_FILE_NO_MEMORY:
		fprintf(stderr, "polq: out of memory\n");
		return 2;
	}
	int status = 0;
	for (int i = 0; i < nbools && !status; i++) {
		const char *eq = strchr(bools[i], '=');
		bool value;
		if (!eq || parse_bool_value(eq + 1, &value) < 0) {
			status = usage("--bool wants NAME=VALUE with VALUE true, false, 1 or 0");
			break;
		}
		int32_t b = pl_find_bool_n(&v, bools[i], (size_t)(eq - bools[i]));
		if (b < 0) {
			fprintf(stderr, "error: unknown boolean '%.*s'\n", (int)(eq - bools[i]), bools[i]);
			status = 1;
			break;
		}
		pl_state_set_bool(&st, (uint32_t)b, value);
	}
	if (!status) {
		int32_t s = -1, t = -1, c = -1;
		switch (mode) {
		case MODE_QUERY:
			status = run_single(&v, &st, answer_av, pos);
			break;
		case MODE_CREATE:
			status = run_single(&v, &st, answer_create, pos);
			break;
		case MODE_BATCH:
			status = run_batch(&v, &st, answer_av);
			break;
		case MODE_CREATE_BATCH:
			status = run_batch(&v, &st, answer_create);
			break;
		case MODE_STATS:
			status = run_stats(&v);
			break;
		case MODE_RULES:
			if (rs && (s = pl_find_type_n(&v, rs, strlen(rs))) < 0) {
				fprintf(stderr, "error: unknown type '%s'\n", rs);
				status = 1;
			} else if (rt && (t = pl_find_type_n(&v, rt, strlen(rt))) < 0) {
				fprintf(stderr, "error: unknown type '%s'\n", rt);
				status = 1;
			} else if (rc_ && (c = pl_find_class_n(&v, rc_, strlen(rc_))) < 0) {
				fprintf(stderr, "error: unknown class '%s'\n", rc_);
				status = 1;
			} else {
				status = run_rules(&v, s, t, c);
			}
			break;
		}
	}
	free(mem);
	free(buf);
	return status;
}
