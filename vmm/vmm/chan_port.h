/* This guest's end of the Linux <-> RTOS channel (vmm/vmm/chan_port.c):
 * the rings mapped into the guest, the doorbell page, and the doorbell
 * from the peer turned into a guest interrupt. */
#ifndef VMM_CHAN_PORT_H
#define VMM_CHAN_PORT_H

#include <bw/sys.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/devices.h>

/* Linux's PL061 at QEMU virt's address and SPI (7); the RTOS's doorbell
 * SPI (8).  The guests' own sources agree (guests/README.md). */
#define CHAN_PL061_BASE 0x09030000ul
#define CHAN_PL061_INTID 39
#define CHAN_RTOS_INTID 40

enum chan_guest { CHAN_GUEST_LINUX, CHAN_GUEST_RTOS };

void chan_port_init(struct vgic *gic, enum chan_guest guest);
/* Once the vCPU exists: maps the rings into vm and starts the thread that
 * waits for the peer's doorbell (at prio).  Without the channel's handles
 * (a system without a channel) it says so once and the guest sees a
 * doorbell page whose status has no bit set. */
void chan_port_start(bw_handle vm, bw_handle vcpu, uint64_t prio);
/* An access that exited: false if ipa is not the channel's. */
bool chan_port_mmio(uint64_t ipa, struct vmm_access *a, bool *known);
/* After chan_port_mmio: true if it mapped a lost ring again, and the
 * access must be executed again (not skipped) to reach it. */
bool chan_port_take_retry(void);
/* After a distributor write: an interrupt just enabled may be due. */
void chan_port_gic_written(void);

#endif
