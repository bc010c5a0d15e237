/* Decision engine semantics on hand-built policies: each case is a rule of
 * libsepol 3.4's services.c that polq must reproduce.  Every test runs twice:
 * once with attributes expanded in the AV table, once with the attribute-key
 * fallback, which must answer identically. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "policy/binary_tuning.h"
#include "test_engine_fixture.h"

static void base_policy(pl_policy *p)
{
	fx_init(p);
	int32_t fc = (int32_t)fx_common(p, "file_common", "read write getattr");
	fx_class(p, "file", fc, "execute entrypoint");
	fx_class(p, "process", -1, "fork transition signal dyntransition");
	fx_class(p, "dir", fc, "search");
	fx_type(p, "a_t");
	fx_type(p, "b_t");
	fx_type(p, "c_t");
	fx_type(p, "exec_t");
	fx_type(p, "d_t");
	fx_attr(p, "domain");
	fx_attr(p, "files");
	fx_attr(p, "empty_attr");
	fx_typeattr(p, "a_t", "domain");
	fx_typeattr(p, "b_t", "domain");
	fx_typeattr(p, "c_t", "files");
	fx_typeattr(p, "exec_t", "files");
	fx_alias(p, "a_alias_t", "a_t");
	fx_role(p, "r1", "domain c_t");
	fx_role(p, "r2", "b_t d_t");
	fx_role(p, "r3", "exec_t d_t");
	fx_user(p, "u1", "r1 r2 r3");
	fx_user(p, "u2", "r2");
	fx_bool(p, "b1", false);
	fx_bool(p, "b2", true);
}

static bool expand_mode = true;

static void load(pl_policy *p, fx_loaded *l)
{
	pl_binary_expand_limit = expand_mode ? PL_BINARY_EXPAND_LIMIT : 0;
	assert_int_equal(fx_load(p, l), 0);
	if (p->navrules)
		assert_int_equal((l->v.flags & PL_BIN_F_EXPANDED) != 0, expand_mode);
}

#define Q(l, s, t, c) fx_query((l), (s), (t), (c))

static void test_plain_and_attribute_rules(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	fx_av(&p, PL_AV_ALLOW, "a_t", "c_t", "file", "read", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "domain", "files", "file", "getattr", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "domain", "c_t", "file", "execute", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "empty_attr", "c_t", "file", "write", PL_UNCOND, true);
	load(&p, &l);
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { read getattr execute } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	assert_string_equal(Q(&l, "u1:r1:b_t", "u1:object_r:exec_t", "file"),
			    "allowed= { getattr } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	/* An alias is its primary type. */
	assert_string_equal(Q(&l, "u1:r1:a_alias_t", "u1:object_r:c_t", "file"),
			    Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"));
	/* No rule: nothing allowed, everything audited. */
	assert_string_equal(Q(&l, "u1:r1:c_t", "u1:r1:a_t", "process"),
			    "allowed= { } auditallow= { } auditdeny= { fork transition signal dyntransition }");
	fx_unload(&l);
	fx_free(&p);
}

static void test_dontaudit_auditallow(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	fx_av(&p, PL_AV_ALLOW, "a_t", "c_t", "file", "read write", PL_UNCOND, true);
	fx_av(&p, PL_AV_AUDITALLOW, "domain", "c_t", "file", "write", PL_UNCOND, true);
	fx_av(&p, PL_AV_DONTAUDIT, "a_t", "files", "file", "read execute", PL_UNCOND, true);
	fx_av(&p, PL_AV_DONTAUDIT, "domain", "c_t", "file", "getattr", PL_UNCOND, true);
	load(&p, &l);
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { read write } auditallow= { write } auditdeny= { write entrypoint }");
	assert_string_equal(Q(&l, "u1:r1:b_t", "u1:object_r:c_t", "file"),
			    "allowed= { } auditallow= { write } auditdeny= { read write execute entrypoint }");
	fx_unload(&l);
	fx_free(&p);
}

static void test_conditionals(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	uint32_t c1 = fx_cond(&p, "b1");
	uint32_t c2 = fx_cond(&p, "b1 b2 && !");
	fx_av(&p, PL_AV_ALLOW, "a_t", "c_t", "file", "read", c1, true);
	fx_av(&p, PL_AV_ALLOW, "a_t", "c_t", "file", "write", c1, false);
	fx_av(&p, PL_AV_ALLOW, "domain", "files", "file", "execute", c2, true);
	fx_av(&p, PL_AV_DONTAUDIT, "a_t", "c_t", "file", "entrypoint", c2, false);
	fx_av(&p, PL_AV_AUDITALLOW, "a_t", "c_t", "file", "write", c1, false);
	load(&p, &l);
	/* b1=false b2=true: c1 false (else branch), c2 = !(false) = true. */
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { write execute } auditallow= { write } "
			    "auditdeny= { read write getattr execute entrypoint }");
	assert_int_equal(pl_state_set_bool(&l.st, fx_b(&p, "b1"), true), PL_OK);
	/* b1=true: c1 true, c2 = !(true && true) = false. */
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { read } auditallow= { } auditdeny= { read write getattr execute }");
	assert_int_equal(pl_state_set_bool(&l.st, 99, true), PL_E_NO_BOOL);

	/* View and state are plain values: a copy keeps working after the
	 * originals are gone (policyd publishes a new policy this way). */
	fx_loaded copy = l;
	memset(&l.v, 0xa5, sizeof l.v);
	memset(&l.st, 0xa5, sizeof l.st);
	assert_int_equal(pl_state_set_bool(&copy.st, fx_b(&p, "b1"), false), PL_OK);
	assert_string_equal(Q(&copy, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { write execute } auditallow= { write } "
			    "auditdeny= { read write getattr execute entrypoint }");
	l = copy;
	fx_unload(&l);
	fx_free(&p);
}

static void test_deep_conditional_is_undefined(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	/* Eleven operands on the stack: libsepol's evaluator (10 deep) gives
	 * "undefined" and turns both branches off. */
	uint32_t c = fx_cond(&p, "b2 b2 b2 b2 b2 b2 b2 b2 b2 b2 b2 && && && && && && && && && &&");
	fx_av(&p, PL_AV_ALLOW, "a_t", "c_t", "file", "read", c, true);
	fx_av(&p, PL_AV_ALLOW, "a_t", "c_t", "file", "write", c, false);
	uint32_t ok = fx_cond(&p, "b2 b2 b2 b2 b2 b2 b2 b2 b2 b2 && && && && && && && && &&");
	fx_av(&p, PL_AV_ALLOW, "a_t", "c_t", "file", "getattr", ok, true);
	load(&p, &l);
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { getattr } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	fx_unload(&l);
	fx_free(&p);
}

static void test_constraints(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	fx_av(&p, PL_AV_ALLOW, "domain", "domain", "file", "read write getattr", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "domain", "c_t", "file", "read write getattr", PL_UNCOND, true);
	/* write only within one user, or from a_t */
	fx_constraint(&p, "file", "write", "u1==u2 t1=a_t or");
	/* read only when roles are the same (dom on roles is equality) */
	fx_constraint(&p, "file", "read", "r1dom r2=r1 or");
	/* getattr never towards object_r targets */
	fx_constraint(&p, "file", "getattr", "r2!object_r");
	load(&p, &l);
	assert_string_equal(Q(&l, "u1:r2:b_t", "u2:r2:b_t", "file"),
			    "allowed= { read getattr } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	assert_string_equal(Q(&l, "u1:r1:a_t", "u2:r2:b_t", "file"),
			    "allowed= { write getattr } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	assert_string_equal(Q(&l, "u1:r1:b_t", "u2:r2:b_t", "file"),
			    "allowed= { getattr } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	assert_string_equal(Q(&l, "u1:r2:b_t", "u1:r1:b_t", "file"),
			    "allowed= { read write getattr } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { write } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	fx_unload(&l);
	fx_free(&p);
}

static void test_constraint_ops(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	fx_av(&p, PL_AV_ALLOW, "domain", "domain", "dir", "read write getattr search", PL_UNCOND, true);
	fx_constraint(&p, "dir", "read", "r1domby");
	fx_constraint(&p, "dir", "write", "r1incomp");
	fx_constraint(&p, "dir", "getattr", "t1==t2 not");
	/* Six operands: deeper than libsepol's 5-deep stack, so the
	 * constraint fails and removes search even though it is a tautology. */
	fx_constraint(&p, "dir", "search", "u1==u2 u1==u2 u1==u2 u1==u2 u1==u2 u1!=u2 or or or or or");
	load(&p, &l);
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:r1:b_t", "dir"),
			    "allowed= { read getattr } auditallow= { } auditdeny= { read write getattr search }");
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:r1:a_t", "dir"),
			    "allowed= { read } auditallow= { } auditdeny= { read write getattr search }");
	assert_string_equal(Q(&l, "u1:r1:b_t", "u1:r2:b_t", "dir"),
			    "allowed= { write } auditallow= { } auditdeny= { read write getattr search }");
	fx_unload(&l);
	fx_free(&p);
}

static void test_object_r_dominates_nothing(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	fx_av(&p, PL_AV_ALLOW, "files", "files", "dir", "read write getattr search", PL_UNCOND, true);
	fx_constraint(&p, "dir", "read", "r1dom");
	fx_constraint(&p, "dir", "write", "r1domby");
	fx_constraint(&p, "dir", "getattr", "r1incomp");
	fx_constraint(&p, "dir", "search", "r1==r2");
	load(&p, &l);
	/* checkpolicy never makes object_r dominate itself. */
	assert_string_equal(Q(&l, "u1:object_r:c_t", "u2:object_r:exec_t", "dir"),
			    "allowed= { getattr search } auditallow= { } auditdeny= { read write getattr search }");
	fx_unload(&l);
	fx_free(&p);
}

/* More attributes than the engine's stack bitmap holds: the merge path. */
static void test_many_attributes(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	char name[32];
	for (int i = 0; i < 4200; i++) {
		snprintf(name, sizeof name, "many%d", i);
		fx_attr(&p, name);
	}
	fx_typeattr(&p, "a_t", "many7");
	fx_typeattr(&p, "a_t", "many4100");
	fx_typeattr(&p, "c_t", "many9");
	fx_typeattr(&p, "c_t", "many4199");
	fx_typeattr(&p, "c_t", "many3000");
	fx_av(&p, PL_AV_ALLOW, "many7", "many4199", "file", "read", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "many4100", "many9", "file", "write", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "many4100", "c_t", "file", "getattr", PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "many4100", "many8", "file", "execute", PL_UNCOND, true);
	fx_av(&p, PL_AV_DONTAUDIT, "a_t", "many3000", "file", "entrypoint", PL_UNCOND, true);
	load(&p, &l);
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:object_r:c_t", "file"),
			    "allowed= { read write getattr } auditallow= { } "
			    "auditdeny= { read write getattr execute }");
	fx_unload(&l);
	fx_free(&p);
}

static void test_process_role_change(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	fx_av(&p, PL_AV_ALLOW, "domain", "domain", "process", "fork transition signal dyntransition",
	      PL_UNCOND, true);
	fx_av(&p, PL_AV_ALLOW, "domain", "domain", "file", "read", PL_UNCOND, true);
	fx_role_allow(&p, "r1", "r2");
	load(&p, &l);
	/* Same role: no role check. */
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:r1:b_t", "process"),
			    "allowed= { fork transition signal dyntransition } auditallow= { } "
			    "auditdeny= { fork transition signal dyntransition }");
	/* r1 -> r2 allowed. */
	assert_string_equal(Q(&l, "u1:r1:a_t", "u1:r2:b_t", "process"),
			    "allowed= { fork transition signal dyntransition } auditallow= { } "
			    "auditdeny= { fork transition signal dyntransition }");
	/* r2 -> r1 not: transition and dyntransition removed. */
	assert_string_equal(Q(&l, "u1:r2:b_t", "u1:r1:a_t", "process"),
			    "allowed= { fork signal } auditallow= { } "
			    "auditdeny= { fork transition signal dyntransition }");
	/* Only the class named process is special. */
	assert_string_equal(Q(&l, "u1:r2:b_t", "u1:r1:a_t", "file"),
			    "allowed= { read } auditallow= { } "
			    "auditdeny= { read write getattr execute entrypoint }");
	fx_unload(&l);
	fx_free(&p);
}

static void test_contexts(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	load(&p, &l);
	pl_ctx c;
	assert_int_equal(pl_context_parse(&l.v, "u1:r1:a_t", &c), PL_OK);
	assert_int_equal(pl_context_parse(&l.v, "u1:r1:a_alias_t", &c), PL_OK);
	assert_int_equal(c.type, fx_t(&p, "a_t"));
	/* object_r is exempt from the role and user checks. */
	assert_int_equal(pl_context_parse(&l.v, "u2:object_r:c_t", &c), PL_OK);
	assert_int_equal(pl_context_parse(&l.v, "u2:r1:a_t", &c), PL_E_INVALID_CONTEXT);
	assert_int_equal(pl_context_parse(&l.v, "u1:r2:a_t", &c), PL_E_INVALID_CONTEXT);
	assert_int_equal(pl_context_parse(&l.v, "u1:object_r:domain", &c), PL_E_NO_TYPE);
	assert_int_equal(pl_context_parse(&l.v, "u1:r1:nosuch_t", &c), PL_E_NO_TYPE);
	assert_int_equal(pl_context_parse(&l.v, "nobody:r1:a_t", &c), PL_E_NO_USER);
	assert_int_equal(pl_context_parse(&l.v, "u1:rx:a_t", &c), PL_E_NO_ROLE);
	assert_int_equal(pl_context_parse(&l.v, "u1:r1", &c), PL_E_CONTEXT_SYNTAX);
	assert_int_equal(pl_context_parse(&l.v, "u1:r1:a_t:s0", &c), PL_E_CONTEXT_SYNTAX);
	assert_int_equal(pl_context_parse(&l.v, "u1::a_t", &c), PL_E_CONTEXT_SYNTAX);
	assert_int_equal(pl_context_parse(&l.v, ":r1:a_t", &c), PL_E_CONTEXT_SYNTAX);
	assert_int_equal(pl_context_parse(&l.v, "u1:r1:", &c), PL_E_CONTEXT_SYNTAX);
	assert_int_equal(pl_context_parse(&l.v, "", &c), PL_E_CONTEXT_SYNTAX);
	assert_int_equal(pl_find_class_n(&l.v, "dir", 3), (int32_t)fx_c(&p, "dir"));
	assert_int_equal(pl_find_class_n(&l.v, "di", 2), -1);
	assert_int_equal(pl_find_class_n(&l.v, "dirx", 4), -1);
	assert_int_equal(pl_find_perm_n(&l.v, fx_c(&p, "dir"), "search", 6), 3);
	assert_int_equal(pl_find_bool_n(&l.v, "b2", 2), 1);
	fx_unload(&l);
	fx_free(&p);
}

static void test_compute_create(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	base_policy(&p);
	uint32_t c1 = fx_cond(&p, "b1");
	fx_te(&p, PL_TE_TRANSITION, "a_t", "c_t", "file", "exec_t", PL_UNCOND, true);
	fx_te(&p, PL_TE_TRANSITION, "a_t", "exec_t", "process", "b_t", PL_UNCOND, true);
	fx_te(&p, PL_TE_TRANSITION, "a_t", "d_t", "process", "d_t", PL_UNCOND, true);
	fx_te(&p, PL_TE_MEMBER, "a_t", "c_t", "dir", "d_t", PL_UNCOND, true);
	fx_te(&p, PL_TE_CHANGE, "b_t", "c_t", "file", "exec_t", PL_UNCOND, true);
	fx_te(&p, PL_TE_TRANSITION, "b_t", "c_t", "file", "c_t", c1, true);
	fx_te(&p, PL_TE_TRANSITION, "b_t", "c_t", "file", "exec_t", c1, false);
	fx_role_trans(&p, "r1", "d_t", "process", "r2");
	fx_role_trans(&p, "r1", "exec_t", "file", "r3");
	load(&p, &l);
	/* Objects: object_r and the rule's type, the source's user. */
	assert_string_equal(fx_create(&l, "u1:r1:a_t", "u2:object_r:c_t", "file", PL_BIN_TE_TRANSITION),
			    "u1:object_r:exec_t");
	/* No rule: the target's type. */
	assert_string_equal(fx_create(&l, "u1:r1:b_t", "u2:object_r:exec_t", "dir", PL_BIN_TE_TRANSITION),
			    "u1:object_r:exec_t");
	/* Process: the source's role, the rule's type; invalid when r1 may not have it. */
	assert_string_equal(fx_create(&l, "u1:r1:a_t", "u1:object_r:exec_t", "process", PL_BIN_TE_TRANSITION),
			    "u1:r1:b_t");
	/* Process without a rule: the source's role and type. */
	assert_string_equal(fx_create(&l, "u1:r1:b_t", "u1:object_r:exec_t", "process", PL_BIN_TE_TRANSITION),
			    "u1:r1:b_t");
	/* role_transition overrides the role; d_t is authorised for r2. */
	assert_string_equal(fx_create(&l, "u1:r1:a_t", "u2:r2:d_t", "process", PL_BIN_TE_TRANSITION),
			    "u1:r2:d_t");
	/* ... for its class only, and for non-process classes too. */
	assert_string_equal(fx_create(&l, "u1:r1:a_t", "u2:object_r:exec_t", "file", PL_BIN_TE_TRANSITION),
			    "u1:r3:exec_t");
	/* Member: the target's user; role_transition does not apply. */
	assert_string_equal(fx_create(&l, "u1:r1:a_t", "u2:object_r:c_t", "dir", PL_BIN_TE_MEMBER),
			    "u2:object_r:d_t");
	assert_string_equal(fx_create(&l, "u1:r1:b_t", "u2:object_r:c_t", "file", PL_BIN_TE_CHANGE),
			    "u1:object_r:exec_t");
	/* Conditional type rules: the enabled branch (b1 false: else). */
	assert_string_equal(fx_create(&l, "u1:r1:b_t", "u2:object_r:c_t", "file", PL_BIN_TE_TRANSITION),
			    "u1:object_r:exec_t");
	pl_state_set_bool(&l.st, fx_b(&p, "b1"), true);
	assert_string_equal(fx_create(&l, "u1:r1:b_t", "u2:object_r:c_t", "file", PL_BIN_TE_TRANSITION),
			    "u1:object_r:c_t");
	assert_string_equal(fx_create(&l, "u2:r2:b_t", "u1:r1:a_t", "process", PL_BIN_TE_TRANSITION),
			    "u2:r2:b_t");
	fx_unload(&l);
	fx_free(&p);

	base_policy(&p);
	fx_te(&p, PL_TE_TRANSITION, "b_t", "exec_t", "process", "a_t", PL_UNCOND, true);
	load(&p, &l);
	/* r2 is not authorised for a_t: libsepol refuses. */
	assert_string_equal(fx_create(&l, "u2:r2:b_t", "u1:object_r:exec_t", "process", PL_BIN_TE_TRANSITION),
			    "error: invalid context");
	fx_unload(&l);
	fx_free(&p);
}

static void test_empty_policy(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	fx_init(&p);
	load(&p, &l);
	pl_ctx c;
	assert_int_equal(pl_context_parse(&l.v, "u:object_r:t", &c), PL_E_NO_USER);
	assert_int_equal(pl_find_class_n(&l.v, "file", 4), -1);
	assert_int_equal(l.v.process_class, PL_BIN_NONE);
	fx_unload(&l);
	fx_free(&p);
}

/* No attributes at all: zero-width bitmaps in the attribute-keyed layout. */
static void test_no_attributes(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	fx_init(&p);
	fx_class(&p, "file", -1, "read write");
	fx_type(&p, "a_t");
	fx_type(&p, "b_t");
	fx_role(&p, "r", "a_t b_t");
	fx_user(&p, "u", "r");
	fx_av(&p, PL_AV_ALLOW, "a_t", "b_t", "file", "read", PL_UNCOND, true);
	fx_av(&p, PL_AV_DONTAUDIT, "b_t", "b_t", "file", "write", PL_UNCOND, true);
	load(&p, &l);
	assert_string_equal(Q(&l, "u:r:a_t", "u:r:b_t", "file"),
			    "allowed= { read } auditallow= { } auditdeny= { read write }");
	assert_string_equal(Q(&l, "u:r:b_t", "u:r:b_t", "file"),
			    "allowed= { } auditallow= { } auditdeny= { read }");
	assert_string_equal(Q(&l, "u:r:b_t", "u:r:a_t", "file"),
			    "allowed= { } auditallow= { } auditdeny= { read write }");
	fx_unload(&l);
	fx_free(&p);
}

static int run(const char *name)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_attribute_rules),
		cmocka_unit_test(test_dontaudit_auditallow),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_deep_conditional_is_undefined),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_constraint_ops),
		cmocka_unit_test(test_process_role_change),
		cmocka_unit_test(test_object_r_dominates_nothing),
		cmocka_unit_test(test_many_attributes),
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_compute_create),
		cmocka_unit_test(test_empty_policy),
		cmocka_unit_test(test_no_attributes),
	};
	return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof *tests, NULL, NULL);
}

int main(void)
{
	expand_mode = true;
	int failed = run("engine (expanded AV table)");
	expand_mode = false;
	failed += run("engine (attribute-key AV table)");
	return failed ? 1 : 0;
}
