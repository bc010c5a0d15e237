/* The guest's PL011 and everything around it: bytes out to the console
 * driver line by line, bytes in from it (a thread of its own), the
 * interrupt line, and the kernel's MMIO short path.
 *
 * The short path (bulwark/vcpu.h BW_SYS_VCPU_MMIO_FAST): the kernel appends
 * the guest's UARTDR writes to a ring in a page shared with this VMM and
 * answers UARTFR reads from a word this file keeps current.  The exit loop
 * drains the ring before it handles any exit, so the model sees every
 * write before any later access that exits (TXIS latch, interrupt line
 * exactly as if each write had exited).  The kernel signals a notification
 * at a newline, at half a ring, when the guest idles or exits with entries
 * queued, and at its tick for entries a tick old; a thread waits on it and hands the drain to the exit
 * loop as a call on the exit endpoint, so the model has a single thread
 * changing it. */
#include "console_port.h"
#include <bulwark/vcpu.h>
#include <bw/lib.h>

#define H_CON BW_BOOT_HANDLE(0)
#define UARTDR 0x000
#define UARTFR 0x018
#define THREAD_STACK_SIZE 8192
/* Where this VMM maps the shared page: clear of guest RAM (0x10_0000_0000,
 * guest_build.c) and the block buffer (0x20_0000_0000, backends.c). */
#define SHORT_PATH_PAGE 0x3000000000ul
#define KICK_LABEL 0x6b69636bul         /* "kick": the short path's thread */

/* The Linux guest's first userspace line ends the boot benchmark
 * (tests/vm/linux-vm --insns): the exits counted so far are reported just
 * before it, so the report is out before a harness stops the machine. */
#define BOOT_BENCH_LINE "bulwark-linux: userspace up"

static struct pl011 uart;
static struct vgic *gic;
static void (*boot_line_seen)(void);
static bw_handle vcpu_handle;
static bool uart_spi_enabled; /* as last seen by the exit thread */
static bool guest_running = true; /* until the exit loop ends */
static char line[160];
static unsigned line_len;

static struct bw_mmio_fast *shared; /* NULL: no short path */
static uint32_t ring_tail;          /* ours; published in shared->tail */
static bw_handle wake_notification, exit_endpoint;

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
		if (starts_with(line, BOOT_BENCH_LINE) && boot_line_seen)
			boot_line_seen();
		bw_printf("%s\n", line);
		line_len = 0;
		if (c == '\n')
			return;
	}
	line[line_len++] = c;
}

void console_port_init(struct vgic *g, void (*on_boot_line)(void))
{
	gic = g;
	boot_line_seen = on_boot_line;
	pl011_init(&uart, uart_byte, NULL);
}

static void raise_uart_irq(void)
{
	bw_sys3(BW_SYS_VCPU_INJECT, vcpu_handle, CONSOLE_UART_INTID, 0, NULL);
}

/* The PL011's line is a level, the virtual GIC takes an injection as an
 * edge that stays pending: inject whenever the line may have risen.  A
 * spurious injection only costs the guest a handler run that finds UARTMIS
 * clear; a missed one would leave typed bytes unread. */
static void uart_line_update(bool was_high)
{
	bool high = pl011_irq_status(&uart) != 0;
	bool enabled = vgic_enabled(gic, CONSOLE_UART_INTID);
	if (high && enabled && (!was_high || !uart_spi_enabled))
		raise_uart_irq();
	uart_spi_enabled = enabled;
}

/* UARTFR as the kernel answers it.  Two threads change what it depends on
 * (input arrives, the guest reads): each republishes after its change and
 * again if the receive ring moved meanwhile, so the last value stands. */
static void publish_flags(void)
{
	if (!shared)
		return;
	uint32_t fr;
	do {
		fr = pl011_flags(&uart);
		__atomic_store_n(&shared->read_value[0], fr, __ATOMIC_RELEASE);
	} while (pl011_flags(&uart) != fr);
}

void console_port_drain(void)
{
	if (!shared)
		return;
	uint32_t head = __atomic_load_n(&shared->head, __ATOMIC_ACQUIRE);
	if (head == ring_tail)
		return;
	bool was_high = pl011_irq_status(&uart) != 0;
	for (; ring_tail != head; ring_tail++) {
		const struct bw_mmio_fast_entry *e = &shared->ring[ring_tail % BW_MMIO_FAST_SLOTS];
		struct vmm_access a = {.offset = e->offset, .bytes = e->bytes, .write = true, .value = e->value};
		pl011_access(&uart, &a);
	}
	__atomic_store_n(&shared->tail, ring_tail, __ATOMIC_RELEASE);
	/* Within a run of data writes the line can only rise at the first. */
	uart_line_update(was_high);
}

bool console_port_kick(uint64_t info)
{
	if ((info & BW_INFO_FAULT) || bw_info_label(info) != KICK_LABEL)
		return false;
	console_port_drain();
	return true;
}

bool console_port_mmio(uint64_t ipa, struct vmm_access *a, bool *known)
{
	if (ipa < CONSOLE_PL011_BASE || ipa >= CONSOLE_PL011_BASE + PL011_SIZE)
		return false;
	a->offset = ipa - CONSOLE_PL011_BASE;
	bool was_high = pl011_irq_status(&uart) != 0;
	*known = pl011_access(&uart, a);
	if (a->write)
		uart_line_update(was_high);
	else
		publish_flags(); /* a data read may have emptied the receive ring */
	return true;
}

void console_port_gic_written(void)
{
	uart_line_update(true); /* an SPI just enabled finds its line high */
}

void console_port_stopped(void)
{
	__atomic_store_n(&guest_running, false, __ATOMIC_RELEASE);
}

void console_port_report(void)
{
	if (!shared)
		return;
	bw_printf("vmm: MMIO short path absorbed %lu exits (%lu UARTDR writes, %lu UARTFR reads); "
		  "%u writes exited on a full ring\n",
		  (unsigned long)(shared->writes_absorbed + shared->reads_answered),
		  (unsigned long)shared->writes_absorbed, (unsigned long)shared->reads_answered,
		  shared->full_exits);
}

/* Bytes routed to this guest by the console driver.  They are queued for
 * the guest and the interrupt raised from this thread, so a guest idling
 * in WFI wakes up; the exit thread drains the queue as the guest reads. */
static bw_handle input_ep;
static _Alignas(16) uint8_t input_stack[THREAD_STACK_SIZE];

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
		publish_flags(); /* RXFE clear before the interrupt says so */
		if (pl011_irq_status(&uart) && vgic_enabled(gic, CONSOLE_UART_INTID))
			raise_uart_irq();
	}
}

/* Asks the console driver for input: it gets a send-only handle to an
 * endpoint of ours.  Without a console (or if it refuses) the guest simply
 * never receives a byte. */
static void register_for_input(uint64_t prio, bool take_focus)
{
	uint64_t ep, sendonly, err;
	if ((err = bw_sys3(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, &ep)) ||
	    (err = bw_sys3(BW_SYS_HANDLE_MINT, ep, BW_R_SEND | BW_R_GRANT, 0, &sendonly))) {
		bw_printf("vmm: no console input: error %lu\n", (unsigned long)err);
		return;
	}
	input_ep = (bw_handle)ep;
	if ((err = bw_thread_start(input_thread, input_stack + sizeof input_stack, prio, 0,
				    NULL))) {
		bw_printf("vmm: no console input thread: error %lu\n", (unsigned long)err);
		return;
	}
	struct bw_msg m = {.info = bw_info(BW_CONSOLE_INPUT_REGISTER, 0, 0) | BW_INFO_XFER, .handle = sendonly,
			   .mr = {take_focus ? BW_CONSOLE_INPUT_FOCUS : 0}};
	if ((err = bw_send(H_CON, &m)) != BW_OK)
		bw_printf("vmm: the console refused input registration: error %lu\n", (unsigned long)err);
}

static _Alignas(16) uint8_t wake_stack[THREAD_STACK_SIZE];

/* The kernel's wake-ups become calls on the exit endpoint: the exit loop
 * drains, so the device model never has two threads in it. */
static void wake_thread(uint64_t arg)
{
	(void)arg;
	for (;;) {
		uint64_t bits, err = bw_wait(wake_notification, &bits);
		if (err == BW_E_DENIED) {
			/* A policy withdrew the wait: the ring is drained at every
			 * exit meanwhile; try again later rather than give up. */
			bw_sleep_us(100000);
			continue;
		}
		if (err) {
			bw_printf("vmm: console short path: wake-up wait failed: error %lu\n", (unsigned long)err);
			bw_thread_exit(); /* never return: a thread's entry has nowhere to return to */
		}
		if (__atomic_load_n(&shared->head, __ATOMIC_ACQUIRE) == __atomic_load_n(&shared->tail, __ATOMIC_ACQUIRE))
			continue; /* drained already, by an exit that came first */
		struct bw_msg m = {.info = bw_info(KICK_LABEL, 0, 0)};
		bw_call(exit_endpoint, &m);
	}
}

/* Without it (refused, or no memory) every access simply exits. */
static void start_short_path(uint64_t prio)
{
	uint64_t shm, n, err;
	struct bw_mmio_fast *page = (struct bw_mmio_fast *)SHORT_PATH_PAGE;
	if ((err = bw_sys3(BW_SYS_SHM_CREATE, 0, sizeof *page, 0, &shm)) ||
	    (err = bw_sys(BW_SYS_SHM_MAP, shm, 0, SHORT_PATH_PAGE, BW_R_READ | BW_R_WRITE, 0, NULL)) ||
	    (err = bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &n))) {
		bw_printf("vmm: no MMIO short path: error %lu\n", (unsigned long)err);
		return;
	}
	for (int i = 0; i < BW_MMIO_FAST_REGS; i++)
		page->write_offset[i] = page->read_offset[i] = BW_MMIO_FAST_UNUSED;
	page->write_offset[0] = UARTDR;
	page->read_offset[0] = UARTFR;
	page->read_value[0] = pl011_flags(&uart);
	wake_notification = (bw_handle)n;
	if ((err = bw_thread_start(wake_thread, wake_stack + sizeof wake_stack, prio, 0, NULL)) ||
	    (err = bw_sys(BW_SYS_VCPU_MMIO_FAST, vcpu_handle, CONSOLE_PL011_BASE, shm, n, BW_MMIO_FAST_WAKE_NEWLINE,
			  NULL))) {
		bw_printf("vmm: no MMIO short path: error %lu\n", (unsigned long)err);
		return;
	}
	shared = page;
	publish_flags(); /* input may have come in meanwhile */
}

void console_port_start(bw_handle vcpu, bw_handle exit_ep, uint64_t input_prio, bool take_focus)
{
	vcpu_handle = vcpu;
	exit_endpoint = exit_ep;
	register_for_input(input_prio, take_focus);
	start_short_path(input_prio);
}
