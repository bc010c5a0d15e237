/* secpeer: serves peer-ep for the security scenario (echoes mr0 + 1), and
 * drives the GPIO block: it binds its IRQ at run time, a binding the scenario's
 * reload revokes (tests/security/expected-avc.txt has the line). */
#include <bw/lib.h>
#include "../proto.h"

#define H_CON BW_BOOT_HANDLE(0)
#define H_EP  BW_BOOT_HANDLE(1)
#define H_GPIO BW_BOOT_HANDLE(2)

int main(void)
{
	bw_console_set(H_CON);
	uint64_t irq = 0;
	bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &irq);
	uint64_t e0 = bw_sys3(BW_SYS_IRQ_BIND, H_GPIO, irq, 0, NULL);
	bw_printf("%s: the GPIO's IRQ is bound\n", e0 == BW_OK ? "ok" : "FAIL");
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
