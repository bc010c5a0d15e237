/* Where the VMM puts a Linux guest in its physical address space (QEMU
 * virt's layout, which the guests are tested against natively): the
 * kernel at RAM + 2 MiB (+ its text_offset), the initrd and the device
 * tree towards the end.  A VMM's build header (mkimage --guest
 * --vm-header, from the system description's vm node) sets RAM and the
 * initrd's address first; the guest's device tree comes from the same
 * node, so the two agree. */
#ifndef VMM_LAYOUT_H
#define VMM_LAYOUT_H

#ifndef GUEST_RAM_BASE
#define GUEST_RAM_BASE    0x40000000ul
#endif
#ifndef GUEST_RAM_SIZE
#define GUEST_RAM_SIZE    (128ul << 20)
#endif
#define GUEST_KERNEL_BASE (GUEST_RAM_BASE + (2ul << 20))
#ifndef GUEST_INITRD_BASE
#define GUEST_INITRD_BASE (GUEST_RAM_BASE + (96ul << 20))
#endif
#define GUEST_DTB_BASE    (GUEST_RAM_BASE + GUEST_RAM_SIZE - (2ul << 20))

#endif
