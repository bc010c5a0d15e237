/* Release-jitter statistics of a periodic task, in timer counts; pure
 * arithmetic so the host tests check it. */
#ifndef RTOS_JITTER_H
#define RTOS_JITTER_H

#include <stddef.h>
#include <stdint.h>

struct jitter {
	uint64_t periods;  /* releases observed */
	uint64_t missed;   /* deadlines (end of period) missed */
	uint64_t min, max; /* actual minus ideal release */
	uint64_t sum;
};

void jitter_init(struct jitter *j);
void jitter_release(struct jitter *j, uint64_t ideal, uint64_t actual);
void jitter_missed(struct jitter *j, uint64_t count);

/* "rtos: jitter_us min=A mean=B max=C missed=N periods=P", microseconds with
 * three decimals, for a counter running at freq_hz.  Returns snprintf's. */
int jitter_format(char *buf, size_t size, const struct jitter *j, uint64_t freq_hz);

#endif
