/* secpeer: serves peer-ep for the security scenario (echoes mr0 + 1). */
#include <bw/lib.h>
#include "../proto.h"

#define H_CON BW_BOOT_HANDLE(0)
#define H_EP  BW_BOOT_HANDLE(1)

int main(void)
{
	bw_console_set(H_CON);
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
