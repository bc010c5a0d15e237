/* kpeer: the other address space of the kernel test suite, an IPC server
 * on its endpoint answering the protocol of ../proto.h. */
#include <bw/lib.h>
#include "../proto.h"

#define H_CON  BW_BOOT_HANDLE(0)
#define H_EP   BW_BOOT_HANDLE(1)
#define H_SHM  BW_BOOT_HANDLE(2)

int main(void)
{
	bw_console_set(H_CON);
	static uint8_t buf[BW_MSG_BUF_MAX];
	uint64_t sends = 0;
	int shm_mapped = 0;
	struct bw_msg m = {.info = bw_info(0, 0, sizeof(buf)), .buf = buf};
	uint64_t e = bw_recv(H_EP, &m);
	for (;;) {
		if (e != BW_OK) {
			m = (struct bw_msg){.info = bw_info(0, 0, sizeof(buf)), .buf = buf};
			e = bw_recv(H_EP, &m);
			continue;
		}
		uint64_t label = bw_info_label(m.info);
		struct bw_msg r = {.info = bw_info(label, 0, sizeof(buf)), .buf = buf};
		switch (label) {
		case PEER_ECHO:
			r.mr[0] = m.badge;
			r.mr[1] = m.mr[1] + 1;
			r.mr[2] = sends;
			r.mr[3] = m.mr[3];
			break;
		case PEER_BUF: {
			uint64_t n = bw_info_len(m.info);
			for (uint64_t i = 0; i < n / 2; i++) {
				uint8_t t = buf[i];
				buf[i] = buf[n - 1 - i];
				buf[n - 1 - i] = t;
			}
			r.info = bw_info(label, n, sizeof(buf));
			r.mr[0] = n;
			break;
		}
		case PEER_XFER:
			r.mr[0] = (m.info & BW_INFO_XFER) ? 1 : 0;
			if (m.info & BW_INFO_XFER) {
				r.mr[1] = bw_signal((bw_handle)m.handle);
				bw_close((bw_handle)m.handle);
			}
			break;
		case PEER_SHM:
			if (!shm_mapped)
				shm_mapped = bw_sys(BW_SYS_SHM_MAP, H_SHM, 0, PEER_SHM_VA,
						    BW_R_READ | BW_R_WRITE, 0, NULL) == BW_OK;
			if (shm_mapped) {
				volatile uint64_t *w = (volatile uint64_t *)PEER_SHM_VA;
				r.mr[0] = w[0];
				w[0] = m.mr[1];
			}
			r.mr[1] = (uint64_t)shm_mapped;
			break;
		case PEER_SEND:
			sends++;
			break;
		}
		e = bw_reply_recv(H_EP, &r);
		m = r;
	}
}
