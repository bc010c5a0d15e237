/* A VMM task: one guest, one vCPU.  It builds the VM the system
 * description grants it and loads the guest (guest_build.c), starts the vCPU with the Linux arm64 boot protocol and then
 * serves its exits: PL011 output to the console driver, the GICv3
 * distributor and redistributor, PSCI.  A second thread receives the bytes
 * the console driver routes to this guest and feeds the PL011's receive
 * side, raising its interrupt.  An access it cannot emulate stops
 * the guest with a report; so does PSCI SYSTEM_OFF. */
#include <bulwark/vcpu.h>
#include <bw/lib.h>
#include <bw/sys.h>
#include <vmm/devices.h>
#include <vmm/layout.h>
#include "console_port.h"
#include <vmm/pl031.h>
#include <vmm/virtio_blk.h>
#include "backends.h"
#include "chan_port.h"
#include "secadm_port.h"
#include "guest_build.h"

#define H_CON BW_BOOT_HANDLE(0)
#ifndef VCPU_PRIO
#define VCPU_PRIO 20 /* below this VMM's own priority */
#endif

/* The clock and the disk (vmm/vmm/backends.c), where the guest's device
 * tree puts them: the PL031 at QEMU virt's address, the virtio-mmio
 * transport in the first of virt's slots. */
#define RTC_BASE 0x09010000ul
#define RTC_INTID 34
#define VBLK_BASE 0x0a000000ul
#define VBLK_INTID 48
/* Above the vCPU, so a busy guest cannot hold up its own input; at most
 * this task's priority, which is above the vCPU's. */
#define INPUT_PRIO (VCPU_PRIO + 1)

static struct vgic gic;
static struct pl031 rtc;
static struct vblk blk;
static bw_handle vcpu_handle;
static uint64_t exits, mmio_exits, hvc_exits, sysreg_exits;
static uint64_t exits_by_class[64]; /* by the ESR's exception class */

static const char *class_name(unsigned ec)
{
	switch (ec) {
	case BW_EC_WFX: return "wfx";
	case BW_EC_HVC64: return "hvc";
	case BW_EC_SMC64: return "smc";
	case BW_EC_SYSREG: return "sysreg";
	case BW_EC_IABT_LOW: return "iabt";
	case BW_EC_DABT_LOW: return "dabt";
	}
	return "other";
}

static void report_exits(const char *when)
{
	char buf[160];
	int n = bw_snprintf(buf, sizeof buf, "vmm: exits %s: %lu;", when, (unsigned long)exits);
	for (unsigned ec = 0; ec < 64 && n > 0 && (size_t)n < sizeof buf; ec++)
		if (exits_by_class[ec])
			n += bw_snprintf(buf + n, sizeof buf - (size_t)n, " %s(ec 0x%x)=%lu", class_name(ec), ec,
				      (unsigned long)exits_by_class[ec]);
	bw_printf("%s\n", buf);
}

static void boot_line_seen(void)
{
	report_exits("until the first userspace line");
	console_port_report();
}

static uint64_t sys5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t *out1)
{
	struct bw_regs r;
	uint64_t e = bw_sys(nr, a0, a1, a2, a3, a4, &r);
	if (out1)
		*out1 = r.x[1];
	return e;
}

static _Noreturn void fail(const char *what, uint64_t err)
{
	bw_printf("vmm: %s failed: error %lu\n", what, (unsigned long)err);
	bw_thread_exit();
}

struct exit_reply {
	uint64_t label, flags, value;
};

static struct exit_reply resume(uint64_t flags, uint64_t value)
{
	return (struct exit_reply){BW_FAULT_RESUME, flags, value};
}

static struct exit_reply stop_guest(const char *why, uint64_t esr, uint64_t addr, uint64_t pc)
{
	bw_printf("vmm: guest stopped: %s (esr %lx address %lx pc %lx)\n", why, (unsigned long)esr,
		  (unsigned long)addr, (unsigned long)pc);
	return (struct exit_reply){0, 0, 0};
}

static struct exit_reply mmio(uint64_t esr, uint64_t ipa, uint64_t value, uint64_t pc)
{
	if (!bw_abort_decoded(esr))
		return stop_guest("MMIO access without syndrome", esr, ipa, pc);
	bool write = bw_abort_is_write(esr);
	struct vmm_access a = {.bytes = bw_abort_bytes(esr), .write = write, .value = value};
	bool known;
	if (console_port_mmio(ipa, &a, &known)) {
		/* the PL011 */
	} else if (ipa >= 0x08000000 && ipa < 0x08000000 + VGIC_DIST_SIZE) {
		a.offset = ipa - 0x08000000;
		known = vgic_dist_access(&gic, &a);
		if (write)
			console_port_gic_written();
		if (write)
			chan_port_gic_written();
	} else if (ipa >= 0x080a0000 && ipa < 0x080a0000 + VGIC_REDIST_SIZE) {
		a.offset = ipa - 0x080a0000;
		known = vgic_redist_access(&gic, &a);
	} else if (ipa >= RTC_BASE && ipa < RTC_BASE + PL031_SIZE) {
		a.offset = ipa - RTC_BASE;
		known = pl031_access(&rtc, &a, wallclock_now());
		if (pl031_irq_status(&rtc) && vgic_enabled(&gic, RTC_INTID))
			bw_sys3(BW_SYS_VCPU_INJECT, vcpu_handle, RTC_INTID, 0, NULL);
	} else if (ipa >= VBLK_BASE && ipa < VBLK_BASE + VBLK_SIZE) {
		a.offset = ipa - VBLK_BASE;
		bool irq;
		known = vblk_access(&blk, &a, &irq);
		if (irq && vgic_enabled(&gic, VBLK_INTID))
			bw_sys3(BW_SYS_VCPU_INJECT, vcpu_handle, VBLK_INTID, 0, NULL);
	} else if (chan_port_mmio(ipa, &a, &known)) {
		/* the channel's doorbell page and Linux's GPIO */
		if (chan_port_take_retry())
			return resume(0, 0); /* a ring mapped again: the access reaches it */
	} else if (secadm_port_mmio(ipa, &a, &known)) {
		/* the guest admin mailbox's registers */
	} else {
		return stop_guest("access outside its RAM and devices", esr, ipa, pc);
	}
	if (!known)
		return stop_guest("unemulated device register", esr, ipa, pc);
	return resume(BW_VCPU_SKIP | (write ? 0 : BW_VCPU_LOAD), a.value);
}

/* PSCI SYSTEM_RESET: the guest starts over from its images, as a machine
 * does from its firmware: images reloaded, the distributor's state and the
 * vCPU (BW_VCPU_RESET) as they were at creation.  The other guests never
 * notice. */
static unsigned resets;
static struct exit_reply restart_guest(void)
{
	resets++;
	bw_printf("vmm: guest reset (PSCI SYSTEM_RESET): reloading it, restart %u\n", resets);
	vgic_init(&gic);
	guest_load(resets);
	return (struct exit_reply){BW_FAULT_RESUME, BW_VCPU_RESET, 0};
}

static struct exit_reply handle_exit(const struct bw_msg *m)
{
	uint64_t esr = m->mr[0], pc = m->mr[2];
	console_port_drain(); /* the writes the kernel queued happened first */
	exits++;
	exits_by_class[bw_esr_ec(esr) & 63]++;
	switch (bw_esr_ec(esr)) {
	case BW_EC_DABT_LOW:
		mmio_exits++;
		return mmio(esr, m->mr[1], m->mr[3], pc);
	case BW_EC_HVC64:
	case BW_EC_SMC64: {
		hvc_exits++;
		/* x2/x3 are not in the exit message; no call used here needs them. */
		struct psci_result r = psci_call(m->mr[1], m->mr[3], 0, 0);
		if (r.action == PSCI_POWER_OFF)
			return stop_guest("powered off (PSCI)", esr, m->mr[1], pc);
		if (r.action == PSCI_RESET)
			return restart_guest();
		return resume(BW_VCPU_LOAD | BW_VCPU_SKIP, (uint64_t)r.x0);
	}
	case BW_EC_SYSREG:
		/* The EL1 physical timer and the PMU: not this guest's; reads
		 * as zero, writes ignored. */
		sysreg_exits++;
		return resume(BW_VCPU_SKIP | BW_VCPU_LOAD, 0);
	}
	return stop_guest("unhandled exit", esr, m->mr[1], pc);
}

int main(void)
{
	bw_console_set(H_CON);
	console_port_init(&gic, boot_line_seen);
	vgic_init(&gic);
#ifdef GUEST_ELF
	chan_port_init(&gic, CHAN_GUEST_RTOS);
#else
	chan_port_init(&gic, CHAN_GUEST_LINUX);
#endif
	pl031_init(&rtc);
	wallclock_init();
	blkfront_init(&blk, guest_range);
	uint64_t vm, ep, vcpu, err;
	vm = guest_build_vm();
	struct guest_boot boot = guest_load(0);
	if ((err = sys5(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, &ep)))
		fail("exit endpoint", err);
	bw_printf("vmm: %lu MiB guest RAM, entry %lx, DTB at %lx; starting the vCPU\n",
		  (unsigned long)guest_ram_mib(), (unsigned long)boot.entry, (unsigned long)boot.x0);
	/* The arm64 boot protocol: x0 = DTB, EL1h, interrupts masked, MMU off. */
	if ((err = sys5(BW_SYS_VCPU_CREATE, vm, boot.entry, boot.x0, VCPU_PRIO, ep, &vcpu)))
		fail("creating the vCPU", err);
	vcpu_handle = (bw_handle)vcpu;
	/* Both guests take console input: Linux's shell, which has the focus
	 * first, and our RTOS's command reader (guests/rtos/app/command.c),
	 * reached with Ctrl-A n. */
#ifdef GUEST_ELF
	console_port_start(vcpu_handle, (bw_handle)ep, INPUT_PRIO, false);
#else
	console_port_start(vcpu_handle, (bw_handle)ep, INPUT_PRIO, true);
#endif
	chan_port_start((bw_handle)vm, vcpu_handle, INPUT_PRIO);
#ifndef GUEST_ELF
	secadm_port_start((bw_handle)vm);
#endif
	struct bw_msg m = {0};
	err = bw_recv((bw_handle)ep, &m);
	while (err == BW_OK) {
		struct exit_reply r = console_port_kick(m.info) ? resume(0, 0) : handle_exit(&m);
		m = (struct bw_msg){.info = bw_info(r.label, 0, 0), .mr = {r.flags, r.value}};
		if (r.label != BW_FAULT_RESUME) {
			bw_reply(&m);
			break;
		}
		if (!vblk_kicked(&blk)) {
			err = bw_reply_recv((bw_handle)ep, &m);
			continue;
		}
		/* The guest notified its disk: it runs on first, and while the
		 * block driver waits for the device the guest has the CPU, as
		 * beside a real disk.  Its exits meanwhile wait on the endpoint
		 * for the serve to end: the device models have this one
		 * thread. */
		bw_reply(&m);
		if (vblk_serve_kicked(&blk) && vgic_enabled(&gic, VBLK_INTID))
			bw_sys3(BW_SYS_VCPU_INJECT, vcpu_handle, VBLK_INTID, 0, NULL);
		m = (struct bw_msg){0};
		err = bw_recv((bw_handle)ep, &m);
	}
	console_port_stopped();
	report_exits("in all");
	console_port_report();
	bw_printf("vmm: guest ended after %lu exits (%lu MMIO, %lu HVC/SMC, %lu sysreg)\n", (unsigned long)exits,
		  (unsigned long)mmio_exits, (unsigned long)hvc_exits, (unsigned long)sysreg_exits);
	return 0;
}
