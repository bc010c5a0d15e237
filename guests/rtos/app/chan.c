/* The RTOS's end of the Linux channel (bulwark/chanring.h,
 * bulwark/chanproto.h): a task that serves Linux's requests -- set-points
 * in, telemetry out -- from the ring its VMM mapped at
 * CHAN_RING_TO_RTOS_IPA, answering on the ring back.
 *
 * Linux is not trusted: every index and length it wrote goes through the
 * ring code's checks, every request through this file's, and what is
 * rejected is counted, reported and answered in the telemetry.  The task
 * runs below the control task, so however much Linux sends, or however it
 * garbles the rings, the control task's deadlines come first; and a batch
 * is at most one ring's worth, so a peer rewriting indices cannot keep it
 * busy forever. */
#include <bulwark/chanproto.h>
#include <bulwark/chanring.h>
#include <rtos/jitter.h>
#include <rtos/rtos.h>

#include "control.h"

#include <stdio.h>
#include <string.h>

#define CHAN_PRIO 20 /* below control (30), above the reporter (10) */
#define CHAN_INTID 40 /* the doorbell SPI its VMM injects (vmm/vmm/chan_port.h) */
#define CHAN_IRQ_PRIO 0xa0 /* below the tick's 0x80 */
/* Without a doorbell (say Linux's was refused) the rings are still looked
 * at this often, so a request is answered late rather than never. */
#define POLL_TICKS 100

static struct task chan_task;
static uint64_t chan_stack[2048] __attribute__((aligned(16)));
static struct sem doorbell;
static struct chanring requests, replies;
static struct chan_setpoint setpoints[CHAN_SETPOINTS];
static unsigned nsetpoints;
static uint64_t bad_request, seq_gaps, replies_sent;
static uint32_t expected_seq;
static bool have_seq;
/* What was last reported, so a garbled ring is one line, not thousands. */
static uint64_t told_bad_index, told_bad_length;
static bool told_broken;

static void doorbell_irq(void *arg)
{
	(void)arg;
	rtos_sem_give_from_irq(&doorbell);
}

static void ring_linux(void)
{
	*(volatile uint32_t *)(CHAN_DOORBELL_IPA + CHAN_REG_DOORBELL) = 1;
}

static bool name_ok(const char *name)
{
	size_t n = 0;
	while (n < CHAN_NAME_MAX && name[n])
		n++;
	if (n == 0 || n == CHAN_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-' || c == '.'))
			return false;
	}
	return true;
}

static int set_point(const struct chan_setpoint *sp)
{
	if (!name_ok(sp->name))
		return CHAN_ERR_NAME;
	for (unsigned i = 0; i < nsetpoints; i++)
		if (strcmp(setpoints[i].name, sp->name) == 0) {
			setpoints[i].value = sp->value;
			return 0;
		}
	if (nsetpoints == CHAN_SETPOINTS)
		return CHAN_ERR_FULL;
	setpoints[nsetpoints++] = *sp;
	return 0;
}

static void telemetry(struct chan_msg *rep)
{
	struct chan_telemetry t;
	struct jitter j;
	uint64_t hz = rtos_counter_hz();

	memset(&t, 0, sizeof t);
	control_snapshot(&j);
	t.replies = replies_sent + 1;
	t.periods = j.periods;
	t.missed = j.missed;
	t.jitter_max_ns = j.periods ? j.max * 1000000000ull / hz : 0;
	t.jitter_mean_ns = j.periods ? j.sum / j.periods * 1000000000ull / hz : 0;
	t.bad_index = requests.stats.bad_index + replies.stats.bad_index;
	t.bad_length = requests.stats.bad_length;
	t.bad_request = bad_request;
	t.seq_gaps = seq_gaps;
	t.nsetpoints = nsetpoints;
	memcpy(t.setpoints, setpoints, sizeof setpoints);
	rep->len = sizeof t;
	memcpy(rep->payload, &t, sizeof t);
}

static void handle(const struct chan_msg *req, struct chan_msg *rep)
{
	/* Sequence numbers count up from a request flagged as a new start. */
	if ((req->flags & 1) || !have_seq)
		have_seq = true;
	else if (req->seq != expected_seq)
		seq_gaps++;
	expected_seq = req->seq + 1;

	rep->type = (uint16_t)(CHAN_REPLY | req->type);
	rep->flags = 0;
	rep->seq = req->seq;
	rep->arg = 0;
	rep->len = 0;
	int err = 0;
	switch (req->type) {
	case CHAN_SET: {
		struct chan_setpoint sp;
		if (req->len != sizeof sp) {
			err = CHAN_ERR_LENGTH;
			break;
		}
		memcpy(&sp, req->payload, sizeof sp);
		if (!(err = set_point(&sp))) {
			rep->len = sizeof sp;
			memcpy(rep->payload, &sp, sizeof sp);
		}
		break;
	}
	case CHAN_GET:
		telemetry(rep);
		break;
	case CHAN_PING:
		rep->len = req->len;
		memcpy(rep->payload, req->payload, (req->len + 7) / 8 * 8);
		break;
	case CHAN_DATA:
		rep->arg = chan_sum(req->payload, req->len);
		break;
	default:
		err = CHAN_ERR_TYPE;
	}
	if (err) {
		bad_request++;
		rep->type = CHAN_ERROR;
		rep->arg = (uint32_t)err;
		rep->len = 0;
	}
}

static void report_rejections(void)
{
	uint64_t bad_index = requests.stats.bad_index + replies.stats.bad_index;
	bool broken = requests.broken || replies.broken;
	if (bad_index != told_bad_index)
		printf("rtos: chan: rejected an impossible ring index from Linux (%llu in all): "
		       "the ring is ignored until it is valid again\n",
		       (unsigned long long)bad_index);
	if (requests.stats.bad_length != told_bad_length)
		printf("rtos: chan: rejected a message with an impossible length (%llu in all)\n",
		       (unsigned long long)requests.stats.bad_length);
	if (told_broken && !broken)
		printf("rtos: chan: the rings are valid again; serving requests\n");
	told_bad_index = bad_index;
	told_bad_length = requests.stats.bad_length;
	told_broken = broken;
}

/* One batch: as many requests as there is room to answer, at most a
 * ring's worth. */
static void serve_batch(void)
{
	bool replied = false;
	for (unsigned n = 0; n < CHANRING_SLOTS; n++) {
		if (chanring_space(&replies) == 0)
			break; /* Linux reads its replies first (or garbled the tail) */
		struct chan_msg req, rep;
		enum chanring_result r = chanring_recv(&requests, &req);
		if (r == CHANRING_EMPTY || r == CHANRING_BAD_INDEX)
			break;
		if (r == CHANRING_REJECTED)
			continue;
		handle(&req, &rep);
		if (chanring_send(&replies, &rep) == CHANRING_OK) {
			replies_sent++;
			replied = true;
		}
	}
	if (replied)
		ring_linux();
	report_rejections();
}

static void serve(void *arg)
{
	(void)arg;
	for (;;) {
		(void)rtos_sem_take(&doorbell, POLL_TICKS);
		serve_batch();
	}
}

void chan_start(void);

void chan_start(void)
{
	uint32_t magic, status;
	/* Natively there is no VMM behind the doorbell page: the probe says so. */
	if (!rtos_probe_read32(CHAN_DOORBELL_IPA + CHAN_REG_MAGIC, &magic) || magic != CHAN_MAGIC) {
		printf("rtos: chan: no channel device (not under a Bulwark VMM)\n");
		return;
	}
	status = *(volatile uint32_t *)(CHAN_DOORBELL_IPA + CHAN_REG_STATUS);
	if (!(status & CHAN_STATUS_RINGS)) {
		printf("rtos: chan: the VMM has no channel for this guest (status %#x)\n", (unsigned)status);
		return;
	}
	chanring_init(&requests, (volatile void *)CHAN_RING_TO_RTOS_IPA);
	chanring_init(&replies, (volatile void *)CHAN_RING_TO_LINUX_IPA);
	/* Regions start zeroed; a restarted RTOS continues where it was. */
	chanring_adopt_consumer(&requests);
	chanring_adopt_producer(&replies);
	k_sem_init(&doorbell, 0);
	rtos_irq_attach(CHAN_INTID, CHAN_IRQ_PRIO, true, doorbell_irq, NULL);
	rtos_task_create(&chan_task, "chan", CHAN_PRIO, serve, NULL, chan_stack, sizeof chan_stack);
	printf("rtos: chan: serving Linux's requests (status %#x)\n", (unsigned)status);
}
