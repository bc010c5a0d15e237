/* The guest's PL011 (vmm/vmm/console_port.c): the device model's glue to
 * the console driver (output lines, input bytes) and to the kernel's MMIO
 * short path, which keeps the data-register writes and flag-register
 * reads of a printing guest out of the exit loop. */
#ifndef VMM_CONSOLE_PORT_H
#define VMM_CONSOLE_PORT_H

#include <bw/sys.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/devices.h>

#define CONSOLE_PL011_BASE 0x09000000ul
#define CONSOLE_UART_INTID 33 /* SPI 1, level: the DT's PL011 interrupt */

/* boot_line_seen: called just before the guest's first userspace line is
 * printed (the boot benchmark's end), so the exit counts come out first. */
void console_port_init(struct vgic *gic, void (*boot_line_seen)(void));
/* Once the vCPU exists: the guest registers for console input (taking the
 * input focus if `take_focus`: an interactive shell) and for the short
 * path (a notification, a page shared with the kernel and a thread at
 * input_prio that passes the kernel's wake-ups to the exit loop as calls
 * on exit_ep). */
void console_port_start(bw_handle vcpu, bw_handle exit_ep, uint64_t input_prio, bool take_focus);
/* A PL011 access that exited: false if ipa is not the PL011's. */
bool console_port_mmio(uint64_t ipa, struct vmm_access *a, bool *known);
/* After a distributor write: the line may be high on a newly enabled SPI. */
void console_port_gic_written(void);
/* Before any exit is handled: the writes the kernel queued come first. */
void console_port_drain(void);
/* A wake-up from the short path's thread (then drained): not an exit. */
bool console_port_kick(uint64_t info);
void console_port_stopped(void);
/* Prints the short path's counts (the exits it absorbed). */
void console_port_report(void);

#endif
