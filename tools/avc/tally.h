/* Counting records by key: the groups of `audit summary` and the distinct
 * denials of `audit explain`.  A key is up to four strings; each group keeps
 * its count, how many records were enforcing or permissive, and the first
 * and last timestamp and line it was seen at. */
#ifndef AVC_TALLY_H
#define AVC_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "avc_parse.h"

#define TALLY_FIELDS 4

typedef struct tally_stamp {
	uint64_t sec;
	uint32_t nsec;
	char text[32]; /* as the record wrote it */
} tally_stamp;

typedef struct tally_group {
	char *field[TALLY_FIELDS]; /* NUL-terminated copies */
	int kind;                  /* enum avc_kind */
	uint64_t count, enforcing, permissive;
	uint64_t first_line, last_line;
	int has_stamp;
	tally_stamp first, last;
} tally_group;

typedef struct tally {
	tally_group **slots; /* open addressing; NULL empty */
	size_t nslots, ngroups;
} tally;

void tally_init(tally *t);
void tally_free(tally *t);

/* Counts one record under the key (kind, f[0..3]).  Returns the group, or
 * NULL when memory runs out. */
tally_group *tally_add(tally *t, int kind, const avc_str f[TALLY_FIELDS], const avc_record *r, uint64_t line);

/* The groups in a new array (free it, not the groups), sorted by kind, then
 * count (most first), then fields.  NULL when memory runs out. */
tally_group **tally_sorted(const tally *t);

#endif
