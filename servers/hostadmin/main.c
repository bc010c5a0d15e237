/* hostadmin: the host admin channel's subject.  The console driver hands
 * it the payloads of the admin frames the host sends on the serial line
 * (`make load-policy`, `make setbool`, `make enforce`), and it asks policyd
 * for each under its own context, host_admin_t: so the channel is gated,
 * and audited, by the `security` permissions the policy gives the host.
 * The console parses the untrusted frames; this task holds the permission
 * and nothing else (no device, no other channel).
 *
 * A policy arrives in pieces, assembled in a region the system description
 * gives this task (it hands policyd that region, as the load request
 * wants); pieces must come in order and the whole must match the CRC-32
 * the host announced, or nothing is loaded. */
#include <bw/lib.h>
#include <bw/selinux.h>
#include <policyd/proto.h>

#include "admin_frame.h"
#include "proto.h"

#define H_CON    BW_BOOT_HANDLE(0)
#define H_PD     BW_BOOT_HANDLE(1)
#define H_EP     BW_BOOT_HANDLE(2)
#define H_POLICY BW_BOOT_HANDLE(3)

#define CONSOLE_BADGE 0x656c6f736e6f63ull /* "console": only its handle has it */
#define POLICY_VA 0x30000000ul
/* The region's size in the system description; also the largest policy
 * policyd can keep across a restart (its bootstrap buffer). */
#define POLICY_MAX (256u << 10)

static struct load_state {
	bool open;
	uint32_t id, next, total, crc;
} load;

static const char *error_name(uint64_t e)
{
	static const char *const names[] = {
		"ok", "BW_E_INVAL", "BW_E_BADHANDLE", "BW_E_TYPE", "BW_E_RIGHTS", "BW_E_NOMEM", "BW_E_FAULT",
		"BW_E_EXISTS", "BW_E_MSGSIZE", "BW_E_DENIED", "BW_E_CLOSED", "BW_E_NOSYS", "BW_E_AGAIN",
		"BW_E_STATE", "BW_E_RANGE", "BW_E_FULL",
	};
	return e < sizeof names / sizeof names[0] ? names[e] : "unknown error";
}

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }

/* The one line a request ends with: denied when policyd refused. */
static void result(uint32_t id, int e, const char *what)
{
	if (e == 0)
		bw_printf("admin %u ok: %s\n", id, what);
	else if ((uint64_t)e == BW_E_DENIED)
		bw_printf("admin %u denied: %s (%s: the policy does not allow host_admin_t this)\n", id, what,
			  error_name((uint64_t)e));
	else
		bw_printf("admin %u failed: %s (%s)\n", id, what, error_name((uint64_t)e));
}

static void status_line(uint32_t id)
{
	int enforcing = 0;
	uint32_t seq = 0;
	int e = security_getenforce(&enforcing, &seq);
	char what[80];
	bw_snprintf(what, sizeof what, "policy %u in force, %s", seq, enforcing ? "enforcing" : "permissive");
	result(id, e, e ? "status" : what);
}

static uint64_t copy_piece(uint32_t offset, const uint8_t *p, uint32_t n)
{
	uint64_t e = bw_sys(BW_SYS_SHM_MAP, H_POLICY, 0, POLICY_VA, BW_R_READ | BW_R_WRITE, 0, NULL);
	if (e != BW_OK)
		return e;
	memcpy((uint8_t *)POLICY_VA + offset, p, n);
	bw_sys3(BW_SYS_UNMAP, 0, POLICY_VA, 0, NULL);
	return BW_OK;
}

static uint32_t region_crc(uint32_t n, uint64_t *e)
{
	*e = bw_sys(BW_SYS_SHM_MAP, H_POLICY, 0, POLICY_VA, BW_R_READ, 0, NULL);
	if (*e != BW_OK)
		return 0;
	uint32_t crc = admin_crc32(0, (const uint8_t *)POLICY_VA, n);
	bw_sys3(BW_SYS_UNMAP, 0, POLICY_VA, 0, NULL);
	return crc;
}

static void load_piece(uint32_t id, const uint8_t *p, uint32_t len)
{
	char what[160];
	if (len < HOSTADMIN_LOAD_HEADER) {
		bw_printf("admin %u failed: a policy piece of %u bytes has no header\n", id, len);
		return;
	}
	uint32_t offset = get32(p + 3), total = get32(p + 7), crc = get32(p + 11);
	uint32_t n = len - HOSTADMIN_LOAD_HEADER;
	if (offset == 0)
		load = (struct load_state){.open = true, .id = id, .total = total, .crc = crc};
	if (!load.open || load.id != id || offset != load.next || total != load.total || crc != load.crc) {
		bw_printf("admin %u failed: policy piece at offset %u out of order (expected request %u at offset %u); "
			  "the load is abandoned\n", id, offset, load.id, load.next);
		load.open = false;
		return;
	}
	if (total == 0 || total > POLICY_MAX || n > total - offset) {
		bw_printf("admin %u failed: a policy of %u bytes does not fit the host admin region (%u bytes)\n", id,
			  total, POLICY_MAX);
		load.open = false;
		return;
	}
	uint64_t e = copy_piece(offset, p + HOSTADMIN_LOAD_HEADER, n);
	if (e != BW_OK) {
		load.open = false;
		bw_snprintf(what, sizeof what, "map the policy region");
		result(id, (int)e, what);
		return;
	}
	load.next += n;
	if (load.next < total)
		return; /* quiet until the last piece */
	load.open = false;
	uint32_t have = region_crc(total, &e);
	if (e == BW_OK && have != crc) {
		bw_printf("admin %u failed: the assembled policy's CRC-32 is %08x, the host sent %08x\n", id, have, crc);
		return;
	}
	if (e == BW_OK)
		e = (uint64_t)security_load_policy(H_POLICY, total);
	int enforcing = 0;
	uint32_t seq = 0;
	if (e == BW_OK)
		security_getenforce(&enforcing, &seq);
	if (e == BW_OK)
		bw_snprintf(what, sizeof what, "load_policy of %u bytes, crc32 %08x: policy %u in force, %s", total,
			    crc, seq, enforcing ? "enforcing" : "permissive");
	else
		bw_snprintf(what, sizeof what, "load_policy of %u bytes, crc32 %08x", total, crc);
	result(id, (int)e, what);
}

static void serve(const uint8_t *p, uint32_t len)
{
	char what[96];
	if (len < 3) {
		bw_printf("admin ? failed: a request of %u bytes is too short\n", len);
		return;
	}
	uint32_t id = get16(p + 1);
	switch (p[0]) {
	case HOSTADMIN_LOAD:
		load_piece(id, p, len);
		return;
	case HOSTADMIN_SETBOOL: {
		char name[64];
		uint32_t n = len - 4;
		if (len < 5 || n >= sizeof name) {
			bw_printf("admin %u failed: setbool needs a value and a name of 1-%u characters\n", id,
				  (unsigned)sizeof name - 1);
			return;
		}
		memcpy(name, p + 4, n);
		name[n] = 0;
		int e = security_set_boolean(name, p[3] != 0);
		bw_snprintf(what, sizeof what, "setbool %s %u", name, p[3] != 0);
		if ((uint64_t)e == BW_E_INVAL)
			bw_snprintf(what, sizeof what, "setbool %s: no such boolean in the policy in force", name);
		result(id, e, what);
		return;
	}
	case HOSTADMIN_ENFORCE: {
		if (len != 4) {
			bw_printf("admin %u failed: enforce takes one value\n", id);
			return;
		}
		int e = security_setenforce(p[3] != 0);
		bw_snprintf(what, sizeof what, "setenforce %u", p[3] != 0);
		result(id, e, what);
		return;
	}
	case HOSTADMIN_STATUS:
		status_line(id);
		return;
	default:
		bw_printf("admin %u failed: unknown request '%c'\n", id, p[0] >= 0x20 && p[0] < 0x7f ? p[0] : '?');
	}
}

int main(void)
{
	bw_console_set(H_CON);
	selinux_set_server(H_PD);
	static uint8_t buf[ADMIN_FRAME_MAX];
	for (;;) {
		struct bw_msg m = {.info = bw_info(0, 0, sizeof buf), .buf = buf};
		if (bw_recv(H_EP, &m) != BW_OK)
			continue;
		/* Only the console's handle carries its name: the policy lets
		 * nobody else send here, and this is the second lock. */
		if (m.badge != CONSOLE_BADGE || bw_info_label(m.info) != HOSTADMIN_PAYLOAD)
			continue;
		uint64_t n = bw_info_len(m.info);
		serve(buf, n > sizeof buf ? (uint32_t)sizeof buf : (uint32_t)n);
	}
}
