/* The boot-time system: tasks with their memory images, the objects they
 * share and the handles each starts with; bootinfo.c translates the mkimage
 * payload (include/bulwark/bootinfo.h) into it after validating it. */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <kernel/types.h>

enum boot_obj_kind {
	BOOT_OBJ_ENDPOINT = 1,
	BOOT_OBJ_NOTIFY,
	BOOT_OBJ_SHM,    /* a = size */
	BOOT_OBJ_DEVICE, /* a = MMIO base, b = MMIO size, irq */
	BOOT_OBJ_TASK,   /* a = task index */
	BOOT_OBJ_THREAD, /* a = task index: its first thread */
	BOOT_OBJ_VM,     /* a = stage-2 quota, b = its VMM's task index */
};

struct boot_region {
	const u8 *data; /* initial contents (file_size bytes), rest zero */
	u64 file_size;
	u64 va, size;
	u32 attrs; /* PT_R / PT_W / PT_X */
};

#define BOOT_NONE 0xffffffffu

struct boot_task {
	const char *name;
	u32 sid;
	u8 prio;
	u64 quota;
	u64 entry;
	u64 stack_top, stack_size; /* stack_size 0: a region already holds it */
	u32 first_region, nregions;
	u32 slice_ticks;  /* 0: the default */
	u32 fault_object; /* endpoint object index, or BOOT_NONE */
};

struct boot_object {
	u8 kind;
	u32 sid;
	u64 a, b;
	u32 irq;
	u32 irq_notify; /* device: notification object to bind at boot, or BOOT_NONE */
	u32 irq_bit;
	u64 phys;       /* shm: fixed physical address, 0 = allocate */
	const char *name; /* vm: its name (the VM task's, in reports) */
};

/* Handle for `task` to `object`; a task's handles are numbered in the
 * order of this list, after its own task (slot 1) and thread (slot 2). */
struct boot_cap {
	u32 task, object;
	u8 rights;
	u64 badge;
	u32 slot;      /* 0: the next free slot */
	u64 map_vaddr; /* shm, device: map at boot here; 0 = not mapped */
};

struct boot_desc {
	u32 ntasks, nregions, nobjects, ncaps;
	const struct boot_task *tasks;
	const struct boot_region *regions;
	const struct boot_object *objects;
	const struct boot_cap *caps;
	const u8 *policy; /* the compiled policy, or NULL */
	u64 policy_size;
	const char *const *sid_context; /* [nsids]; [0] is "" */
	u32 nsids, kernel_sid;
};

void boot_system(const struct boot_desc *d);
/* Validate the mkimage payload at `pa` and translate it; panics with the
 * reason on a malformed payload (the image is broken, nothing can run). */
const struct boot_desc *bootinfo_parse(paddr_t pa);

#endif
