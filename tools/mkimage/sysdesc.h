/* The system description as mkimage understands it: the in-memory model read
 * from a flattened device tree, and the checks that make it safe to turn into
 * a boot payload.  Pure host code with no I/O except through sd_diag, so that
 * unit tests and the fuzzer drive it directly.  The language itself is
 * documented in docs/SYSTEM-DESCRIPTION.md. */
#ifndef MKIMAGE_SYSDESC_H
#define MKIMAGE_SYSDESC_H

#include <stddef.h>
#include <stdint.h>

#include "bulwark/bootinfo.h"
#include "diag.h"

/* Defaults and limits of the description language. */
#define SD_DEFAULT_PRIORITY      32u
#define SD_DEFAULT_TIME_SLICE_US 10000u
#define SD_MIN_TIME_SLICE_US     100u
#define SD_MAX_TIME_SLICE_US     10000000u
#define SD_DEFAULT_STACK_SIZE    0x4000ull
#define SD_MAX_STACK_SIZE        0x1000000ull
#define SD_DEFAULT_MEMORY_QUOTA  0x10000ull
/* User addresses stay below 2^39 so that any stage-2 configuration the
 * kernel picks (40-bit IPA on Cortex-A53) can map them. */
#define SD_USER_VA_LIMIT 0x8000000000ull
/* QEMU virt with -m 1G. */
#define SD_DEFAULT_RAM_BASE 0x40000000ull
#define SD_DEFAULT_RAM_SIZE 0x40000000ull
/* Only shared peripheral interrupts go to drivers: SGIs (0..15) and the
 * per-CPU PPIs (16..31: timers, GIC maintenance, PMU) belong to the kernel,
 * and 1020.. are special INTIDs. */
#define SD_IRQ_MIN 32u
#define SD_IRQ_MAX 1019u
/* The kernel's own devices, never granted: the GICv3 distributor,
 * redistributors and ITS of QEMU virt. */
#define SD_DEFAULT_KERNEL_MMIO_BASE 0x08000000ull
#define SD_DEFAULT_KERNEL_MMIO_SIZE 0x01000000ull

struct sd_task {
	const char *name; /* the node name under /tasks */
	int node;         /* its offset in the tree */
	const char *image;
	const char *context;
	uint32_t sid;
	uint32_t priority;
	uint32_t time_slice_us;
	uint64_t stack_size;
	uint64_t memory_quota;
	const char *fault_handler; /* endpoint name, or NULL */
	uint32_t fault_handler_object;
	size_t first_handle; /* into sd_system.handles */
	size_t handle_count;
};

struct sd_object {
	const char *name; /* the node name under /objects */
	int node;
	uint32_t type; /* enum bw_boot_object_type, 0 if unknown */
	const char *context;
	uint32_t sid;
	uint64_t size;       /* shm */
	uint64_t phys;       /* shm, 0 = allocated by the kernel */
	size_t first_mmio;   /* device: into sd_system.mmio */
	size_t mmio_count;
	uint32_t irq;        /* device: INTID, 0 for none */
	const char *notify;  /* device: notification its IRQ is bound to at boot, or NULL */
	uint32_t notify_object;
	uint32_t notify_bit;
	const char *task;    /* task, thread: the task's name */
	uint32_t task_index; /* resolved, BW_BOOT_NONE if unknown */
	/* vm: the VMM task, its stage-2 quota (in size) and what its guest's
	 * device tree says (sysdesc_vm.c, guestdt.c). */
	const char *vmm;
	uint32_t vmm_index;  /* resolved, BW_BOOT_NONE if unknown */
	const char *bootargs;
	uint64_t initrd_addr; /* guest address of the initrd, 0 = none */
	/* shm: guest RAM of this VM (name, resolved index) at guest_addr. */
	const char *vm;
	uint32_t vm_index;
	uint64_t guest_addr;
};

struct sd_handle {
	const char *name; /* the node name under the task's handles node */
	int node;
	size_t task;        /* index into sd_system.tasks */
	const char *object; /* the object's name as written */
	uint32_t object_index; /* resolved, BW_BOOT_NONE if unknown */
	uint32_t slot;
	uint32_t rights;
	uint64_t badge; /* "name" in the description: the holder's name, packed */
	uint64_t map_vaddr;
};

struct sd_mmio {
	uint64_t phys;
	uint64_t size;
};

struct sd_system {
	const void *fdt;
	int kernel_node;
	const char *kernel_context;
	uint32_t kernel_sid;
	uint64_t ram_base;
	uint64_t ram_size;
	uint64_t kernel_mmio_base; /* MMIO no device may include */
	uint64_t kernel_mmio_size;

	struct sd_task *tasks;
	size_t task_count;
	struct sd_object *objects;
	size_t object_count;
	struct sd_handle *handles;
	size_t handle_count;
	struct sd_mmio *mmio;
	size_t mmio_count;

	/* SID i (1-based) names contexts[i - 1]; the strings live in the fdt. */
	const char **contexts;
	size_t context_count;
};

/* Reads and checks the description in the flattened tree fdt (len bytes),
 * reporting every problem through d.  Returns 0 when the description is
 * valid; -1 otherwise (sys may then be partly filled, and must still be
 * freed).  fdt must stay alive as long as sys. */
int sd_load(struct sd_system *sys, const void *fdt, size_t len, struct sd_diag *d);

void sd_free(struct sd_system *sys);

/* The VM's stage-2 quota when the description gives none: the tables for
 * 4 KiB pages over all its RAM (2 KiB per MiB), twice, plus the root. */
#define SD_VM_QUOTA_BASE 0x10000ull
#define SD_VM_QUOTA_PER_RAM 256u /* one byte of tables per 256 of RAM */

/* Finds an object by name; BW_BOOT_NONE if there is none. */
uint32_t sd_find_object(const struct sd_system *sys, const char *name);

/* The name of an object type ("endpoint", ...), or "?" */
const char *sd_type_name(uint32_t type);
/* The index of the task called name, or BW_BOOT_NONE. */
uint32_t sd_find_task(const struct sd_system *sys, const char *name);

#endif
