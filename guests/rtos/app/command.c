/* A tiny command reader on the RTOS's console.  Under Bulwark the console
 * driver routes typed input to one partition at a time (Ctrl-A n moves the
 * focus), and the RTOS's VMM feeds it into the emulated PL011.  Bytes are
 * taken on the receive interrupt into a ring and a low-priority task runs
 * whole lines, so typing can never delay the control task:
 *
 *   help    the commands
 *   stats   the control task's jitter report, now
 */
#include <rtos/jitter.h>
#include <rtos/rtos.h>

#include "control.h"
#include "../arch/uart.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define UART_INTID 33      /* QEMU virt's PL011, as the VMM presents it too */
#define UART_PRIORITY 0xc0 /* below the timer's */
#define COMMAND_PRIO 5     /* above the background worker, below the reporter */
#define RX_RING 256        /* a power of two */
#define LINE_MAX 64

static struct task command_task;
static uint64_t command_stack[2048] __attribute__((aligned(16)));
static struct sem rx_ready;
static char rx_ring[RX_RING];
static volatile uint32_t rx_head;    /* the interrupt handler's */
static volatile uint32_t rx_tail;    /* the command task's */
static volatile uint32_t rx_dropped; /* typed faster than lines are run */

static void rx_interrupt(void *arg)
{
	int c;
	(void)arg;
	while ((c = uart_rx_byte()) >= 0) {
		if (rx_head - rx_tail < RX_RING) {
			rx_ring[rx_head % RX_RING] = (char)c;
			__atomic_store_n(&rx_head, rx_head + 1, __ATOMIC_RELEASE);
		} else {
			rx_dropped++;
		}
	}
	rtos_sem_give_from_irq(&rx_ready);
}

/* One write per line: the reporter may preempt this task between writes. */
static void say(const char *line)
{
	write(1, line, strlen(line));
}

static void run(const char *cmd)
{
	char out[200];
	if (!strcmp(cmd, "help")) {
		say("rtos: commands: help (this list), stats (the control task's jitter now)\n");
	} else if (!strcmp(cmd, "stats")) {
		struct jitter j;
		char report[160];
		control_snapshot(&j);
		jitter_format(report, sizeof report, &j, rtos_counter_hz());
		/* jitter_format starts with "rtos:"; this line says "rtos: stats". */
		snprintf(out, sizeof out, "rtos: stats%s\n", report + strlen("rtos:"));
		say(out);
	} else {
		snprintf(out, sizeof out, "rtos: unknown command \"%s\" (help lists them)\n", cmd);
		say(out);
	}
}

static void command_reader(void *arg)
{
	char line[LINE_MAX];
	size_t len = 0;
	uint32_t reported = 0;

	(void)arg;
	for (;;) {
		rtos_sem_take(&rx_ready, K_FOREVER);
		while (rx_tail != __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE)) {
			char c = rx_ring[rx_tail % RX_RING];
			__atomic_store_n(&rx_tail, rx_tail + 1, __ATOMIC_RELEASE);
			if (c == '\r' || c == '\n') {
				line[len] = 0;
				if (len)
					run(line);
				len = 0;
			} else if (len < LINE_MAX - 1 && c >= 0x20 && c < 0x7f) {
				line[len++] = c;
			}
		}
		if (rx_dropped != reported) {
			char out[80];
			reported = rx_dropped;
			snprintf(out, sizeof out, "rtos: %lu typed bytes dropped in all\n", (unsigned long)reported);
			say(out);
		}
	}
}

void command_start(void)
{
	k_sem_init(&rx_ready, 0);
	rtos_task_create(&command_task, "command", COMMAND_PRIO, command_reader, NULL, command_stack,
			 sizeof command_stack);
	rtos_irq_attach(UART_INTID, UART_PRIORITY, false, rx_interrupt, NULL);
	uart_rx_enable();
}
