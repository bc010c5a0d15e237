/* secbench: the security server's benchmarks, under -icount shift=0 (one
 * instruction is one nanosecond; the PMU counts EL0 and EL2).
 *   avc_miss_insns: a notification signal whose decision is not cached
 *     (the bench kernel's flush hook empties the cache first) minus the
 *     same signal when it hits: the upcall round trip to policyd.
 *   policy_reload_us: policyd's own measurement of a load (validation,
 *     rebinding, new sequence number, flush, revocation scan), printed
 *     by policyd when the administrator loads the device policy again. */
#include <bw/lib.h>
#include "../proto.h"

#define H_CON   BW_BOOT_HANDLE(0)
#define H_FLAG  BW_BOOT_HANDLE(1)
#define H_ADMIN BW_BOOT_HANDLE(2)
#define ITER 101

static uint64_t samples[ITER];

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static uint64_t timed_signal(void)
{
	uint64_t a = bw_insns();
	bw_signal(H_FLAG);
	uint64_t b = bw_insns();
	return b - a;
}

static void flush(void)
{
	bw_sys3(BW_SYS_BENCH_STAMPS, 2, 0, 0, NULL);
}

int main(void)
{
	bw_console_set(H_CON);
	uint64_t bits;
	for (int i = 0; i < 10; i++)
		timed_signal();
	for (int i = 0; i < ITER; i++)
		samples[i] = timed_signal();
	uint64_t hit = median(samples, ITER);
	for (int i = 0; i < ITER; i++) {
		flush();
		samples[i] = timed_signal();
		bw_poll(H_FLAG, &bits);
	}
	uint64_t miss = median(samples, ITER);
	bw_printf("BENCH avc_miss_insns %lu instructions, upcall round trip to policyd (signal that misses %lu - "
		  "signal that hits %lu), median of %d\n",
		  (unsigned long)(miss - hit), (unsigned long)miss, (unsigned long)hit, ITER);
	struct bw_msg m = {.info = bw_info(ADM_RELOAD, 0, 0)};
	bw_call(H_ADMIN, &m);
	bw_call(H_ADMIN, &m);
	bw_printf("secbench done\n");
	for (;;)
		bw_yield();
}
