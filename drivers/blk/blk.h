/* The virtio-blk driver's fixed layout: the handles the system
 * description (or the supervisor, after a restart) gives it and where it
 * maps them.  Its DMA region is an
 * SD `shm` pinned with `phys-addr` in a range no other object gets: the
 * device has no IOMMU, so whoever programs it reaches any RAM, and the
 * driver's own buffers are the only RAM it should ever be told about. */
#ifndef BLK_H
#define BLK_H

#include <bw/blk.h>
#include <bw/lib.h>
#include <hw/virtio.h>

#define H_CON  BW_BOOT_HANDLE(0) /* console: send */
#define H_DEV  BW_BOOT_HANDLE(1) /* the transport's page and IRQ */
#define H_EP   BW_BOOT_HANDLE(2) /* requests: recv */
#define H_IRQ  BW_BOOT_HANDLE(3) /* the IRQ's notification */
#define H_VQ   BW_BOOT_HANDLE(4) /* virtqueue region, mapped at VQ_VA */
#define H_DATA BW_BOOT_HANDLE(5) /* data buffer, shared with the client, at DATA_VA */
/* Only when the supervisor started it: send, to its fault endpoint. */
#define H_SUPERVISOR BW_BOOT_HANDLE(6)

#define DEV_VA 0x20000000ul
/* QEMU virt plugs the first virtio-mmio device into its last transport,
 * 0x0a003e00 (SPI 47, INTID 79): eight transports share the page at
 * 0x0a003000, of which the driver is granted that one page. */
#define TRANSPORT_OFFSET 0xe00u
#define VQ_VA   0x20100000ul
#define DATA_VA 0x20200000ul

/* The physical addresses the driver programs the device with: what the
 * kernel's SHM_MAP says of the two regions, which the description pinned
 * with `phys-addr` (blk.c; 0 would mean an unpinned region, and the
 * driver refuses to start). */
extern uint64_t vq_phys, data_phys;

#define QUEUE_SIZE 8
/* Inside the virtqueue region's first page, after the rings. */
#define HDR_OFFSET 0x800u
#define STATUS_OFFSET 0x810u

#endif
