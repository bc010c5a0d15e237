/* Generic kernel services shared by the object implementations. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <bulwark/errors.h>
#include <kernel/arch.h>
#include <kernel/check.h>
#include <kernel/console.h>
#include <kernel/mem.h>
#include <kernel/percpu.h>

/* Syscall results that are not error codes. */
#define RET_BLOCKED (~0ull) /* the result comes later; registers untouched */
#define RET_RESTART (~1ull) /* preempted: the svc re-executes, registers untouched */

extern struct palloc kmem;
extern struct vmid_alloc vmids;

/* Kernel memory: whole pages, zeroed, charged to `payer`'s quota (NULL:
 * the kernel's own boot-time allocations). */
void *kpage_alloc(struct task *payer, u64 pages);
/* The same, not zeroed: for callers that zero in preemptible chunks. */
void *kpage_alloc_dirty(struct task *payer, u64 pages);
void kpage_free(struct task *payer, void *p, u64 pages);
void zero_pages(void *p, u64 pages);

void obj_get(struct kobj *o);
void obj_put(struct kobj *o);
/* Dead tasks awaiting (preemptible) teardown. */
bool reap_pending(void);
void reap_continue(void);

/* Threads and scheduling (core/thread.c). */
struct thread *thread_create(struct task *t, u64 entry, u64 sp, u8 prio, u64 arg, u32 *err);
void thread_wake(struct thread *t);                 /* make runnable */
void thread_wake_result(struct thread *t, u64 err); /* ... with x0 = err */
void thread_exit(struct thread *t);
void thread_stop(struct thread *t, const char *why);
/* A fault report that will never be answered: the thread stops, or, if
 * the report was of its exit, finishes exiting. */
void thread_fault_abandoned(struct thread *t, const char *why);
/* The last handle to stopped thread t went away: nothing can look at it
 * again, so it goes, and with it its hold on its task. */
void thread_unreferenced(struct thread *t);
void thread_set_prio(struct thread *t, u8 prio);
/* Pick the thread to run next and load its context; idles if none. */
struct thread *schedule(void);
void sched_tick(void);
void sched_yield(void);
_Noreturn void exit_to_user(struct thread *t);

/* Tasks (core/task.c). */
struct task *task_create(struct task *payer, u64 quota, u32 sid, const char *name, u32 *err);
void task_load_space(struct task *t);
const struct pt_alloc *task_pt_alloc(struct task *t, struct pt_alloc *a);
u32 task_map(struct task *t, u64 va, u64 size, paddr_t pa, unsigned attrs, struct kobj *holder);
/* The same for a system call: BW_OK, an error, or RET_RESTART (preempted
 * between steps; the same call with the same arguments resumes). */
u64 task_map_preemptible(struct task *t, u64 va, u64 size, paddr_t pa, unsigned attrs, struct kobj *holder);
/* BW_OK, BW_E_INVAL (no such mapping) or RET_RESTART (preempted). */
u64 task_unmap(struct task *t, u64 va, u64 size);
bool task_unmap_step(struct task *t, struct mapping *m);

/* User memory access through the kernel's physical mapping, after a walk
 * of the task's stage-2 table; false if any byte is not accessible. */
bool copy_from_user(struct task *t, void *dst, u64 uva, u64 n);
bool copy_to_user(struct task *t, u64 uva, const void *src, u64 n);
bool user_range_ok(struct task *t, u64 uva, u64 n, unsigned need);
bool copy_user_to_user(struct task *dt, u64 dva, struct task *st, u64 sva, u64 n);

/* IPC (core/ipc.c). */
void ipc_endpoint_destroy(struct endpoint *ep);
void ipc_waiter_revoke(struct endpoint *ep, struct thread *t);
void ipc_send_fault(struct thread *t, u64 esr, u64 far);
u64 sys_ipc(struct thread *t, u64 nr);

/* Notifications (core/notify.c). */
void notify_signal(struct notification *n, u64 bits);
void notify_destroy(struct notification *n);
void notify_waiter_revoke(struct thread *w);
void notify_tick(void); /* timed waits that ran out */
u64 sys_notify(struct thread *t, u64 nr);

/* Devices and interrupts (core/device.c). */
void device_irq(u32 intid);
void device_destroy(struct device *d);
void device_irq_unbind(struct device *d);
u64 sys_device(struct thread *t, u64 nr);

/* Everything else (core/syscall.c). */
u64 syscall_slow(struct thread *t, u64 nr);

static inline struct thread *current(void) { return this_cpu()->current; }

#endif
