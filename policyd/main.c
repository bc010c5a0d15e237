/* policyd: the Flask security server, the first task the kernel starts.
 *
 * It loads the boot image's policy with the shared decision engine, adopts
 * the boot SID table, caches its own decisions, then serves one endpoint:
 * the kernel's upcalls (cache misses, audit records) and the requests of
 * clients (policyd/include/policyd/proto.h), one at a time, so a reload is
 * atomic with respect to every decision. */
#include <policyd/proto.h>

#include "policyd.h"

#define H_EP      BW_BOOT_HANDLE(0)
#define H_CONSOLE BW_BOOT_HANDLE(1) /* without a log ring (log_ring.c) */

uint8_t *pd_policy_bootstrap(uint64_t size);

static _Noreturn void fail(const char *why)
{
	bw_printf("policyd: %s: the kernel fails closed\n", why);
	for (;;)
		bw_sys3(BW_SYS_THREAD_EXIT, 0, 0, 0, NULL);
}

static uint32_t restarts;

/* At boot and after the kernel restarted a dead policyd alike: the SID
 * table from the boot image, the policy the kernel hands over (the last
 * one loaded, else the boot one), the enforcing mode in force. */
static void adopt_boot_state(void)
{
	struct bw_regs r;
	if (pd_sec(BW_SEC_REGISTER, H_EP, 0, 0, 0, 0, &r) != BW_OK)
		fail("not the security server");
	pd_seq = (uint32_t)r.x[1];
	pd_nsids = (uint32_t)r.x[2] < PD_MAX_SIDS ? (uint32_t)r.x[2] : PD_MAX_SIDS;
	pd_self_sid = (uint32_t)r.x[5];
	pd_enforcing = r.x[6] != 0;
	restarts = (uint32_t)r.x[7];
	uint64_t size = r.x[3];
	uint8_t *buf = pd_policy_bootstrap(size);
	if (!buf)
		fail("boot policy too large");
	if (pd_sec(BW_SEC_READ_BOOT, 0, (uint64_t)(uintptr_t)buf, size, 0, 0, &r) != BW_OK)
		fail("cannot read the boot policy");
	for (uint32_t s = 1; s < pd_nsids; s++)
		if (pd_sec(BW_SEC_READ_BOOT, s, (uint64_t)(uintptr_t)pd_sid_context[s], PD_CTX_MAX - 1, 0, 0, &r) !=
		    BW_OK)
			pd_sid_context[s][0] = 0;
	const char *why = "";
	if (pd_policy_install(buf, (uint32_t)size, &why) != PL_OK)
		fail(why);
	/* The first commit precomputes every boot binding's decision, before
	 * policyd itself can block on anybody (its console output). */
	pd_commit(true);
}

int main(void)
{
	static char buf[PD_BUF_MAX];
	adopt_boot_state();
	/* Output that never waits (log_ring.c); else a console endpoint, if
	 * any; else the kernel's debug output. */
	if (!pd_log_ring_open())
		bw_console_set(H_CONSOLE);
	uint32_t unlabeled = 0;
	for (uint32_t s = 1; s < pd_nsids; s++)
		unlabeled += !pd.labeled[s];
	bw_printf("policyd: policy %u loaded, %u SIDs (%u unlabeled), %s%s\n", pd_seq, pd_nsids - 1, unlabeled,
		  pd_enforcing ? "enforcing" : "permissive", restarts ? ", restarted" : "");
	for (;;) {
		struct bw_msg m = {.info = bw_info(0, 0, PD_BUF_MAX), .buf = buf};
		if (bw_recv(H_EP, &m) != BW_OK)
			continue;
		uint64_t label = bw_info_label(m.info);
		bool kernel = m.badge == BW_SEC_KERNEL_BADGE; /* no client can send it */
		if (kernel && label == BW_SEC_UPCALL_QUERY)
			pd_answer((uint32_t)m.mr[0], (uint32_t)m.mr[1], (uint32_t)m.mr[2]);
		else if (kernel && label == BW_SEC_UPCALL_CREATE)
			pd_answer_label((uint32_t)m.mr[0], (uint32_t)m.mr[1], (uint32_t)m.mr[2]);
		else if (kernel && label == BW_SEC_UPCALL_AUDIT)
			pd_audit_drain();
		else
			pd_serve(&m, buf);
	}
}
