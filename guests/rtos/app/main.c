/* The demo: a 1 kHz control task that measures its own release jitter and
 * deadline misses, and a reporter that prints the figures once a second.
 * The control task never prints: it hands snapshots over a message queue,
 * so console time cannot disturb what is being measured.
 *
 * A third, low-priority worker does background work released by the
 * control task through a semaphore every 10 periods, and shares a mutex with
 * the reporter, so preemption and priority inheritance run all the time.
 * Between bursts the CPU idles, which under `-icount sleep=off` lets virtual
 * time skip ahead, keeping the native test fast.
 */
#include <rtos/jitter.h>
#include <rtos/rtos.h>

#include "control.h"

#include <stdio.h>
#include <time.h>
#include <string.h>

#define CONTROL_PRIO 30
#define REPORTER_PRIO 10
#define WORKER_PRIO 2
#define REPORT_EVERY 1000 /* periods */

/* How much each release computes: enough to be a real task, far below the
 * 1 ms deadline.  The overload build raises it past the deadline to prove
 * the test notices misses. */
#ifndef CONTROL_WORK_LOOPS
#define CONTROL_WORK_LOOPS 2000
#endif

static struct task control_task, reporter_task, worker_task;
static uint64_t control_stack[2048] __attribute__((aligned(16)));
static uint64_t reporter_stack[4096] __attribute__((aligned(16)));
static uint64_t worker_stack[2048] __attribute__((aligned(16)));

static struct msgq reports;
/* Each report carries the totals since start and the last REPORT_EVERY
 * periods alone: a benchmark can then tell the jitter while Linux boots
 * from the jitter while it idles or runs a load. */
struct report {
	struct jitter total, window;
};
static struct report report_slots[4];
static struct mutex shared_lock;
static struct sem work_ready;
static volatile uint64_t shared_counter;
static volatile uint64_t control_output;

/* The control task's totals for other tasks (the Linux channel's
 * telemetry): a sequence count, odd while the copy is being written.  The
 * writer is the most urgent task and never waits for a reader; a reader
 * that was preempted mid-copy sees the count move and copies again. */
static struct jitter published;
static volatile uint32_t published_seq;

static void publish(const struct jitter *j)
{
	published_seq++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	published = *j;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	published_seq++;
}

void control_snapshot(struct jitter *out)
{
	uint32_t before;
	do {
		before = published_seq;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		*out = published;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while ((before & 1) || before != published_seq);
}

static void control(void *arg)
{
	struct jitter j, window;
	uint64_t period = rtos_tick_time(1) - rtos_tick_time(0);
	uint64_t next = rtos_ticks() + 1;
	uint64_t dropped = 0;

	(void)arg;
	jitter_init(&j);
	jitter_init(&window);
	for (;;) {
		rtos_sleep_until(next);
		uint64_t actual = rtos_counter();
		uint64_t ideal = rtos_tick_time(next);

		jitter_release(&j, ideal, actual);
		jitter_release(&window, ideal, actual);
		for (unsigned i = 0; i < CONTROL_WORK_LOOPS; i++)
			control_output = control_output * 31 + i;
		if (rtos_counter() > ideal + period) {
			jitter_missed(&j, 1);
			jitter_missed(&window, 1);
		}
		next++;
		/* Releases that passed while we were still running are missed too. */
		if (rtos_ticks() >= next) {
			jitter_missed(&j, rtos_ticks() - next + 1);
			jitter_missed(&window, rtos_ticks() - next + 1);
			next = rtos_ticks() + 1;
		}
		publish(&j);
		if (j.periods % 10 == 0)
			rtos_sem_give(&work_ready);
		if (j.periods % REPORT_EVERY == 0) {
			struct report r = {j, window};
			if (rtos_msgq_send(&reports, &r, K_NOWAIT) != K_OK)
				dropped++; /* the reporter is behind; the next report has the totals */
			jitter_init(&window);
		}
	}
}

static void reporter(void *arg)
{
	struct report r;
	char line[160], window[160];

	(void)arg;
	for (;;) {
		if (rtos_msgq_recv(&reports, &r, K_FOREVER) != K_OK)
			continue;
		rtos_mutex_lock(&shared_lock);
		uint64_t work = shared_counter;
		rtos_mutex_unlock(&shared_lock);
		jitter_format(line, sizeof line, &r.total, rtos_counter_hz());
		jitter_format(window, sizeof window, &r.window, rtos_counter_hz());
		printf("%s background=%llu\n", line, (unsigned long long)work);
		printf("rtos: window%s\n", window + sizeof "rtos:" - 1);
	}
}

static void worker(void *arg)
{
	(void)arg;
	for (;;) {
		rtos_sem_take(&work_ready, K_FOREVER);
		rtos_mutex_lock(&shared_lock);
		for (unsigned i = 0; i < 300000; i++)
			shared_counter++;
		rtos_mutex_unlock(&shared_lock);
	}
}

void app_main(void);
void chan_start(void);
void command_start(void);

void app_main(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	printf("rtos: started at EL%llu, counter %llu Hz, tick %u Hz\n",
	       (unsigned long long)(el >> 2), (unsigned long long)rtos_counter_hz(), RTOS_TICK_HZ);
	/* Wall-clock time from the PL031: QEMU's natively, its VMM's (fed by
	 * the clock driver, drivers/rtc) under Bulwark.  Read once. */
	time_t now = (time_t)*(volatile uint32_t *)0x09010000UL;
	struct tm tm;
	gmtime_r(&now, &tm);
	printf("rtos: wall clock %04d-%02d-%02d %02d:%02d:%02d UTC\n", tm.tm_year + 1900, tm.tm_mon + 1,
	       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	k_msgq_init(&reports, report_slots, sizeof report_slots[0],
		    sizeof report_slots / sizeof report_slots[0]);
	k_mutex_init(&shared_lock);
	k_sem_init(&work_ready, 0);
	rtos_task_create(&control_task, "control", CONTROL_PRIO, control, NULL, control_stack,
			 sizeof control_stack);
	rtos_task_create(&reporter_task, "reporter", REPORTER_PRIO, reporter, NULL, reporter_stack,
			 sizeof reporter_stack);
	rtos_task_create(&worker_task, "worker", WORKER_PRIO, worker, NULL, worker_stack,
			 sizeof worker_stack);
	chan_start(); /* under a VMM with a channel to Linux: app/chan.c */
	command_start(); /* typed commands: app/command.c */
}
