/* The denial explainer: each kind of explanation on a small policy built
 * for it (compiled in memory with the policy compiler), and what it prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain.h"
#include "policy/binary.h"
#include "policy/compiler.h"
#include "tally.h"

static const char policy_text[] =
	"class process\n"
	"class ipc\n"
	"class shm\n"
	"sid kernel\n"
	"common kobject { create destroy }\n"
	"class process inherits kobject { transition dyntransition create_thread }\n"
	"class ipc { send receive }\n"
	"class shm inherits kobject { map_read map_write }\n"
	"attribute chan_peer;\n"
	"type a_t;\n"
	"type b_t, chan_peer;\n"
	"type c_t;\n"
	"type obj_t;\n"
	"type lax_t;\n"
	"permissive lax_t;\n"
	"bool chan_on false;\n"
	"bool pair_x false;\n"
	"bool pair_y false;\n"
	"allow a_t b_t:ipc receive;\n"
	"if (chan_on) { allow a_t chan_peer:ipc send; }\n"
	"if (pair_x && pair_y) { allow a_t c_t:ipc send; }\n"
	"allow a_t obj_t:shm { map_read map_write };\n"
	"allow a_t self:process { transition create_thread };\n"
	"role r1;\n"
	"role r2;\n"
	"role r1 types { a_t b_t c_t lax_t };\n"
	"role r2 types { a_t };\n"
	"user u1 roles { r1 r2 };\n"
	"user u2 roles { r1 };\n"
	"constrain shm { map_write } (u1 == u2);\n"
	"sid kernel u1:r1:a_t\n";

typedef struct fixture {
	uint8_t *bin;
	pl_view v;
	uint8_t mem[64];
	pl_state st;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	pl_diag d;
	pl_diag_init(&d, stderr);
	pl_policy p;
	assert_int_equal(pl_compile_string("t.conf", policy_text, strlen(policy_text), &d, &p), PL_COMPILE_OK);
	size_t len;
	char err[256];
	assert_int_equal(pl_binary_write(&p, &f->bin, &len, err, sizeof err), 0);
	pl_policy_free(&p);
	pl_load_error le;
	assert_int_equal(pl_view_load(&f->v, f->bin, len, 0, &le), PL_OK);
	assert_true(pl_state_size(&f->v) <= sizeof f->mem);
	assert_int_equal(pl_state_init(&f->st, &f->v, f->mem, sizeof f->mem), PL_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	free(f->bin);
	free(f);
	return 0;
}

static explanation explain(fixture *f, const char *s, const char *t, const char *cls, const char *perm)
{
	explanation e;
	assert_int_equal(explain_denial(&f->v, &f->st, s, t, cls, perm, &e), 0);
	return e;
}

/* What explain_print writes, NUL-terminated (free it). */
static char *printed(fixture *f, const explanation *e, const char *s, const char *t, const char *cls,
		     const char *perm)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	assert_non_null(out);
	explain_print(out, &f->v, e, s, t, cls, perm);
	fclose(out);
	return buf;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("output lacks '%s':\n%s", part, text);
}

static void missing_rule_prints_the_allow_rule(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u1:r1:b_t", "u1:object_r:obj_t", "shm", "map_read");
	assert_int_equal(e.kind, EXPLAIN_MISSING_RULE);
	char *out = printed(f, &e, "u1:r1:b_t", "u1:object_r:obj_t", "shm", "map_read");
	assert_contains(out, "[missing-rule]");
	assert_contains(out, "allow b_t obj_t:shm map_read;");
	free(out);
	/* Same source and target type: audit2allow's `self`. */
	e = explain(f, "u1:r1:b_t", "u1:r1:b_t", "process", "create_thread");
	assert_int_equal(e.kind, EXPLAIN_MISSING_RULE);
	out = printed(f, &e, "u1:r1:b_t", "u1:r1:b_t", "process", "create_thread");
	assert_contains(out, "allow b_t self:process create_thread;");
	free(out);
}

static void one_boolean_would_allow_it(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u1:r1:a_t", "u1:r1:b_t", "ipc", "send");
	assert_int_equal(e.kind, EXPLAIN_BOOLEAN);
	assert_int_equal(e.nalts, 1);
	assert_int_equal(e.alts[0].n, 1);
	assert_string_equal(pl_bool_name(&f->v, e.alts[0].b[0]), "chan_on");
	assert_int_equal(e.alts[0].value[0], 1);
	assert_int_equal(e.alts[0].constrained, 0);
	char *out = printed(f, &e, "u1:r1:a_t", "u1:r1:b_t", "ipc", "send");
	assert_contains(out, "[boolean]");
	assert_contains(out, "setbool chan_on true");
	/* The rule as written: on the attribute, under its condition. */
	assert_contains(out, "if (chan_on) { allow a_t chan_peer:ipc send; }");
	free(out);
}

static void two_booleans_together(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u1:r1:a_t", "u1:r1:c_t", "ipc", "send");
	assert_int_equal(e.kind, EXPLAIN_BOOLEAN);
	assert_int_equal(e.nalts, 1);
	assert_int_equal(e.alts[0].n, 2);
	char *out = printed(f, &e, "u1:r1:a_t", "u1:r1:c_t", "ipc", "send");
	assert_contains(out, "setbool pair_x true pair_y true");
	assert_contains(out, "if (pair_x && pair_y) { allow a_t c_t:ipc send; }");
	free(out);
}

static void the_booleans_in_force_are_the_callers(void **state)
{
	fixture *f = *state;
	int32_t b = pl_find_bool_n(&f->v, "chan_on", 7);
	assert_true(b >= 0);
	pl_state_set_bool(&f->st, (uint32_t)b, true);
	explanation e = explain(f, "u1:r1:a_t", "u1:r1:b_t", "ipc", "send");
	pl_state_set_bool(&f->st, (uint32_t)b, false);
	assert_int_equal(e.kind, EXPLAIN_ALLOWED_NOW);
}

static void constraint_names_its_expression(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u2:r1:a_t", "u1:object_r:obj_t", "shm", "map_write");
	assert_int_equal(e.kind, EXPLAIN_CONSTRAINT);
	assert_int_equal(e.constraints, 1);
	char *out = printed(f, &e, "u2:r1:a_t", "u1:object_r:obj_t", "shm", "map_write");
	assert_contains(out, "[constraint]");
	assert_contains(out, "constrain shm { map_write } (u1 == u2);");
	free(out);
	/* The same user: no constraint refuses it. */
	e = explain(f, "u1:r1:a_t", "u1:object_r:obj_t", "shm", "map_write");
	assert_int_equal(e.kind, EXPLAIN_ALLOWED_NOW);
	/* map_read is not constrained. */
	e = explain(f, "u2:r1:a_t", "u1:object_r:obj_t", "shm", "map_read");
	assert_int_equal(e.kind, EXPLAIN_ALLOWED_NOW);
}

static void role_change_without_role_allow(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u1:r1:a_t", "u1:r2:a_t", "process", "transition");
	assert_int_equal(e.kind, EXPLAIN_ROLE);
	char *out = printed(f, &e, "u1:r1:a_t", "u1:r2:a_t", "process", "transition");
	assert_contains(out, "allow r1 r2;");
	free(out);
}

static void allowed_now_means_the_policy_changed_since(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u1:r1:a_t", "u1:r1:b_t", "ipc", "receive");
	assert_int_equal(e.kind, EXPLAIN_ALLOWED_NOW);
	char *out = printed(f, &e, "u1:r1:a_t", "u1:r1:b_t", "ipc", "receive");
	assert_contains(out, "[allowed-now]");
	assert_contains(out, "predates a policy load");
	free(out);
}

static void unknown_names_mean_another_policy(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u1:r1:a_t", "u1:r1:b_t", "vm", "run");
	assert_int_equal(e.kind, EXPLAIN_UNKNOWN);
	assert_int_equal(e.unknown, UNKNOWN_CLASS);
	e = explain(f, "u1:r1:a_t", "u1:r1:b_t", "ipc", "grant");
	assert_int_equal(e.unknown, UNKNOWN_PERM);
	e = explain(f, "u1:r1:a_t", "u1:r1:b_t", "ipc", "0x400");
	assert_int_equal(e.unknown, UNKNOWN_PERM);
	e = explain(f, "u1:r1:gone_t", "u1:r1:b_t", "ipc", "send");
	assert_int_equal(e.kind, EXPLAIN_UNKNOWN);
	assert_int_equal(e.unknown, UNKNOWN_SCONTEXT);
	assert_int_equal(e.status, PL_E_NO_TYPE);
	char *out = printed(f, &e, "u1:r1:gone_t", "u1:r1:b_t", "ipc", "send");
	assert_contains(out, "[policy-changed]");
	assert_contains(out, "names a type this policy does not define");
	free(out);
	/* u2 may not take role r2: the context is not valid here. */
	e = explain(f, "u1:r1:a_t", "u2:r2:a_t", "ipc", "send");
	assert_int_equal(e.unknown, UNKNOWN_TCONTEXT);
	assert_int_equal(e.status, PL_E_INVALID_CONTEXT);
	e = explain(f, "u1:r1:a_t", "u1:r1:chan_peer", "ipc", "send");
	assert_int_equal(e.unknown, UNKNOWN_TCONTEXT);
	e = explain(f, "nobody:r1:a_t", "u1:r1:b_t", "ipc", "send");
	assert_int_equal(e.status, PL_E_NO_USER);
}

static void permissive_types_are_noted(void **state)
{
	fixture *f = *state;
	explanation e = explain(f, "u1:r1:lax_t", "u1:r1:b_t", "ipc", "send");
	assert_int_equal(e.kind, EXPLAIN_MISSING_RULE);
	assert_true(e.permissive_type);
	char *out = printed(f, &e, "u1:r1:lax_t", "u1:r1:b_t", "ipc", "send");
	assert_contains(out, "lax_t is a permissive type");
	free(out);
}

static void allow_rules_in_audit2allow_form(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	const char *perms[] = {"bind_irq", "map_mmio"};
	explain_print_allow(out, "x_t", "dev_t", "device", perms, 2);
	explain_print_allow(out, "x_t", "x_t", "process", perms, 1);
	fclose(out);
	assert_string_equal(buf, "allow x_t dev_t:device { bind_irq map_mmio };\nallow x_t self:process bind_irq;\n");
	free(buf);
}

static void tally_counts_first_and_last_by_time(void **state)
{
	(void)state;
	tally t;
	tally_init(&t);
	avc_record r = {0};
	r.kind = AVC_DENIED;
	r.has_stamp = true;
	avc_str f[TALLY_FIELDS] = {{"a", 1}, {"b", 1}, {"c", 1}, {"p", 1}};
	static const struct {
		uint64_t sec;
		uint32_t nsec;
		const char *text;
		int permissive;
	} recs[] = {{2, 5, "2.5", 0}, {0, 0, "0.000", 1}, {9, 1, "9.1", 0}, {3, 0, "3.0", -1}};
	for (int i = 0; i < 4; i++) {
		r.sec = recs[i].sec;
		r.nsec = recs[i].nsec;
		r.stamp = (avc_str){recs[i].text, strlen(recs[i].text)};
		r.permissive = recs[i].permissive;
		assert_non_null(tally_add(&t, AVC_DENIED, f, &r, (uint64_t)i + 10));
	}
	f[3] = (avc_str){"q", 1};
	for (int i = 0; i < 200; i++) /* forces growth */
		assert_non_null(tally_add(&t, i % 3, f, &r, 99));
	tally_group **g = tally_sorted(&t);
	assert_non_null(g);
	assert_int_equal(t.ngroups, 4);
	const tally_group *x = NULL;
	for (size_t i = 0; i < t.ngroups; i++)
		if (!strcmp(g[i]->field[3], "p"))
			x = g[i];
	assert_non_null(x);
	assert_int_equal(x->count, 4);
	assert_int_equal(x->enforcing, 2);
	assert_int_equal(x->permissive, 1);
	assert_string_equal(x->first.text, "0.000");
	assert_string_equal(x->last.text, "9.1");
	assert_int_equal(x->first_line, 10);
	assert_int_equal(x->last_line, 13);
	free(g);
	tally_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_rule_prints_the_allow_rule),
		cmocka_unit_test(one_boolean_would_allow_it),
		cmocka_unit_test(two_booleans_together),
		cmocka_unit_test(the_booleans_in_force_are_the_callers),
		cmocka_unit_test(constraint_names_its_expression),
		cmocka_unit_test(role_change_without_role_allow),
		cmocka_unit_test(allowed_now_means_the_policy_changed_since),
		cmocka_unit_test(unknown_names_mean_another_policy),
		cmocka_unit_test(permissive_types_are_noted),
		cmocka_unit_test(allow_rules_in_audit2allow_form),
		cmocka_unit_test(tally_counts_first_and_last_by_time),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
