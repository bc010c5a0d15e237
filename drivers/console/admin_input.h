/* The console's end of the host admin channel (admin_input.c). */
#ifndef ADMIN_INPUT_H
#define ADMIN_INPUT_H

#include <stdint.h>

#include "admin_frame.h"

/* The host admin task's endpoint, if the system description gives the
 * console one (send right, badge "name"); without it a frame is refused
 * with a message. */
#define H_ADMIN BW_BOOT_HANDLE(5)

/* Called by the input thread for every received byte, before routing:
 * takes admin frames out of the stream and returns the typed bytes to
 * route, in `typed`.  Never blocks. */
uint32_t admin_input_feed(uint8_t c, uint8_t typed[ADMIN_FRAME_PASS_MAX]);

#endif
