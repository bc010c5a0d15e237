/* A driver's supervisor: one per driver, built from this source with the
 * driver's image and name (drivers/build.mk: DRIVER_ELF, DRIVER_NAME,
 * DRIVER_PRIO).  It holds what that driver -- and only that driver --
 * needs, each handle with the right to grant it, and the driver's image in
 * its read-only data.  It starts the driver as a new task, is the fault
 * handler of the driver's thread, and when the driver dies -- by a fault
 * or by exiting -- it tears the task down and starts a fresh one from the
 * image with the same grants: the driver keeps its endpoint, so its
 * clients see only a pending call fail with BW_E_CLOSED and repeat it.  The
 * guests are not rebooted and never see the restart.
 *
 * Its handles (the system description, tests/vm/device-system.dts):
 *   slot 3   the console: send, grant, no badge (it mints its own and
 *            the driver's, named DRIVER_NAME);
 *   slot 4   the fault endpoint: send, recv;
 *   slot 5.. the driver's own grants, in the order of the driver's slots
 *            4.. (drivers/blk/blk.h, drivers/rtc/rtc.c), up to the first
 *            empty slot (found as it starts: where the kernel puts the
 *            first handle it mints).
 * The child's table is what the description would have given the driver
 * itself: rightless placeholders at slots 1 and 2 (a boot task's own task
 * and thread: a driver holding its own task would keep it alive), the
 * console at 3, then each grant in order, without the grant right.  So the
 * grant list is data in the description, not code here.
 *
 * The child's context comes from policy (driver_supervisor(name),
 * policy/device/drivers.if: type_transition name_supervisor_t
 * name_supervisor_t:process name_t), and so does every step: creating the
 * task, a thread in it, mapping its image, granting it each handle. */
#include <bw/elf.h>
#include <bw/lib.h>

#include "backoff.h"

#define H_CON    BW_BOOT_HANDLE(0)
#define H_FAULTS BW_BOOT_HANDLE(1)
#define GRANT_FIRST 2 /* BW_BOOT_HANDLE index of the driver's first grant */
#define SLOT_OF(h) ((h) & 0x3ffu) /* a handle's slot (bulwark/syscall.h: bits 0..9) */

#define CHILD_QUOTA (256ul << 10)
#define CHILD_STACK_TOP 0x10000000ul
#define CHILD_STACK_SIZE 0x4000ul
#define SCRATCH_VA 0x30000000ul /* where the supervisor fills a segment */
#define MAX_SEGMENTS 8

__asm__(".section .rodata\n .balign 4096\n .global driver_elf\ndriver_elf:\n .incbin \"" DRIVER_ELF
	"\"\n .global driver_elf_end\ndriver_elf_end:\n .text\n");
extern const uint8_t driver_elf[], driver_elf_end[];

static bw_handle child_console; /* minted with the badge DRIVER_NAME */
static const char *failed_step; /* for the report of a start that failed */
static bw_handle child_task, child_thread;
static unsigned grant_count; /* the description's grants for the driver */

static uint64_t sys(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t *out1)
{
	struct bw_regs r;
	uint64_t e = bw_sys(nr, a0, a1, a2, a3, a4, &r);
	if (out1)
		*out1 = r.x[1];
	return e;
}

static uint64_t now_us(void)
{
	uint64_t c, f;
	__asm__ volatile("isb\n mrs %0, cntpct_el0" : "=r"(c));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f >= 1000000 ? c / (f / 1000000) : c;
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

/* The child's handle table (see the top of this file).  Returns the
 * number of the description's grants passed on, or sets *err. */
static unsigned grant_handles(uint64_t *err)
{
	uint64_t h, keep = BW_R_ALL & ~(uint64_t)BW_R_GRANT;
	*err = BW_OK;
	failed_step = "granting the console";
	if ((*err = sys(BW_SYS_HANDLE_GRANT, child_console, child_task, 0, 0, 0, &h)) ||
	    (*err = sys(BW_SYS_HANDLE_GRANT, child_console, child_task, 0, 0, 0, &h)) ||
	    (*err = sys(BW_SYS_HANDLE_GRANT, child_console, child_task, keep, 0, 0, &h)))
		return 0;
	for (unsigned n = 0; n < grant_count; n++)
		if ((*err = sys(BW_SYS_HANDLE_GRANT, BW_BOOT_HANDLE(GRANT_FIRST + n), child_task, keep, 0, 0, &h))) {
			failed_step = "granting the handles";
			return n;
		}
	return grant_count;
}

static uint64_t start_driver(unsigned *grants)
{
	uint64_t task, thread, entry, err;
	failed_step = "creating the task";
	if ((err = sys(BW_SYS_TASK_CREATE, 0, CHILD_QUOTA, 0, 0, 0, &task)))
		return err;
	child_task = (bw_handle)task;
	failed_step = "loading the image";
	if ((err = load_image(child_task, &entry)) ||
	    (err = child_region(child_task, CHILD_STACK_TOP - CHILD_STACK_SIZE, CHILD_STACK_SIZE,
				BW_R_READ | BW_R_WRITE, NULL, 0, 0)))
		return err;
	*grants = grant_handles(&err);
	if (err)
		return err;
	/* Below us: it does not run before its fault handler is set. */
	failed_step = "creating the thread";
	if ((err = sys(BW_SYS_THREAD_CREATE, child_task, entry, CHILD_STACK_TOP, DRIVER_PRIO, 0, &thread)))
		return err;
	child_thread = (bw_handle)thread;
	failed_step = "setting its fault endpoint";
	return sys(BW_SYS_THREAD_SET_FAULT, child_thread, H_FAULTS, 0, 0, 0, NULL);
}

/* Closing the last handles frees the dead thread and tears the task down
 * (mappings, handles), giving its memory back to our quota: without that,
 * every restart would leak a task. */
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

static uint64_t quota_left(void)
{
	struct bw_regs r;
	return bw_sys(BW_SYS_TASK_INFO, 0, 0, 0, 0, 0, &r) == BW_OK ? r.x[2] : 0;
}

/* Starts the driver, retrying after the longest pause while it cannot.
 * died_us: when the last one's death was reported (0 at first start). */
static void start_until_up(unsigned instance, uint64_t died_us)
{
	for (;;) {
		unsigned grants = 0;
		uint64_t err = start_driver(&grants);
		if (!err) {
			if (instance == 0)
				bw_printf("supervisor: started " DRIVER_NAME " (%u grants)\n", grants);
			else
				bw_printf("supervisor: restarted " DRIVER_NAME " (%u; %lu us after its death; quota left "
					  "%lu KiB)\n",
					  instance, (unsigned long)(now_us() - died_us), (unsigned long)(quota_left() >> 10));
			return;
		}
		bw_printf("supervisor: cannot start " DRIVER_NAME ": %s: error %lu; trying again in %lu ms\n",
			  failed_step, (unsigned long)err, (unsigned long)(BACKOFF_MAX_US / 1000));
		discard_driver();
		bw_sleep_us(BACKOFF_MAX_US);
	}
}

int main(void)
{
	uint64_t own, child;
	uint64_t err = sys(BW_SYS_HANDLE_MINT, H_CON, BW_R_SEND, name_badge("supervis"), 0, 0, &own);
	if (err ||
	    (err = sys(BW_SYS_HANDLE_MINT, H_CON, BW_R_SEND | BW_R_GRANT, name_badge(DRIVER_NAME), 0, 0, &child))) {
		bw_console_set(H_CON);
		bw_printf("supervisor: cannot mint console handles: error %lu\n", (unsigned long)err);
		return 1;
	}
	bw_console_set((bw_handle)own);
	child_console = (bw_handle)child;
	/* Nothing was allocated before: the first mint took the first free
	 * slot, which ends the description's handles. */
	unsigned first_free = SLOT_OF((unsigned)own), first_grant = SLOT_OF(BW_BOOT_HANDLE(GRANT_FIRST));
	grant_count = first_free > first_grant ? first_free - first_grant : 0;
	struct backoff backoff = {0};
	start_until_up(0, 0);
	backoff_started(&backoff, now_us());
	for (unsigned restarts = 1;;) {
		struct bw_msg m = {.info = bw_info(0, 0, 0)};
		uint64_t e = bw_recv(H_FAULTS, &m);
		if (e != BW_OK) {
			/* A policy that withdrew our receive right: say so, and
			 * do not spin above the guests. */
			bw_printf("supervisor: cannot hear " DRIVER_NAME "'s faults: error %lu\n", (unsigned long)e);
			bw_sleep_us(BACKOFF_MAX_US);
			continue;
		}
		if (!(m.info & BW_INFO_FAULT)) {
			/* Only the driver can send here: it says it serves
			 * (BW_BLK_READY and the like; the label is its own). */
			bw_printf("supervisor: " DRIVER_NAME " serves\n");
			continue; /* sent, not called: nothing to answer */
		}
		uint64_t died = now_us();
		if (bw_info_label(m.info) == BW_EXIT_LABEL)
			bw_printf("supervisor: " DRIVER_NAME " exited (status %ld); restarting it\n", (long)m.mr[1]);
		else
			bw_printf("supervisor: " DRIVER_NAME " faulted (esr %lx address %lx pc %lx); restarting it\n",
				  (unsigned long)m.mr[0], (unsigned long)m.mr[1], (unsigned long)m.mr[2]);
		/* At once, before any pause: any answer but BW_FAULT_RESUME
		 * ends the thread, which fails its client's pending call
		 * (repeated by the client) instead of holding it. */
		struct bw_msg stop = {.info = bw_info(0, 0, 0)};
		bw_reply(&stop);
		discard_driver();
		uint64_t pause = backoff_died(&backoff, died);
		if (pause) {
			bw_printf("supervisor: " DRIVER_NAME " died %lu ms after its start (%u in a row); "
				  "restarting it in %lu ms\n",
				  (unsigned long)((died - backoff.started_us) / 1000), (unsigned)backoff.quick,
				  (unsigned long)(pause / 1000));
			bw_sleep_us(pause);
		}
		start_until_up(restarts++, died);
		backoff_started(&backoff, now_us());
	}
}
