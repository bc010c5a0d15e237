/* cpuload: keeps one CPU busy with integer work for a given time (0 or no
 * argument: forever), the CPU-bound half of the RTOS jitter benchmark's
 * load.  No system calls in the inner loop, so the guest never yields. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 0;
	double start = now();
	uint64_t x = 88172645463325252ull, rounds = 0;

	if (argc > 2 || seconds < 0) {
		fprintf(stderr, "usage: cpuload [SECONDS]\n");
		return 2;
	}
	for (;;) {
		/* xorshift: cheap, and its result is printed so it can't be optimised out */
		for (int i = 0; i < 1000000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		rounds++;
		if (seconds > 0 && now() - start >= seconds)
			break;
	}
	printf("cpuload: %llu Mrounds in %.2f s (x=%llx)\n", (unsigned long long)rounds,
	       now() - start, (unsigned long long)x);
	return 0;
}
