/* Kernel objects: threads, tasks (address space + handle table + quota),
 * IPC endpoints, notifications, shared-memory regions and devices. */
#ifndef KERNEL_OBJECTS_H
#define KERNEL_OBJECTS_H

#include <bulwark/syscall.h>
#include <kernel/handle.h>
#include <kernel/list.h>
#include <kernel/pt.h>
#include <kernel/sched.h>
#include <kernel/vmid.h>

/* EL0 register state. Layout is ABI with arch/aarch64/entry.S. */
struct regs {
	u64 x[31];
	u64 sp;   /* SP_EL0 */
	u64 pc;   /* ELR_EL2 */
	u64 spsr; /* SPSR_EL2 */
};
#define REGS_SIZE (34 * 8)

struct fpstate {
	__uint128_t q[32];
	u64 fpsr, fpcr;
};

enum thread_state {
	TS_INACTIVE = 0, /* not started, stopped or exited */
	TS_RUNNABLE,
	TS_BLOCKED_SEND,  /* queued on an endpoint to send (call or send) */
	TS_BLOCKED_RECV,  /* queued on an endpoint to receive */
	TS_BLOCKED_REPLY, /* called, waiting for the reply */
	TS_BLOCKED_NOTIFY,
	TS_STOPPED,       /* faulted without a handler */
	TS_EXITED,
	TS_BLOCKED_SEC,   /* waiting for policyd's decision (a cache miss) */
};

struct task;
struct endpoint;

struct thread {
	struct regs ctx; /* first: the exception entry saves into it directly */
	u64 tpidr;       /* TPIDR_EL0, switched with the thread */
	struct kobj obj;
	struct sched_node sn;
	u8 state;
	bool is_call;      /* blocked sender wants a reply */
	bool fault_pending; /* blocked sender carries a fault message */
	bool exiting;      /* its fault message reports its exit: it never resumes */
	u8 max_prio;       /* highest priority this thread may give */
	u32 tid;
	u32 slice_ticks;   /* quantum within its priority */
	u32 slice_left;    /* ticks before round-robin */
	struct task *task;
	struct list wait_link;  /* endpoint or notification queue */
	struct list timed_link; /* the sleepers' list, while a timed wait runs */
	u64 wake_tick;          /* when that wait times out */
	struct kobj *waiting_on; /* whose queue: to unlink a thread killed while waiting */
	u64 send_badge;         /* badge of the handle a queued sender used */
	u32 as_sid;             /* the VM a BW_INFO_AS_VM call speaks for (valid while x1 says so) */
	struct thread *caller;  /* reply slot: the thread waiting for our reply */
	struct endpoint *fault_ep;
	u64 fault_badge;
	struct kobj *restart_obj; /* half-built object of a preempted system call */
	bool restart_close;       /* preempted in a close that is tearing tasks down */
	u64 last_esr;
	u64 fault_far;
	/* The decision a TS_BLOCKED_SEC thread waits for, and until when. */
	u32 sec_ssid, sec_tsid, sec_cls, sec_perms;
	u64 sec_deadline;
	struct vcpu *vcpu; /* NULL: a native EL0 thread (kernel/include/kernel/vcpu.h) */
	struct fpstate fp __attribute__((aligned(16)));
};

#define TASK_MAPS 32
#define TASK_NAME_LEN 16

struct mapping {
	u64 va, size;
	u64 mapped; /* bytes of stage-2 entries installed: < size while a map is preempted */
	u64 done; /* bytes already unmapped by a preempted unmap */
	struct kobj *obj; /* shm or device holding the pages; NULL: task-owned pages */
	paddr_t pa;
	unsigned attrs;   /* PT_*: what revocation re-checks */
};

struct task {
	struct kobj obj;
	struct pt s2;
	struct vmid_tag vmid;
	struct task *payer; /* whose quota paid for this task */
	struct task *reap_next; /* queue of dead tasks awaiting destruction */
	u8 teardown_phase;      /* preemptible destruction: where it stopped */
	u32 teardown_cursor;
	u64 quota;          /* kernel memory (bytes) this task may still use */
	u32 id;
	u32 threads;
	bool vm; /* a guest's IPA space: its vCPUs run at EL1 (issue 5) */
	char name[TASK_NAME_LEN];
	struct mapping map[TASK_MAPS];
	struct handle_table ht;
	struct list all_link; /* every live task: the revocation scan */
};

enum ep_queue { EPQ_IDLE, EPQ_SEND, EPQ_RECV };

struct endpoint {
	struct kobj obj;
	u8 qstate;
	bool upcall; /* policyd's upcall endpoint: receives take the general path */
	struct list queue; /* all senders or all receivers, per qstate */
	struct task *payer;
};

struct notification {
	struct kobj obj;
	u64 word;
	struct list waiters;
	struct task *payer;
};

struct shm {
	struct kobj obj;
	paddr_t pa;
	u64 size;
	u32 maps; /* live mappings: pages are freed only when none remain */
	u64 zeroed; /* bytes cleared so far: creation is preemptible */
	bool fixed; /* placed at a physical address by the description */
	struct task *payer;
};

struct device {
	struct kobj obj;
	paddr_t mmio;
	u64 mmio_size;
	u32 irq;            /* 0: none */
	struct notification *irq_notify;
	u64 irq_bits;
	bool irq_masked;    /* delivered, waiting for the driver's ack */
	u32 irq_binder;     /* SID of the task the IRQ is bound for: revocation re-checks it */
};

#endif
