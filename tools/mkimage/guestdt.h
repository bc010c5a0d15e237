/* What a VM's VMM is built with, generated from the system description so
 * that the guest's device tree and the VMM's idea of its VM cannot drift
 * from what the image grants: the guest's device-tree source (memory from
 * the VM's RAM, the platform the VMM emulates, chosen) and a C header
 * (handle slots, guest RAM regions, the initrd's guest address). */
#ifndef MKIMAGE_GUESTDT_H
#define MKIMAGE_GUESTDT_H

#include <stdint.h>
#include <stdio.h>

#include "sysdesc.h"

/* The VM named name, or BW_BOOT_NONE after reporting through d. */
uint32_t mk_find_vm(const struct sd_system *sys, const char *name, struct sd_diag *d);

/* The guest's device-tree source; initrd_size (0: none) bounds the initrd
 * at the VM's initrd-addr.  platform, if not NULL, is a device-tree source
 * of what the VMM emulates, /include/d in place of the built-in QEMU virt
 * subset (GICv3, timer, PSCI, PL011): the VMM knows its devices, the
 * description its memory and boot arguments.  Returns 0, or -1 after
 * reporting. */
int mk_write_guest_dts(FILE *f, const struct sd_system *sys, uint32_t vm, uint64_t initrd_size,
		       const char *platform, struct sd_diag *d);

/* The VMM's header: VM_SLOT, VM_RAM_COUNT, VM_RAM_REGIONS, GUEST_RAM_BASE,
 * GUEST_RAM_SIZE (the contiguous RAM from the lowest region), and
 * GUEST_INITRD_BASE when the VM has an initrd-addr. */
int mk_write_vm_header(FILE *f, const struct sd_system *sys, uint32_t vm, struct sd_diag *d);

#endif
