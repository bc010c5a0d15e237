#include "policy/bitset.h"

#include <stdlib.h>
#include <string.h>

static int grow(pl_bitset *b, uint32_t nbits)
{
	if (nbits <= b->nbits)
		return 0;
	uint32_t oldw = (b->nbits + 63) / 64;
	uint32_t neww = (nbits + 63) / 64;
	if (neww > oldw) {
		/* Double to keep repeated single-bit growth linear overall. */
		if (neww < oldw * 2)
			neww = oldw * 2;
		uint64_t *w = realloc(b->words, (size_t)neww * sizeof *w);
		if (!w)
			return -1;
		memset(w + oldw, 0, (size_t)(neww - oldw) * sizeof *w);
		b->words = w;
		b->nbits = neww * 64;
	}
	return 0;
}

int pl_bitset_set(pl_bitset *b, uint32_t bit)
{
	if (grow(b, bit + 1) < 0)
		return -1;
	b->words[bit / 64] |= UINT64_C(1) << (bit % 64);
	return 0;
}

void pl_bitset_clear(pl_bitset *b, uint32_t bit)
{
	if (bit < b->nbits)
		b->words[bit / 64] &= ~(UINT64_C(1) << (bit % 64));
}

bool pl_bitset_test(const pl_bitset *b, uint32_t bit)
{
	return bit < b->nbits && (b->words[bit / 64] >> (bit % 64)) & 1;
}

int pl_bitset_or(pl_bitset *dst, const pl_bitset *src)
{
	if (grow(dst, src->nbits) < 0)
		return -1;
	for (uint32_t i = 0; i < src->nbits / 64; i++)
		dst->words[i] |= src->words[i];
	return 0;
}

void pl_bitset_andnot(pl_bitset *dst, const pl_bitset *src)
{
	uint32_t n = dst->nbits < src->nbits ? dst->nbits : src->nbits;
	for (uint32_t i = 0; i < n / 64; i++)
		dst->words[i] &= ~src->words[i];
}

int pl_bitset_copy(pl_bitset *dst, const pl_bitset *src)
{
	for (uint32_t i = 0; i < dst->nbits / 64; i++)
		dst->words[i] = 0;
	return pl_bitset_or(dst, src);
}

int pl_bitset_complement(pl_bitset *b, uint32_t nbits)
{
	if (grow(b, nbits) < 0)
		return -1;
	for (uint32_t i = 0; i < b->nbits / 64; i++)
		b->words[i] = ~b->words[i];
	/* Bits at or past nbits were zero and must stay zero. */
	for (uint32_t bit = nbits; bit < b->nbits; bit++)
		pl_bitset_clear(b, bit);
	return 0;
}

bool pl_bitset_empty(const pl_bitset *b)
{
	for (uint32_t i = 0; i < b->nbits / 64; i++)
		if (b->words[i])
			return false;
	return true;
}

uint32_t pl_bitset_count(const pl_bitset *b)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < b->nbits / 64; i++)
		n += (uint32_t)__builtin_popcountll(b->words[i]);
	return n;
}

void pl_bitset_free(pl_bitset *b)
{
	free(b->words);
	b->words = NULL;
	b->nbits = 0;
}

uint32_t pl_bitset_next(const pl_bitset *b, uint32_t from)
{
	if (from >= b->nbits)
		return UINT32_MAX;
	uint32_t wi = from / 64;
	uint64_t w = b->words[wi] & (~UINT64_C(0) << (from % 64));
	for (;;) {
		if (w)
			return wi * 64 + (uint32_t)__builtin_ctzll(w);
		if (++wi >= b->nbits / 64)
			return UINT32_MAX;
		w = b->words[wi];
	}
}
