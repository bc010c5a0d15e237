/* Unit tests of pl_emit_conf on hand-built policies: the text it writes,
 * the errors it gives for what policy.conf cannot express, and (when
 * checkpolicy is installed) that checkpolicy compiles the result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy/emit_conf.h"

/* A policy built from fixed-size arrays, so tests read like declarations. */
typedef struct fixture {
	pl_policy p;
	pl_common commons[2];
	pl_class classes[4];
	pl_type types[8];
	pl_alias aliases[2];
	pl_role roles[3];
	pl_user users[2];
	pl_bool bools[2];
	pl_cond conds[2];
	pl_cond_node nodes[2][8];
	pl_avrule avrules[12];
	pl_terule terules[4];
	pl_role_allow role_allows[2];
	pl_role_trans role_trans[2];
	pl_constraint constraints[2];
	pl_cexpr cexprs[2][6];
	pl_isid isids[2];
	char *caps[2];
	char *text; /* the emitter's output, freed by teardown */
} fixture;

static void set_bit(pl_bitset *b, uint32_t bit)
{
	assert_int_equal(pl_bitset_set(b, bit), 0);
}

/* One class `c { p q r }`, types t (0) and u (1), object_r only. */
static void build_minimal(fixture *f)
{
	free(f->text);
	memset(f, 0, sizeof(*f));
	f->classes[0] = (pl_class){.name = "c", .common = -1, .nperms = 3, .perms = {"p", "q", "r"}};
	f->types[0] = (pl_type){.name = "t"};
	f->types[1] = (pl_type){.name = "u"};
	f->roles[0] = (pl_role){.name = "object_r"};
	f->p.classes = f->classes;
	f->p.nclasses = 1;
	f->p.types = f->types;
	f->p.ntypes = 2;
	f->p.roles = f->roles;
	f->p.nroles = 1;
	f->p.commons = f->commons;
	f->p.aliases = f->aliases;
	f->p.users = f->users;
	f->p.bools = f->bools;
	f->p.conds = f->conds;
	f->p.avrules = f->avrules;
	f->p.terules = f->terules;
	f->p.role_allows = f->role_allows;
	f->p.role_trans = f->role_trans;
	f->p.constraints = f->constraints;
	f->p.isids = f->isids;
	f->p.policycaps = f->caps;
}

static void add_avrule(fixture *f, enum pl_av_kind kind, uint32_t s, uint32_t t, uint32_t cls,
		       uint32_t perms, uint32_t cond, bool branch)
{
	f->avrules[f->p.navrules++] = (pl_avrule){.kind = kind, .source = s, .target = t,
						  .cls = cls, .perms = perms, .cond = cond,
						  .branch = branch};
}

/* Everything the emitter writes, exercised once:
 *   common file { read write }; class c inherits file { p q r }; class process { transition }
 *   types t(0) u(1) domain(2, attribute of t and u) v(3, alias v_alias, permissive)
 *   roles object_r, sr (types t u); user su (sr); bools b1 b2; conds (b1), (b1 && !b2) */
static void build_full(fixture *f)
{
	build_minimal(f);
	f->commons[0] = (pl_common){.name = "file", .nperms = 2, .perms = {"read", "write"}};
	f->p.ncommons = 1;
	f->classes[0] = (pl_class){.name = "c", .common = 0, .nperms = 5,
				   .perms = {"read", "write", "p", "q", "r"}};
	f->classes[1] = (pl_class){.name = "process", .common = -1, .nperms = 1,
				   .perms = {"transition"}};
	f->p.nclasses = 2;
	f->types[2] = (pl_type){.name = "domain", .is_attr = true};
	set_bit(&f->types[2].members, 0);
	set_bit(&f->types[2].members, 1);
	set_bit(&f->types[0].attrs, 2);
	f->types[3] = (pl_type){.name = "v", .permissive = true};
	f->p.ntypes = 4;
	f->aliases[0] = (pl_alias){.name = "v_alias", .type = 3};
	f->p.naliases = 1;
	f->roles[1] = (pl_role){.name = "sr"};
	set_bit(&f->roles[1].types, 0);
	set_bit(&f->roles[1].types, 1);
	f->p.nroles = 2;
	f->users[0] = (pl_user){.name = "su"};
	set_bit(&f->users[0].roles, 1);
	f->p.nusers = 1;
	f->bools[0] = (pl_bool){.name = "b1", .value = true};
	f->bools[1] = (pl_bool){.name = "b2", .value = false};
	f->p.nbools = 2;
	f->nodes[0][0] = (pl_cond_node){.op = PL_COND_BOOL, .arg = 0};
	f->conds[0] = (pl_cond){.nnodes = 1, .nodes = f->nodes[0]};
	f->nodes[1][0] = (pl_cond_node){.op = PL_COND_BOOL, .arg = 0};
	f->nodes[1][1] = (pl_cond_node){.op = PL_COND_BOOL, .arg = 1};
	f->nodes[1][2] = (pl_cond_node){.op = PL_COND_NOT};
	f->nodes[1][3] = (pl_cond_node){.op = PL_COND_AND};
	f->conds[1] = (pl_cond){.nnodes = 4, .nodes = f->nodes[1]};
	f->p.nconds = 2;

	add_avrule(f, PL_AV_ALLOW, 2, 1, 0, 0x5, PL_UNCOND, false);     /* domain u:c { read p } */
	add_avrule(f, PL_AV_AUDITALLOW, 0, 1, 0, 0x4, PL_UNCOND, false); /* t u:c p */
	add_avrule(f, PL_AV_DONTAUDIT, 1, 0, 0, 0x2, PL_UNCOND, false);  /* u t:c write */
	add_avrule(f, PL_AV_NEVERALLOW, 3, 0, 0, 0x10, PL_UNCOND, false); /* v t:c r */
	add_avrule(f, PL_AV_ALLOW, 0, 0, 0, 0x0, PL_UNCOND, false);      /* empty: skipped */
	add_avrule(f, PL_AV_ALLOW, 0, 0, 0, 0x8, 0, true);                /* if b1: t t:c q */
	add_avrule(f, PL_AV_ALLOW, 0, 0, 0, 0x10, 0, false);              /* else: t t:c r */
	add_avrule(f, PL_AV_ALLOW, 0, 1, 1, 0x1, 1, false);               /* only an else branch */
	add_avrule(f, PL_AV_ALLOW, 0, 1, 1, 0x1, PL_UNCOND, false);

	f->terules[0] = (pl_terule){.kind = PL_TE_TRANSITION, .source = 0, .target = 1,
				    .cls = 0, .deflt = 3, .cond = PL_UNCOND,
				    .objname = "named object"};
	f->terules[1] = (pl_terule){.kind = PL_TE_CHANGE, .source = 0, .target = 0, .cls = 0,
				    .deflt = 1, .cond = PL_UNCOND};
	f->terules[2] = (pl_terule){.kind = PL_TE_MEMBER, .source = 1, .target = 1, .cls = 0,
				    .deflt = 0, .cond = 0, .branch = true};
	f->p.nterules = 3;

	f->role_allows[0] = (pl_role_allow){.role = 1, .new_role = 1};
	f->p.nrole_allows = 1;
	f->role_trans[0] = (pl_role_trans){.role = 1, .type = 1, .cls = 1, .new_role = 1};
	f->p.nrole_trans = 1;

	/* constrain process transition (u1 == u2 or not (t1 == { t u } and r1 dom r2)) */
	pl_cexpr *x = f->cexprs[0];
	x[0] = (pl_cexpr){.kind = PL_CEXPR_ATTR, .attr = PL_CATTR_USER, .op = PL_COP_EQ};
	x[1] = (pl_cexpr){.kind = PL_CEXPR_NAMES, .attr = PL_CATTR_TYPE, .op = PL_COP_EQ};
	set_bit(&x[1].names, 0);
	set_bit(&x[1].names, 1);
	x[2] = (pl_cexpr){.kind = PL_CEXPR_ATTR, .attr = PL_CATTR_ROLE, .op = PL_COP_DOM};
	x[3] = (pl_cexpr){.kind = PL_CEXPR_AND};
	x[4] = (pl_cexpr){.kind = PL_CEXPR_NOT};
	x[5] = (pl_cexpr){.kind = PL_CEXPR_OR};
	f->constraints[0] = (pl_constraint){.cls = 1, .perms = 1, .nexpr = 6, .expr = x};
	/* constrain c read (t2 != { }) : an empty set written as a tautology */
	f->cexprs[1][0] = (pl_cexpr){.kind = PL_CEXPR_NAMES,
				     .attr = PL_CATTR_TYPE | PL_CATTR_TARGET, .op = PL_COP_NEQ};
	f->constraints[1] = (pl_constraint){.cls = 0, .perms = 1, .nexpr = 1, .expr = f->cexprs[1]};
	f->p.nconstraints = 2;

	f->isids[0] = (pl_isid){.name = "kernel", .has_context = true,
				.context = {.user = 0, .role = 1, .type = 0}};
	f->isids[1] = (pl_isid){.name = "unused"};
	f->p.nisids = 2;
	f->caps[0] = "open_perms";
	f->caps[1] = "bulwark_future_cap";
	f->p.npolicycaps = 2;
}

static void free_fixture(fixture *f)
{
	for (size_t i = 0; i < sizeof(f->types) / sizeof(f->types[0]); i++) {
		pl_bitset_free(&f->types[i].members);
		pl_bitset_free(&f->types[i].attrs);
	}
	for (size_t i = 0; i < sizeof(f->roles) / sizeof(f->roles[0]); i++)
		pl_bitset_free(&f->roles[i].types);
	for (size_t i = 0; i < sizeof(f->users) / sizeof(f->users[0]); i++)
		pl_bitset_free(&f->users[i].roles);
	for (size_t c = 0; c < 2; c++)
		for (size_t i = 0; i < 6; i++)
			pl_bitset_free(&f->cexprs[c][i].names);
}

/* Runs the emitter into a malloc'd string; returns its status. */
static int emit(const pl_policy *p, char **text, char *err, size_t errlen)
{
	size_t len = 0;
	free(*text);
	*text = NULL;
	FILE *mem = open_memstream(text, &len);
	assert_non_null(mem);
	int rc = pl_emit_conf(p, mem, err, errlen);
	assert_int_equal(fclose(mem), 0);
	return rc;
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("expected text not written: \"%s\"\n--- output ---\n%s", needle, text);
}

/* When checkpolicy is installed, the text must compile.  Without it this
 * check is skipped; tests/policy/emitconf fails instead, so the gap shows. */
static void assert_checkpolicy_accepts(const char *text)
{
	if (system("command -v checkpolicy >/dev/null 2>&1") != 0)
		return;
	char dir[] = "/tmp/emitconfXXXXXX";
	assert_non_null(mkdtemp(dir));
	char conf[64], bin[64], cmd[256];
	snprintf(conf, sizeof(conf), "%s/p.conf", dir);
	snprintf(bin, sizeof(bin), "%s/p.bin", dir);
	FILE *fp = fopen(conf, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	snprintf(cmd, sizeof(cmd), "checkpolicy -o %s %s >%s/log 2>&1", bin, conf, dir);
	int rc = system(cmd);
	if (rc != 0) {
		snprintf(cmd, sizeof(cmd), "cat %s/log", dir);
		(void)system(cmd);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)system(cmd);
	if (rc != 0)
		fail_msg("checkpolicy rejected:\n%s", text);
}

static void test_minimal_policy_gets_scaffolding(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	add_avrule(f, PL_AV_ALLOW, 0, 1, 0, 0x3, PL_UNCOND, false);
	f->p.navrules = 1;
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
	assert_contains(f->text, "class c\n");
	assert_contains(f->text, "sid kernel\n");
	assert_contains(f->text, "class c { p q r }\n");
	assert_contains(f->text, "allow t u:c { p q };\n");
	assert_contains(f->text, "user system_u roles object_r;");
	assert_contains(f->text, "sid kernel system_u:object_r:t");
	/* The scaffolding never declares object_r or a role with types. */
	assert_null(strstr(f->text, "\nrole "));
	assert_null(strstr(f->text, "module"));
	assert_checkpolicy_accepts(f->text);
}

static void test_full_policy_text(void **state)
{
	fixture *f = *state;
	build_full(f);
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
	static const char *const expected[] = {
		"common file { read write }\n",
		"class c inherits file { p q r }\n",
		"class process { transition }\n",
		"sid unused\n",
		"policycap open_perms;\n",
		"# policycap bulwark_future_cap; dropped",
		"attribute domain;\n",
		"type v alias { v_alias };\n",
		"typeattribute t domain;\n",
		"typeattribute u domain;\n",
		"bool b1 true;\n",
		"bool b2 false;\n",
		"allow domain u:c { read p };\n",
		"auditallow t u:c { p };\n",
		"dontaudit u t:c { write };\n",
		"neverallow v t:c { r };\n",
		"if (b1) {\n\tallow t t:c { q };\n\ttype_member u u:c t;\n} else {\n\tallow t t:c { r };\n}\n",
		"if (b1 && !b2) {\n} else {\n\tallow t u:process { transition };\n}\n",
		"type_transition t u:c v \"named object\";\n",
		"type_change t t:c u;\n",
		"permissive v;\n",
		"role sr;\nrole sr types { t u };\n",
		"allow sr sr;\n",
		"role_transition sr u:process sr;\n",
		"user su roles { sr };\n",
		"constrain process { transition } ((u1 == u2) or not ((t1 == { t u }) and (r1 dom r2)));\n",
		"constrain c { read } ((u1 == u2 or u1 != u2));\n",
		"sid kernel su:sr:t\n",
	};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		assert_contains(f->text, expected[i]);
	assert_null(strstr(f->text, "allow t t:c { };"));
	assert_null(strstr(f->text, "system_u"));
	assert_null(strstr(f->text, "sid unused su"));
	assert_checkpolicy_accepts(f->text);
}

/* The sections must come in checkpolicy's order. */
static void test_section_order(void **state)
{
	fixture *f = *state;
	build_full(f);
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
	static const char *const order[] = {
		"class c\n", "sid kernel\n", "common file", "class c inherits", "attribute dom",
		"type t", "bool b1", "allow domain", "if (b1)", "type_transition", "role sr;",
		"user su", "constrain", "sid kernel su:sr:t",
	};
	const char *at = f->text;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *next = strstr(at, order[i]);
		if (!next)
			fail_msg("\"%s\" missing or out of order", order[i]);
		at = next;
	}
}

static void expect_error(fixture *f, const char *fragment)
{
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), -1);
	if (!strstr(err, fragment))
		fail_msg("error \"%s\" does not mention \"%s\"", err, fragment);
}

static void test_keyword_name_is_refused(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	f->types[1].name = "low";
	expect_error(f, "'low' is a checkpolicy keyword");
	f->types[1].name = "SELF";
	expect_error(f, "keyword");
	f->types[1].name = "Low"; /* mixed case is an ordinary identifier */
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
	f->classes[0].perms[1] = "source";
	expect_error(f, "permission name 'source'");
}

static void test_unexpressible_names_are_refused(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	f->types[1].name = "a.b";
	expect_error(f, "type name 'a.b' contains '.', which checkpolicy reads as a hierarchy");
	f->types[1].name = "a$b";
	expect_error(f, "character '$'");
	f->types[1].name = "_x";
	expect_error(f, "does not start with a letter");
	f->types[1].name = "9p";
	expect_error(f, "does not start with a letter");
	f->types[1].name = "u";
	f->bools[0] = (pl_bool){.name = "a.b"}; /* dots are fine where no hierarchy applies */
	f->p.nbools = 1;
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
}

static void test_malformed_condition_is_refused(void **state)
{
	fixture *f = *state;
	build_full(f);
	f->nodes[1][3] = (pl_cond_node){.op = PL_COND_AND};
	f->conds[1].nnodes = 3; /* b1 b2 ! leaves two operands */
	expect_error(f, "conditional expression 1 is malformed");
	f->conds[1].nnodes = 4;
	f->nodes[1][0] = (pl_cond_node){.op = PL_COND_AND}; /* underflow */
	expect_error(f, "malformed");
	f->nodes[1][0] = (pl_cond_node){.op = PL_COND_BOOL, .arg = 7}; /* no such bool */
	expect_error(f, "malformed");
}

static void test_bad_indices_are_refused(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	add_avrule(f, PL_AV_ALLOW, 0, 9, 0, 1, PL_UNCOND, false);
	expect_error(f, "out of range");
	f->avrules[0].target = 1;
	f->avrules[0].perms = 0x80; /* class c has 3 permissions */
	expect_error(f, "permission bits");
	f->avrules[0].perms = 1;
	f->avrules[0].cond = 0; /* no conditions declared */
	expect_error(f, "out of range");
}

static void test_conditional_named_transition_is_refused(void **state)
{
	fixture *f = *state;
	build_full(f);
	f->terules[2].objname = "x";
	expect_error(f, "object name");
	f->terules[2].objname = NULL;
	f->terules[0].objname = "quote\"d";
	expect_error(f, "cannot quote");
}

static void test_bad_constraint_is_refused(void **state)
{
	fixture *f = *state;
	build_full(f);
	f->cexprs[0][0].op = PL_COP_DOM; /* dom only compares roles */
	expect_error(f, "malformed expression");
	f->cexprs[0][0].op = PL_COP_EQ;
	f->constraints[0].nexpr = 5; /* leaves two operands */
	expect_error(f, "malformed expression");
}

static void test_policy_without_permissions_is_refused(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	f->classes[0].nperms = 0;
	expect_error(f, "at least one class with permissions");
}

static void test_scaffold_type_when_only_attributes(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	f->types[0] = (pl_type){.name = "unlabeled_t", .is_attr = true};
	f->p.ntypes = 1;
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
	assert_contains(f->text, "type unlabeled_t1;");
	assert_contains(f->text, "sid kernel system_u:object_r:unlabeled_t1");
	assert_checkpolicy_accepts(f->text);
}

/* A declared sid without a context gets the scaffold context; a user with
 * no roles is written with object_r, which every user has anyway. */
static void test_sid_without_context_and_roleless_user(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	f->isids[0] = (pl_isid){.name = "devnull"};
	f->p.nisids = 1;
	f->users[0] = (pl_user){.name = "nobody_u"};
	f->p.nusers = 1;
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
	assert_contains(f->text, "sid devnull\n");
	assert_contains(f->text, "user nobody_u roles object_r;\n");
	assert_contains(f->text, "sid devnull nobody_u:object_r:t");
	assert_null(strstr(f->text, "system_u"));
	assert_checkpolicy_accepts(f->text);
}

/* checkpolicy fails on a line of 8192 bytes or more: long sets are wrapped. */
static void test_long_sets_are_wrapped(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	enum { NTYPES = 2000 };
	static pl_type many[NTYPES];
	static char names[NTYPES][16];
	for (uint32_t i = 0; i < NTYPES; i++) {
		snprintf(names[i], sizeof(names[i]), "type%u_t", i);
		many[i] = (pl_type){.name = names[i]};
	}
	f->p.types = many;
	f->p.ntypes = NTYPES;
	f->roles[1] = (pl_role){.name = "big_r"};
	for (uint32_t i = 0; i < NTYPES; i++)
		set_bit(&f->roles[1].types, i);
	f->p.nroles = 2;
	f->users[0] = (pl_user){.name = "u"};
	set_bit(&f->users[0].roles, 1);
	f->p.nusers = 1;
	char err[256];
	assert_int_equal(emit(&f->p, &f->text, err, sizeof(err)), 0);
	size_t longest = 0, len = 0;
	for (const char *c = f->text; *c; c++) {
		len = *c == '\n' ? 0 : len + 1;
		if (len > longest)
			longest = len;
	}
	assert_true(longest < 200);
	assert_contains(f->text, "role big_r types { type0_t type1_t");
	assert_checkpolicy_accepts(f->text);
}

static void test_overlong_name_is_refused(void **state)
{
	fixture *f = *state;
	build_minimal(f);
	static char name[3000];
	memset(name, 'a', sizeof(name) - 1);
	f->types[1].name = name;
	expect_error(f, "longer than 2000 bytes");
}

/* Indices and enum values from a buggy front end must give an error, never
 * a read out of bounds (the suite runs under ASan and UBSan). */
static uint32_t pick(uint32_t *seed)
{
	static const uint32_t values[] = {0, 1, 2, 3, 4, 5, 6, 7, 31, 32, 0x10, 0x13, 999,
					  UINT32_MAX - 1, UINT32_MAX};
	*seed = *seed * 1103515245u + 12345u;
	return values[(*seed >> 16) % (sizeof(values) / sizeof(values[0]))];
}

static uint32_t roll(uint32_t *seed, uint32_t n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

static void test_corrupt_fields_never_crash(void **state)
{
	fixture *f = *state;
	uint32_t seed = 1, refused = 0;
	for (int round = 0; round < 5000; round++) {
		build_full(f);
		for (int k = 0; k < 2; k++) {
			uint32_t v = roll(&seed, 64), which = roll(&seed, 30);
			switch (which) {
			case 0: f->avrules[v % 9].source = pick(&seed); break;
			case 1: f->avrules[v % 9].target = pick(&seed); break;
			case 2: f->avrules[v % 9].cls = pick(&seed); break;
			case 3: f->avrules[v % 9].cond = pick(&seed); break;
			case 4: f->avrules[v % 9].kind = (enum pl_av_kind)pick(&seed); break;
			case 5: f->terules[v % 3].deflt = pick(&seed); break;
			case 6: f->terules[v % 3].kind = (enum pl_te_kind)pick(&seed); break;
			case 7: f->nodes[1][v % 4].op = (enum pl_cond_op)pick(&seed); break;
			case 8: f->nodes[1][v % 4].arg = pick(&seed); break;
			case 9: f->cexprs[0][v % 6].kind = (enum pl_cexpr_kind)pick(&seed); break;
			case 10: f->cexprs[0][v % 6].attr = pick(&seed); break;
			case 11: f->cexprs[0][v % 6].op = (enum pl_cexpr_op)pick(&seed); break;
			case 12: f->role_trans[0].new_role = pick(&seed); break;
			case 13: f->isids[0].context.role = pick(&seed); break;
			case 14: f->classes[0].common = (int32_t)pick(&seed); break;
			case 15: f->aliases[0].type = pick(&seed); break;
			case 16: f->avrules[v % 9].perms = pick(&seed); break;
			case 17: f->conds[1].nnodes = pick(&seed) % 9; break;
			case 18: f->constraints[0].nexpr = pick(&seed) % 7; break;
			case 19: f->constraints[v % 2].cls = pick(&seed); break;
			case 20: f->constraints[0].perms = pick(&seed); break;
			case 21: set_bit(&f->roles[1].types, pick(&seed) % 64); break;
			case 22: set_bit(&f->users[0].roles, pick(&seed) % 64); break;
			case 23: set_bit(&f->cexprs[0][1].names, pick(&seed) % 64); break;
			case 24: f->isids[0].context.user = pick(&seed); break;
			case 25: f->role_allows[0].role = pick(&seed); break;
			case 26: f->role_trans[0].cls = pick(&seed); break;
			case 27: f->terules[v % 3].cond = pick(&seed); break;
			case 28: f->classes[1].nperms = pick(&seed) % 40; break;
			case 29: f->commons[0].nperms = pick(&seed) % 40; break;
			}
		}
		char err[256];
		int rc = emit(&f->p, &f->text, err, sizeof(err));
		assert_true(rc == 0 || (rc == -1 && err[0] != '\0'));
		refused += rc != 0;
		free_fixture(f);
	}
	/* Both outcomes occur, so the loop exercises the checks and the writer. */
	assert_true(refused > 100 && refused < 4900);
}

static void test_write_error_is_reported(void **state)
{
	fixture *f = *state;
	FILE *full = fopen("/dev/full", "w");
	if (!full)
		skip();
	build_full(f);
	char err[256];
	assert_int_equal(pl_emit_conf(&f->p, full, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "write error"));
	fclose(full);
}

static void test_null_arguments(void **state)
{
	(void)state;
	char err[64];
	assert_int_equal(pl_emit_conf(NULL, stdout, err, sizeof(err)), -1);
	assert_int_equal(pl_emit_conf(NULL, NULL, NULL, 0), -1);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	*state = f;
	return f ? 0 : -1;
}

static int teardown(void **state)
{
	fixture *f = *state;
	free_fixture(f);
	free(f->text);
	free(f);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_minimal_policy_gets_scaffolding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_policy_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_section_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyword_name_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpressible_names_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_condition_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_indices_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conditional_named_transition_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_constraint_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_without_permissions_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scaffold_type_when_only_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sid_without_context_and_roleless_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_sets_are_wrapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_name_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_fields_never_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_is_reported, setup, teardown),
		cmocka_unit_test(test_null_arguments),
	};
	return cmocka_run_group_tests_name("emit_conf", tests, NULL, NULL);
}
