/* The VMM side of the drivers' protocols (user/include/bw/rtc.h, blk.h). */
#include <bw/blk.h>
#include <bw/lib.h>
#include <bw/rtc.h>
#include <hw/virtio.h>
#include "backends.h"

#define BLK_BUF_VA 0x2000000000ul /* where this VMM maps the driver's data buffer */

/* The guest's wall clock: the driver's answer, advanced with the generic
 * counter so that most clock reads cost no IPC.  A read at least
 * CLOCK_RESYNC_US after the last answer asks the driver again, so the
 * guest follows the RTC rather than the counter's idea of a second; the
 * clock never steps back. */
#define CLOCK_RESYNC_US 100000u
/* A call waits on the endpoint until a driver takes it; one that a dying
 * driver had taken fails with BW_E_CLOSED and is repeated after a sleep,
 * a bounded number of times (a driver that keeps dying mid-call would
 * otherwise hold the guest's clock read for ever; the counter then
 * carries on alone). */
#define RTC_RETRY_SLEEP_US 1000u
#define RTC_RETRIES 3000u

static uint64_t clock_base, clock_count0, clock_freq, clock_asked;
static bool clock_absent, told_rtc_restart;

static uint64_t counter(void)
{
	uint64_t v;
	__asm__ volatile("isb\n mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

/* One call to the clock driver, repeated while the driver is being
 * restarted: BW_E_CLOSED means it died before answering. */
static uint64_t rtc_call(uint64_t *seconds)
{
	for (unsigned tries = 0;; tries++) {
		struct bw_msg m = {.info = bw_info(BW_RTC_GET_TIME, 0, 0)};
		uint64_t err = bw_call(H_RTC, &m);
		if (err == BW_OK) {
			if (told_rtc_restart)
				bw_printf("vmm: the clock driver is back; request resubmitted\n");
			told_rtc_restart = false;
			if (bw_info_label(m.info) != 0)
				return BW_E_INVAL;
			*seconds = m.mr[0];
			return BW_OK;
		}
		if (err != BW_E_CLOSED || tries >= RTC_RETRIES)
			return err;
		if (!told_rtc_restart)
			bw_printf("vmm: the clock driver died during a request; waiting for its restart\n");
		told_rtc_restart = true;
		bw_sleep_us(RTC_RETRY_SLEEP_US);
	}
}

void wallclock_init(void)
{
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(clock_freq));
	if (!clock_freq)
		clock_freq = 1;
	uint64_t seconds = 0;
	uint64_t err = rtc_call(&seconds);
	clock_count0 = clock_asked = counter();
	if (err != BW_OK) {
		clock_absent = err == BW_E_BADHANDLE; /* a system without the clock driver */
		bw_printf("vmm: no wall clock (error %lu): the guest's clock starts at the epoch\n",
			  (unsigned long)err);
		return;
	}
	clock_base = seconds;
}

uint64_t wallclock_now(void)
{
	uint64_t now = counter();
	uint64_t guess = clock_base + (now - clock_count0) / clock_freq;
	if (clock_absent || now - clock_asked < clock_freq / (1000000u / CLOCK_RESYNC_US))
		return guess;
	clock_asked = now;
	uint64_t seconds;
	if (rtc_call(&seconds) != BW_OK || seconds < guess)
		return guess; /* the counter alone until the driver answers; never back */
	clock_base = seconds;
	clock_count0 = now;
	return seconds;
}

static uint64_t blk_capacity;
static bool told_restart;

/* One call to the driver, repeated while the driver is being restarted:
 * BW_E_CLOSED means it died before answering, so the request may or may
 * not have reached the disk -- repeating a read or a write of the same
 * bytes is harmless, and the guest hears of neither until one completes. */
static uint64_t blk_call(uint64_t label, uint64_t sector, uint64_t bytes)
{
	for (;;) {
		struct bw_msg m = {.info = bw_info(label, 0, 0), .mr = {sector, bytes, 0}};
		uint64_t err = bw_call(H_BLK, &m);
		if (err == BW_OK) {
			if (told_restart)
				bw_printf("vmm: the block driver is back; request resubmitted\n");
			told_restart = false;
			return bw_info_label(m.info);
		}
		if (err != BW_E_CLOSED)
			return BW_BLK_IOERR;
		if (!told_restart)
			bw_printf("vmm: the block driver died during a request; waiting for its restart\n");
		told_restart = true;
		bw_sleep_us(1000); /* a sleep, not a spin: whatever runs below us runs meanwhile */
	}
}

static uint8_t blk_io(void *ctx, uint32_t type, uint64_t sector, uint32_t bytes)
{
	(void)ctx;
	uint64_t label = type == VIRTIO_BLK_T_IN ? BW_BLK_READ : type == VIRTIO_BLK_T_OUT ? BW_BLK_WRITE : BW_BLK_FLUSH;
	switch (blk_call(label, sector, bytes)) {
	case BW_BLK_OK: return VIRTIO_BLK_S_OK;
	case BW_BLK_UNSUPP: return VIRTIO_BLK_S_UNSUPP;
	}
	return VIRTIO_BLK_S_IOERR;
}

void blkfront_init(struct vblk *b, uint8_t *(*guest)(void *ctx, uint64_t gpa, uint64_t len))
{
	struct vblk_ops ops = {.guest = guest, .io = blk_io, .bounce = (uint8_t *)BLK_BUF_VA,
			       .bounce_size = BW_BLK_BUF_SIZE, .deferred = true};
	struct bw_msg m = {.info = bw_info(BW_BLK_INFO, 0, 0)};
	uint64_t err = bw_call(H_BLK, &m);
	if (err == BW_OK && m.mr[1] >= BW_BLK_BUF_SIZE)
		err = bw_sys(BW_SYS_SHM_MAP, H_BLK_DATA, 0, BLK_BUF_VA, BW_R_READ | BW_R_WRITE, 0, NULL);
	else if (err == BW_OK)
		err = BW_E_RANGE;
	if (err == BW_OK)
		blk_capacity = m.mr[0];
	else if (err != BW_E_BADHANDLE)
		bw_printf("vmm: no disk: the block driver is not usable (error %lu)\n", (unsigned long)err);
	vblk_init(b, &ops, blk_capacity);
	if (blk_capacity)
		bw_printf("vmm: virtio-blk disk of %lu MiB for the guest\n", (unsigned long)(blk_capacity >> 11));
}
