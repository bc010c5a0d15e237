/* secpeer: serves peer-ep for the security scenario (echoes mr0 + 1), and
 * drives the GPIO block: it binds its IRQ at run time, a binding the scenario's
 * reload revokes (tests/security/expected-avc.txt has the line).  First it
 * checks that a fault report whose decision is in no cache waits for
 * policyd instead of failing closed. */
#include <bw/lib.h>
#include "../proto.h"

#define H_CON BW_BOOT_HANDLE(0)
#define H_EP  BW_BOOT_HANDLE(1)
#define H_GPIO BW_BOOT_HANDLE(2)
#define PRIO 30 /* sec-system.dts */

static uint8_t fault_stack[4096] __attribute__((aligned(16)));

static void faulter(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("udf #2");
	bw_thread_exit();
}

/* The endpoint is made at run time, so it takes secpeer's own SID, and
 * nothing has asked for (secpeer, secpeer, ipc) when the thread faults:
 * the report misses.  Before the kernel parked fault reports, it stopped
 * the thread and audited a denial instead. */
static void fault_report_waits_for_policyd(void)
{
	uint64_t ep = 0;
	bw_handle th = 0;
	bool ok = bw_sys3(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, &ep) == BW_OK &&
		  bw_thread_create(0, faulter, fault_stack + sizeof(fault_stack), PRIO, 0, &th) == BW_OK &&
		  bw_sys3(BW_SYS_THREAD_SET_FAULT, th, ep, 0, NULL) == BW_OK;
	struct bw_msg m = {0};
	uint64_t e = BW_E_AGAIN;
	for (int i = 0; ok && i < 100 && e == BW_E_AGAIN; i++) {
		bw_yield(); /* the faulter runs, its report waits for policyd */
		m = (struct bw_msg){.info = BW_INFO_NONBLOCK};
		e = bw_recv(ep, &m);
	}
	ok = ok && e == BW_OK && (m.info & BW_INFO_FAULT) && bw_info_label(m.info) == BW_FAULT_LABEL;
	bw_printf("%s: a fault report that missed the cache waited for policyd and was delivered\n",
		  ok ? "ok" : "FAIL");
	if (e == BW_OK) {
		m = (struct bw_msg){.info = bw_info(0, 0, 0)}; /* not BW_FAULT_RESUME: it stops */
		bw_reply(&m);
	}
}

int main(void)
{
	bw_console_set(H_CON);
	uint64_t irq = 0;
	bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &irq);
	uint64_t e0 = bw_sys3(BW_SYS_IRQ_BIND, H_GPIO, irq, 0, NULL);
	bw_printf("%s: the GPIO's IRQ is bound\n", e0 == BW_OK ? "ok" : "FAIL");
	fault_report_waits_for_policyd();
	struct bw_msg m = {0};
	uint64_t e = bw_recv(H_EP, &m);
	for (;;) {
		if (e != BW_OK) {
			m = (struct bw_msg){0};
			e = bw_recv(H_EP, &m);
			continue;
		}
		struct bw_msg r = {.info = bw_info(PEER_ECHO, 0, 0), .mr = {m.mr[0] + 1}};
		m = r;
		e = bw_reply_recv(H_EP, &m);
	}
}
