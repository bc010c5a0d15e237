/* Semantics of the front end, checked on the expanded policy: type sets,
 * permissions, conditionals, constraints, RBAC, optional/require, neverallow
 * and error locations. */
#include "frontend_helpers.h"

#define TYPES "type a_t; type b_t; type c_t alias c_alias; attribute dom; attribute obj;\n" \
	      "typeattribute a_t dom; typeattribute b_t dom, obj; typeattribute c_t obj;\n"

static void test_attribute_keys_kept(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "allow dom obj:file read;\nallow a_t c_alias:file write;\n");
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "dom", "obj", "file", PL_UNCOND, 0),
			 perm_mask(&c.p, (uint32_t)pl_find_class(&c.p, "file"), "read"));
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "a_t", "c_t", "file", PL_UNCOND, 0),
			 perm_mask(&c.p, (uint32_t)pl_find_class(&c.p, "file"), "write"));
	assert_int_equal(allowed(&c.p, "a_t", "b_t", "file"), 1u); /* read is bit 0 */
	assert_int_equal(allowed(&c.p, "c_t", "b_t", "file"), 0u);
	compiled_free(&c);
}

static void test_exclusion_expands_to_types(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "allow { dom -a_t } { obj -dom }:file read;\n");
	/* dom - a_t = { b_t }; obj - dom = { c_t } */
	assert_int_equal(c.p.navrules, 1);
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "b_t", "c_t", "file", PL_UNCOND, 0), 1u);
	compiled_free(&c);
}

static void test_self_with_attribute(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "allow dom self:file read;\n");
	assert_int_equal(allowed(&c.p, "a_t", "a_t", "file"), 1u);
	assert_int_equal(allowed(&c.p, "b_t", "b_t", "file"), 1u);
	assert_int_equal(allowed(&c.p, "a_t", "b_t", "file"), 0u);
	compiled_free(&c);
}

static void test_permissions(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES
		   "allow a_t b_t:file *;\nallow a_t c_t:file ~read;\n"
		   "allow b_t c_t:{ file dir } write;\ndontaudit a_t b_t:dir { read write };\n");
	uint32_t file = (uint32_t)pl_find_class(&c.p, "file");
	/* common first: read=0 write=1, then exec=2 */
	assert_int_equal(pl_find_perm(&c.p, file, "read"), 0);
	assert_int_equal(pl_find_perm(&c.p, file, "exec"), 2);
	assert_int_equal(allowed(&c.p, "a_t", "b_t", "file"), 7u);
	assert_int_equal(allowed(&c.p, "a_t", "c_t", "file"), 6u);
	assert_int_equal(allowed(&c.p, "b_t", "c_t", "dir"), 2u);
	assert_int_equal(av_perms(&c.p, PL_AV_DONTAUDIT, "a_t", "b_t", "dir", PL_UNCOND, 0), 3u);
	compiled_free(&c);
	compile_fails_with(BASE TYPES "allow a_t b_t:{ file dir } exec;\n",
			   "t.conf:11:28: error: permission 'exec' is not defined for class 'dir'");
}

static void test_rules_merge(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "allow a_t b_t:file read;\nallow a_t b_t:file write;\n");
	assert_int_equal(c.p.navrules, 1);
	assert_int_equal(c.p.avrules[0].perms, 3u);
	assert_int_equal(c.p.avrules[0].pos.line, 11);
	compiled_free(&c);
}

static void test_conditionals(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "bool x true; bool y false;\n"
		   "if (x && y) { allow a_t b_t:file read; } else { allow a_t b_t:file write; }\n"
		   "if (x && y) { allow a_t b_t:file exec; }\n"
		   "if (!x) { allow a_t c_t:file read; } else { allow a_t c_t:file write; }\n");
	assert_int_equal(c.p.nbools, 2);
	assert_true(c.p.bools[0].value);
	/* identical expressions share one cond; a trailing NOT swaps branches */
	assert_int_equal(c.p.nconds, 2);
	assert_int_equal(c.p.conds[0].nnodes, 3);
	assert_int_equal(c.p.conds[0].nodes[2].op, PL_COND_AND);
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "a_t", "b_t", "file", 0, 1), 5u);
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "a_t", "b_t", "file", 0, 0), 2u);
	assert_int_equal(c.p.conds[1].nnodes, 1);
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "a_t", "c_t", "file", 1, 0), 1u);
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "a_t", "c_t", "file", 1, 1), 2u);
	compiled_free(&c);
	compile_fails_with(BASE TYPES "if (nosuch) { allow a_t b_t:file read; }\n",
			   "t.conf:11:5: error: unknown boolean 'nosuch'");
}

static void test_condition_precedence(void **state)
{
	(void)state;
	compiled c;
	/* ! binds looser than ==: !x == y is !(x == y) */
	compile_ok(&c, BASE TYPES "bool x true; bool y false;\nif !x == y { allow a_t b_t:file read; }\n"
		   "if x || y && x { allow a_t b_t:file write; }\n");
	const pl_cond *k = &c.p.conds[0];
	/* the trailing NOT was normalised away: x y == */
	assert_int_equal(k->nnodes, 3);
	assert_int_equal(k->nodes[2].op, PL_COND_EQ);
	assert_int_equal(av_perms(&c.p, PL_AV_ALLOW, "a_t", "b_t", "file", 0, 0), 1u);
	const pl_cond *k2 = &c.p.conds[1];
	assert_int_equal(k2->nnodes, 5);
	assert_int_equal(k2->nodes[3].op, PL_COND_AND);
	assert_int_equal(k2->nodes[4].op, PL_COND_OR);
	compiled_free(&c);
	/* On the right of ==, ! applies to its operand only: x == (!y). */
	compile_ok(&c, BASE TYPES "bool x true; bool y false;\nif x == !y { allow a_t b_t:file read; }\n");
	assert_int_equal(c.p.conds[0].nnodes, 4);
	assert_int_equal(c.p.conds[0].nodes[2].op, PL_COND_NOT);
	assert_int_equal(c.p.conds[0].nodes[3].op, PL_COND_EQ);
	compiled_free(&c);
}

static void test_constraints(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "role r_r; user u_u roles r_r;\n"
		   "constrain { file dir } read (u1 == u2 or r1 dom r2) and not t2 == { dom c_t };\n");
	assert_int_equal(c.p.nconstraints, 2);
	const pl_constraint *k = &c.p.constraints[0];
	assert_int_equal(k->nexpr, 6);
	assert_int_equal(k->expr[0].kind, PL_CEXPR_ATTR);
	assert_int_equal(k->expr[0].attr, PL_CATTR_USER);
	assert_int_equal(k->expr[1].op, PL_COP_DOM);
	assert_int_equal(k->expr[2].kind, PL_CEXPR_OR);
	assert_int_equal(k->expr[3].kind, PL_CEXPR_NAMES);
	assert_int_equal(k->expr[3].attr, PL_CATTR_TYPE | PL_CATTR_TARGET);
	assert_int_equal(pl_bitset_count(&k->expr[3].names), 3); /* a_t b_t c_t, attribute expanded */
	assert_int_equal(k->expr[4].kind, PL_CEXPR_NOT);
	assert_int_equal(k->expr[5].kind, PL_CEXPR_AND);
	compiled_free(&c);
}

static void test_rbac(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "role r_r; role r_r types dom; role r_r types c_t;\nrole q_r;\n"
		   "user u_u roles { r_r q_r };\nallow r_r q_r;\nrole_transition r_r obj q_r;\n");
	assert_string_equal(c.p.roles[PL_OBJECT_R].name, "object_r");
	int32_t r = pl_find_role(&c.p, "r_r");
	assert_int_equal(pl_bitset_count(&c.p.roles[r].types), 3);
	assert_false(pl_bitset_test(&c.p.roles[r].types, (uint32_t)pl_find_type(&c.p, "dom")));
	assert_int_equal(pl_bitset_count(&c.p.users[0].roles), 2);
	assert_int_equal(c.p.nrole_allows, 1);
	assert_int_equal(c.p.nrole_trans, 2); /* obj = { b_t c_t } */
	assert_int_equal(c.p.role_trans[0].cls, (uint32_t)pl_find_class(&c.p, "process"));
	compiled_free(&c);
	compile_fails_with(BASE TYPES "role r_r types a_t;\n", "t.conf:11:6: error: unknown role 'r_r'");
}

static void test_type_rules(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "type_transition dom obj:file c_t;\ntype_transition a_t b_t:dir c_t \"x\";\n");
	/* dom x obj = { a_t b_t } x { b_t c_t } */
	assert_int_equal(c.p.nterules, 5);
	assert_string_equal(c.p.terules[4].objname, "x");
	compiled_free(&c);
	compile_fails_with(BASE TYPES "type_transition a_t b_t:file a_t;\ntype_transition dom b_t:file c_t;\n",
			   "t.conf:12:1: error: conflicting type_transition rules for (a_t, b_t:file)");
	compile_fails_with(BASE TYPES "type_transition a_t b_t:file dom;\n",
			   "t.conf:11:30: error: the new type of a type_transition must be a type");
}

static void test_optional_blocks(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES
		   "optional { require { type zz_t; } type gone_t; allow gone_t a_t:file read; }\n"
		   "optional { require { type a_t; } type kept_t; allow kept_t a_t:file read;\n"
		   "  optional { require { type kept_t; } allow kept_t b_t:file read; } }\n"
		   "optional { require { type gone_t; } type chain_t; } else { allow a_t a_t:file exec; }\n"
		   "optional { require { type chain_t; } allow a_t a_t:file write; }\n");
	assert_int_equal(pl_find_type(&c.p, "gone_t"), -1);
	assert_int_equal(pl_find_type(&c.p, "chain_t"), -1);
	assert_true(pl_find_type(&c.p, "kept_t") >= 0);
	assert_int_equal(allowed(&c.p, "kept_t", "a_t", "file"), 1u);
	assert_int_equal(allowed(&c.p, "kept_t", "b_t", "file"), 1u);
	assert_int_equal(allowed(&c.p, "a_t", "a_t", "file"), 4u); /* the else branch only */
	compiled_free(&c);
	compile_fails_with(BASE TYPES "optional { type q_t; }\nallow q_t a_t:file read;\n",
			   "t.conf:12:7: error: type 'q_t' is not in scope here");
	compile_fails_with(BASE TYPES "require { type a_t; }\n",
			   "t.conf:11:1: error: require blocks are only allowed inside an optional block");
}

static void test_neverallow(void **state)
{
	(void)state;
	compiled c;
	compile_ok(&c, BASE TYPES "allow a_t b_t:file read;\nneverallow dom c_t:file *;\n"
		   "neverallow a_t self:file read;\n");
	compiled_free(&c);
	compile_fails_with(BASE TYPES "allow dom obj:file { read write };\nneverallow a_t b_t:file write;\n",
			   "t.conf:11:1: error: allow rule violates the neverallow at t.conf:12:1: it allows a_t b_t:file { write }");
	compile_fails_with(BASE TYPES "bool x false;\nif (x) { } else { allow dom self:file exec; }\n"
			   "neverallow b_t obj:file exec;\n",
			   "t.conf:12:19: error: allow rule violates the neverallow at t.conf:13:1");
	compile_fails_with(BASE TYPES "allow a_t { a_t b_t }:file read;\nneverallow dom self:file read;\n",
			   "it allows a_t a_t:file { read }");
}

static void test_declarations(void **state)
{
	(void)state;
	compile_fails_with(BASE TYPES "type a_t;\n", "t.conf:11:6: error: duplicate declaration of 'a_t'");
	compile_fails_with(BASE TYPES "attribute x; typeattribute dom x;\n",
			   "'dom' is an attribute; typeattribute needs a type");
	compile_fails_with(BASE "class big\nclass big { p0 p1 p2 p3 p4 p5 p6 p7 p8 p9 p10 p11 p12 p13 p14 p15 p16"
			   " p17 p18 p19 p20 p21 p22 p23 p24 p25 p26 p27 p28 p29 p30 p31 p32 }\n",
			   "t.conf:10:131: error: class 'big' has more than 32 permissions");
	compiled c;
	compile_ok(&c, BASE TYPES "role r_r; role r_r; typeattribute a_t dom;\npermissive a_t;\npolicycap open_perms;\n"
		   "role r_r types a_t; user u_u roles r_r;\nsid kernel u_u:r_r:a_t\n");
	assert_true(c.p.types[pl_find_type(&c.p, "a_t")].permissive);
	assert_int_equal(c.p.npolicycaps, 1);
	assert_int_equal(c.p.nisids, 1);
	assert_true(c.p.isids[0].has_context);
	assert_int_equal(c.p.isids[0].context.type, (uint32_t)pl_find_type(&c.p, "a_t"));
	compiled_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attribute_keys_kept),
		cmocka_unit_test(test_exclusion_expands_to_types),
		cmocka_unit_test(test_self_with_attribute),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_rules_merge),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_condition_precedence),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_rbac),
		cmocka_unit_test(test_type_rules),
		cmocka_unit_test(test_optional_blocks),
		cmocka_unit_test(test_neverallow),
		cmocka_unit_test(test_declarations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
