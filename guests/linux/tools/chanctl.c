/* chanctl: Linux's end of the channel to the RTOS (bulwark/chanring.h,
 * bulwark/chanproto.h), from user space with no driver of our own:
 *
 *   - the rings and the doorbell page are mapped through /dev/mem (they lie
 *     outside Linux's RAM and no driver claims them, so STRICT_DEVMEM lets
 *     them through; Linux maps them as Device memory, hence the ring code's
 *     aligned-only accesses);
 *   - a request is announced by a store to the doorbell register, which
 *     the VMM traps and turns into the RTOS's doorbell;
 *   - the RTOS's doorbell arrives as a rising edge on line 0 of the VMM's
 *     PL061 ("bulwark-chan-doorbell"), which the GPIO character device
 *     delivers to us as a line event.
 *
 *   chanctl set NAME VALUE   send a set-point, wait for the RTOS's echo
 *   chanctl get              print the RTOS's telemetry
 *   chanctl ping N [BYTES]   N round trips: median and 99th percentile (us)
 *   chanctl flood N          N messages; every one acknowledged once, in order
 *   chanctl corrupt          test mode: garble the rings' indices and a length,
 *                            check the RTOS rejected them, then repair
 *
 * -p (before the command) polls the reply ring instead of waiting for
 * the GPIO event.  Exit status 0 on success, 1 on any failure (with a
 * message saying which), 2 on a bad command line. */
#include <bulwark/chanproto.h>
#include <bulwark/chanring.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/gpio.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "devmem.h"

#define DOORBELL_LINE_NAME "bulwark-chan-doorbell"
#define REPLY_TIMEOUT_MS 2000

static volatile uint32_t *doorbell_page;
static struct chanring requests, replies;
static int event_fd = -1; /* the GPIO line request; -1: poll */
static uint32_t next_seq = 1;
static bool first_request = true;
static uint64_t doorbells;

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("chanctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The channel node's three (address, size) pairs: doorbell, to-rtos, to-linux. */
static void find_device(uint64_t addr[3], uint64_t size[3])
{
	char path[512];
	switch (devmem_find_node("bulwark-chan@", 3, addr, size, path, sizeof path)) {
	case DEVMEM_FOUND:
		return;
	case DEVMEM_NO_TREE:
		die("cannot read %s: %s", DEVMEM_DT_ROOT, strerror(errno));
	case DEVMEM_NO_NODE:
		die("channel device missing: no bulwark-chan node in the device tree (%s)", DEVMEM_DT_ROOT);
	case DEVMEM_BAD_REG:
		break;
	}
	die("channel device: cannot read %s (want 3 address/size pairs of 2 cells each)", path);
}

static volatile void *map_phys(int fd, uint64_t addr, uint64_t size, const char *what)
{
	volatile void *p = devmem_map(fd, addr, size);
	if (!p)
		die("/dev/mem refused to map the %s at %#" PRIx64 ": %s", what, addr, strerror(errno));
	return p;
}

/* The PL061 line named DOORBELL_LINE_NAME, as a rising-edge event source. */
static int open_doorbell_line(void)
{
	for (int chip = 0; chip < 16; chip++) {
		char path[32];
		snprintf(path, sizeof path, "/dev/gpiochip%d", chip);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct gpiochip_info ci;
		if (ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &ci) == 0)
			for (unsigned line = 0; line < ci.lines; line++) {
				struct gpio_v2_line_info li = {.offset = line};
				if (ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL, &li) || strcmp(li.name, DOORBELL_LINE_NAME))
					continue;
				struct gpio_v2_line_request req = {.offsets = {line}, .num_lines = 1};
				req.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING;
				snprintf(req.consumer, sizeof req.consumer, "chanctl");
				if (ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req))
					die("cannot request GPIO line %s of %s: %s", DOORBELL_LINE_NAME, path,
					    strerror(errno));
				close(fd);
				return req.fd;
			}
		close(fd);
	}
	die("the RTOS's doorbell is missing: no GPIO line named %s (is the PL061 in the device tree?); "
	    "-p polls instead",
	    DOORBELL_LINE_NAME);
}

static void ring_rtos(void);

static void open_channel(bool poll_mode)
{
	uint64_t addr[3], size[3];
	find_device(addr, size);
	if (size[0] < CHAN_DOORBELL_SIZE || size[1] < CHANRING_BYTES || size[2] < CHANRING_BYTES)
		die("channel device: its regions are smaller than the ring layout needs");
	int fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		die("cannot open /dev/mem: %s (run as root, on a kernel with CONFIG_DEVMEM)", strerror(errno));
	doorbell_page = (volatile uint32_t *)map_phys(fd, addr[0], size[0], "doorbell page");
	volatile void *to_rtos = map_phys(fd, addr[1], size[1], "ring to the RTOS");
	volatile void *to_linux = map_phys(fd, addr[2], size[2], "ring from the RTOS");
	close(fd);
	if (doorbell_page[CHAN_REG_MAGIC / 4] != CHAN_MAGIC)
		die("the channel device does not answer as a Bulwark channel (magic %#x)",
		    (unsigned)doorbell_page[CHAN_REG_MAGIC / 4]);
	uint32_t status = doorbell_page[CHAN_REG_STATUS / 4];
	if (!(status & CHAN_STATUS_RINGS))
		die("the channel is not connected: the VMM could not map the rings into this guest "
		    "(no channel in this system, or refused by the security policy: see the VMM's message)");
	chanring_init(&requests, to_rtos);
	chanring_init(&replies, to_linux);
	/* Earlier runs left their indices published: continue from them. */
	chanring_adopt_producer(&requests);
	chanring_adopt_consumer(&replies);
	/* Replies still waiting answer a run that gave up (timed out, or was
	 * refused): ours start again at sequence 1, so they would pass for
	 * ours. */
	struct chan_msg stale;
	enum chanring_result r;
	while ((r = chanring_recv(&replies, &stale)) == CHANRING_OK || r == CHANRING_REJECTED)
		;
	/* An empty doorbell first (the RTOS finds nothing and goes back to
	 * sleep): if the policy refuses it, nothing is queued that the RTOS
	 * would answer long after this run has failed. */
	ring_rtos();
	doorbells = 0;
	if (!poll_mode)
		event_fd = open_doorbell_line();
}

/* A refused doorbell is a failure, not a slow path: the RTOS would see each
 * request only when it next polls its ring, and every round trip would
 * wait that out.  The VMM's status register says at once (it is updated
 * by the trapped store itself). */
static void ring_rtos(void)
{
	doorbells++;
	doorbell_page[CHAN_REG_DOORBELL / 4] = 1;
	if (!(doorbell_page[CHAN_REG_STATUS / 4] & CHAN_STATUS_SEND))
		die("the channel is refused by policy (doorbell)");
}

/* Waits until a reply is pending; false after timeout_ms. */
static bool wait_reply(int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	for (;;) {
		if (chanring_pending(&replies))
			return true;
		uint64_t t = now_ns();
		if (t >= deadline)
			return false;
		if (event_fd < 0)
			continue;
		struct pollfd p = {.fd = event_fd, .events = POLLIN};
		int left = (int)((deadline - t + 999999) / 1000000);
		if (poll(&p, 1, left) > 0) {
			struct gpio_v2_line_event ev[16];
			if (read(event_fd, ev, sizeof ev) < 0 && errno != EAGAIN)
				die("reading the doorbell's GPIO events: %s", strerror(errno));
		}
	}
}

static void send_request(struct chan_msg *m)
{
	m->seq = next_seq++;
	m->flags = first_request ? 1 : 0; /* the RTOS restarts its sequence check */
	first_request = false;
	for (;;) {
		enum chanring_result r = chanring_send(&requests, m);
		if (r == CHANRING_OK)
			return;
		if (r == CHANRING_BAD_INDEX)
			die("the ring to the RTOS has an impossible index (tail %#x, our head %#x)",
			    (unsigned)((volatile uint32_t *)requests.shared)[CHANRING_OFF_TAIL / 4],
			    (unsigned)requests.head);
		die("the ring to the RTOS is full: the RTOS is not reading it");
	}
}

static void recv_reply(struct chan_msg *m)
{
	for (;;) {
		if (!wait_reply(REPLY_TIMEOUT_MS))
			die("no reply from the RTOS within %d ms", REPLY_TIMEOUT_MS);
		enum chanring_result r = chanring_recv(&replies, m);
		if (r == CHANRING_OK)
			return;
		if (r == CHANRING_BAD_INDEX)
			die("the ring from the RTOS has an impossible index");
		fprintf(stderr, "chanctl: a reply with an impossible length was skipped\n");
	}
}

static void request(struct chan_msg *req, struct chan_msg *rep)
{
	send_request(req);
	ring_rtos();
	recv_reply(rep);
	if (rep->seq != req->seq)
		die("reply out of sequence: got %u, want %u", (unsigned)rep->seq, (unsigned)req->seq);
	if (rep->type == CHAN_ERROR) {
		static const char *const why[] = {"?", "unknown request", "wrong payload size",
						  "bad set-point name (1-15 of [A-Za-z0-9_.-])", "no room for another set-point"};
		die("the RTOS refused the request: %s", why[rep->arg < 5 ? rep->arg : 0]);
	}
	if (rep->type != (CHAN_REPLY | req->type))
		die("unexpected reply type %#x", (unsigned)rep->type);
}

static int cmd_set(const char *name, const char *value)
{
	struct chan_setpoint sp;
	memset(&sp, 0, sizeof sp);
	if (strlen(name) >= CHAN_NAME_MAX || !*name)
		die("set-point name must be 1..%d characters", CHAN_NAME_MAX - 1);
	memcpy(sp.name, name, strlen(name));
	char *end;
	errno = 0;
	long long v = strtoll(value, &end, 0);
	if (errno || *end || end == value)
		die("set-point value '%s' is not an integer", value);
	sp.value = v;
	struct chan_msg req = {.type = CHAN_SET, .len = sizeof sp}, rep;
	memcpy(req.payload, &sp, sizeof sp);
	request(&req, &rep);
	struct chan_setpoint echo;
	memcpy(&echo, rep.payload, sizeof echo);
	echo.name[CHAN_NAME_MAX - 1] = 0;
	printf("chanctl: set %s = %lld (the RTOS holds %s = %lld)\n", name, v, echo.name, (long long)echo.value);
	return strcmp(echo.name, name) == 0 && echo.value == v ? 0 : 1;
}

static void get_telemetry(struct chan_telemetry *t)
{
	struct chan_msg req = {.type = CHAN_GET}, rep;
	request(&req, &rep);
	if (rep.len != sizeof *t)
		die("telemetry of %u bytes, want %zu", (unsigned)rep.len, sizeof *t);
	memcpy(t, rep.payload, sizeof *t);
}

static int cmd_get(void)
{
	struct chan_telemetry t;
	get_telemetry(&t);
	printf("chanctl: telemetry replies=%" PRIu64 " periods=%" PRIu64 " missed=%" PRIu64 " jitter_max_us=%.3f jitter_mean_us=%.3f\n",
	       t.replies, t.periods, t.missed, t.jitter_max_ns / 1000.0, t.jitter_mean_ns / 1000.0);
	printf("chanctl: telemetry rejected bad_index=%" PRIu64 " bad_length=%" PRIu64 " bad_request=%" PRIu64 " seq_gaps=%" PRIu64 "\n",
	       t.bad_index, t.bad_length, t.bad_request, t.seq_gaps);
	for (uint64_t i = 0; i < t.nsetpoints && i < CHAN_SETPOINTS; i++) {
		t.setpoints[i].name[CHAN_NAME_MAX - 1] = 0;
		printf("chanctl: telemetry setpoint %s = %lld\n", t.setpoints[i].name, (long long)t.setpoints[i].value);
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmd_ping(long n, long bytes)
{
	if (n < 1 || bytes < 0 || bytes > (long)CHANRING_PAYLOAD_MAX)
		die("ping: N >= 1 and 0 <= BYTES <= %u", CHANRING_PAYLOAD_MAX);
	uint64_t *rtt = calloc((size_t)n, sizeof *rtt);
	if (!rtt)
		die("out of memory");
	for (long i = 0; i < n; i++) {
		struct chan_msg req = {.type = CHAN_PING, .len = (uint32_t)bytes}, rep;
		for (unsigned w = 0; w < CHANRING_PAYLOAD_WORDS; w++)
			req.payload[w] = (uint64_t)i * 0x10001 + w;
		uint64_t t0 = now_ns();
		request(&req, &rep);
		rtt[i] = now_ns() - t0;
		if (rep.len != req.len || chan_sum(rep.payload, rep.len) != chan_sum(req.payload, req.len))
			die("ping %ld: the echo differs from what was sent", i);
	}
	qsort(rtt, (size_t)n, sizeof *rtt, cmp_u64);
	/* The nearest-rank percentile: the smallest value >= 99 % of them. */
	uint64_t p99 = rtt[(n * 99 + 99) / 100 - 1];
	printf("chanctl: ping: %ld round trips of %ld bytes: median %.2f us, p99 %.2f us, min %.2f us, max %.2f us (%s)\n",
	       n, bytes, rtt[n / 2] / 1000.0, p99 / 1000.0, rtt[0] / 1000.0, rtt[n - 1] / 1000.0,
	       event_fd < 0 ? "polling" : "GPIO doorbell");
	free(rtt);
	return 0;
}

/* Keeps up to a ring of requests in flight; every reply must carry the
 * next sequence number and the checksum of what was sent. */
static int cmd_flood(long n)
{
	if (n < 1)
		die("flood: N >= 1");
	long sent = 0, acked = 0, lost = 0, dup = 0, bad = 0;
	uint32_t first = next_seq;
	uint64_t t0 = now_ns();
	bool freed = false;
	while (acked < n) {
		bool queued = false;
		while (sent < n && chanring_space(&requests) > 0) {
			struct chan_msg req = {.type = CHAN_DATA, .len = CHANRING_PAYLOAD_MAX};
			for (unsigned w = 0; w < CHANRING_PAYLOAD_WORDS; w++)
				req.payload[w] = ((uint64_t)(first + (uint32_t)sent) << 32) ^ w;
			send_request(&req);
			sent++;
			queued = true;
		}
		/* One doorbell per batch: for the requests just queued, and for
		 * the room just made in the reply ring, where the RTOS stops when
		 * it is full. */
		if (queued || freed)
			ring_rtos();
		if (!wait_reply(REPLY_TIMEOUT_MS))
			die("flood: no reply within %d ms after %ld of %ld acknowledged", REPLY_TIMEOUT_MS, acked, n);
		struct chan_msg rep;
		freed = false;
		while (chanring_recv(&replies, &rep) == CHANRING_OK) {
			uint32_t want = first + (uint32_t)acked;
			freed = true;
			if (rep.seq == want) {
				uint64_t words[CHANRING_PAYLOAD_WORDS];
				for (unsigned w = 0; w < CHANRING_PAYLOAD_WORDS; w++)
					words[w] = ((uint64_t)rep.seq << 32) ^ w;
				if (rep.type != CHAN_ACK || rep.arg != chan_sum(words, CHANRING_PAYLOAD_MAX))
					bad++;
				acked++;
			} else if ((int32_t)(rep.seq - want) < 0) {
				dup++;
			} else {
				lost += rep.seq - want;
				acked += rep.seq - want + 1;
			}
		}
	}
	double secs = (now_ns() - t0) / 1e9;
	double mbps = (double)n * CHANRING_PAYLOAD_MAX / secs / 1e6;
	printf("chanctl: flood: %ld sent, %ld acknowledged, %ld lost, %ld duplicated, %ld corrupted; "
	       "%.2f MB/s (%.1f Mbit/s) of payload to the RTOS, %ld doorbells\n",
	       n, acked - lost, lost, dup, bad, mbps, mbps * 8, (long)doorbells);
	return lost || dup || bad ? 1 : 0;
}

static void poke(volatile void *ring, uint32_t off, uint32_t v)
{
	((volatile uint32_t *)ring)[off / 4] = v;
}

/* Waits for the RTOS to have looked (its doorbell rang, or a while). */
static void let_rtos_look(void)
{
	ring_rtos();
	struct timespec ts = {0, 50 * 1000000};
	nanosleep(&ts, NULL);
}

static int cmd_corrupt(void)
{
	struct chan_telemetry before, after;
	get_telemetry(&before);
	uint32_t head = requests.head, tail = replies.tail;
	printf("chanctl: corrupt: request ring head %#x -> 0xdeadbeef\n", (unsigned)head);
	poke(requests.shared, CHANRING_OFF_HEAD, 0xdeadbeefu);
	let_rtos_look();
	poke(requests.shared, CHANRING_OFF_HEAD, head);
	printf("chanctl: corrupt: reply ring tail %#x -> %#x\n", (unsigned)tail, (unsigned)(tail + 0x40000000u));
	poke(replies.shared, CHANRING_OFF_TAIL, tail + 0x40000000u);
	let_rtos_look();
	poke(replies.shared, CHANRING_OFF_TAIL, tail);
	/* A slot whose length would run past the ring: written by hand, as a
	 * hostile producer would. */
	printf("chanctl: corrupt: one message with length 0xfffffff0\n");
	uint32_t slot = CHANRING_OFF_SLOTS + (requests.head & (CHANRING_SLOTS - 1)) * CHANRING_SLOT_SIZE;
	poke(requests.shared, slot, 0xfffffff0u);
	requests.head++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	poke(requests.shared, CHANRING_OFF_HEAD, requests.head);
	let_rtos_look();
	get_telemetry(&after);
	uint64_t idx = after.bad_index - before.bad_index, len = after.bad_length - before.bad_length;
	printf("chanctl: corrupt: the RTOS rejected %" PRIu64 " impossible indices and %" PRIu64
	       " impossible lengths, and answers again; missed deadlines %" PRIu64 "\n",
	       idx, len, after.missed);
	return idx >= 2 && len >= 1 ? 0 : 1;
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: chanctl [-p] set NAME VALUE | get | ping N [BYTES] | flood N | corrupt\n");
	exit(2);
}

static long number(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || *end || end == s)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	bool poll_mode = false;
	int i = 1;
	if (i < argc && strcmp(argv[i], "-p") == 0) {
		poll_mode = true;
		i++;
	}
	if (i >= argc)
		usage();
	const char *cmd = argv[i++];
	int left = argc - i;
	if (!((strcmp(cmd, "set") == 0 && left == 2) || (strcmp(cmd, "get") == 0 && left == 0) ||
	      (strcmp(cmd, "ping") == 0 && (left == 1 || left == 2)) || (strcmp(cmd, "flood") == 0 && left == 1) ||
	      (strcmp(cmd, "corrupt") == 0 && left == 0)))
		usage();
	long n = left >= 1 && strcmp(cmd, "set") ? number(argv[i]) : 0;
	open_channel(poll_mode);
	if (strcmp(cmd, "set") == 0)
		return cmd_set(argv[i], argv[i + 1]);
	if (strcmp(cmd, "get") == 0)
		return cmd_get();
	if (strcmp(cmd, "ping") == 0)
		return cmd_ping(n, left == 2 ? number(argv[i + 1]) : 0);
	if (strcmp(cmd, "flood") == 0)
		return cmd_flood(n);
	return cmd_corrupt();
}
