/* The user-level console driver. It owns the PL011 through a device grant
 * (its MMIO page and IRQ only) and prints the lines tasks send to its
 * endpoint, each prefixed with the sender's name. The name comes from the
 * badge of the sender's handle, minted by the system description (the
 * name's first 8 bytes, `badge = "name"`), so a task cannot print under
 * another's name. Output is polled; the IRQ is bound (for input, later)
 * and proven by a self-test a client can ask for. */
#include <bw/lib.h>

#define H_UART BW_BOOT_HANDLE(0)
#define H_EP   BW_BOOT_HANDLE(1)
#define H_IRQ  BW_BOOT_HANDLE(2)
#define UART_VA 0x20000000ul

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIMSC 0x38
#define UARTICR 0x44
#define UARTFR_TXFF (1u << 5)
#define UART_INT_TX (1u << 5)

static volatile uint32_t *uart;

static void putc_raw(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint8_t)c;
}

static void put_prefix(uint64_t badge)
{
	putc_raw('[');
	for (int i = 0; i < 8; i++) {
		char c = (char)(badge >> (8 * i));
		if (!c)
			break;
		putc_raw(c >= 0x20 && c < 0x7f ? c : '?');
	}
	putc_raw(']');
	putc_raw(' ');
}

static void print_chunk(uint64_t badge, const char *s, uint64_t n)
{
	int at_start = 1;
	for (uint64_t i = 0; i < n; i++) {
		if (at_start)
			put_prefix(badge);
		at_start = s[i] == '\n';
		if (s[i] == '\n')
			putc_raw('\r');
		putc_raw(s[i]);
	}
	if (!at_start) {
		putc_raw('\r');
		putc_raw('\n');
	}
}

/* Device-grant self-test: unmask the UART's transmit interrupt (QEMU's
 * PL011 holds it asserted once anything was sent), wait for it to arrive
 * as a notification, silence and acknowledge it. Returns the bits seen. */
static uint64_t irq_selftest(void)
{
	uint64_t bits = 0;
	uart[UARTIMSC / 4] = UART_INT_TX;
	uint64_t e = bw_wait(H_IRQ, &bits);
	uart[UARTIMSC / 4] = 0;
	uart[UARTICR / 4] = UART_INT_TX;
	bw_sys3(BW_SYS_IRQ_ACK, H_UART, 0, 0, NULL);
	return e == BW_OK ? bits : 0;
}

int main(void)
{
	static const char fail[] = "console: cannot map the UART\n";
	if (bw_sys3(BW_SYS_DEV_MAP, H_UART, UART_VA, 0, NULL) != BW_OK) {
		bw_debug_puts(fail, sizeof(fail) - 1);
		return 1;
	}
	uart = (volatile uint32_t *)UART_VA;
	bw_sys3(BW_SYS_IRQ_BIND, H_UART, H_IRQ, 0, NULL);
	print_chunk(0x656c6f736e6f63ull /* "console" */, "console driver owns the UART", 28);
	char buf[BW_CONSOLE_LINE_MAX];
	struct bw_msg m = {.info = bw_info(0, 0, sizeof(buf)), .buf = buf};
	uint64_t e = bw_recv(H_EP, &m);
	for (;;) {
		struct bw_msg r = {.info = bw_info(0, 0, sizeof(buf)), .buf = buf};
		if (e == BW_OK) {
			uint64_t label = bw_info_label(m.info);
			if (label == BW_CONSOLE_WRITE)
				print_chunk(m.badge, buf, bw_info_len(m.info));
			else if (label == BW_CONSOLE_IRQ_TEST)
				r.mr[0] = irq_selftest();
		}
		/* Lines come by send (nothing to answer); a call gets its reply
		 * here, together with the wait for the next message. */
		e = bw_reply_recv(H_EP, &r);
		m = r;
	}
}
