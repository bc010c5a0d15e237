/* The boot payload: what mkimage hands the kernel.
 *
 * mkimage appends one PT_LOAD segment to the kernel ELF and patches its
 * physical address into the kernel's 8-byte variable `bw_boot_payload`
 * (section `.bootptr`).  The segment starts with struct bw_bootinfo; every
 * other part of the payload is found through offsets in it.
 *
 * The kernel does not parse ELF or the system description: mkimage has already
 * turned each task into page-aligned regions, each kernel object into a fixed
 * record and each context string into a SID.  The kernel still distrusts all of
 * it and must validate before use, because a corrupted image must stop the
 * boot with a message, never make the kernel read out of bounds:
 *   - magic, version, header_size >= sizeof(struct bw_bootinfo),
 *     payload_size >= header_size, payload_phys == bw_boot_payload;
 *   - for every table: offset % 8 == 0, entry_size >= the size of the entry
 *     this header defines (a newer mkimage may append fields; read entry i at
 *     offset + i * entry_size), and offset + count * entry_size <= payload_size
 *     without overflow;
 *   - every string reference inside the string blob with a NUL right after it;
 *   - every index (region, handle, object, mmio range, SID) below its count;
 *   - regions page aligned, non-overlapping within a task, never W and X.
 *
 * Encoding: every field is little-endian and fixed width; offsets are relative
 * to the start of the payload (the address in bw_boot_payload); addresses are
 * physical for memory and devices, user virtual (stage-2 input) for mappings.
 * Reserved fields are written as zero and must be ignored.
 *
 * Versioning: an incompatible change bumps BW_BOOTINFO_VERSION and the kernel
 * refuses any version it does not know.  Appending fields to an entry or to the
 * header is compatible: readers use entry_size / header_size.
 *
 * The format is documented for integrators in docs/SYSTEM-DESCRIPTION.md. */
#ifndef BULWARK_BOOTINFO_H
#define BULWARK_BOOTINFO_H

/* The constants are usable from assembly too. */
#ifdef __ASSEMBLER__
#define BW_BOOT_U32(x) x
#define BW_BOOT_U64(x) x
#else
#include <stdint.h>
#define BW_BOOT_U32(x) x##u
#define BW_BOOT_U64(x) x##ull
#endif

#define BW_BOOTINFO_MAGIC   BW_BOOT_U64(0x544f4f42574c5542) /* "BULWBOOT" in memory order */
#define BW_BOOTINFO_VERSION BW_BOOT_U32(1)

/* The payload's own placement: 2 MiB so that the kernel may map it with block
 * descriptors; each task segment inside it starts on a page. */
#define BW_BOOT_PAYLOAD_ALIGN BW_BOOT_U64(0x200000)
#define BW_BOOT_PAGE_SIZE     BW_BOOT_U64(0x1000)

/* An absent index (no fault handler, IRQ not bound at boot, ...). */
#define BW_BOOT_NONE BW_BOOT_U32(0xffffffff)

/* Scheduling: higher numbers run first; the same range as BW_PRIO_MAX of
 * bulwark/syscall.h. */
#define BW_BOOT_PRIORITY_MAX BW_BOOT_U32(63)

/* Handle slots: 1 and 2 hold the task's own task and thread handles, so the
 * description's handles start at 3; the kernel's table has 128 slots. */
#define BW_BOOT_FIRST_SLOT BW_BOOT_U32(3)
#define BW_BOOT_MAX_SLOT   BW_BOOT_U32(127)

/* Rights, of handles and of regions: the same bits as BW_R_* of
 * bulwark/syscall.h (this header stays free of it so assembly can use it). */
#define BW_BOOT_RIGHT_SEND   BW_BOOT_U32(0x01) /* IPC send/call, notification signal */
#define BW_BOOT_RIGHT_RECV   BW_BOOT_U32(0x02) /* IPC receive, notification wait */
#define BW_BOOT_RIGHT_READ   BW_BOOT_U32(0x04) /* map readable */
#define BW_BOOT_RIGHT_WRITE  BW_BOOT_U32(0x08) /* map writable */
#define BW_BOOT_RIGHT_EXEC   BW_BOOT_U32(0x10) /* map executable */
#define BW_BOOT_RIGHT_GRANT  BW_BOOT_U32(0x20) /* may be transferred or granted */
#define BW_BOOT_RIGHT_MANAGE BW_BOOT_U32(0x40) /* control a task or thread */

#ifndef __ASSEMBLER__

/* A reference to a NUL-terminated string in the string blob. */
struct bw_boot_str {
	uint32_t offset; /* from the start of the string blob */
	uint32_t length; /* without the NUL, which follows at offset + length */
};

/* Where one array of entries lives. */
struct bw_boot_table {
	uint32_t offset;     /* from the payload start, 8-byte aligned */
	uint32_t count;      /* number of entries */
	uint32_t entry_size; /* bytes per entry, >= sizeof the entry type */
	uint32_t reserved;
};

/* A byte range of the payload. */
struct bw_boot_blob {
	uint32_t offset; /* from the payload start; 0 with size 0 when absent */
	uint32_t size;
};

struct bw_bootinfo {
	uint64_t magic;        /* BW_BOOTINFO_MAGIC */
	uint32_t version;      /* BW_BOOTINFO_VERSION */
	uint32_t header_size;  /* bytes of this header as written */
	uint64_t payload_size; /* bytes of the whole payload, header included */
	uint64_t payload_phys; /* where mkimage placed the payload */
	uint64_t ram_base;     /* the RAM the description was checked against */
	uint64_t ram_size;
	uint32_t kernel_sid;   /* the kernel's own subject SID */
	uint32_t flags;        /* none defined yet */

	struct bw_boot_table tasks;   /* struct bw_boot_task, in start order */
	struct bw_boot_table regions; /* struct bw_boot_region, grouped per task */
	struct bw_boot_table objects; /* struct bw_boot_object */
	struct bw_boot_table handles; /* struct bw_boot_handle, grouped per task */
	struct bw_boot_table mmio;    /* struct bw_boot_mmio, grouped per device */
	struct bw_boot_table sids;    /* struct bw_boot_str indexed by SID; SID 0 is
				       * "no SID" and its entry is empty */
	struct bw_boot_blob strings;  /* NUL-terminated strings */
	struct bw_boot_blob policy;   /* the compiled policy (polc output), or empty */
	uint64_t reserved[4];
};

/* One user task: an address space with one thread. */
struct bw_boot_task {
	struct bw_boot_str name; /* as in the description; console prefixes use it */
	uint32_t sid;            /* subject SID of the task and its thread */
	uint32_t priority;       /* 0 .. BW_BOOT_PRIORITY_MAX */
	uint64_t entry;          /* user virtual address of the first instruction */
	uint64_t stack_top;      /* initial SP: 16-byte aligned, end of a stack region */
	uint64_t memory_quota;   /* bytes of memory the kernel may charge to the task:
				  * its regions plus the description's
				  * memory-quota for objects created at run time */
	uint32_t time_slice_us;  /* round-robin quantum within its priority */
	uint32_t first_region;   /* index into regions */
	uint32_t region_count;
	uint32_t first_handle;   /* index into handles */
	uint32_t handle_count;
	uint32_t fault_handler;  /* object index of an endpoint, or BW_BOOT_NONE */
	uint32_t flags;          /* none defined yet */
	uint32_t reserved;
};

/* Where a region's initial contents come from. */
enum bw_boot_region_kind {
	BW_BOOT_REGION_ELF = 1,   /* a PT_LOAD segment of the task's image */
	BW_BOOT_REGION_STACK = 2, /* the initial thread's stack, zeroed */
	BW_BOOT_REGION_ZERO = 3,  /* other anonymous memory, zeroed */
};

/* Memory private to one task.  The kernel gives it fresh frames, copies
 * data_size bytes from the payload and zeroes the rest. */
struct bw_boot_region {
	uint64_t vaddr;       /* page aligned */
	uint64_t size;        /* page multiple, > 0 */
	uint64_t data_offset; /* payload offset, page aligned; 0 when data_size == 0 */
	uint64_t data_size;   /* <= size */
	uint32_t rights;      /* BW_BOOT_RIGHT_READ | _WRITE | _EXEC, never WRITE|EXEC */
	uint32_t kind;        /* enum bw_boot_region_kind */
};

enum bw_boot_object_type {
	BW_BOOT_OBJ_ENDPOINT = 1,
	BW_BOOT_OBJ_NOTIFICATION = 2,
	BW_BOOT_OBJ_SHM = 3,    /* shared memory: size bytes, zeroed at boot */
	BW_BOOT_OBJ_DEVICE = 4, /* MMIO ranges and at most one interrupt line */
	BW_BOOT_OBJ_TASK = 5,   /* a boot task itself (tasks[task]) */
	BW_BOOT_OBJ_THREAD = 6, /* a boot task's initial thread */
	BW_BOOT_OBJ_VM = 7,     /* a virtual machine (an empty stage-2 space) run by
				 * the VMM task tasks[task]; size = kernel memory for
				 * its stage-2 tables.  Its guest RAM is shm objects
				 * the VMM maps into it */
};

/* A kernel object the kernel creates (or, for tasks and threads, names) at
 * boot, before any task runs. */
struct bw_boot_object {
	struct bw_boot_str name;
	uint32_t type;        /* enum bw_boot_object_type */
	uint32_t sid;         /* object SID; a task's or thread's is its task's */
	uint64_t size;        /* shm: bytes, page multiple; vm: memory quota; 0 otherwise */
	uint64_t phys;        /* shm: fixed physical address, or 0 = kernel allocates */
	uint32_t first_mmio;  /* device: index into mmio */
	uint32_t mmio_count;  /* device: number of ranges (may be 0 for an IRQ only) */
	uint32_t irq;         /* device: GIC INTID (16..1019), or 0 for none */
	uint32_t irq_notify;  /* device: object index of a notification to bind the
			       * IRQ to at boot, or BW_BOOT_NONE (the driver binds) */
	uint32_t irq_bit;     /* device: the bit number that binding signals */
	uint32_t task;        /* task, thread: index into tasks; vm: its VMM's;
			       * BW_BOOT_NONE otherwise */
};

/* One physical MMIO range of a device. */
struct bw_boot_mmio {
	uint64_t phys; /* page aligned */
	uint64_t size; /* page multiple */
};

/* A handle a task holds from the start. */
struct bw_boot_handle {
	uint32_t slot;      /* BW_BOOT_FIRST_SLOT..BW_BOOT_MAX_SLOT, unique per task;
			     * a task's handles are sorted by slot */
	uint32_t object;    /* index into objects */
	uint32_t rights;    /* BW_BOOT_RIGHT_* that the object type gives meaning to */
	uint32_t reserved;
	uint64_t badge;     /* endpoint: delivered to the receiver with each message;
			     * notification: the bits a signal through it sets; the
			     * description may ask for the holder's name, packed in
			     * 8 bytes little-endian */
	uint64_t map_vaddr; /* shm, device: mapped at boot at this page-aligned user
			     * address with the handle's READ/WRITE/EXEC rights (a
			     * device's ranges back to back, in order); 0 = not
			     * mapped at boot */
};

_Static_assert(sizeof(struct bw_boot_str) == 8, "bw_boot_str layout");
_Static_assert(sizeof(struct bw_boot_table) == 16, "bw_boot_table layout");
_Static_assert(sizeof(struct bw_bootinfo) == 200, "bw_bootinfo layout");
_Static_assert(sizeof(struct bw_boot_task) == 72, "bw_boot_task layout");
_Static_assert(sizeof(struct bw_boot_region) == 40, "bw_boot_region layout");
_Static_assert(sizeof(struct bw_boot_object) == 56, "bw_boot_object layout");
_Static_assert(sizeof(struct bw_boot_mmio) == 16, "bw_boot_mmio layout");
_Static_assert(sizeof(struct bw_boot_handle) == 32, "bw_boot_handle layout");

#endif /* !__ASSEMBLER__ */

#endif
