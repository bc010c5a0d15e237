/* When to restart a driver that died: at once if it had run a while, after
 * a growing pause if it keeps dying soon after its start.  A driver that
 * crashes during its initialisation would otherwise be rebuilt in a loop,
 * and the supervisor runs above the drivers and VMMs it serves: each
 * rebuild (task, image copy, grants) is CPU the guests do not get.
 * Pure logic, so the host tests can drive it with any clock. */
#ifndef SUPERVISOR_BACKOFF_H
#define SUPERVISOR_BACKOFF_H

#include <stdint.h>

/* A run shorter than this counts as "died soon after its start". */
#define BACKOFF_QUICK_US 100000u
/* The first pause after a quick death; each further one doubles it. */
#define BACKOFF_FIRST_US 4000u
#define BACKOFF_MAX_US 1000000u

struct backoff {
	uint64_t started_us; /* when the current instance started */
	uint32_t quick;      /* quick deaths in a row */
};

/* The instance started at now_us. */
void backoff_started(struct backoff *b, uint64_t now_us);
/* The instance died at now_us: how long to wait before the next start
 * (0: at once). */
uint64_t backoff_died(struct backoff *b, uint64_t now_us);

#endif
