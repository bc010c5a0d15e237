/* The Bulwark system-call ABI.
 *
 * An EL0 task enters the kernel with `svc #0`; x8 holds the call number.
 * Registers on entry:
 *   x0  handle the call acts on (endpoint, notification, object, ...)
 *   x1  message info (BW_INFO_*) for IPC calls, otherwise the first argument
 *   x2..x5  the four message registers (IPC) or further arguments
 *   x6  a handle to transfer (IPC with BW_INFO_XFER)
 *   x7  user address of the message buffer (IPC with a buffer length > 0)
 * On return x0 holds a BW_E_* code (include/bulwark/errors.h); IPC returns
 * the message info in x1, message registers in x2..x5, the sender's badge in
 * x6 and a transferred handle in x7.  All other registers are preserved.
 */
#ifndef BULWARK_SYSCALL_H
#define BULWARK_SYSCALL_H

/* IPC: the fast path serves CALL and REPLY_RECV. */
#define BW_SYS_CALL            0
#define BW_SYS_REPLY_RECV      1
#define BW_SYS_SEND            2
#define BW_SYS_RECV            3
#define BW_SYS_REPLY           4
/* Notifications. */
#define BW_SYS_SIGNAL          5
#define BW_SYS_WAIT            6   /* x0 notification (0: none, a sleep), x1 timeout in us (0: none) -> x1 bits */
#define BW_SYS_POLL            7
/* Threads and scheduling. */
#define BW_SYS_YIELD           8
#define BW_SYS_THREAD_CREATE   9   /* x0 task, x1 entry, x2 stack, x3 priority, x4 argument -> x1 handle */
#define BW_SYS_THREAD_EXIT     10  /* x0 exit status: reported to the fault handler, if any */
#define BW_SYS_THREAD_SET_PRIO 11  /* x0 thread, x1 priority */
#define BW_SYS_THREAD_STATE    12  /* x0 thread -> x1 BW_THREAD_*, x2 last fault ESR */
#define BW_SYS_THREAD_SET_FAULT 13 /* x0 thread, x1 endpoint handle (0 = none) */
/* Object creation (charged to the caller's kernel-memory quota). */
#define BW_SYS_ENDPOINT_CREATE 14  /* -> x1 handle */
#define BW_SYS_NOTIFY_CREATE   15  /* -> x1 handle */
#define BW_SYS_SHM_CREATE      16  /* x1 size in bytes -> x1 handle */
#define BW_SYS_TASK_CREATE     17  /* x1 quota in bytes taken from the caller's -> x1 handle */
/* Handles. */
#define BW_SYS_HANDLE_CLOSE    18  /* x0 handle */
#define BW_SYS_HANDLE_MINT     19  /* x0 handle, x1 rights mask, x2 badge -> x1 new handle */
#define BW_SYS_HANDLE_GRANT    20  /* x0 handle, x1 target task, x2 rights mask -> x1 handle in target */
/* Memory. */
#define BW_SYS_SHM_MAP         21  /* x0 shm, x1 task (0 = self), x2 address, x3 BW_R_READ/WRITE/EXEC
                                    * -> x1 physical address of a region the system description
                                    * pinned (`phys-addr`: a DMA buffer), 0 for any other */
#define BW_SYS_UNMAP           22  /* x0 task (0 = self), x1 address, x2 size */
/* Devices. */
#define BW_SYS_DEV_MAP         23  /* x0 device, x1 address in own space */
#define BW_SYS_IRQ_BIND        24  /* x0 device, x1 notification, x2 bit number */
#define BW_SYS_IRQ_ACK         25  /* x0 device */
/* Debug output through the kernel's early console: for tests and boot only. */
#define BW_SYS_DEBUG_PUTS      26  /* x0 user address, x1 length (<= 256) */
#define BW_SYS_TASK_INFO       27  /* -> x1 task id, x2 quota left (bytes), x3 preempted calls so far */
/* Benchmark support: PMU stamps the bench-split kernel takes (0 otherwise).
 * x0 = 0: x1..x4 = start/end of the fast-path call and reply-receive logic;
 * x0 = 1: x1..x4 = start/end of the kernel passes before the previous one
 * and before this one. */
#define BW_SYS_BENCH_STAMPS    28
/* The security server's interface to the kernel (bulwark/security.h). */
#define BW_SYS_SECURITY        29
/* 30..33: virtual machines, bulwark/vcpu.h */
#define BW_SYS_COUNT           34

/* Message info word (x1 of IPC calls).
 *   bits  0..10  bytes to send from the buffer at x7 (<= BW_MSG_BUF_MAX)
 *   bit   16     x6 carries a handle to transfer (needs BW_R_GRANT on it)
 *   bit   17     do not block: BW_E_AGAIN if the peer is not waiting
 *   bit   18     set by the kernel: the message is a fault report
 *   bit   19     a call on behalf of the VM named by x0's upper half
 *   bits 20..30  capacity of the buffer at x7 for what this call receives
 *   bits 32..63  label, free for the protocol
 * The buffer at x7 serves both directions: a call sends from it and the
 * reply lands in it. A longer message than the capacity is truncated and
 * the delivered length is what the receiver's info says. */
#define BW_INFO_LEN_MASK    0x7ffull
#define BW_INFO_XFER        (1ull << 16)
#define BW_INFO_NONBLOCK    (1ull << 17)
#define BW_INFO_FAULT       (1ull << 18)
/* A call made on behalf of a VM the caller runs: bits 32..63 of x0 name
 * the VM (a task handle with BW_R_MANAGE).  The kernel checks the caller
 * may `vm run` it, then checks the endpoint with the VM's SID as the
 * subject, and that SID is what the receiver's BW_SEC_CALLER reports: a
 * VMM forwards its guest's requests as the guest, not as itself.  Calls
 * only (BW_E_INVAL otherwise); never on the fast path. */
#define BW_INFO_AS_VM       (1ull << 19)
#define BW_INFO_CAP_SHIFT   20
#define BW_INFO_CAP_MASK    (0x7ffull << BW_INFO_CAP_SHIFT)
#define BW_INFO_LABEL_SHIFT 32
#define BW_MSG_REGS 4
#define BW_MSG_BUF_MAX 1024

static inline unsigned long long bw_info(unsigned long long label, unsigned long long len,
					 unsigned long long cap)
{
	return (label << BW_INFO_LABEL_SHIFT) | (len & BW_INFO_LEN_MASK) |
	       ((cap << BW_INFO_CAP_SHIFT) & BW_INFO_CAP_MASK);
}
static inline unsigned long long bw_info_label(unsigned long long info) { return info >> BW_INFO_LABEL_SHIFT; }
static inline unsigned long long bw_info_len(unsigned long long info) { return info & BW_INFO_LEN_MASK; }
static inline unsigned long long bw_info_cap(unsigned long long info)
{
	return (info & BW_INFO_CAP_MASK) >> BW_INFO_CAP_SHIFT;
}

/* Handle rights. */
#define BW_R_SEND   (1u << 0) /* IPC send/call, notification signal */
#define BW_R_RECV   (1u << 1) /* IPC receive, notification wait */
#define BW_R_READ   (1u << 2) /* map readable */
#define BW_R_WRITE  (1u << 3) /* map writable */
#define BW_R_EXEC   (1u << 4) /* map executable */
#define BW_R_GRANT  (1u << 5) /* the handle may be transferred or granted */
#define BW_R_MANAGE (1u << 6) /* create threads in / map into a task; control a thread */
#define BW_R_ALL    0x7fu

/* Thread states reported by BW_SYS_THREAD_STATE. */
#define BW_THREAD_RUNNABLE 1
#define BW_THREAD_BLOCKED  2
#define BW_THREAD_STOPPED  3 /* faulted with no fault handler */
#define BW_THREAD_EXITED   4

/* Priorities: 0 (lowest, idle) .. BW_PRIO_MAX. */
#define BW_PRIO_MAX 63

/* User address space: [BW_USER_BASE, BW_USER_END) is mappable. */
#define BW_USER_BASE 0x00001000ul
#define BW_USER_END  0x8000000000ul /* 39-bit IPA space */
#define BW_PAGE_SIZE 4096ul

/* Fault report (label of a message with BW_INFO_FAULT): mr0 ESR, mr1 FAR,
 * mr2 faulting PC; the badge is that of the fault endpoint handle. A reply
 * with label BW_FAULT_RESUME resumes the thread, anything else stops it. */
#define BW_FAULT_LABEL  0xfa17ul
#define BW_FAULT_RESUME 1ul
/* Exit report: a thread with a fault handler that exits (BW_SYS_THREAD_EXIT,
 * e.g. by returning from main) is reported like a fault, with this label:
 * mr0 0 (no exception), mr1 the exit status, mr2 the PC after the exit call.
 * The thread is gone once the handler replies (whatever the reply says), or
 * if the report cannot be delivered: a supervisor hears of every death. */
#define BW_EXIT_LABEL   0xe417ul

#endif
