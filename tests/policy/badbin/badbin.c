/* Corrupted binary policies against the reader, under ASan and UBSan.
 *
 *   badbin [--seed N] [--emit FILE] [POLICY.bin]...
 *
 * Starts from valid binaries (a hand-built policy that fills every section,
 * written both with the expanded and with the attribute-keyed AV table, plus
 * any given on the command line) and damages them: truncation, extension,
 * bit flips with the stale checksum (the checksum must catch every one), bit
 * flips and random words with the checksum recomputed (the structural checks
 * must cope), and header fields that lie about the length, a section's
 * count, size or offset.  Each variant is loaded from an allocation of
 * exactly its size, so any read outside it is a sanitizer report.
 *
 * "Strict" variants must be rejected.  "Tolerant" ones may load when the
 * damage left a consistent policy (a flipped permission bit is still a
 * policy); then every query the engine offers is run on them, to show that
 * what the reader accepts is safe to use.  Prints "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../policy-lang/tests/test_engine_fixture.h"
#include "policy/binary_tuning.h"

/* A test is one kind of damage to one binary; it passes when every variant
 * of that kind does.  Variants are counted for the log. */
static unsigned passed, failed, variants, cat_failures;
static const char *cat_name;

static void begin(const char *name)
{
	cat_name = name;
	cat_failures = 0;
}

static void end(const char *binary)
{
	if (cat_failures) {
		failed++;
		printf("FAIL: %s: %s: %u variants misbehaved\n", binary, cat_name, cat_failures);
	} else {
		passed++;
	}
}
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static void fix_crc(uint8_t *b, size_t len)
{
	if (len < sizeof(pl_bin_header))
		return;
	uint32_t crc = pl_crc32(b + 16, len - 16);
	memcpy(b + 12, &crc, 4);
}

/* Runs every engine entry point over an accepted view. */
static void exercise(const pl_view *v)
{
	size_t n = pl_state_size(v);
	uint8_t *mem = malloc(n + 1);
	pl_state st;
	if (!mem || pl_state_init(&st, v, mem, n + 1) != PL_OK) {
		free(mem);
		return;
	}
	for (uint32_t b = 0; b < v->nbools && b < 16; b++)
		pl_state_set_bool(&st, b, !st.bools[b]);
	uint32_t nt = v->ntypes < 24 ? v->ntypes : 24, nr = v->nroles < 4 ? v->nroles : 4;
	uint32_t nu = v->nusers < 3 ? v->nusers : 3, nc = v->nclasses < 8 ? v->nclasses : 8;
	volatile uint32_t sink = 0;
	for (uint32_t s = 0; s < nt; s++)
		for (uint32_t t = 0; t < nt; t++)
			for (uint32_t c = 0; c < nc; c++) {
				pl_ctx a = {s % (nu ? nu : 1), s % nr, s}, b = {t % (nu ? nu : 1), t % nr, t};
				if (!nu)
					continue;
				pl_av av;
				pl_ctx out;
				if (pl_compute_av(v, &st, &a, &b, c, &av) == PL_OK)
					sink += av.allowed ^ av.auditdeny;
				for (uint32_t k = PL_BIN_TE_TRANSITION; k <= PL_BIN_TE_CHANGE; k++)
					if (pl_compute_create(v, &st, &a, &b, c, k, &out) == PL_OK)
						sink += out.type;
			}
	for (uint32_t i = 0; i < v->ntypes; i++)
		sink += (uint32_t)pl_find_type_n(v, pl_type_name(v, i), pl_strlen(pl_type_name(v, i)));
	for (uint32_t i = 0; i < v->nclasses; i++) {
		sink += (uint32_t)pl_find_class_n(v, pl_class_name(v, i), pl_strlen(pl_class_name(v, i)));
		for (uint32_t k = 0; k < pl_class_nperms(v, i); k++)
			sink += (uint32_t)pl_strlen(pl_perm_name(v, i, k));
	}
	for (uint32_t i = 0; i < v->nusers && i < 8; i++)
		for (uint32_t r = 0; r < v->nroles && r < 8; r++) {
			char ctx[256];
			snprintf(ctx, sizeof ctx, "%s:%s:%s", pl_user_name(v, i), pl_role_name(v, r),
				 pl_type_name(v, (i + r) % (v->ntypes ? v->ntypes : 1)));
			pl_ctx c;
			sink += (uint32_t)pl_context_parse(v, ctx, &c);
		}
	(void)sink;
	free(mem);
}

/* Loads a private copy of exactly len bytes. */
static int try_load(const uint8_t *bin, size_t len, bool use)
{
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, bin, len);
	pl_view v;
	pl_load_error e;
	int rc = pl_view_load(&v, copy, len, 0, &e);
	if (rc == PL_OK && use)
		exercise(&v);
	if (rc != PL_OK && (!e.msg || !e.msg[0]))
		rc = 1; /* a rejection must say why */
	free(copy);
	return rc;
}

static void expect_reject(const uint8_t *bin, size_t len, const char *what, size_t where)
{
	int rc = try_load(bin, len, true);
	variants++;
	if (rc != PL_E_CORRUPT) {
		cat_failures++;
		printf("FAIL: %s at %zu was %s\n", what, where, rc == PL_OK ? "accepted" : "rejected without a message");
	}
}

static void expect_safe(const uint8_t *bin, size_t len)
{
	int rc = try_load(bin, len, true);
	variants++;
	if (rc != PL_OK && rc != PL_E_CORRUPT) {
		cat_failures++;
		printf("FAIL: rejection without a message\n");
	}
}

static void attack(const uint8_t *good, size_t len, const char *name)
{
	unsigned before_v = variants, before_f = failed;
	uint8_t *b = malloc(len + 64);
	if (!b)
		abort();
	if (try_load(good, len, true) != PL_OK) {
		printf("FAIL: %s: the valid binary does not load\n", name);
		failed++;
		free(b);
		return;
	}
	begin("truncation");
	size_t step = len / 300 + 1;
	for (size_t n = 0; n < len; n += (n < 2 * sizeof(pl_bin_header) ? 1 : step))
		expect_reject(good, n, "truncation", n);
	expect_reject(good, len - 1, "truncation", len - 1);
	end(name);
	begin("extension");
	memcpy(b, good, len);
	memset(b + len, 0, 64);
	expect_reject(b, len + 8, "extension", len + 8);
	end(name);
	begin("bit flips with a stale checksum (all rejected)");
	for (int i = 0; i < 3000; i++) {
		memcpy(b, good, len);
		size_t pos = rnd() % len;
		if (pos >= 12 && pos < 16)
			continue; /* the checksum itself: next case */
		b[pos] ^= (uint8_t)(1u << (rnd() % 8));
		expect_reject(b, len, "bit flip (stale checksum)", pos);
	}
	memcpy(b, good, len);
	b[12] ^= 1;
	expect_reject(b, len, "checksum flip", 12);
	end(name);
	begin("bit flips with the checksum recomputed (rejected or safe)");
	for (size_t pos = 16; pos < sizeof(pl_bin_header); pos++)
		for (int bit = 0; bit < 8; bit++) {
			memcpy(b, good, len);
			b[pos] ^= (uint8_t)(1u << bit);
			fix_crc(b, len);
			expect_safe(b, len);
		}
	for (int i = 0; i < 4000; i++) {
		memcpy(b, good, len);
		size_t pos = sizeof(pl_bin_header) + rnd() % (len - sizeof(pl_bin_header));
		b[pos] ^= (uint8_t)(1u << (rnd() % 8));
		fix_crc(b, len);
		expect_safe(b, len);
	}
	end(name);
	begin("random and extreme words, checksum recomputed (rejected or safe)");
	static const uint32_t evil[] = {0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffeu, 0x10000u};
	for (int i = 0; i < 3000; i++) {
		memcpy(b, good, len);
		size_t pos = (sizeof(pl_bin_header) + rnd() % (len - sizeof(pl_bin_header))) & ~(size_t)3;
		uint32_t w = (i & 1) ? rnd() : evil[rnd() % (sizeof evil / sizeof *evil)];
		if (pos + 4 <= len)
			memcpy(b + pos, &w, 4);
		fix_crc(b, len);
		expect_safe(b, len);
	}
	end(name);
	begin("lying length field (all rejected)");
	const uint32_t len_lies[] = {0, (uint32_t)len - 1, (uint32_t)len + 1, (uint32_t)len + 8,
				     (uint32_t)len - 8, 0xffffffffu};
	for (size_t i = 0; i < sizeof len_lies / sizeof *len_lies; i++) {
		memcpy(b, good, len);
		memcpy(b + 8, &len_lies[i], 4);
		fix_crc(b, len);
		expect_reject(b, len, "length lie", 8);
	}
	end(name);
	begin("lying section counts, sizes, offsets and record sizes");
	for (int s = 0; s < PL_SEC_COUNT; s++) {
		pl_bin_header h;
		memcpy(&h, good, sizeof h);
		size_t off = offsetof(pl_bin_header, sec) + (size_t)s * sizeof(pl_bin_section_desc);
		const uint32_t count_lies[] = {h.sec[s].count + 1, h.sec[s].count - 1, 0xffffffffu,
					       h.sec[s].count * 2 + 1};
		for (size_t i = 0; i < 4; i++) {
			if (count_lies[i] == h.sec[s].count)
				continue;
			memcpy(b, good, len);
			memcpy(b + off + offsetof(pl_bin_section_desc, count), &count_lies[i], 4);
			fix_crc(b, len);
			expect_reject(b, len, "count lie", off);
		}
		/* Count and size lying together: consistent, possibly harmless. */
		memcpy(b, good, len);
		uint32_t c2 = h.sec[s].count + 1, s2 = h.sec[s].size + h.sec[s].entsize;
		memcpy(b + off + offsetof(pl_bin_section_desc, count), &c2, 4);
		memcpy(b + off + offsetof(pl_bin_section_desc, size), &s2, 4);
		fix_crc(b, len);
		expect_safe(b, len);
		const uint32_t off_strict[] = {h.sec[s].offset + 1, h.sec[s].offset + 4, (uint32_t)len + 8,
					       0xfffffff8u, 0};
		for (size_t i = 0; i < sizeof off_strict / sizeof *off_strict; i++) {
			memcpy(b, good, len);
			memcpy(b + off + offsetof(pl_bin_section_desc, offset), &off_strict[i], 4);
			fix_crc(b, len);
			expect_reject(b, len, "offset lie", off);
		}
		const uint32_t off_tolerant[] = {h.sec[s].offset + 8, h.sec[s].offset - 8};
		for (size_t i = 0; i < 2; i++) {
			memcpy(b, good, len);
			memcpy(b + off + offsetof(pl_bin_section_desc, offset), &off_tolerant[i], 4);
			fix_crc(b, len);
			expect_safe(b, len);
		}
		const uint32_t ent_lie = h.sec[s].entsize + 4;
		memcpy(b, good, len);
		memcpy(b + off + offsetof(pl_bin_section_desc, entsize), &ent_lie, 4);
		fix_crc(b, len);
		expect_reject(b, len, "record size lie", off);
	}
	end(name);
	printf("%s: %zu bytes, %u damaged variants, %u kinds of damage failed\n", name, len, variants - before_v,
	       failed - before_f);
	free(b);
}

static void rich_policy(pl_policy *p)
{
	fx_init(p);
	int32_t fc = (int32_t)fx_common(p, "file_common", "read write getattr");
	fx_class(p, "file", fc, "execute entrypoint");
	fx_class(p, "process", -1, "fork transition signal dyntransition");
	fx_class(p, "dir", fc, "search");
	const char *types[] = {"a_t", "b_t", "c_t", "exec_t", "d_t", "e_t"};
	for (size_t i = 0; i < 6; i++)
		fx_type(p, types[i]);
	fx_attr(p, "domain");
	fx_attr(p, "files");
	fx_typeattr(p, "a_t", "domain");
	fx_typeattr(p, "b_t", "domain");
	fx_typeattr(p, "c_t", "files");
	fx_typeattr(p, "exec_t", "files");
	fx_typeattr(p, "e_t", "files");
	fx_alias(p, "a_alias_t", "a_t");
	fx_role(p, "r1", "domain c_t");
	fx_role(p, "r2", "b_t d_t");
	fx_user(p, "u1", "r1 r2");
	fx_user(p, "u2", "r2");
	fx_bool(p, "b1", false);
	fx_bool(p, "b2", true);
	uint32_t c1 = fx_cond(p, "b1");
	uint32_t c2 = fx_cond(p, "b1 b2 && !");
	fx_av(p, PL_AV_ALLOW, "domain", "files", "file", "read getattr", PL_UNCOND, true);
	fx_av(p, PL_AV_ALLOW, "a_t", "c_t", "file", "write", c1, true);
	fx_av(p, PL_AV_ALLOW, "a_t", "c_t", "file", "execute", c2, false);
	fx_av(p, PL_AV_AUDITALLOW, "domain", "c_t", "file", "write", PL_UNCOND, true);
	fx_av(p, PL_AV_DONTAUDIT, "b_t", "files", "dir", "search", PL_UNCOND, true);
	fx_av(p, PL_AV_ALLOW, "domain", "domain", "process", "fork transition signal", PL_UNCOND, true);
	fx_te(p, PL_TE_TRANSITION, "a_t", "c_t", "file", "exec_t", PL_UNCOND, true);
	fx_te(p, PL_TE_TRANSITION, "b_t", "exec_t", "process", "a_t", c1, true);
	fx_te(p, PL_TE_MEMBER, "a_t", "c_t", "dir", "d_t", PL_UNCOND, true);
	fx_role_allow(p, "r1", "r2");
	fx_role_trans(p, "r1", "d_t", "process", "r2");
	fx_constraint(p, "file", "write", "u1==u2 t1=a_t,b_t or");
	fx_constraint(p, "process", "transition", "r1dom r2=r1 or not");
	FX_GROW(p->isids, p->nisids);
	p->isids[0].name = fx_strdup("kernel");
	p->isids[0].has_context = true;
	p->isids[0].context = (pl_context){0, fx_r(p, "r1"), fx_t(p, "a_t")};
	p->nisids = 1;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *b = malloc(cap);
	while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	fclose(f);
	*len = n;
	return b;
}

int main(int argc, char **argv)
{
	const char *emit = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 0) | 1;
		else if (!strcmp(argv[i], "--emit") && i + 1 < argc)
			emit = argv[++i];
		else {
			fprintf(stderr, "usage: badbin [--seed N] [--emit FILE] [POLICY.bin]...\n");
			return 2;
		}
	}
	pl_policy p;
	rich_policy(&p);
	for (int mode = 0; mode < 2; mode++) {
		pl_binary_expand_limit = mode ? 0 : PL_BINARY_EXPAND_LIMIT;
		uint8_t *bin;
		size_t len;
		char err[256];
		if (pl_binary_write(&p, &bin, &len, err, sizeof err) != 0) {
			printf("FAIL: writing the sample policy: %s\n", err);
			failed++;
			continue;
		}
		if (emit && mode == 0) {
			FILE *f = fopen(emit, "wb");
			if (!f || fwrite(bin, 1, len, f) != len || fclose(f) != 0) {
				fprintf(stderr, "badbin: cannot write %s\n", emit);
				return 2;
			}
		}
		attack(bin, len, mode ? "sample (attribute-keyed AV table)" : "sample (expanded AV table)");
		free(bin);
	}
	fx_free(&p);
	for (; i < argc; i++) {
		size_t len;
		uint8_t *bin = read_all(argv[i], &len);
		if (!bin) {
			printf("FAIL: cannot read %s\n", argv[i]);
			failed++;
			continue;
		}
		attack(bin, len, argv[i]);
		free(bin);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
