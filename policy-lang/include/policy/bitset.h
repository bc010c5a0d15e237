/* Dense bit sets over symbol indices (types, roles, users, booleans).
 * The compiler builds them with malloc; the decision engine never uses them. */
#ifndef POLICY_BITSET_H
#define POLICY_BITSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pl_bitset {
	uint32_t nbits;   /* capacity in bits; grows on set */
	uint64_t *words;  /* NULL when nbits == 0 */
} pl_bitset;

/* All functions return 0 on success, -1 on allocation failure. */
int pl_bitset_set(pl_bitset *b, uint32_t bit);
void pl_bitset_clear(pl_bitset *b, uint32_t bit);
bool pl_bitset_test(const pl_bitset *b, uint32_t bit);
int pl_bitset_or(pl_bitset *dst, const pl_bitset *src);      /* dst |= src */
void pl_bitset_andnot(pl_bitset *dst, const pl_bitset *src); /* dst &= ~src */
int pl_bitset_copy(pl_bitset *dst, const pl_bitset *src);
/* Complement within [0, nbits): used for `~` type sets. */
int pl_bitset_complement(pl_bitset *b, uint32_t nbits);
bool pl_bitset_empty(const pl_bitset *b);
uint32_t pl_bitset_count(const pl_bitset *b);
void pl_bitset_free(pl_bitset *b);
/* Iteration: returns the first set bit >= from, or UINT32_MAX. */
uint32_t pl_bitset_next(const pl_bitset *b, uint32_t from);

#define PL_BITSET_FOREACH(b, i) \
	for (uint32_t i = pl_bitset_next((b), 0); i != UINT32_MAX; i = pl_bitset_next((b), i + 1))

#endif
