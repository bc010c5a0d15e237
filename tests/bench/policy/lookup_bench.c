/* Lookup benchmark: the decision engine (policy/engine.h) against libsepol's
 * sepol_compute_av, on the same random queries over the same policy source
 * (compiled by polc and by checkpolicy respectively).
 *
 *   lookup_bench OURS.bin REF.bin CONTEXTS CLASSES NQUERIES SEED
 *
 * CONTEXTS and CLASSES list one name per line.  Contexts and classes are
 * resolved before timing, for both sides, so the timed loops measure only the
 * decision.  Every answer is also compared: a benchmark of a wrong engine
 * would be meaningless, so mismatches are reported and make the exit status
 * non-zero. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/engine.h"

/* After engine.h: libsepol's headers are C89-era and fine with <stdbool.h>
 * as long as conditional.h (a member named `bool`) stays out. */
#include <sepol/debug.h>
#include <sepol/policydb/hashtab.h>
#include <sepol/policydb/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/policydb/sidtab.h>

#define MAX_NAMES 100000
#define CHUNK 50000u

static policydb_t ref_db;
static sidtab_t ref_sids;

typedef struct query {
	uint32_t s, t, c; /* indices into the context and class lists */
} query;

typedef struct answer {
	uint32_t allowed, auditallow, auditdeny;
} answer;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "lookup_bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot read", path);
	/* malloc's alignment satisfies the view's 8-byte requirement. */
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		die("cannot read", path);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static char **read_lines(const char *path, uint32_t *n)
{
	FILE *f = fopen(path, "r");
	char line[512];
	char **names = calloc(MAX_NAMES, sizeof(*names));

	if (!f || !names)
		die("cannot read", path);
	*n = 0;
	while (fgets(line, sizeof(line), f) && *n < MAX_NAMES) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			names[(*n)++] = strdup(line);
	}
	fclose(f);
	if (*n == 0)
		die("empty list", path);
	return names;
}

static void load_reference(const char *path)
{
	struct policy_file pf;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		die("cannot open", path);
	policy_file_init(&pf);
	pf.type = PF_USE_STDIO;
	pf.fp = fp;
	if (policydb_init(&ref_db) || policydb_read(&ref_db, &pf, 0))
		die("libsepol cannot read", path);
	fclose(fp);
	sepol_set_policydb(&ref_db);
	if (sepol_sidtab_init(&ref_sids))
		die("out of memory", NULL);
	sepol_set_sidtab(&ref_sids);
}

static int count_perm(hashtab_key_t key, hashtab_datum_t datum, void *arg)
{
	uint32_t *mask = arg;
	const perm_datum_t *perm = datum;

	(void)key;
	if (perm->s.value >= 1 && perm->s.value <= 32)
		*mask |= UINT32_C(1) << (perm->s.value - 1);
	return 0;
}

static uint32_t ref_class_mask(sepol_security_class_t cls)
{
	class_datum_t *c = ref_db.class_val_to_struct[cls - 1];
	uint32_t mask = 0;

	if (c->comdatum)
		hashtab_map(c->comdatum->permissions.table, count_perm, &mask);
	hashtab_map(c->permissions.table, count_perm, &mask);
	return mask;
}

/* xorshift64*: reproducible queries without libc's rand state. */
static uint64_t rng_state;

static uint32_t rnd(uint32_t bound)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32) % bound;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: lookup_bench OURS.bin REF.bin CONTEXTS CLASSES NQUERIES SEED\n");
		return 2;
	}
	uint32_t nq = (uint32_t)strtoul(argv[5], NULL, 10);
	rng_state = strtoull(argv[6], NULL, 10) | 1;
	sepol_debug(0);

	size_t len;
	void *buf = read_file(argv[1], &len);
	pl_view v;
	pl_load_error lerr;
	if (pl_view_load(&v, buf, len, 0, &lerr) != PL_OK)
		die("engine rejects the polc policy", lerr.msg);
	void *mem = malloc(pl_state_size(&v) + 1);
	pl_state st;
	if (!mem || pl_state_init(&st, &v, mem, pl_state_size(&v) + 1) != PL_OK)
		die("engine state", NULL);
	load_reference(argv[2]);

	uint32_t nctx, ncls;
	char **ctxs = read_lines(argv[3], &nctx);
	char **clss = read_lines(argv[4], &ncls);
	pl_ctx *ectx = calloc(nctx, sizeof(*ectx));
	sepol_security_id_t *rsid = calloc(nctx, sizeof(*rsid));
	uint32_t *ecls = calloc(ncls, sizeof(*ecls));
	sepol_security_class_t *rcls = calloc(ncls, sizeof(*rcls));
	uint32_t *rmask = calloc(ncls, sizeof(*rmask));
	query *qs = calloc(nq, sizeof(*qs));
	answer *ea = calloc(nq, sizeof(*ea));
	answer *ra = calloc(nq, sizeof(*ra));
	uint32_t *allowed_idx = calloc(nq, sizeof(*allowed_idx));
	if (!ectx || !rsid || !ecls || !rcls || !rmask || !qs || !ea || !ra || !allowed_idx)
		die("out of memory", NULL);

	for (uint32_t i = 0; i < nctx; i++) {
		if (pl_context_parse(&v, ctxs[i], &ectx[i]) != PL_OK)
			die("engine rejects context", ctxs[i]);
		if (sepol_context_to_sid(ctxs[i], strlen(ctxs[i]), &rsid[i]) < 0)
			die("libsepol rejects context", ctxs[i]);
	}
	for (uint32_t i = 0; i < ncls; i++) {
		int32_t c = pl_find_class_n(&v, clss[i], strlen(clss[i]));
		if (c < 0 || sepol_string_to_security_class(clss[i], &rcls[i]) < 0)
			die("unknown class", clss[i]);
		ecls[i] = (uint32_t)c;
		rmask[i] = ref_class_mask(rcls[i]);
	}
	for (uint32_t i = 0; i < nq; i++) {
		qs[i].s = rnd(nctx);
		qs[i].t = rnd(nctx);
		qs[i].c = rnd(ncls);
	}

	/* Alternate the two in chunks so that load from other processes on a
	 * shared machine falls on both sides alike. */
	double e_total = 0, r_total = 0;
	for (uint32_t lo = 0; lo < nq; lo += CHUNK) {
		uint32_t hi = nq - lo < CHUNK ? nq : lo + CHUNK;
		double t0 = now_ns();
		for (uint32_t i = lo; i < hi; i++) {
			pl_av av;
			pl_compute_av(&v, &st, &ectx[qs[i].s], &ectx[qs[i].t], ecls[qs[i].c], &av);
			ea[i] = (answer){av.allowed, av.auditallow, av.auditdeny};
		}
		double t1 = now_ns();
		for (uint32_t i = lo; i < hi; i++) {
			struct sepol_av_decision avd;
			sepol_compute_av(rsid[qs[i].s], rsid[qs[i].t], rcls[qs[i].c], 0, &avd);
			ra[i] = (answer){avd.allowed, avd.auditallow, avd.auditdeny};
		}
		e_total += t1 - t0;
		r_total += now_ns() - t1;
	}

	uint32_t nallowed = 0, mismatches = 0;
	for (uint32_t i = 0; i < nq; i++) {
		uint32_t m = rmask[qs[i].c];
		answer r = {ra[i].allowed & m, ra[i].auditallow & m, ra[i].auditdeny & m};
		if (r.allowed)
			allowed_idx[nallowed++] = i;
		if (r.allowed != ea[i].allowed || r.auditallow != ea[i].auditallow ||
		    r.auditdeny != ea[i].auditdeny) {
			if (mismatches++ < 5)
				fprintf(stderr,
					"mismatch: %s %s %s: engine %#x/%#x/%#x libsepol %#x/%#x/%#x\n",
					ctxs[qs[i].s], ctxs[qs[i].t], clss[qs[i].c], ea[i].allowed,
					ea[i].auditallow, ea[i].auditdeny, r.allowed, r.auditallow,
					r.auditdeny);
		}
	}

	/* The allowed subset again, alone: libsepol's cost grows with the rules
	 * it has to walk, so the answers that grant something are its slow case. */
	double ea_total = 0, ra_total = 0;
	for (uint32_t lo = 0; lo < nallowed; lo += CHUNK) {
		uint32_t hi = nallowed - lo < CHUNK ? nallowed : lo + CHUNK;
		double t3 = now_ns();
		for (uint32_t k = lo; k < hi; k++) {
			const query *q = &qs[allowed_idx[k]];
			pl_av av;
			pl_compute_av(&v, &st, &ectx[q->s], &ectx[q->t], ecls[q->c], &av);
			ea[k].allowed = av.allowed;
		}
		double t4 = now_ns();
		for (uint32_t k = lo; k < hi; k++) {
			const query *q = &qs[allowed_idx[k]];
			struct sepol_av_decision avd;
			sepol_compute_av(rsid[q->s], rsid[q->t], rcls[q->c], 0, &avd);
			ra[k].allowed = avd.allowed;
		}
		ea_total += t4 - t3;
		ra_total += now_ns() - t4;
	}

	double e_ns = e_total / nq, r_ns = r_total / nq;
	printf("BENCH engine_lookup_ns %.1f ns per compute_av, %u random queries\n", e_ns, nq);
	printf("BENCH libsepol_lookup_ns %.1f ns per sepol_compute_av, same queries\n", r_ns);
	printf("BENCH lookup_speedup %.1f libsepol time / engine time (target >= 50)\n", r_ns / e_ns);
	if (nallowed) {
		double ea_ns = ea_total / nallowed, ra_ns = ra_total / nallowed;
		printf("BENCH engine_lookup_allowed_ns %.1f ns per compute_av, the %u allowed queries\n",
		       ea_ns, nallowed);
		printf("BENCH libsepol_lookup_allowed_ns %.1f ns per sepol_compute_av, same allowed queries\n",
		       ra_ns);
		printf("BENCH lookup_allowed_speedup %.1f libsepol / engine on allowed queries\n",
		       ra_ns / ea_ns);
	}
	printf("BENCH lookup_allowed_fraction %.4f share of the random queries that allow something\n",
	       (double)nallowed / nq);
	printf("BENCH lookup_mismatches %u answers where the engine and libsepol differ (want 0)\n",
	       mismatches);
	return mismatches ? 1 : 0;
}
