/* Binary policy writer and reader: round trip, and rejection of damaged or
 * inconsistent input (the thorough corruption sweep is tests/policy/badbin). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_engine_fixture.h"

static void sample(pl_policy *p)
{
	fx_init(p);
	int32_t fc = (int32_t)fx_common(p, "file_common", "read write");
	fx_class(p, "file", fc, "execute");
	fx_class(p, "process", -1, "transition dyntransition");
	fx_type(p, "z_t");
	fx_type(p, "a_t");
	fx_attr(p, "domain");
	fx_typeattr(p, "a_t", "domain");
	fx_typeattr(p, "z_t", "domain");
	fx_alias(p, "m_alias", "z_t");
	fx_role(p, "sys_r", "domain");
	fx_user(p, "sys_u", "sys_r");
	fx_bool(p, "flag", true);
	uint32_t c = fx_cond(p, "flag !");
	fx_av(p, PL_AV_ALLOW, "domain", "z_t", "file", "read", PL_UNCOND, true);
	fx_av(p, PL_AV_ALLOW, "a_t", "z_t", "file", "write", c, true);
	fx_av(p, PL_AV_DONTAUDIT, "a_t", "z_t", "file", "execute", c, false);
	fx_te(p, PL_TE_TRANSITION, "a_t", "z_t", "process", "z_t", PL_UNCOND, true);
	fx_role_allow(p, "sys_r", "sys_r");
	fx_constraint(p, "file", "write", "u1==u2 t2=z_t,a_t and");
	FX_GROW(p->isids, p->nisids);
	p->isids[0].name = fx_strdup("kernel");
	p->isids[0].has_context = true;
	p->isids[0].context = (pl_context){0, fx_r(p, "sys_r"), fx_t(p, "a_t")};
	p->nisids = 1;
}

static void test_round_trip(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	sample(&p);
	assert_int_equal(fx_load(&p, &l), 0);
	const pl_view *v = &l.v;
	assert_int_equal(v->nclasses, 2);
	assert_int_equal(v->ncommons, 1);
	assert_int_equal(v->ntypes, 3);
	assert_int_equal(v->naliases, 1);
	assert_int_equal(v->nroles, 2);
	assert_int_equal(v->nusers, 1);
	assert_int_equal(v->nbools, 1);
	assert_int_equal(v->nconds, 1);
	assert_int_equal(v->nrules, 3);
	assert_int_equal(v->nterules, 1);
	assert_int_equal(v->nconstraints, 1);
	assert_int_equal(v->nisids, 1);
	assert_string_equal(pl_class_name(v, 0), "file");
	assert_int_equal(pl_class_nperms(v, 0), 3);
	assert_string_equal(pl_perm_name(v, 0, 0), "read");
	assert_string_equal(pl_perm_name(v, 0, 2), "execute");
	assert_string_equal(pl_type_name(v, 2), "domain");
	assert_true(pl_type_is_attr(v, 2));
	assert_false(pl_type_is_attr(v, 0));
	assert_int_equal(pl_find_type_n(v, "m_alias", 7), 0);
	assert_int_equal(pl_find_type_n(v, "a_t", 3), 1);
	assert_int_equal(pl_find_type_n(v, "domain", 6), 2);
	assert_int_equal(pl_find_type_n(v, "b_t", 3), -1);
	assert_int_equal(pl_find_role_n(v, "object_r", 8), 0);
	assert_int_equal(pl_find_user_n(v, "sys_u", 5), 0);
	assert_string_equal(pl_bool_name(v, 0), "flag");
	assert_int_equal(v->process_class, 1);
	assert_int_equal(v->process_trans_dyntrans, 3);
	/* Out-of-range accessors answer harmlessly. */
	assert_string_equal(pl_class_name(v, 99), "");
	assert_string_equal(pl_perm_name(v, 0, 31), "");
	assert_string_equal(fx_query(&l, "sys_u:sys_r:a_t", "sys_u:object_r:z_t", "file"),
			    "allowed= { read } auditallow= { } auditdeny= { read write }");
	pl_state_set_bool(&l.st, 0, false);
	assert_string_equal(fx_query(&l, "sys_u:sys_r:a_t", "sys_u:object_r:z_t", "file"),
			    "allowed= { read write } auditallow= { } auditdeny= { read write execute }");

	/* Deterministic: the same policy gives the same bytes. */
	uint8_t *again;
	size_t len2;
	char err[128];
	assert_int_equal(pl_binary_write(&p, &again, &len2, err, sizeof err), 0);
	assert_int_equal(len2, l.len);
	assert_memory_equal(again, l.bin, len2);
	free(again);
	fx_unload(&l);
	fx_free(&p);
}

static int load_copy(const uint8_t *bin, size_t len, unsigned flags, pl_load_error *e)
{
	/* A fresh allocation of exactly len bytes, so ASan sees any overread. */
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, bin, len);
	pl_view v;
	int rc = pl_view_load(&v, copy, len, flags, e);
	free(copy);
	return rc;
}

static void fix_crc(uint8_t *bin, size_t len)
{
	uint32_t crc = pl_crc32(bin + 16, len - 16);
	memcpy(bin + 12, &crc, 4);
}

static void test_rejects_damage(void **state)
{
	(void)state;
	pl_policy p;
	fx_loaded l;
	sample(&p);
	assert_int_equal(fx_load(&p, &l), 0);
	pl_load_error e;
	/* Every truncation. */
	for (size_t n = 0; n < l.len; n++)
		assert_int_equal(load_copy(l.bin, n, 0, &e), PL_E_CORRUPT);
	/* A payload byte changed: the checksum. */
	l.bin[l.len / 2] ^= 0x10;
	assert_int_equal(load_copy(l.bin, l.len, 0, &e), PL_E_CORRUPT);
	assert_string_equal(e.msg, "checksum mismatch");
	l.bin[l.len / 2] ^= 0x10;
	/* Bad magic, version, length. */
	uint32_t saved;
	memcpy(&saved, l.bin + 8, 4);
	uint32_t lie = saved + 8;
	memcpy(l.bin + 8, &lie, 4);
	assert_int_equal(load_copy(l.bin, l.len, 0, &e), PL_E_CORRUPT);
	assert_string_equal(e.msg, "length field does not match the file size");
	memcpy(l.bin + 8, &saved, 4);
	l.bin[0] ^= 1;
	assert_int_equal(load_copy(l.bin, l.len, 0, &e), PL_E_CORRUPT);
	l.bin[0] ^= 1;
	/* A section count that lies, checksum recomputed. */
	pl_bin_header *h = (pl_bin_header *)l.bin;
	h->sec[PL_SEC_TYPES].count++;
	fix_crc(l.bin, l.len);
	assert_int_equal(load_copy(l.bin, l.len, 0, &e), PL_E_CORRUPT);
	h->sec[PL_SEC_TYPES].count--;
	/* An offset that lies. */
	h->sec[PL_SEC_ROLES].offset += 4;
	fix_crc(l.bin, l.len);
	assert_int_equal(load_copy(l.bin, l.len, 0, &e), PL_E_CORRUPT);
	h->sec[PL_SEC_ROLES].offset -= 4;
	/* An index past its table. */
	pl_bin_avent *av = (pl_bin_avent *)(l.bin + h->sec[PL_SEC_AVENT].offset);
	assert_true(h->sec[PL_SEC_AVENT].count > 0);
	av[0].ncond = 1000;
	fix_crc(l.bin, l.len);
	assert_int_equal(load_copy(l.bin, l.len, 0, &e), PL_E_CORRUPT);
	assert_string_equal(e.msg, "AV entry out of range");
	/* Misaligned buffer. */
	uint8_t *odd = malloc(l.len + 1);
	memcpy(odd + 1, l.bin, l.len);
	pl_view v;
	assert_int_equal(pl_view_load(&v, odd + 1, l.len, 0, &e), PL_E_CORRUPT);
	free(odd);
	fx_unload(&l);
	fx_free(&p);
}

static void test_writer_rejects(void **state)
{
	(void)state;
	pl_policy p;
	uint8_t *out;
	size_t len;
	char err[256];

	sample(&p);
	p.avrules[0].perms |= 1u << 20; /* file has 3 permissions */
	assert_int_equal(pl_binary_write(&p, &out, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "outside its class"));
	fx_free(&p);

	sample(&p);
	p.conds[0].nodes[0].op = PL_COND_AND; /* "&& !": underflows */
	assert_int_equal(pl_binary_write(&p, &out, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "well-formed"));
	fx_free(&p);

	sample(&p);
	free(p.types[1].name);
	p.types[1].name = fx_strdup("z_t");
	assert_int_equal(pl_binary_write(&p, &out, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "duplicate type name 'z_t'"));
	fx_free(&p);

	sample(&p);
	p.avrules[0].cls = 7;
	assert_int_equal(pl_binary_write(&p, &out, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "out of range"));
	fx_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_rejects_damage),
		cmocka_unit_test(test_writer_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
