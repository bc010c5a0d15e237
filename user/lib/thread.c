/* Threads whose entry function may return (bw/lib.h). */
#include <bw/lib.h>

struct start_frame {
	void (*entry)(uint64_t);
	uint64_t arg;
};

static void trampoline(uint64_t frame)
{
	const struct start_frame *f = (const struct start_frame *)(uintptr_t)frame;
	f->entry(f->arg);
	bw_thread_exit();
}

uint64_t bw_thread_start(void (*entry)(uint64_t), void *stack_top, uint64_t prio, uint64_t arg,
			 bw_handle *out)
{
	/* Checked here: the kernel sees only the trampoline and the frame. */
	if (!entry || ((uintptr_t)stack_top & 15))
		return BW_E_INVAL;
	struct start_frame *f = (struct start_frame *)stack_top - 1;
	f->entry = entry;
	f->arg = arg;
	return bw_thread_create(BW_HANDLE_SELF_TASK, trampoline, f, prio, (uint64_t)(uintptr_t)f, out);
}
