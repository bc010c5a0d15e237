/* The wall-clock service of the PL031 driver (drivers/rtc): one call,
 * answered from the device's data register.  A client caches the answer
 * against its own counter rather than asking per read: the clock is a
 * shared device and every call costs the driver a turn. */
#ifndef BW_RTC_H
#define BW_RTC_H

#define BW_RTC_GET_TIME 1 /* call; reply mr0 = seconds since the Unix epoch, label 0 = ok */

#endif
