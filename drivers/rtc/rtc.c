/* The PL031 real-time-clock driver.  Its grant is the PL031's one MMIO
 * page and its interrupt (SPI 2); nothing else on the device reads the
 * clock's registers, so the guests' notion of wall-clock time comes from
 * here over IPC.  The driver never sets the clock: a guest that sets its
 * own time changes only its VMM's offset, not its neighbours' clock.
 *
 * Its supervisor (drivers/supervisor) starts it with the same handles the
 * description would give it, plus a send right to the supervisor's fault
 * endpoint, where it says when it serves. */
#include <bw/lib.h>
#include <bw/rtc.h>

#define H_CON BW_BOOT_HANDLE(0)
#define H_DEV BW_BOOT_HANDLE(1)
#define H_EP  BW_BOOT_HANDLE(2)
#define H_IRQ BW_BOOT_HANDLE(3)
#define H_SUPERVISOR BW_BOOT_HANDLE(4) /* send; absent if the kernel started it */
#define RTC_READY 16 /* sent to the supervisor (its label is ours to choose) */

#ifdef RTC_EXIT_TEST
/* The restart test's hook (drivers/build.mk builds rtc-exittest.elf with
 * it; never the product): each instance returns from main on its
 * RTC_EXIT_TEST-th request, before answering it, so its client sees the
 * call fail and must repeat it to the next instance.  An exit, not a
 * fault: the supervisor hears of it the same way. */
#define RTC_EXIT_STATUS 3
#endif

#define RTC_VA 0x20000000ul
#define RTCDR 0x00
#define RTCCR 0x0c
#define RTCIMSC 0x10
#define RTCPERIPHID0 0xfe0

static volatile uint32_t *rtc;

int main(void)
{
	bw_console_set(H_CON);
	uint64_t err = bw_sys3(BW_SYS_DEV_MAP, H_DEV, RTC_VA, 0, NULL);
	if (err != BW_OK) {
		bw_printf("rtc: cannot map the PL031: error %lu\n", (unsigned long)err);
		return 1;
	}
	rtc = (volatile uint32_t *)RTC_VA;
	if ((rtc[RTCPERIPHID0 / 4] & 0xff) != 0x31) {
		bw_printf("rtc: no PL031 at its address (peripheral ID %x)\n", rtc[RTCPERIPHID0 / 4]);
		return 1;
	}
	/* The alarm is not offered: its interrupt stays masked, but binding it
	 * keeps the line ours (nobody else may bind it). */
	rtc[RTCIMSC / 4] = 0;
	bw_sys3(BW_SYS_IRQ_BIND, H_DEV, H_IRQ, 0, NULL);
	if (!(rtc[RTCCR / 4] & 1))
		rtc[RTCCR / 4] = 1;
	bw_printf("rtc: PL031 driver up, %u seconds since the epoch\n", rtc[RTCDR / 4]);
	struct bw_msg ready = {.info = bw_info(RTC_READY, 0, 0) | BW_INFO_NONBLOCK};
	bw_send(H_SUPERVISOR, &ready);
	struct bw_msg m = {.info = bw_info(0, 0, 0)};
	uint64_t e = bw_recv(H_EP, &m);
#ifdef RTC_EXIT_TEST
	unsigned requests = 0;
#endif
	for (;;) {
		struct bw_msg r = {.info = bw_info(0, 0, 0)};
#ifdef RTC_EXIT_TEST
		if (e == BW_OK && ++requests == RTC_EXIT_TEST) {
			bw_printf("rtc: test hook: exiting on request %u, unanswered\n", requests);
			return RTC_EXIT_STATUS;
		}
#endif
		if (e == BW_OK) {
			if (bw_info_label(m.info) == BW_RTC_GET_TIME)
				r.mr[0] = rtc[RTCDR / 4];
			else
				r.info = bw_info(BW_E_INVAL, 0, 0);
		}
		e = bw_reply_recv(H_EP, &r);
		m = r;
	}
}
