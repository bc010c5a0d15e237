/* The driver supervisor.  It holds what the block driver needs -- its
 * device, endpoint, IRQ notification and DMA region, each with the right
 * to grant it -- and the driver's image (DRIVER_ELF, in its read-only
 * data).  It starts the driver as a new task, is the fault handler of the
 * driver's thread, and when the driver faults it stops it, tears the task
 * down and starts a fresh one from the image with the same grants: the
 * device keeps its endpoint, so the driver's client (the Linux VMM) sees
 * only its pending call fail with BW_E_CLOSED and repeats it.  The guests
 * are not rebooted and never see the restart.
 *
 * The child's context comes from policy (type_transition supervisor_t
 * supervisor_t:process blk_t), and so does every step: creating the task,
 * a thread in it, mapping its image, granting it each handle. */
#include <bw/blk.h>
#include <bw/elf.h>
#include <bw/lib.h>

#define H_CON    BW_BOOT_HANDLE(0) /* console: send, grant; no badge yet */
#define H_DEV    BW_BOOT_HANDLE(1)
#define H_EP     BW_BOOT_HANDLE(2)
#define H_IRQ    BW_BOOT_HANDLE(3)
#define H_VQ     BW_BOOT_HANDLE(4)
#define H_DATA   BW_BOOT_HANDLE(5)
#define H_FAULTS BW_BOOT_HANDLE(6) /* send (to name it), recv */

#define CHILD_QUOTA (256ul << 10)
#define CHILD_PRIO 32
#define CHILD_STACK_TOP 0x10000000ul
#define CHILD_STACK_SIZE 0x4000ul
#define SCRATCH_VA 0x30000000ul /* where the supervisor fills a segment */
#define MAX_SEGMENTS 8

__asm__(".section .rodata\n .balign 4096\n .global driver_elf\ndriver_elf:\n .incbin \"" DRIVER_ELF
	"\"\n .global driver_elf_end\ndriver_elf_end:\n .text\n");
extern const uint8_t driver_elf[], driver_elf_end[];

/* The child's handle table in the order the driver expects them
 * (drivers/blk/blk.h): slots 1 and 2 (a boot task's own task and thread)
 * get rightless placeholders, so the grants land at slots 3.. */
static bw_handle child_console; /* minted with the badge "blk" */
static const struct {
	bw_handle *h;
	uint64_t rights;
} grants[] = {
	{&child_console, 0}, {&child_console, 0}, {&child_console, BW_R_SEND},
	{(bw_handle[]){H_DEV}, BW_R_READ | BW_R_WRITE}, {(bw_handle[]){H_EP}, BW_R_RECV},
	{(bw_handle[]){H_IRQ}, BW_R_SEND | BW_R_RECV}, {(bw_handle[]){H_VQ}, BW_R_READ | BW_R_WRITE},
	{(bw_handle[]){H_DATA}, BW_R_READ | BW_R_WRITE}, {(bw_handle[]){H_FAULTS}, BW_R_SEND},
};

static uint64_t sys(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t *out1)
{
	struct bw_regs r;
	uint64_t e = bw_sys(nr, a0, a1, a2, a3, a4, &r);
	if (out1)
		*out1 = r.x[1];
	return e;
}

/* A region of the child: created here, filled through a scratch mapping,
 * mapped into the child; the child's mapping keeps it alive. */
static uint64_t child_region(bw_handle task, uint64_t va, uint64_t size, uint64_t rights, const uint8_t *bytes,
			     uint64_t offset, uint64_t n)
{
	uint64_t shm, err;
	if ((err = sys(BW_SYS_SHM_CREATE, 0, size, 0, 0, 0, &shm)))
		return err;
	if (n) {
		if ((err = sys(BW_SYS_SHM_MAP, shm, 0, SCRATCH_VA, BW_R_READ | BW_R_WRITE, 0, NULL)))
			goto out;
		memcpy((uint8_t *)SCRATCH_VA + offset, bytes, n);
		if ((err = sys(BW_SYS_UNMAP, 0, SCRATCH_VA, size, 0, 0, NULL)))
			goto out;
	}
	err = sys(BW_SYS_SHM_MAP, shm, task, va, rights, 0, NULL);
out:
	bw_close((bw_handle)shm);
	return err;
}

static uint64_t load_image(bw_handle task, uint64_t *entry)
{
	struct bw_elf elf;
	struct elf64_phdr ph;
	uint64_t err;
	int more;
	if (bw_elf_open(&elf, driver_elf, (uint64_t)(driver_elf_end - driver_elf)) || elf.hdr.phnum > MAX_SEGMENTS)
		return BW_E_INVAL;
	while ((more = bw_elf_next_load(&elf, &ph)) > 0) {
		if (!ph.memsz)
			continue;
		if (ph.memsz > (1ul << 24))
			return BW_E_INVAL;
		uint64_t base = ph.vaddr & ~(BW_PAGE_SIZE - 1), off = ph.vaddr - base;
		uint64_t len = (off + ph.memsz + BW_PAGE_SIZE - 1) & ~(BW_PAGE_SIZE - 1);
		uint64_t rights = BW_R_READ | (ph.flags & ELF64_PF_X ? BW_R_EXEC : 0) |
				  (ph.flags & ELF64_PF_W ? BW_R_WRITE : 0);
		if ((err = child_region(task, base, len, rights, driver_elf + ph.offset, off, ph.filesz)))
			return err;
	}
	if (more < 0)
		return BW_E_INVAL;
	*entry = elf.hdr.entry;
	return BW_OK;
}

static bw_handle child_task, child_thread;

static uint64_t start_driver(void)
{
	uint64_t task, thread, entry, err, h;
	if ((err = sys(BW_SYS_TASK_CREATE, 0, CHILD_QUOTA, 0, 0, 0, &task)))
		return err;
	child_task = (bw_handle)task;
	if ((err = load_image(child_task, &entry)) ||
	    (err = child_region(child_task, CHILD_STACK_TOP - CHILD_STACK_SIZE, CHILD_STACK_SIZE,
				BW_R_READ | BW_R_WRITE, NULL, 0, 0)))
		return err;
	for (unsigned i = 0; i < sizeof grants / sizeof grants[0]; i++)
		if ((err = sys(BW_SYS_HANDLE_GRANT, *grants[i].h, child_task, grants[i].rights, 0, 0, &h)))
			return err;
	/* Below us: it does not run before its fault handler is set. */
	if ((err = sys(BW_SYS_THREAD_CREATE, child_task, entry, CHILD_STACK_TOP, CHILD_PRIO, 0, &thread)))
		return err;
	child_thread = (bw_handle)thread;
	return sys(BW_SYS_THREAD_SET_FAULT, child_thread, H_FAULTS, 0, 0, 0, NULL);
}

/* The task's teardown takes its mappings, its handles and its thread. */
static void discard_driver(void)
{
	if (child_thread)
		bw_close(child_thread);
	if (child_task)
		bw_close(child_task);
	child_thread = child_task = 0;
}

/* The console names a sender by its handle's badge, which is set once:
 * the description gives an unbadged handle, and each side gets its own. */
static uint64_t name_badge(const char *name)
{
	uint64_t b = 0;
	for (unsigned i = 0; i < 8 && name[i]; i++)
		b |= (uint64_t)(uint8_t)name[i] << (8 * i);
	return b;
}

int main(void)
{
	uint64_t own, child;
	uint64_t err = sys(BW_SYS_HANDLE_MINT, H_CON, BW_R_SEND, name_badge("supervis"), 0, 0, &own);
	if (err || (err = sys(BW_SYS_HANDLE_MINT, H_CON, BW_R_SEND | BW_R_GRANT, name_badge("blk"), 0, 0, &child))) {
		bw_console_set(H_CON);
		bw_printf("supervisor: cannot mint console handles: error %lu\n", (unsigned long)err);
		return 1;
	}
	bw_console_set((bw_handle)own);
	child_console = (bw_handle)child;
	err = start_driver();
	if (err) {
		bw_printf("supervisor: cannot start blk: error %lu\n", (unsigned long)err);
		return 1;
	}
	bw_printf("supervisor: started blk\n");
	for (unsigned restarts = 1;;) {
		struct bw_msg m = {.info = bw_info(0, 0, 0)};
		if (bw_recv(H_FAULTS, &m) != BW_OK)
			continue;
		if (!(m.info & BW_INFO_FAULT)) {
			if (bw_info_label(m.info) == BW_BLK_READY)
				bw_printf("supervisor: blk serves\n");
			continue; /* sent, not called: nothing to answer */
		}
		bw_printf("supervisor: blk faulted (esr %lx address %lx pc %lx); restarting it\n",
			  (unsigned long)m.mr[0], (unsigned long)m.mr[1], (unsigned long)m.mr[2]);
		/* Any answer but BW_FAULT_RESUME stops the thread: its client's
		 * pending call fails and will be repeated. */
		struct bw_msg stop = {.info = bw_info(0, 0, 0)};
		bw_reply(&stop);
		discard_driver();
		if ((err = start_driver())) {
			bw_printf("supervisor: cannot restart blk: error %lu\n", (unsigned long)err);
			discard_driver();
			return 1;
		}
		bw_printf("supervisor: restarted blk (%u)\n", restarts++);
	}
}
