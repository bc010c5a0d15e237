#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	fputs("polc: error: out of memory\n", stderr);
	exit(2);
}

void *pl_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *pl_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *pl_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory();
	return q;
}

char *pl_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = pl_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

void pl_grow(void **vec, uint32_t *cap, uint32_t need, size_t esz)
{
	if (need <= *cap)
		return;
	uint32_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > UINT32_MAX / 2)
			out_of_memory();
		ncap *= 2;
	}
	*vec = pl_xrealloc(*vec, (size_t)ncap * esz);
	memset((char *)*vec + (size_t)*cap * esz, 0, (size_t)(ncap - *cap) * esz);
	*cap = ncap;
}

struct pl_chunk {
	struct pl_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

#define CHUNK_SIZE (256u * 1024u)

void *pl_arena_alloc(pl_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct pl_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
		c = pl_xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		/* A big one-off block goes behind the current chunk so the
		 * current chunk's free space is not wasted. */
		if (size != CHUNK_SIZE && a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

void pl_arena_free(pl_arena *a)
{
	struct pl_chunk *c = a->head;
	while (c) {
		struct pl_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void intern_rehash(pl_intern *t)
{
	uint32_t ncap = t->cap ? t->cap * 2 : 1024;
	const char **slots = pl_xcalloc(ncap, sizeof *slots);
	for (uint32_t i = 0; i < t->cap; i++) {
		const char *s = t->slots[i];
		if (!s)
			continue;
		uint64_t h = hash_bytes(s, strlen(s));
		uint32_t j = (uint32_t)h & (ncap - 1);
		while (slots[j])
			j = (j + 1) & (ncap - 1);
		slots[j] = s;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = ncap;
}

const char *pl_intern_str(pl_intern *t, const char *s, size_t len)
{
	if ((t->count + 1) * 2 > t->cap)
		intern_rehash(t);
	uint64_t h = hash_bytes(s, len);
	uint32_t j = (uint32_t)h & (t->cap - 1);
	while (t->slots[j]) {
		const char *cur = t->slots[j];
		if (strncmp(cur, s, len) == 0 && cur[len] == '\0')
			return cur;
		j = (j + 1) & (t->cap - 1);
	}
	char *copy = pl_arena_alloc(&t->arena, len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->slots[j] = copy;
	t->count++;
	return copy;
}

void pl_intern_free(pl_intern *t)
{
	pl_arena_free(&t->arena);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

static uint64_t mix(uint64_t k0, uint64_t k1, uint64_t k2)
{
	uint64_t h = k0 * 0x9E3779B97F4A7C15ull;
	h ^= (h >> 29) ^ (k1 * 0xBF58476D1CE4E5B9ull);
	h ^= (h >> 31) ^ (k2 * 0x94D049BB133111EBull);
	h ^= h >> 32;
	return h;
}

static void map_rehash(pl_map *m)
{
	uint32_t ncap = m->cap ? m->cap * 2 : 256;
	pl_map_slot *slots = pl_xcalloc(ncap, sizeof *slots);
	for (uint32_t i = 0; i < m->cap; i++) {
		pl_map_slot *s = &m->slots[i];
		if (!s->used)
			continue;
		uint32_t j = (uint32_t)mix(s->k0, s->k1, s->k2) & (ncap - 1);
		while (slots[j].used)
			j = (j + 1) & (ncap - 1);
		slots[j] = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = ncap;
}

uint32_t *pl_map_put(pl_map *m, uint64_t k0, uint64_t k1, uint64_t k2, int *inserted)
{
	if ((m->count + 1) * 2 > m->cap)
		map_rehash(m);
	uint32_t j = (uint32_t)mix(k0, k1, k2) & (m->cap - 1);
	for (;;) {
		pl_map_slot *s = &m->slots[j];
		if (!s->used) {
			s->used = 1;
			s->k0 = k0;
			s->k1 = k1;
			s->k2 = k2;
			s->value = UINT32_MAX;
			m->count++;
			if (inserted)
				*inserted = 1;
			return &s->value;
		}
		if (s->k0 == k0 && s->k1 == k1 && s->k2 == k2) {
			if (inserted)
				*inserted = 0;
			return &s->value;
		}
		j = (j + 1) & (m->cap - 1);
	}
}

uint32_t pl_map_get(const pl_map *m, uint64_t k0, uint64_t k1, uint64_t k2)
{
	if (!m->cap)
		return UINT32_MAX;
	uint32_t j = (uint32_t)mix(k0, k1, k2) & (m->cap - 1);
	for (;;) {
		const pl_map_slot *s = &m->slots[j];
		if (!s->used)
			return UINT32_MAX;
		if (s->k0 == k0 && s->k1 == k1 && s->k2 == k2)
			return s->value;
		j = (j + 1) & (m->cap - 1);
	}
}

void pl_map_free(pl_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}
