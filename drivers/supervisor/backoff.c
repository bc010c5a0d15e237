#include "backoff.h"

void backoff_started(struct backoff *b, uint64_t now_us)
{
	b->started_us = now_us;
}

uint64_t backoff_died(struct backoff *b, uint64_t now_us)
{
	/* A clock that went backwards is no evidence of a long run. */
	uint64_t ran = now_us >= b->started_us ? now_us - b->started_us : 0;
	if (ran >= BACKOFF_QUICK_US) {
		b->quick = 0;
		return 0;
	}
	if (b->quick < 32)
		b->quick++;
	uint64_t delay = BACKOFF_FIRST_US;
	for (uint32_t i = 1; i < b->quick && delay < BACKOFF_MAX_US; i++)
		delay *= 2;
	return delay < BACKOFF_MAX_US ? delay : BACKOFF_MAX_US;
}
