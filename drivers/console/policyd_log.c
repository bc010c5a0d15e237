/* policyd's lines: read from its log ring (bw/logring.h) and printed under
 * "[policyd]", like a partition's.  policyd writes the ring and signals a
 * notification without ever waiting for this driver; a thread of its own
 * here waits for the signal and prints what is new.  The ring is mapped
 * read-only: this driver cannot disturb policyd's log, only read it.  Lines
 * policyd wrote faster than they were printed (a lapped ring) are counted
 * and reported, never silently skipped. */
#include <bw/logring.h>

#include "console.h"

#define H_PDLOG      BW_BOOT_HANDLE(3) /* shm: read */
#define H_PDLOG_NOTE BW_BOOT_HANDLE(4) /* notification: recv */
#define PDLOG_VA     0x21000000ul
#define PDLOG_BYTES  0x10000ul /* the region's size in the description */
#define POLICYD_NAME 0x647963696c6f70ull /* "policyd" as a badge */
#define THREAD_STACK 4096

static _Alignas(16) uint8_t log_stack[THREAD_STACK];

static void log_thread(uint64_t arg)
{
	(void)arg;
	const struct bw_logring *ring = (const struct bw_logring *)PDLOG_VA;
	struct bw_logring_reader rd = {0};
	uint64_t reported = 0;
	char line[BW_LOGRING_TEXT];
	for (;;) {
		int n;
		while ((n = bw_logring_get(ring, PDLOG_BYTES, &rd, line)) >= 0)
			print_chunk(POLICYD_NAME, line, (uint64_t)n);
		if (rd.lost != reported) {
			console_say("policyd: %lu lines lost in all (its log ring overran)", (unsigned long)rd.lost);
			reported = rd.lost;
		}
		uint64_t bits;
		if (bw_wait(H_PDLOG_NOTE, &bits) != BW_OK)
			bw_thread_exit();
	}
}

void console_policyd_log_start(void)
{
	/* No region: a system whose policyd prints otherwise (or none). */
	if (bw_sys(BW_SYS_SHM_MAP, H_PDLOG, 0, PDLOG_VA, BW_R_READ, 0, NULL) != BW_OK)
		return;
	uint64_t e = BW_E_RANGE;
	for (uint64_t prio = 60; prio > 0 && e == BW_E_RANGE; prio--)
		e = bw_thread_start(log_thread, log_stack + THREAD_STACK, prio, 0, NULL);
	if (e != BW_OK)
		console_say("policyd's log: cannot start its thread (error %lu)", (unsigned long)e);
}
