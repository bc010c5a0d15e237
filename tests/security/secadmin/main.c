/* secadmin: the scenario's policy administrator.  It changes the policy
 * through policyd when the attacker asks it to (admin-ep), so the attacker
 * can observe each change from its side. */
#include <bw/lib.h>
#include <bw/selinux.h>
#include <policyd/proto.h>
#include "../proto.h"

#define H_CON    BW_BOOT_HANDLE(0)
#define H_PD     BW_BOOT_HANDLE(1)
#define H_EP     BW_BOOT_HANDLE(2)
#define H_POLICY BW_BOOT_HANDLE(3)
#define POLICY_VA 0x30000000ul

extern const unsigned char sec_reload_policy[];
extern const unsigned long sec_reload_policy_size;
extern const unsigned char sec_boot_policy[];
extern const unsigned long sec_boot_policy_size;

/* A policy this large is the benchmark's generated one, which knows none
 * of the device's types: it is loaded in permissive mode, or nothing (the
 * console included) could be used after it. */
#define FOREIGN_POLICY_SIZE (1ul << 20)

static uint64_t reload(const unsigned char *policy, unsigned long size)
{
	if (size > FOREIGN_POLICY_SIZE)
		security_setenforce(0);
	uint64_t e = bw_sys(BW_SYS_SHM_MAP, H_POLICY, 0, POLICY_VA, BW_R_READ | BW_R_WRITE, 0, NULL);
	if (e != BW_OK)
		return e;
	memcpy((void *)POLICY_VA, policy, size);
	bw_sys3(BW_SYS_UNMAP, 0, POLICY_VA, 0, NULL);
	return (uint64_t)security_load_policy(H_POLICY, size);
}

int main(void)
{
	bw_console_set(H_CON);
	selinux_set_server(H_PD);
	struct bw_msg m = {0};
	uint64_t e = bw_recv(H_EP, &m);
	for (;;) {
		if (e != BW_OK) {
			m = (struct bw_msg){0};
			e = bw_recv(H_EP, &m);
			continue;
		}
		uint64_t r = BW_E_INVAL;
		switch (bw_info_label(m.info)) {
		case ADM_SETBOOL:
			r = (uint64_t)security_set_boolean("sectest_signal", (int)m.mr[0]);
			break;
		case ADM_RELOAD:
			r = m.mr[0] ? reload(sec_boot_policy, sec_boot_policy_size)
				    : reload(sec_reload_policy, sec_reload_policy_size);
			break;
		case ADM_SETENFORCE:
			r = (uint64_t)security_setenforce((int)m.mr[0]);
			break;
		case ADM_STOP_POLICYD: {
			struct bw_msg q = {.info = bw_info(PD_SHUTDOWN, 0, 0)};
			r = bw_call(H_PD, &q);
			if (r == BW_OK)
				r = q.mr[0];
			break;
		}
		}
		m = (struct bw_msg){.mr = {r}};
		e = bw_reply_recv(H_EP, &m);
	}
}
