/* policyd's output, where the system gives it a log ring (bw/logring.h):
 * a shared region only policyd writes and the console driver reads, and a
 * notification that tells the console there is more.  Writing a line and
 * signalling never wait, so policyd cannot be held up by the console — a
 * synchronous send to the console could deadlock with the console's own
 * first decisions, which wait for policyd.  The console prints the lines
 * under "[policyd]" and reports the ones it lost to a lapped ring.
 *
 * The region is mapped here at run time, not by the description, because
 * a restarted policyd gets only its boot handles back, not its mappings;
 * the log itself survives in the region and is continued. */
#include <bw/logring.h>
#include <flask/flask.h>

#include "policyd.h"

#define H_LOG      BW_BOOT_HANDLE(2) /* shm: read+write */
#define H_LOG_NOTE BW_BOOT_HANDLE(3) /* notification: send */
#define LOG_VA     0x2f000000ul /* below requests.c's map_va */
/* The region's size in the description (tests/vm/device-system.dts):
 * policyd cannot ask the kernel, and a smaller region would fault it. */
#define LOG_BYTES  0x10000ul

static struct bw_logring *ring;
static uint32_t log_sid, bell_sid;

/* The boot SID of the object labelled with this type (policyd.te names
 * both types for policyd's own use); 0 if there is none. */
static uint32_t sid_of_type(const char *type)
{
	size_t n = bw_strlen(type);
	for (uint32_t s = 1; s < pd_nsids; s++) {
		size_t len = bw_strlen(pd_sid_context[s]);
		if (len > n && pd_sid_context[s][len - n - 1] == ':' && !memcmp(pd_sid_context[s] + len - n, type, n))
			return s;
	}
	return 0;
}

/* policyd's own decisions sit in the kernel's cache like everyone's, and a
 * direct-mapped cache loses entries to collisions; on a miss policyd
 * cannot wait for itself (the kernel fails it closed, audited).  So each
 * use puts its decision back first: one system call per line. */
static void own_decision(uint32_t tsid, uint32_t cls)
{
	pd_answer(pd_self_sid, tsid, cls);
}

/* One bw_printf: possibly several lines, a newline at the end or not. */
static void to_ring(const char *text, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && text[i] != '\n')
			continue;
		if (i < n || i > start) /* not the empty rest after a final newline */
			bw_logring_put(ring, text + start, i - start);
		start = i + 1;
	}
	own_decision(bell_sid, SC_NOTIFICATION);
	bw_signal(H_LOG_NOTE); /* a failed signal loses nothing: the line is in the ring */
}

bool pd_log_ring_open(void)
{
	log_sid = sid_of_type("policyd_log_t");
	bell_sid = sid_of_type("policyd_log_doorbell_t");
	if (!log_sid || !bell_sid)
		return false; /* a system without the ring */
	own_decision(log_sid, SC_SHM);
	if (bw_sys(BW_SYS_SHM_MAP, H_LOG, 0, LOG_VA, BW_R_READ | BW_R_WRITE, 0, NULL) != BW_OK)
		return false;
	ring = (struct bw_logring *)LOG_VA;
	bw_logring_open(ring, LOG_BYTES);
	if (!ring->nslots)
		return false;
	bw_console_set_sink(to_ring);
	return true;
}
