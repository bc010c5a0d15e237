/* Console input: the UART's receive interrupt wakes the input thread,
 * which reads what arrived and routes it to the partition that has the
 * focus.  Ctrl-A is the escape: then `n` gives the focus to the next
 * partition, a digit to that partition (in the order they registered),
 * and a second Ctrl-A types a Ctrl-A.
 *
 * The input thread never waits for a partition: each partition has a
 * bounded ring and a forwarder thread of its own that delivers the ring's
 * bytes to the partition's VMM by IPC.  A VMM that does not take its
 * input stalls only its forwarder; its ring fills, further bytes for it
 * are dropped, counted and reported, and the UART keeps being served. */
#include "console.h"
#include "admin_input.h"

#define MAX_PARTITIONS 4
#define INPUT_RING 512 /* a power of two */
#define THREAD_STACK 4096
#define CTRL_A 0x01

struct partition {
	uint64_t name;    /* the VMM's badge: its name */
	bw_handle ep;     /* send: the VMM's input endpoint */
	bw_handle wakeup; /* notification: the ring has bytes */
	uint32_t head;    /* written by the input thread only */
	uint32_t tail;    /* written by the forwarder only */
	uint64_t dropped;          /* input thread only: the ring was full */
	uint64_t dropped_reported; /* input thread only: with undelivered */
	uint64_t undelivered;      /* forwarder only: the VMM refused them */
	uint8_t ring[INPUT_RING];
	_Alignas(16) uint8_t stack[THREAD_STACK];
};

static struct partition parts[MAX_PARTITIONS];
static uint32_t nparts;       /* published by the main thread (release) */
static uint32_t focus;        /* the input thread's; a registering shell may take it */
static bool escape_pending;
static uint64_t thread_prio;  /* 0: input is off */

/* The IRQ self-test, handed from the main thread to the input thread. */
static bw_handle selftest_done;
static volatile bool selftest_wanted;
static volatile uint64_t selftest_bits;

static _Alignas(16) uint8_t input_stack[THREAD_STACK];

static const char *name_of(const struct partition *p, char out[9])
{
	for (int i = 0; i < 8; i++)
		out[i] = (char)(p->name >> (8 * i));
	out[8] = 0;
	return out;
}

static void set_focus(uint32_t which)
{
	char name[9];
	focus = which;
	console_say("input -> %s", name_of(&parts[which], name));
}

static void deliver(uint8_t c)
{
	struct partition *p = &parts[focus];
	if (p->head - __atomic_load_n(&p->tail, __ATOMIC_ACQUIRE) >= INPUT_RING) {
		p->dropped++;
		return;
	}
	p->ring[p->head % INPUT_RING] = c;
	__atomic_store_n(&p->head, p->head + 1, __ATOMIC_RELEASE);
}

static void route(uint32_t n, uint8_t c)
{
	if (escape_pending) {
		escape_pending = false;
		if (c == CTRL_A)
			deliver(c);
		else if (c == 'n')
			set_focus((focus + 1) % n);
		else if (c >= '1' && c < '1' + n)
			set_focus(c - '1');
		else
			console_say("input: Ctrl-A then n (next partition), 1-%u (that partition) or Ctrl-A", n);
		return;
	}
	if (c == CTRL_A)
		escape_pending = true;
	else
		deliver(c);
}

/* The transmit interrupt is only ever unmasked by the self-test. */
static void finish_selftest(uint64_t bits)
{
	uart[UARTIMSC / 4] = UART_INT_RX | UART_INT_RT;
	uart[UARTICR / 4] = UART_INT_TX;
	if (selftest_wanted) {
		selftest_bits = bits;
		selftest_wanted = false;
		bw_signal(selftest_done);
	}
}

static void input_thread(uint64_t arg)
{
	(void)arg;
	for (;;) {
		uint64_t bits = 0;
		if (bw_wait(H_IRQ, &bits) != BW_OK)
			bw_thread_exit(); /* the binding is gone: input ends */
		if (uart[UARTMIS / 4] & UART_INT_TX)
			finish_selftest(bits);
		/* Clear before draining, never after: a byte that lands after
		 * the last empty check must raise the interrupt anew (QEMU's
		 * PL011 raises it only as its FIFO stops being empty), and a
		 * clear after the drain would swallow that edge for good. */
		uart[UARTICR / 4] = UART_INT_RX | UART_INT_RT;
		uint32_t n = __atomic_load_n(&nparts, __ATOMIC_ACQUIRE);
		while (!(uart[UARTFR / 4] & UARTFR_RXFE)) {
			/* Host admin frames leave the stream first (admin_input.c). */
			uint8_t typed[ADMIN_FRAME_PASS_MAX];
			uint32_t k = admin_input_feed((uint8_t)uart[UARTDR / 4], typed);
			for (uint32_t i = 0; n && i < k; i++)
				route(n, typed[i]); /* without n, nobody takes input yet */
		}
		bw_sys3(BW_SYS_IRQ_ACK, H_UART, 0, 0, NULL);
		if (!n)
			continue;
		/* Every partition: the focus may have moved within the burst. */
		for (uint32_t i = 0; i < n; i++) {
			struct partition *p = &parts[i];
			if (p->head != __atomic_load_n(&p->tail, __ATOMIC_ACQUIRE))
				bw_signal(p->wakeup);
			uint64_t lost = p->dropped + __atomic_load_n(&p->undelivered, __ATOMIC_RELAXED);
			if (lost != p->dropped_reported) {
				char name[9];
				console_say("input for %s: %lu bytes dropped in all (it is not taking them)",
					    name_of(p, name), (unsigned long)lost);
				p->dropped_reported = lost;
			}
		}
	}
}

/* Delivers one partition's ring; blocking here stalls only this partition. */
static void forwarder_thread(uint64_t index)
{
	struct partition *p = &parts[index];
	for (;;) {
		uint64_t bits;
		if (bw_wait(p->wakeup, &bits) != BW_OK)
			bw_thread_exit();
		uint32_t head;
		while ((head = __atomic_load_n(&p->head, __ATOMIC_ACQUIRE)) != p->tail) {
			uint32_t at = p->tail % INPUT_RING, len = head - p->tail;
			if (len > INPUT_RING - at)
				len = INPUT_RING - at; /* up to the ring's end; the rest next */
			struct bw_msg m = {.info = bw_info(BW_CONSOLE_INPUT, len, 0), .buf = &p->ring[at]};
			if (bw_send(p->ep, &m) != BW_OK) /* a VMM that is gone loses its bytes */
				__atomic_store_n(&p->undelivered, p->undelivered + len, __ATOMIC_RELAXED);
			__atomic_store_n(&p->tail, p->tail + len, __ATOMIC_RELEASE);
		}
	}
}

/* Input is never more urgent than a real-time guest: a burst on the
 * serial line (a pasted text, a policy sent by `make load-policy` as 40 KB
 * of framed hex) must not delay the RTOS's control task.  So the input
 * threads run just below the RTOS's vCPU in tests/vm/device-system.dts
 * (35), or lower if the kernel refuses that (it refuses more than the
 * console's own priority). */
#define INPUT_PRIO 34

static uint64_t start_thread(void (*entry)(uint64_t), uint8_t *stack, uint64_t arg)
{
	uint64_t e = BW_E_RANGE;
	for (uint64_t prio = thread_prio ? thread_prio : INPUT_PRIO; prio > 0 && e == BW_E_RANGE; prio--) {
		e = bw_thread_start(entry, stack + THREAD_STACK, prio, arg, NULL);
		if (e == BW_OK)
			thread_prio = prio;
	}
	return e;
}

static bool input_start(void)
{
	uint64_t note, e;
	if ((e = bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &note)) != BW_OK) {
		console_say("no input: cannot create a notification (error %lu)", (unsigned long)e);
		return false;
	}
	selftest_done = (bw_handle)note;
	/* 8 bits, FIFOs on (one interrupt per burst, not per byte), UART,
	 * transmitter and receiver enabled; receive interrupts unmasked. */
	uart[UARTLCR_H / 4] = 0x70;
	uart[UARTCR / 4] = 0x301;
	uart[UARTICR / 4] = 0x7ff;
	uart[UARTIMSC / 4] = UART_INT_RX | UART_INT_RT;
	if ((e = start_thread(input_thread, input_stack, 0)) != BW_OK) {
		uart[UARTIMSC / 4] = 0;
		thread_prio = 0;
		console_say("no input: cannot start the input thread (error %lu)", (unsigned long)e);
		return false;
	}
	return true;
}

void console_input_register(uint64_t badge, bw_handle ep, uint64_t flags)
{
	static bool tried;
	if (!tried) {
		tried = true;
		input_start();
	}
	uint32_t n = nparts;
	char name[9];
	struct partition *p = &parts[n];
	/* A name registers once: a second registration under it would split
	 * that partition's input between two endpoints. */
	bool known = false;
	for (uint32_t i = 0; i < n; i++)
		known |= parts[i].name == badge;
	if (!thread_prio || n == MAX_PARTITIONS || known) {
		bw_close(ep);
		return;
	}
	uint64_t note, e;
	if ((e = bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &note)) != BW_OK) {
		bw_close(ep);
		return;
	}
	p->name = badge;
	p->ep = ep;
	p->wakeup = (bw_handle)note;
	if ((e = start_thread(forwarder_thread, p->stack, n)) != BW_OK) {
		console_say("no input for %s: error %lu", name_of(p, name), (unsigned long)e);
		bw_close(ep);
		bw_close((bw_handle)note);
		return;
	}
	__atomic_store_n(&nparts, n + 1, __ATOMIC_RELEASE);
	if (n == 0)
		console_say("input -> %s (Ctrl-A n: next partition)", name_of(p, name));
	else
		console_say("input: %s is partition %u (Ctrl-A %u)", name_of(p, name), n + 1, n + 1);
	/* An interactive shell takes the focus as it arrives, whoever came
	 * first: the order of registration is only the order of boot.  (The
	 * input thread may route a byte or two of a burst in flight to the
	 * partition that had the focus.) */
	if (n > 0 && (flags & BW_CONSOLE_INPUT_FOCUS)) {
		__atomic_store_n(&focus, n, __ATOMIC_RELAXED);
		console_say("input -> %s (Ctrl-A n: next partition)", name_of(p, name));
	}
}

uint64_t console_irq_selftest(void)
{
	uint64_t bits = 0;
	if (!thread_prio) {
		/* No input thread: the IRQ is this thread's to wait for. */
		uart[UARTIMSC / 4] = UART_INT_TX;
		uint64_t e = bw_wait(H_IRQ, &bits);
		uart[UARTIMSC / 4] = 0;
		uart[UARTICR / 4] = UART_INT_TX;
		bw_sys3(BW_SYS_IRQ_ACK, H_UART, 0, 0, NULL);
		return e == BW_OK ? bits : 0;
	}
	selftest_bits = 0;
	selftest_wanted = true;
	uart[UARTIMSC / 4] = UART_INT_RX | UART_INT_RT | UART_INT_TX;
	if (bw_wait(selftest_done, &bits) != BW_OK)
		return 0;
	return selftest_bits;
}
