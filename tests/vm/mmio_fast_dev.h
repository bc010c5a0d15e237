/* The device page of the MMIO short-path check (tests/vm/vmtest/mmio_fast.c
 * and tests/vm/guest/mmio_fast.c): two registers the kernel handles, the
 * rest the test VMM's. */
#ifndef TESTS_VM_MMIO_FAST_DEV_H
#define TESTS_VM_MMIO_FAST_DEV_H

#define FASTDEV_BASE   0x0a010000ul
#define FASTDEV_DATA   0x000 /* write: through the kernel's ring (a UARTDR) */
#define FASTDEV_FLAGS  0x018 /* read: the value the VMM published (a UARTFR) */
#define FASTDEV_OTHER  0x004 /* read: not listed, exits: FASTDEV_OTHER_VALUE */
#define FASTDEV_REPORT 0x100 /* write (64 bits): a value the guest saw */
#define FASTDEV_PHASE  0x108 /* write n: the VMM checks and prepares step n */
#define FASTDEV_DONE   0x110 /* write: over; the VMM stops the guest */

#define FASTDEV_BURST 300 /* data writes in a row: more than the ring holds */
#define FASTDEV_PUBLISHED 0x80018002u
#define FASTDEV_OTHER_VALUE 0x77u
#define FASTDEV_REFUSED 0xbadu /* written while the VMM's tail is corrupt */
#define FASTDEV_AFTER 0x600du  /* written once the tail is sound again */

#define SCENARIO_MMIO_FAST 7 /* x0 at entry: tests/vm/guest/mmio_fast.c */

#endif
