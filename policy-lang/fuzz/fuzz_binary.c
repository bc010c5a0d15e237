/* libFuzzer target for the binary policy reader and, on whatever it accepts,
 * the decision engine.  The checksum check is skipped so that mutations
 * reach the structural validation instead of dying at the CRC. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const pl_view *v)
{
	uint8_t mem[4096];
	pl_state st;
	if (pl_state_init(&st, v, mem, sizeof mem) != PL_OK)
		return;
	if (v->nbools)
		pl_state_set_bool(&st, 0, !st.bools[0]);
	uint32_t n = v->ntypes < 8 ? v->ntypes : 8;
	uint32_t nc = v->nclasses < 4 ? v->nclasses : 4;
	volatile uint32_t sink = 0;
	for (uint32_t s = 0; s < n; s++)
		for (uint32_t t = 0; t < n; t++)
			for (uint32_t c = 0; c < nc; c++) {
				if (!v->nusers)
					continue;
				pl_ctx a = {s % v->nusers, s % v->nroles, s}, b = {t % v->nusers, t % v->nroles, t};
				pl_av av;
				pl_ctx out;
				if (pl_compute_av(v, &st, &a, &b, c, &av) == PL_OK)
					sink += av.allowed;
				if (pl_compute_create(v, &st, &a, &b, c, PL_BIN_TE_TRANSITION, &out) == PL_OK)
					sink += out.type;
			}
	for (uint32_t i = 0; i < v->ntypes && i < 16; i++) {
		const char *name = pl_type_name(v, i);
		sink += (uint32_t)pl_find_type_n(v, name, pl_strlen(name));
	}
	if (v->nusers && v->nroles && v->ntypes) {
		pl_ctx c;
		const char *ctx = "u:r:t";
		sink += (uint32_t)pl_context_parse(v, ctx, &c);
	}
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The reader wants 8-byte alignment, and an exact-size allocation lets
	 * ASan see any overread. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	pl_view v;
	pl_load_error err;
	if (pl_view_load(&v, buf, size, PL_LOAD_SKIP_CHECKSUM, &err) == PL_OK)
		exercise(&v);
	free(buf);
	return 0;
}
