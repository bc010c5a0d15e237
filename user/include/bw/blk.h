/* The block service of the virtio-blk driver (drivers/blk).  Data moves
 * through one shared region, the driver's DMA data buffer, which the
 * driver and its one client (the Linux VMM) both map: the client copies a
 * guest's data in or out, the device reads or writes it there directly.
 * Every request is a call; a reply with label 0 means the device completed
 * it (for a write: the data reached the device; after BW_BLK_FLUSH: the
 * device's cache too).  A call that fails with BW_E_CLOSED was not
 * completed: the driver died, and the client repeats it once the
 * supervisor has started a new one. */
#ifndef BW_BLK_H
#define BW_BLK_H

#define BW_BLK_INFO  1 /* reply mr0 = capacity in 512-byte sectors, mr1 = data buffer bytes */
#define BW_BLK_READ  2 /* mr0 sector, mr1 bytes (multiple of 512), mr2 buffer offset */
#define BW_BLK_WRITE 3 /* same; the data is already in the buffer */
#define BW_BLK_FLUSH 4
/* Sent (not called, and never waited for) by a driver once it serves, to
 * its supervisor's fault endpoint: the supervisor logs it.  A driver
 * started at boot, with no supervisor, has nothing to tell. */
#define BW_BLK_READY 16

/* Reply labels. */
#define BW_BLK_OK     0
#define BW_BLK_IOERR  1 /* the device reported an error */
#define BW_BLK_RANGE  2 /* outside the disk or the buffer, or not sector sized */
#define BW_BLK_UNSUPP 3

#define BW_BLK_SECTOR 512u
/* The shared data buffer: Linux's readahead makes 1 MiB requests, each
 * then one call to the driver. */
#define BW_BLK_BUF_SIZE (1024u * 1024)

#endif
