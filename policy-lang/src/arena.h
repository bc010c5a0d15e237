/* Memory for the compiler's short-lived data: a bump arena (everything the
 * parser builds dies together), string interning (one copy of each name, so
 * names compare by pointer), and a small open-addressing hash map used for
 * every symbol table and rule-merging table. */
#ifndef PL_ARENA_H
#define PL_ARENA_H

#include <stddef.h>
#include <stdint.h>

/* Out of memory is not a policy error the user can fix; these helpers print
 * a message and exit(2), the status polc documents for resource failures. */
void *pl_xmalloc(size_t n);
void *pl_xcalloc(size_t n, size_t size);
void *pl_xrealloc(void *p, size_t n);
char *pl_xstrdup(const char *s);

/* Grows *vec (element size esz) so that index *cap - 1 >= need - 1. */
void pl_grow(void **vec, uint32_t *cap, uint32_t need, size_t esz);
#define PL_PUSH(vec, n, cap) \
	(pl_grow((void **)&(vec), &(cap), (n) + 1, sizeof *(vec)), &(vec)[(n)++])

typedef struct pl_arena {
	struct pl_chunk *head;
} pl_arena;

void *pl_arena_alloc(pl_arena *a, size_t n); /* zeroed, 8-byte aligned */
void pl_arena_free(pl_arena *a);

/* Interned strings live in the table's own arena. */
typedef struct pl_intern {
	pl_arena arena;
	const char **slots;
	uint32_t cap, count;
} pl_intern;

const char *pl_intern_str(pl_intern *t, const char *s, size_t len);
void pl_intern_free(pl_intern *t);

/* Map from a 3-word key to a 32-bit value. */
typedef struct pl_map_slot {
	uint64_t k0, k1, k2;
	uint32_t value;
	uint32_t used;
} pl_map_slot;

typedef struct pl_map {
	pl_map_slot *slots;
	uint32_t cap, count;
} pl_map;

/* Returns a pointer to the value for the key, inserting it with *inserted = 1
 * and value UINT32_MAX when absent. */
uint32_t *pl_map_put(pl_map *m, uint64_t k0, uint64_t k1, uint64_t k2, int *inserted);
/* Returns the value, or UINT32_MAX when absent. */
uint32_t pl_map_get(const pl_map *m, uint64_t k0, uint64_t k1, uint64_t k2);
void pl_map_free(pl_map *m);

#endif
