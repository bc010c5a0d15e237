/* The guest admin mailbox (include/bulwark/secadm.h): the Linux guest's
 * `secadm` writes a request into the register page (trapped here) and, if
 * it needs more than a number, into the data window; the store to
 * SECADM_REG_CMD makes this VMM call policyd with BW_INFO_AS_VM, naming
 * its VM.  The kernel checks that this VMM runs the VM (vm run) and that
 * the VM may call policyd (ipc call), and policyd checks the request's
 * `security` permission against the VM's label, exactly as for any other
 * client: this file adds no authority and decides nothing.
 *
 * The window is one shared-memory region of the system description: the
 * guest sees it at SECADM_WINDOW_IPA, this VMM at WINDOW_VA, and a policy
 * to load is handed to policyd as that region (its handle transferred),
 * which copies it before checking it; the guest's vCPU waits in this exit
 * meanwhile, so nothing changes it during the copy.
 *
 * The guest maps the window as Device memory (/dev/mem) and this VMM as
 * normal cacheable memory: around every exchange the lines it covers are
 * cleaned and invalidated to the point of coherency, so neither side reads
 * stale data on hardware (QEMU models no caches). */
#include "secadm_port.h"
#include <bulwark/secadm.h>
#include <bw/lib.h>
#include <policyd/proto.h>

#define SECADM_SLOT_POLICYD ((1u << 10) | 50u) /* pd-ep: send */
#define SECADM_SLOT_WINDOW ((1u << 10) | 51u)  /* secadm-window: read, write, grant */
#define WINDOW_VA 0x2800000000ul
#define SYNC_STRIDE 16 /* no smaller data cache line exists on arm64 */

static bw_handle vm_handle;
static uint8_t *window;
static uint32_t status, arg, len, result, out0, out1;
static uint64_t requests, refused;
static char buf[PD_BUF_MAX];

/* Clean and invalidate: what we wrote reaches memory, what the guest
 * wrote is read from memory. */
static void sync_window(uint64_t off, uint64_t n)
{
	uint64_t a = ((uint64_t)(uintptr_t)window + off) & ~(uint64_t)(SYNC_STRIDE - 1);
	for (; a < (uint64_t)(uintptr_t)window + off + n; a += SYNC_STRIDE)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

void secadm_port_start(bw_handle vm)
{
	vm_handle = vm;
	uint64_t err = bw_sys(BW_SYS_SHM_MAP, SECADM_SLOT_WINDOW, 0, WINDOW_VA, BW_R_READ | BW_R_WRITE, 0, NULL);
	if (err == BW_E_BADHANDLE) {
		bw_printf("vmm: no guest admin channel in this system (no window handle)\n");
		return;
	}
	if (!err)
		err = bw_sys(BW_SYS_SHM_MAP, SECADM_SLOT_WINDOW, vm, SECADM_WINDOW_IPA, BW_R_READ | BW_R_WRITE, 0, NULL);
	if (err) {
		bw_printf("vmm: guest admin channel: mapping its window refused: error %lu%s\n", (unsigned long)err,
			  err == BW_E_DENIED ? " (denied by policy)" : "");
		return;
	}
	window = (uint8_t *)WINDOW_VA;
	status = SECADM_STATUS_READY;
	bw_printf("vmm: guest admin channel: registers at %lx, window at %lx (%lu KiB)\n",
		  (unsigned long)SECADM_REGS_IPA, (unsigned long)SECADM_WINDOW_IPA,
		  (unsigned long)(SECADM_WINDOW_SIZE >> 10));
}

/* bw_call with x0's upper half naming the VM this call speaks for. */
static uint64_t call_as_vm(struct bw_msg *m)
{
	struct bw_regs r = {{SECADM_SLOT_POLICYD | (uint64_t)vm_handle << 32, m->info | BW_INFO_AS_VM, m->mr[0],
			     m->mr[1], m->mr[2], m->mr[3], m->handle, (uint64_t)(uintptr_t)m->buf}};
	uint64_t e = bw_syscall(BW_SYS_CALL, &r);
	if (e == BW_OK) {
		m->info = r.x[1];
		for (int i = 0; i < BW_MSG_REGS; i++)
			m->mr[i] = r.x[2 + i];
	}
	return e;
}

/* A request's message, or a BW_E_* code for one the guest got wrong. */
static uint32_t build(uint32_t cmd, struct bw_msg *m)
{
	switch (cmd) {
	case SECADM_CMD_STATUS:
		m->info = bw_info(PD_STATUS, 0, 0);
		return BW_OK;
	case SECADM_CMD_LOAD:
		if (!len || len > SECADM_WINDOW_SIZE)
			return BW_E_RANGE;
		sync_window(0, len);
		m->info = bw_info(PD_LOAD_POLICY, 0, 0) | BW_INFO_XFER;
		m->mr[0] = len;
		m->handle = SECADM_SLOT_WINDOW;
		return BW_OK;
	case SECADM_CMD_SETBOOL:
		if (!len || len > SECADM_NAME_MAX)
			return BW_E_RANGE;
		sync_window(0, len);
		for (uint32_t i = 0; i < len; i++)
			if (!(buf[i] = (char)window[i]))
				return BW_E_INVAL;
		buf[len] = 0;
		m->info = bw_info(PD_SETBOOL, len + 1, 0);
		m->buf = buf;
		m->mr[0] = arg != 0;
		return BW_OK;
	case SECADM_CMD_ENFORCE:
		m->info = bw_info(PD_SETENFORCE, 0, 0);
		m->mr[0] = arg != 0;
		return BW_OK;
	case SECADM_CMD_AUDIT:
		m->info = bw_info(PD_READ_AUDIT, 0, PD_BUF_MAX);
		m->buf = buf;
		m->mr[0] = arg;
		return BW_OK;
	}
	return BW_E_INVAL;
}

static void run(uint32_t cmd)
{
	struct bw_msg m = {0};
	out0 = out1 = 0;
	if (!(status & SECADM_STATUS_READY)) {
		result = BW_E_STATE;
		return;
	}
	if ((result = build(cmd, &m)) != BW_OK)
		return;
	requests++;
	uint64_t e = call_as_vm(&m);
	result = (uint32_t)(e ? e : m.mr[0]);
	if (result == BW_E_DENIED)
		refused++;
	if (result != BW_OK)
		return;
	out0 = (uint32_t)m.mr[1];
	out1 = (uint32_t)m.mr[2];
	if (cmd == SECADM_CMD_AUDIT) {
		len = (uint32_t)bw_info_len(m.info);
		for (uint32_t i = 0; i < len; i++)
			window[i] = (uint8_t)buf[i];
		sync_window(0, len);
	}
}

bool secadm_port_mmio(uint64_t ipa, struct vmm_access *a, bool *known)
{
	if (ipa < SECADM_REGS_IPA || ipa >= SECADM_REGS_IPA + SECADM_REGS_SIZE)
		return false;
	a->offset = ipa - SECADM_REGS_IPA;
	*known = a->bytes == 4;
	if (!*known)
		return true;
	uint32_t v = (uint32_t)a->value;
	switch (a->offset) {
	case SECADM_REG_MAGIC: a->value = SECADM_MAGIC; *known = !a->write; break;
	case SECADM_REG_STATUS: a->value = status; *known = !a->write; break;
	case SECADM_REG_ARG: if (a->write) arg = v; else a->value = arg; break;
	case SECADM_REG_LEN: if (a->write) len = v; else a->value = len; break;
	case SECADM_REG_CMD: if (a->write) run(v); else a->value = 0; break;
	case SECADM_REG_RESULT: a->value = result; *known = !a->write; break;
	case SECADM_REG_OUT0: a->value = out0; *known = !a->write; break;
	case SECADM_REG_OUT1: a->value = out1; *known = !a->write; break;
	default: *known = false; break;
	}
	return true;
}
