/* A release can only be late, never early (the timer fires at or after the
 * ideal time), so the samples are unsigned; an early one would be a bug in
 * the caller and is counted as zero rather than wrapping to a huge value. */
#include <rtos/jitter.h>
#include <stdio.h>

void jitter_init(struct jitter *j)
{
	*j = (struct jitter){ .min = UINT64_MAX };
}

void jitter_release(struct jitter *j, uint64_t ideal, uint64_t actual)
{
	uint64_t late = actual > ideal ? actual - ideal : 0;

	j->periods++;
	j->sum += late;
	if (late < j->min)
		j->min = late;
	if (late > j->max)
		j->max = late;
}

void jitter_missed(struct jitter *j, uint64_t count)
{
	j->missed += count;
}

/* counts -> nanoseconds without overflow for any realistic sample (< 2^34 counts). */
static uint64_t to_ns(uint64_t counts, uint64_t freq_hz)
{
	return freq_hz ? counts * 1000000000u / freq_hz : 0;
}

int jitter_format(char *buf, size_t size, const struct jitter *j, uint64_t freq_hz)
{
	uint64_t min = j->periods ? to_ns(j->min, freq_hz) : 0;
	uint64_t mean = j->periods ? to_ns(j->sum / j->periods, freq_hz) : 0;
	uint64_t max = to_ns(j->max, freq_hz);

	return snprintf(buf, size,
			"rtos: jitter_us min=%llu.%03llu mean=%llu.%03llu max=%llu.%03llu "
			"missed=%llu periods=%llu",
			(unsigned long long)(min / 1000), (unsigned long long)(min % 1000),
			(unsigned long long)(mean / 1000), (unsigned long long)(mean % 1000),
			(unsigned long long)(max / 1000), (unsigned long long)(max % 1000),
			(unsigned long long)j->missed, (unsigned long long)j->periods);
}
