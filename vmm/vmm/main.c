/* A VMM task: one guest, one vCPU.  It builds the VM from memory it owns
 * (guest RAM is shared-memory regions mapped into the VM, each grant
 * checked by the kernel), loads the guest (carried in this task's image:
 * GUEST_KERNEL, an arm64 Linux Image, with GUEST_INITRD and GUEST_DTB; or
 * GUEST_ELF, a bare-metal ELF such as our RTOS, loaded at its link
 * addresses), starts the vCPU with the Linux arm64 boot protocol and then
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

#define H_CON BW_BOOT_HANDLE(0)
#define VMM_RAM_WINDOW 0x1000000000ul /* where this VMM sees guest RAM */
#define SHM_CHUNK (16ul << 20)         /* the kernel's largest shared region */
#ifndef VCPU_PRIO
#define VCPU_PRIO 20 /* below this VMM's own priority */
#endif
#define VM_QUOTA (1024 * 1024) /* stage-2 tables: 4 KiB pages, 2 KiB of tables per MiB */

#define BLOB(name, path)                                                                         \
	__asm__(".section .rodata\n .balign 4096\n .global " #name "\n" #name ":\n .incbin \"" path \
		"\"\n .global " #name "_end\n" #name "_end:\n .text\n")
#ifdef GUEST_ELF
BLOB(kernel_blob, GUEST_ELF);
#else
BLOB(kernel_blob, GUEST_KERNEL);
#endif
extern const uint8_t kernel_blob[], kernel_blob_end[];
#ifdef GUEST_DTB
BLOB(dtb_blob, GUEST_DTB);
extern const uint8_t dtb_blob[], dtb_blob_end[];
#endif
#ifdef GUEST_INITRD
BLOB(initrd_blob, GUEST_INITRD);
extern const uint8_t initrd_blob[], initrd_blob_end[];
#endif

#define UART_INTID 33 /* SPI 1, level: the DT's PL011 interrupt */
#define INPUT_STACK_SIZE 8192
/* Above the vCPU, so a busy guest cannot hold up its own input; at most
 * this task's priority, which is above the vCPU's. */
#define INPUT_PRIO (VCPU_PRIO + 1)

static struct pl011 uart;
static struct vgic gic;
static bw_handle vcpu_handle;
static bool uart_spi_enabled; /* as last seen by the exit thread */
static bool guest_running = true; /* until the exit loop ends */
static char line[160];
static unsigned line_len;
static uint64_t exits, mmio_exits, hvc_exits, sysreg_exits;
static uint64_t exits_by_class[64]; /* by the ESR's exception class */

/* The Linux guest's first userspace line ends the boot benchmark
 * (tests/vm/linux-vm --insns): the exits counted so far are reported just
 * before it, so the report is out before a harness stops the machine. */
#define BOOT_BENCH_LINE "bulwark-linux: userspace up"

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

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static void uart_byte(void *ctx, char c)
{
	(void)ctx;
	if (c == '\r')
		return;
	if (c == '\n' || line_len == sizeof(line) - 1) {
		line[line_len] = 0;
		if (starts_with(line, BOOT_BENCH_LINE))
			report_exits("until the first userspace line");
		bw_printf("%s\n", line);
		line_len = 0;
		if (c == '\n')
			return;
	}
	line[line_len++] = c;
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

/* Guest RAM: SHM_CHUNK regions, contiguous in the guest's physical space. */
static void make_ram(bw_handle vm)
{
	for (uint64_t off = 0; off < GUEST_RAM_SIZE; off += SHM_CHUNK) {
		uint64_t shm, err;
		if ((err = sys5(BW_SYS_SHM_CREATE, 0, SHM_CHUNK, 0, 0, 0, &shm)))
			fail("guest RAM", err);
		if ((err = sys5(BW_SYS_SHM_MAP, shm, 0, VMM_RAM_WINDOW + off, BW_R_READ | BW_R_WRITE, 0, NULL)))
			fail("mapping guest RAM into the VMM", err);
		if ((err = sys5(BW_SYS_SHM_MAP, shm, vm, GUEST_RAM_BASE + off, BW_R_READ | BW_R_WRITE | BW_R_EXEC, 0,
				NULL)))
			fail("granting guest RAM to the VM", err);
	}
}

/* Images are large (tens of MiB) and both sides page aligned: copy by words. */
static void copy_in(void *dst, const void *src, uint64_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (uint64_t i = 0; i < n / 8; i++)
		d[i] = s[i];
	memcpy((uint8_t *)dst + (n & ~7ul), (const uint8_t *)src + (n & ~7ul), n & 7);
	/* The guest starts with its MMU off (non-cacheable) and will execute
	 * some of this: clean it to the point of coherency and drop stale
	 * instructions (EL0 may, SCTLR_EL1.UCI; the kernel does not do it for
	 * VM memory). 64-byte lines or larger on every supported core. */
	for (uint64_t a = (uint64_t)dst & ~63ul; a < (uint64_t)dst + n; a += 64)
		__asm__ volatile("dc cvac, %0\n ic ivau, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb ish\n isb" ::: "memory");
}

static void *guest_ptr(uint64_t ipa)
{
	return (void *)(VMM_RAM_WINDOW + (ipa - GUEST_RAM_BASE));
}

static bool fits(uint64_t ipa, uint64_t size)
{
	return ipa >= GUEST_RAM_BASE && size <= GUEST_RAM_SIZE && ipa - GUEST_RAM_BASE <= GUEST_RAM_SIZE - size;
}

#ifdef GUEST_ELF
/* ELF64, little-endian, AArch64: every PT_LOAD segment at its physical
 * address, which must lie in guest RAM; the rest of a segment is zero
 * (guest RAM starts zeroed). */
struct elf64_hdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static uint64_t load_kernel(void)
{
	uint64_t size = (uint64_t)(kernel_blob_end - kernel_blob);
	struct elf64_hdr eh;
	if (size < sizeof(eh))
		fail("guest ELF: too short", size);
	memcpy(&eh, kernel_blob, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF", 4) || eh.ident[4] != 2 || eh.ident[5] != 1 || eh.machine != 183 ||
	    eh.phentsize != sizeof(struct elf64_phdr) || eh.phoff > size ||
	    (uint64_t)eh.phnum * sizeof(struct elf64_phdr) > size - eh.phoff)
		fail("guest ELF: not a valid AArch64 ELF64 image", 0);
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, kernel_blob + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != 1 /* PT_LOAD */)
			continue;
		if (ph.filesz > ph.memsz || ph.offset > size || ph.filesz > size - ph.offset || !fits(ph.paddr, ph.memsz))
			fail("guest ELF: a segment lies outside the file or guest RAM", ph.paddr);
		copy_in(guest_ptr(ph.paddr), kernel_blob + ph.offset, ph.filesz);
	}
	if (!fits(eh.entry, 4))
		fail("guest ELF: entry point outside guest RAM", eh.entry);
	return eh.entry;
}
#else
/* The arm64 Image header: text_offset at 8, image_size at 16, "ARM\x64" at 56. */
static uint64_t load_kernel(void)
{
	uint64_t size = (uint64_t)(kernel_blob_end - kernel_blob);
	const uint8_t *h = kernel_blob;
	if (size < 64 || h[56] != 'A' || h[57] != 'R' || h[58] != 'M' || h[59] != 0x64)
		fail("guest kernel: not an arm64 Image", 0);
	uint64_t text_offset, image_size;
	memcpy(&text_offset, h + 8, 8);
	memcpy(&image_size, h + 16, 8);
	uint64_t entry = GUEST_KERNEL_BASE + text_offset;
	if (image_size < size)
		image_size = size;
	if (!fits(entry, image_size) || entry + image_size > GUEST_INITRD_BASE)
		fail("guest kernel: does not fit below the initrd", image_size);
	copy_in(guest_ptr(entry), kernel_blob, size);
	return entry;
}
#endif

/* The DTB's guest address, or 0 for a guest that takes none. */
static uint64_t load_blobs(void)
{
	uint64_t dtb = 0;
#ifdef GUEST_DTB
	uint64_t dtb_size = (uint64_t)(dtb_blob_end - dtb_blob);
	if (!fits(GUEST_DTB_BASE, dtb_size))
		fail("device tree: does not fit", dtb_size);
	copy_in(guest_ptr(GUEST_DTB_BASE), dtb_blob, dtb_size);
	dtb = GUEST_DTB_BASE;
#endif
#ifdef GUEST_INITRD
	uint64_t initrd_size = (uint64_t)(initrd_blob_end - initrd_blob);
	if (!fits(GUEST_INITRD_BASE, initrd_size) || GUEST_INITRD_BASE + initrd_size > GUEST_DTB_BASE)
		fail("initrd: does not fit below the device tree", initrd_size);
	copy_in(guest_ptr(GUEST_INITRD_BASE), initrd_blob, initrd_size);
#endif
	return dtb;
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

static void raise_uart_irq(void)
{
	bw_sys3(BW_SYS_VCPU_INJECT, vcpu_handle, UART_INTID, 0, NULL);
}

/* The PL011's line is a level, the virtual GIC takes an injection as an
 * edge that stays pending: inject whenever the line may have risen.  A
 * spurious injection only costs the guest a handler run that finds UARTMIS
 * clear; a missed one would leave typed bytes unread. */
static void uart_line_update(bool was_high)
{
	bool high = pl011_irq_status(&uart) != 0;
	bool enabled = vgic_enabled(&gic, UART_INTID);
	if (high && enabled && (!was_high || !uart_spi_enabled))
		raise_uart_irq();
	uart_spi_enabled = enabled;
}

#ifndef GUEST_ELF
/* Bytes routed to this guest by the console driver.  They are queued for
 * the guest and the interrupt raised from this thread, so a guest idling
 * in WFI wakes up; the exit thread drains the queue as the guest reads. */
static bw_handle input_ep;
static _Alignas(16) uint8_t input_stack[INPUT_STACK_SIZE];

static void input_thread(uint64_t arg)
{
	(void)arg;
	uint8_t buf[BW_CONSOLE_LINE_MAX];
	bool dropping = false, told_stopped = false;
	for (;;) {
		struct bw_msg m = {.info = bw_info(0, 0, sizeof buf), .buf = buf};
		if (bw_recv(input_ep, &m) != BW_OK || bw_info_label(m.info) != BW_CONSOLE_INPUT)
			continue;
		uint64_t n = bw_info_len(m.info);
		if (n > sizeof buf)
			n = sizeof buf;
		if (!__atomic_load_n(&guest_running, __ATOMIC_ACQUIRE)) {
			if (!told_stopped)
				bw_printf("vmm: the guest has stopped: its console input is ignored\n");
			told_stopped = true;
			continue;
		}
		/* Reported once per burst of drops, not once per keystroke. */
		bool dropped = pl011_rx_push(&uart, buf, (unsigned)n) < n;
		if (dropped && !dropping)
			bw_printf("vmm: the guest is not reading its console: %lu input bytes dropped in all\n",
				  (unsigned long)uart.rx_dropped);
		dropping = dropped;
		if (pl011_irq_status(&uart) && vgic_enabled(&gic, UART_INTID))
			raise_uart_irq();
	}
}

/* Asks the console driver for input: it gets a send-only handle to an
 * endpoint of ours.  Without a console (or if it refuses) the guest simply
 * never receives a byte. */
static void register_for_input(void)
{
	uint64_t ep, sendonly, err;
	if ((err = sys5(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, &ep)) ||
	    (err = sys5(BW_SYS_HANDLE_MINT, ep, BW_R_SEND | BW_R_GRANT, 0, 0, 0, &sendonly))) {
		bw_printf("vmm: no console input: error %lu\n", (unsigned long)err);
		return;
	}
	input_ep = (bw_handle)ep;
	if ((err = sys5(BW_SYS_THREAD_CREATE, BW_HANDLE_SELF_TASK, (uint64_t)(uintptr_t)input_thread,
			(uint64_t)(uintptr_t)(input_stack + sizeof input_stack), INPUT_PRIO, 0, NULL))) {
		bw_printf("vmm: no console input thread: error %lu\n", (unsigned long)err);
		return;
	}
	struct bw_msg m = {.info = bw_info(BW_CONSOLE_INPUT_REGISTER, 0, 0) | BW_INFO_XFER, .handle = sendonly};
	if ((err = bw_send(H_CON, &m)) != BW_OK)
		bw_printf("vmm: the console refused input registration: error %lu\n", (unsigned long)err);
}
#endif

static struct exit_reply mmio(uint64_t esr, uint64_t ipa, uint64_t value, uint64_t pc)
{
	if (!bw_abort_decoded(esr))
		return stop_guest("MMIO access without syndrome", esr, ipa, pc);
	bool write = bw_abort_is_write(esr);
	struct vmm_access a = {.bytes = bw_abort_bytes(esr), .write = write, .value = value};
	bool known;
	if (ipa >= 0x09000000 && ipa < 0x09000000 + PL011_SIZE) {
		a.offset = ipa - 0x09000000;
		bool was_high = pl011_irq_status(&uart) != 0;
		known = pl011_access(&uart, &a);
		if (write)
			uart_line_update(was_high);
	} else if (ipa >= 0x08000000 && ipa < 0x08000000 + VGIC_DIST_SIZE) {
		a.offset = ipa - 0x08000000;
		known = vgic_dist_access(&gic, &a);
		if (write)
			uart_line_update(true); /* an SPI just enabled finds its line high */
	} else if (ipa >= 0x080a0000 && ipa < 0x080a0000 + VGIC_REDIST_SIZE) {
		a.offset = ipa - 0x080a0000;
		known = vgic_redist_access(&gic, &a);
	} else {
		return stop_guest("access outside its RAM and devices", esr, ipa, pc);
	}
	if (!known)
		return stop_guest("unemulated device register", esr, ipa, pc);
	return resume(BW_VCPU_SKIP | (write ? 0 : BW_VCPU_LOAD), a.value);
}

static struct exit_reply handle_exit(const struct bw_msg *m)
{
	uint64_t esr = m->mr[0], pc = m->mr[2];
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
			return stop_guest("reset requested (PSCI); restart is not implemented", esr, m->mr[1], pc);
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
	pl011_init(&uart, uart_byte, NULL);
	vgic_init(&gic);
	uint64_t vm, ep, vcpu, err;
	if ((err = sys5(BW_SYS_VM_CREATE, 0, VM_QUOTA, 0, 0, 0, &vm)))
		fail("creating the VM", err);
	make_ram((bw_handle)vm);
	uint64_t entry = load_kernel();
	uint64_t dtb = load_blobs();
	if ((err = sys5(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, &ep)))
		fail("exit endpoint", err);
	bw_printf("vmm: %lu MiB guest RAM, entry %lx, DTB at %lx; starting the vCPU\n",
		  (unsigned long)(GUEST_RAM_SIZE >> 20), (unsigned long)entry, (unsigned long)dtb);
	/* The arm64 boot protocol: x0 = DTB, EL1h, interrupts masked, MMU off. */
	if ((err = sys5(BW_SYS_VCPU_CREATE, vm, entry, dtb, VCPU_PRIO, ep, &vcpu)))
		fail("creating the vCPU", err);
	vcpu_handle = (bw_handle)vcpu;
#ifndef GUEST_ELF
	/* A bare-metal guest (our RTOS) only transmits: no input for it. */
	register_for_input();
#endif
	struct bw_msg m = {0};
	err = bw_recv((bw_handle)ep, &m);
	while (err == BW_OK) {
		struct exit_reply r = handle_exit(&m);
		m = (struct bw_msg){.info = bw_info(r.label, 0, 0), .mr = {r.flags, r.value}};
		if (r.label != BW_FAULT_RESUME) {
			bw_reply(&m);
			break;
		}
		err = bw_reply_recv((bw_handle)ep, &m);
	}
	__atomic_store_n(&guest_running, false, __ATOMIC_RELEASE);
	report_exits("in all");
	bw_printf("vmm: guest ended after %lu exits (%lu MMIO, %lu HVC/SMC, %lu sysreg)\n", (unsigned long)exits,
		  (unsigned long)mmio_exits, (unsigned long)hvc_exits, (unsigned long)sysreg_exits);
	return 0;
}
