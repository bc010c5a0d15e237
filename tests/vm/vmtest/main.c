/* The VM test: a minimal VMM for the in-tree test guest (tests/vm/guest),
 * plus a second VM whose VMM thread dies on purpose.  Checks that VM exits
 * arrive decoded, that replies complete loads, HVCs and sysreg accesses,
 * that the guest's virtual timer and injected interrupts reach it through
 * the list registers, that a guest touching memory outside its VM is
 * stopped while other threads keep running, and that a dead VMM stops only
 * its own guest.  Prints "N passed, N failed" (tests/qemu/run). */
#include <bulwark/vcpu.h>
#include <bw/lib.h>
#include <bw/sys.h>
#include <vmm/devices.h>
#include "../testdev.h"
#include "mmio_fast.h"

#define H_CON BW_BOOT_HANDLE(0)
#define VMM_WINDOW 0x10000000ul /* where this VMM sees guest RAM */
#define VMM_WINDOW_B 0x11000000ul
#define PRIO_VMM 30
#define PRIO_GUEST 20
#define VM_QUOTA (64 * 1024)
#define GUEST_CHECKS 14
#define B_HEARTBEATS_BEFORE_DEATH 100

extern const uint8_t guest_image[], guest_image_end[];
__asm__(".section .rodata\n .balign 16\n .global guest_image\nguest_image:\n .incbin \"" GUEST_BIN "\"\n"
	" .global guest_image_end\nguest_image_end:\n .text\n");

static unsigned passed, failed;
static bool guest_result[GUEST_CHECKS + 1];
static unsigned guest_reports;
static volatile uint64_t ticker_count, b_heartbeats;
static uint64_t ticker_stack[512] __attribute__((aligned(16)));
static uint64_t vmm_b_stack[1024] __attribute__((aligned(16)));
static struct pl011 uart;
static struct vgic gic;
static char line[128];
static volatile uint64_t *volatile crash_address = (volatile uint64_t *)8;
static unsigned line_len;

static void expect(const char *name, int ok)
{
	if (ok)
		passed++;
	else {
		failed++;
		bw_printf("FAIL: %s\n", name);
	}
}

static uint64_t sys5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t *out1)
{
	struct bw_regs r;
	uint64_t e = bw_sys(nr, a0, a1, a2, a3, a4, &r);
	if (out1)
		*out1 = r.x[1];
	return e;
}

static uint64_t thread_state(bw_handle t)
{
	struct bw_regs r;
	if (bw_sys(BW_SYS_THREAD_STATE, t, 0, 0, 0, 0, &r) != BW_OK)
		return 0;
	return r.x[1];
}

/* Guest RAM with the test guest in it, mapped into a new VM. */
static bw_handle make_vm(uint64_t window, bw_handle *vm_out)
{
	uint64_t shm, vm;
	uint64_t size = (uint64_t)(guest_image_end - guest_image);
	if (sys5(BW_SYS_SHM_CREATE, 0, GUEST_RAM_SIZE, 0, 0, 0, &shm) != BW_OK ||
	    sys5(BW_SYS_SHM_MAP, shm, 0, window, BW_R_READ | BW_R_WRITE, 0, NULL) != BW_OK)
		return 0;
	memcpy((void *)window, guest_image, size);
	/* Cleaned to the point of coherency for a guest with its MMU off: the
	 * kernel leaves that to the VMM (see vmm/vmm/main.c). */
	for (uint64_t a = window; a < window + size; a += 64)
		__asm__ volatile("dc cvac, %0\n ic ivau, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb ish\n isb" ::: "memory");
	if (sys5(BW_SYS_VM_CREATE, 0, VM_QUOTA, 0, 0, 0, &vm) != BW_OK)
		return 0;
	expect("a VM's memory may be read+write+exec",
	       sys5(BW_SYS_SHM_MAP, shm, vm, GUEST_RAM_BASE, BW_R_READ | BW_R_WRITE | BW_R_EXEC, 0, NULL) == BW_OK);
	expect("a VM task takes no native threads",
	       bw_thread_create((bw_handle)vm, (void (*)(uint64_t))0x1000, (void *)0x2000, 1, 0, NULL) == BW_E_INVAL);
	*vm_out = (bw_handle)vm;
	return (bw_handle)shm;
}

/* Shares the guests' priority, so they are switched out now and then;
 * paused (TESTDEV_TICKER), it leaves a guest alone on the CPU. */
static volatile bool ticker_paused;
static bw_handle ticker_resume;
static bw_handle vcpu_b_handle; /* read by guest A through TESTDEV_B_GONE */

static void ticker(uint64_t arg)
{
	(void)arg;
	for (;;) {
		uint64_t bits;
		if (ticker_paused && ticker_resume)
			bw_wait(ticker_resume, &bits);
		ticker_count++;
		bw_yield();
	}
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

static void pl011_byte(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n' || line_len == sizeof(line) - 1) {
		line[line_len] = 0;
		bw_printf("[guest] %s\n", line);
		line_len = 0;
		if (c == '\n')
			return;
	}
	line[line_len++] = c;
}

static bool done;
static uint64_t exits_served; /* guest A's, read through TESTDEV_EXITS */

/* The guest's bad-exception handler stores its ESR_EL1 in the heartbeat register
 * before reporting. */
static uint64_t last_count, prev_count;
static uint64_t bench_start, bench_end;

static struct exit_reply mmio(bw_handle vcpu, uint64_t esr, uint64_t ipa, uint64_t value, uint64_t pc)
{
	if (!bw_abort_decoded(esr))
		return stop_guest("MMIO access without syndrome", esr, ipa, pc);
	bool write = bw_abort_is_write(esr);
	struct vmm_access acc = {.bytes = bw_abort_bytes(esr), .write = write, .value = value};
	bool known = false, device = true;
	if (ipa >= 0x09000000 && ipa < 0x09000000 + PL011_SIZE) {
		acc.offset = ipa - 0x09000000;
		known = pl011_access(&uart, &acc);
	} else if (ipa >= 0x08000000 && ipa < 0x08000000 + VGIC_DIST_SIZE) {
		acc.offset = ipa - 0x08000000;
		known = vgic_dist_access(&gic, &acc);
	} else if (ipa >= 0x080a0000 && ipa < 0x080a0000 + VGIC_REDIST_SIZE) {
		acc.offset = ipa - 0x080a0000;
		known = vgic_redist_access(&gic, &acc);
	} else {
		device = false;
	}
	if (device) {
		if (!known)
			return stop_guest("unhandled device register", esr, ipa, pc);
		return resume(BW_VCPU_SKIP | (write ? 0 : BW_VCPU_LOAD), acc.value);
	}
	if (ipa < TESTDEV_BASE || ipa >= TESTDEV_BASE + 0x1000)
		return stop_guest("access outside its RAM and devices", esr, ipa, pc);
	uint64_t off = ipa - TESTDEV_BASE;
	if (!write && off == TESTDEV_EXITS)
		return resume(BW_VCPU_SKIP | BW_VCPU_LOAD, exits_served);
	if (!write && off == TESTDEV_B_GONE)
		return resume(BW_VCPU_SKIP | BW_VCPU_LOAD,
			      vcpu_b_handle && thread_state(vcpu_b_handle) == BW_THREAD_STOPPED);
	if (write && off == TESTDEV_TICKER) {
		ticker_paused = value == 0;
		if (!ticker_paused)
			bw_signal(ticker_resume);
		return resume(BW_VCPU_SKIP, 0);
	}
	if (!write && off >= TESTDEV_PATTERN && off < TESTDEV_PATTERN + 8)
		return resume(BW_VCPU_SKIP | BW_VCPU_LOAD, TESTDEV_PATTERN_VALUE >> (8 * (off - TESTDEV_PATTERN)));
	if (write && off == TESTDEV_RESULT) {
		unsigned n = (unsigned)(value >> 1);
		if (n >= 1 && n <= GUEST_CHECKS)
			guest_result[n] = value & 1;
		else if (n == 99)
			bw_printf("vmm: guest took an unexpected exception: esr %lx elr %lx\n", (unsigned long)prev_count,
				  (unsigned long)last_count);
		else
			bw_printf("vmm: unexpected guest report %lx\n", (unsigned long)value);
		guest_reports++;
	} else if (write && off == TESTDEV_INJECT) {
		/* As a device model would: only lines the guest enabled. */
		for (uint64_t i = 0; i < value && i < 16; i++)
			if (vgic_enabled(&gic, GUEST_SPI_FIRST + (uint32_t)i))
				expect("inject", sys5(BW_SYS_VCPU_INJECT, vcpu, GUEST_SPI_FIRST + i, 0, 0, 0, NULL) == BW_OK);
	} else if (write && off == TESTDEV_DONE) {
		done = true;
	} else if (write && off == TESTDEV_BENCH) {
		if (value == 0)
			bench_start = bw_insns();
		else if (value == BENCH_EXITS - 1)
			bench_end = bw_insns();
	} else if (write && off == TESTDEV_COUNT) {
		prev_count = last_count;
		last_count = value;
	} else {
		return stop_guest("unknown test-device register", esr, ipa, pc);
	}
	return resume(BW_VCPU_SKIP, 0);
}

static struct exit_reply handle_exit(bw_handle vcpu, const struct bw_msg *m)
{
	exits_served++;
	uint64_t esr = m->mr[0], pc = m->mr[2];
	switch (bw_esr_ec(esr)) {
	case BW_EC_DABT_LOW:
		return mmio(vcpu, esr, m->mr[1], m->mr[3], pc);
	case BW_EC_HVC64: {
		/* Only x0 and x1 travel in the exit message: enough for the
		 * calls this guest makes. */
		struct psci_result r = psci_call(m->mr[1], m->mr[3], 0, 0);
		if (r.action != PSCI_RESUME)
			return stop_guest("PSCI power off/reset", esr, m->mr[1], pc);
		return resume(BW_VCPU_LOAD, (uint64_t)r.x0);
	}
	case BW_EC_SYSREG: /* e.g. the EL1 physical timer: reads as zero, writes ignored */
		return resume(BW_VCPU_SKIP | BW_VCPU_LOAD, 0);
	}
	return stop_guest("unhandled exit", esr, m->mr[1], pc);
}

/* Serve one VM's exits until it is stopped (returns) or forever. */
static void serve(bw_handle ep, bw_handle vcpu, bool stop_after_outside)
{
	struct bw_msg m = {0};
	uint64_t err = bw_recv(ep, &m);
	while (err == BW_OK) {
		if (!(m.info & BW_INFO_FAULT) || bw_info_label(m.info) != BW_FAULT_LABEL) {
			bw_printf("vmm: unexpected message\n");
			return;
		}
		struct exit_reply r = handle_exit(vcpu, &m);
		struct bw_msg rep = {.info = bw_info(r.label, 0, 0), .mr = {r.flags, r.value}};
		if (r.label != BW_FAULT_RESUME && stop_after_outside) {
			bw_reply(&rep);
			return;
		}
		m = rep;
		err = bw_reply_recv(ep, &m);
	}
	bw_printf("vmm: receive failed: %lu\n", (unsigned long)err);
}

/* The second guest's VMM: serves heartbeats, then dies of a bug. */
static void vmm_b(uint64_t ep)
{
	struct bw_msg m = {0};
	uint64_t err = bw_recv((bw_handle)ep, &m);
	while (err == BW_OK) {
		if (++b_heartbeats == B_HEARTBEATS_BEFORE_DEATH)
			*crash_address = 0; /* the crash */
		m = (struct bw_msg){.info = bw_info(BW_FAULT_RESUME, 0, 0), .mr = {BW_VCPU_SKIP, 0}};
		err = bw_reply_recv((bw_handle)ep, &m);
	}
}

int main(void)
{
	bw_console_set(H_CON);
	pl011_init(&uart, pl011_byte, NULL);
	vgic_init(&gic);
	bw_printf("vmtest: guest image %lu bytes\n", (unsigned long)(guest_image_end - guest_image));
	bw_handle vm_a, vm_b;
	uint64_t ep_a = 0, ep_b = 0, vcpu_a = 0, vcpu_b = 0, t;
	expect("guest RAM A", make_vm(VMM_WINDOW, &vm_a) != 0);
	expect("guest RAM B", make_vm(VMM_WINDOW_B, &vm_b) != 0);
	expect("endpoints", sys5(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, &ep_a) == BW_OK &&
				    sys5(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, &ep_b) == BW_OK);
	expect("vCPU needs a VM task", sys5(BW_SYS_VCPU_CREATE, BW_HANDLE_SELF_TASK, GUEST_RAM_BASE, 0, PRIO_GUEST,
					     ep_a, NULL) == BW_E_INVAL);
	expect("vCPU needs an endpoint", sys5(BW_SYS_VCPU_CREATE, vm_a, GUEST_RAM_BASE, 0, PRIO_GUEST, vm_a, NULL) != BW_OK);
	expect("vCPU priority bounded", sys5(BW_SYS_VCPU_CREATE, vm_a, GUEST_RAM_BASE, 0, 63, ep_a, NULL) == BW_E_RANGE);

	uint64_t note = 0;
	expect("ticker's notification", bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &note) == BW_OK);
	ticker_resume = (bw_handle)note;
	expect("ticker thread", bw_thread_create(BW_HANDLE_SELF_TASK, ticker, ticker_stack + 512, PRIO_GUEST, 0, NULL) == BW_OK);
	bw_handle vmm_b_thread = 0;
	expect("VMM B thread",
	       bw_thread_create(BW_HANDLE_SELF_TASK, vmm_b, vmm_b_stack + 1024, PRIO_VMM, ep_b, &vmm_b_thread) == BW_OK);
	expect("vCPU B", sys5(BW_SYS_VCPU_CREATE, vm_b, GUEST_RAM_BASE, SCENARIO_HOLD_TIMER, PRIO_GUEST, ep_b, &vcpu_b) == BW_OK);
	vcpu_b_handle = (bw_handle)vcpu_b;
	expect("vCPU A", sys5(BW_SYS_VCPU_CREATE, vm_a, GUEST_RAM_BASE, SCENARIO_CHECKS, PRIO_GUEST, ep_a, &vcpu_a) == BW_OK);
	expect("one vCPU per VM", sys5(BW_SYS_VCPU_CREATE, vm_a, GUEST_RAM_BASE, 0, PRIO_GUEST, ep_a, &t) == BW_E_INVAL);
	expect("inject: INTID range", sys5(BW_SYS_VCPU_INJECT, vcpu_a, 1020, 0, 0, 0, NULL) == BW_E_INVAL);

	uint64_t t0 = ticker_count;
	serve((bw_handle)ep_a, (bw_handle)vcpu_a, true);
	for (unsigned n = 1; n <= GUEST_CHECKS; n++) {
		char name[48];
		bw_snprintf(name, sizeof(name), "guest check %u", n);
		expect(name, guest_result[n]);
	}
	expect("guest reported every check", guest_reports == GUEST_CHECKS);
	expect("guest finished before being stopped", done);
	expect("guest A stopped after touching memory outside its VM", thread_state(vcpu_a) == BW_THREAD_STOPPED);
	expect("another thread kept running meanwhile", ticker_count > t0);
	/* Beside the guests for a while: guest B runs until its VMM dies. */
	bw_sys3(BW_SYS_THREAD_SET_PRIO, BW_HANDLE_SELF_THREAD, PRIO_GUEST, 0, NULL);
	for (int i = 0; i < 1000 && thread_state(vmm_b_thread) != BW_THREAD_STOPPED; i++)
		bw_yield();
	bw_sys3(BW_SYS_THREAD_SET_PRIO, BW_HANDLE_SELF_THREAD, PRIO_VMM, 0, NULL);
	expect("VMM B served its guest, then died", thread_state(vmm_b_thread) == BW_THREAD_STOPPED &&
	       b_heartbeats >= B_HEARTBEATS_BEFORE_DEATH);
	uint64_t hb = b_heartbeats;
	bw_yield();
	expect("guest B is stopped with its VMM", thread_state(vcpu_b) == BW_THREAD_STOPPED && hb == b_heartbeats);
	bw_printf("vmtest: ticker %lu, guest B heartbeats %lu\n", (unsigned long)ticker_count, (unsigned long)hb);
	vmtest_mmio_fast(expect);
	/* The event counter is 32 bits wide: the difference is modular.  QEMU
	 * counts instructions only under -icount (tests/vm/bench.sh). */
	uint32_t bench_insns = (uint32_t)(bench_end - bench_start);
	/* Instructions at EL0, EL1 and EL2 from one exit's handling to the
	 * next: guest store, kernel exit, VMM, reply, kernel entry. */
	if (bench_insns)
		bw_printf("BENCH vm_exit_insns %lu instructions per trapped MMIO store round trip through the VMM\n",
			  (unsigned long)(bench_insns / (BENCH_EXITS - 1)));
	bw_printf("%u passed, %u failed\n", passed, failed);
	return 0;
}
