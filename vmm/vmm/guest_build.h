/* Building a VMM's VM from what the system description grants it, and
 * loading its guest (vmm/vmm/guest_build.c). */
#ifndef VMM_GUEST_BUILD_H
#define VMM_GUEST_BUILD_H

#include <bw/sys.h>
#include <stdint.h>

/* Where the guest starts: the vCPU's PC and x0 (the DTB, or 0). */
struct guest_boot {
	uint64_t entry, x0;
};

/* Maps the granted guest RAM into this VMM and into the VM (each grant
 * checked by policy); returns the VM's handle.  Stops the VMM with a
 * report if a grant is missing or refused. */
bw_handle guest_build_vm(void);
/* (Re)loads the guest's images into its RAM, cleaned to the point of
 * coherency: at start (boots 0) and on every PSCI SYSTEM_RESET.  A guest
 * whose bootargs say bw.boot=0 is told how often it was reset there
 * (bw.boot=N, N modulo 10), as a bootloader would. */
struct guest_boot guest_load(unsigned boots);
/* The VMM's view of [ipa, ipa + size) if all of it is guest RAM, or NULL
 * (device models that take guest addresses, such as virtio-blk). */
uint8_t *guest_range(void *ctx, uint64_t ipa, uint64_t size);
/* Guest RAM in MiB, for reports. */
uint64_t guest_ram_mib(void);

#endif
