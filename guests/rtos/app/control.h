/* What the control task (app/main.c) publishes for other tasks: a
 * consistent copy of its release-jitter totals. */
#ifndef APP_CONTROL_H
#define APP_CONTROL_H

#include <rtos/jitter.h>

void control_snapshot(struct jitter *out);

#endif
