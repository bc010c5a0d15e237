/* Bulwark's part of newlib for user tasks: where standard output goes. */
#ifndef BW_NEWLIB_H
#define BW_NEWLIB_H

#include <bw/sys.h>

/* Sends stdout and stderr to the console driver's endpoint (a handle with
 * the send right); until then they go to the kernel's debug output. */
void bw_newlib_set_console(bw_handle endpoint);

#endif
