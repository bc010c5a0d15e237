/* The console's end of the host admin channel: admin frames (admin_frame.h)
 * are taken out of the serial input before it is routed to a partition,
 * and each complete payload goes to the host admin task, the channel's
 * subject, which asks policyd for it under its own label.  The console
 * holds no security permission itself: it only relays.
 *
 * Like partition input, the input thread never waits for the receiver: a
 * payload goes into a small queue that a forwarder thread of its own
 * delivers by IPC.  A frame that finds the queue full is dropped and said
 * so; the host tool sends the next request only after the last one's
 * answer, so that takes a misbehaving sender or a larger policy. */
#include "console.h"

#include "admin_input.h"

/* A power of two, and deep enough for a whole policy load (the host sends
 * a request's pieces back to back, 1000 bytes each: 64 cover a 64 KB
 * policy) while the admin task, below the real-time guest, takes them at
 * its own pace. */
#define QUEUE 64
#define FORWARDER_STACK 4096

struct payload {
	uint32_t len;
	uint8_t data[ADMIN_FRAME_MAX];
};

static struct admin_frame decoder;
static bool decoder_ready;
static struct payload queue[QUEUE];
static uint32_t head; /* written by the input thread only */
static uint32_t tail; /* written by the forwarder only */
static bw_handle wakeup;
static bool forwarder_tried, forwarder_up;
static _Alignas(16) uint8_t forwarder_stack[FORWARDER_STACK];

static void forwarder_thread(uint64_t arg)
{
	(void)arg;
	for (;;) {
		uint64_t bits;
		if (bw_wait(wakeup, &bits) != BW_OK)
			bw_thread_exit();
		while (__atomic_load_n(&head, __ATOMIC_ACQUIRE) != tail) {
			struct payload *p = &queue[tail % QUEUE];
			struct bw_msg m = {.info = bw_info(ADMIN_FRAME_FORWARD_LABEL, p->len, 0), .buf = p->data};
			uint64_t e = bw_send(H_ADMIN, &m);
			if (e == BW_E_BADHANDLE)
				console_say("admin frame: this system has no host admin task; request dropped");
			else if (e != BW_OK)
				console_say("admin frame: the host admin task refused it (error %lu); request dropped",
					    (unsigned long)e);
			__atomic_store_n(&tail, tail + 1, __ATOMIC_RELEASE);
		}
	}
}

/* Lazily, at the first frame: a device nobody administers from the host
 * pays nothing for the channel. */
static bool forwarder_start(void)
{
	if (forwarder_tried)
		return forwarder_up;
	forwarder_tried = true;
	uint64_t note, e;
	if ((e = bw_sys3(BW_SYS_NOTIFY_CREATE, 0, 0, 0, &note)) != BW_OK) {
		console_say("admin frames: cannot create a notification (error %lu)", (unsigned long)e);
		return false;
	}
	wakeup = (bw_handle)note;
	/* Below the input thread: delivering requests is never urgent; the
	 * kernel refuses more than the console's own priority. */
	e = BW_E_RANGE;
	for (uint64_t prio = 33; prio > 0 && e == BW_E_RANGE; prio--)
		e = bw_thread_start(forwarder_thread, forwarder_stack + FORWARDER_STACK, prio, 0,
				     NULL);
	if (e != BW_OK) {
		console_say("admin frames: cannot start the forwarder (error %lu)", (unsigned long)e);
		return false;
	}
	forwarder_up = true;
	return true;
}

static void take_payload(void)
{
	if (!forwarder_start()) {
		console_say("admin frame dropped: no forwarder to the host admin task");
		return;
	}
	if (head - __atomic_load_n(&tail, __ATOMIC_ACQUIRE) >= QUEUE) {
		console_say("admin frame dropped: %u requests are already waiting for the host admin task", QUEUE);
		return;
	}
	struct payload *p = &queue[head % QUEUE];
	p->len = decoder.len;
	memcpy(p->data, decoder.payload, decoder.len);
	__atomic_store_n(&head, head + 1, __ATOMIC_RELEASE);
	bw_signal(wakeup);
}

uint32_t admin_input_feed(uint8_t c, uint8_t typed[ADMIN_FRAME_PASS_MAX])
{
	if (!decoder_ready) {
		admin_frame_init(&decoder);
		decoder_ready = true;
	}
	enum admin_frame_event event;
	uint32_t n = admin_frame_feed(&decoder, c, typed, &event);
	if (event == ADMIN_FRAME_PAYLOAD)
		take_payload();
	else if (event == ADMIN_FRAME_DROPPED)
		console_say("admin frame dropped: %s", decoder.why);
	return n;
}
