/* Reaching one of our VMM's devices from Linux user space with no driver
 * of our own: its addresses come from the device tree Linux exposes under
 * /proc/device-tree, its registers and windows are mapped through
 * /dev/mem.  Shared by chanctl and secadm; each tool words its own errors,
 * so these return what went wrong instead of printing it. */
#ifndef DEVMEM_H
#define DEVMEM_H

#include <stddef.h>
#include <stdint.h>

#define DEVMEM_DT_ROOT "/proc/device-tree"
#define DEVMEM_MAX_PAIRS 4

enum devmem_find {
	DEVMEM_FOUND,
	DEVMEM_NO_TREE, /* DEVMEM_DT_ROOT cannot be read: errno says why */
	DEVMEM_NO_NODE, /* no node's name begins with the prefix */
	DEVMEM_BAD_REG, /* `path` (its reg) is unreadable or shorter than asked */
};

/* The reg property of the first node under DEVMEM_DT_ROOT whose name
 * begins with `prefix` (such as "bulwark-chan@"): its first `pairs`
 * (address, size) pairs, two cells each, into addr[] and size[].  `path`
 * receives the property's path, for the caller's message. */
enum devmem_find devmem_find_node(const char *prefix, unsigned pairs, uint64_t addr[], uint64_t size[],
				  char *path, size_t path_size);

/* `size` bytes of physical memory at `addr`, shared and writable, through
 * `fd`, /dev/mem opened with O_SYNC (so Linux maps it uncached: the
 * callers make only aligned word accesses).  NULL with errno set if the
 * kernel refuses. */
volatile void *devmem_map(int fd, uint64_t addr, uint64_t size);

#endif
