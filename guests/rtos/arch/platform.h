/* The virtual platform the RTOS expects: QEMU virt's layout, which is also
 * what Bulwark's VMM presents to it. */
#ifndef RTOS_PLATFORM_H
#define RTOS_PLATFORM_H

#define PL011_BASE 0x09000000UL
#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080A0000UL /* redistributor of CPU 0 */
#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x01000000UL  /* 16 MiB: all the RTOS maps; rtos.ld agrees */
#define VTIMER_INTID 27        /* CNTV, a PPI */

#endif
