/* The user-level console driver. It owns the PL011 through a device grant
 * (its MMIO page and IRQ only) and prints the lines tasks send to its
 * endpoint, each prefixed with the sender's name. The name comes from the
 * badge of the sender's handle, minted by the system description (the
 * name's first 8 bytes, `badge = "name"`), so a task cannot print under
 * another's name. Output is polled; input arrives on the IRQ and is routed
 * to one partition at a time (input.c). */
#include "console.h"

#define UART_VA 0x20000000ul

volatile uint32_t *uart;

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

/* The driver's threads (IPC lines, input reports, policyd's log) print
 * whole lines: one holds the UART until its line is out.  They all run at
 * the same priority, so a waiter's yield lets the holder finish. */
static uint32_t uart_busy;

static void uart_lock(void)
{
	while (__atomic_exchange_n(&uart_busy, 1, __ATOMIC_ACQUIRE))
		bw_yield();
}

static void uart_unlock(void)
{
	__atomic_store_n(&uart_busy, 0, __ATOMIC_RELEASE);
}

void print_chunk(uint64_t badge, const char *s, uint64_t n)
{
	uart_lock();
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
	uart_unlock();
}

void console_say(const char *fmt, ...)
{
	char line[BW_CONSOLE_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = bw_vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof line)
		n = sizeof line - 1;
	print_chunk(CONSOLE_NAME, line, n > 0 ? (uint64_t)n : 0);
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
	console_say("console driver owns the UART");
	console_policyd_log_start();
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
				r.mr[0] = console_irq_selftest();
			else if (label == BW_CONSOLE_INPUT_REGISTER && (m.info & BW_INFO_XFER))
				console_input_register(m.badge, (bw_handle)m.handle, m.mr[0]);
		}
		/* Lines come by send (nothing to answer); a call gets its reply
		 * here, together with the wait for the next message. */
		e = bw_reply_recv(H_EP, &r);
		m = r;
	}
}
