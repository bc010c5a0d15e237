/* Where the VMM puts a Linux guest in its physical address space (QEMU
 * virt's layout, which the guests are tested against natively): the
 * kernel at RAM + 2 MiB (+ its text_offset), the initrd and the device
 * tree towards the end.  The build generates the DTB with the same
 * numbers (vmm/build.mk). */
#ifndef VMM_LAYOUT_H
#define VMM_LAYOUT_H

/* A build may size RAM per guest (-DGUEST_RAM_SIZE=...). */
#define GUEST_RAM_BASE    0x40000000ul
#ifndef GUEST_RAM_SIZE
#define GUEST_RAM_SIZE    (128ul << 20)
#endif
#define GUEST_KERNEL_BASE (GUEST_RAM_BASE + (2ul << 20))
#define GUEST_INITRD_BASE (GUEST_RAM_BASE + (96ul << 20))
#define GUEST_DTB_BASE    (GUEST_RAM_BASE + GUEST_RAM_SIZE - (2ul << 20))

#endif
