/* The security hook. Every operation that uses or hands out authority asks
 * check(subject SID, object SID, class, permissions) and fails with
 * BW_E_DENIED when it says no. Today it is a static allow-all stub; the
 * security-server issue replaces the body with the access-vector cache, so
 * it stays a static inline the fast path can absorb (hit cost <= 20
 * instructions), and call sites never depend on it being trivial. */
#ifndef KERNEL_CHECK_H
#define KERNEL_CHECK_H

#include <kernel/types.h>

enum sec_class {
	SC_IPC = 1,
	SC_NOTIFY,
	SC_SHM,
	SC_DEVICE,
	SC_HANDLE,
	SC_TASK,
	SC_THREAD,
};

/* Permissions, per class. */
#define P_IPC_SEND     (1u << 0)
#define P_IPC_CALL     (1u << 1)
#define P_IPC_RECV     (1u << 2)
#define P_NOTIFY_SIGNAL (1u << 0)
#define P_NOTIFY_WAIT  (1u << 1)
#define P_SHM_READ     (1u << 0)
#define P_SHM_WRITE    (1u << 1)
#define P_SHM_EXEC     (1u << 2)
#define P_DEVICE_MAP   (1u << 0)
#define P_DEVICE_IRQ   (1u << 1)
#define P_HANDLE_TRANSFER (1u << 0)
#define P_TASK_CREATE  (1u << 0)
#define P_TASK_MANAGE  (1u << 1)
#define P_THREAD_CREATE (1u << 0)

#define SID_KERNEL 1u

static inline bool check(u32 ssid, u32 osid, u16 cls, u32 perms)
{
	(void)ssid;
	(void)osid;
	(void)cls;
	(void)perms;
	return true;
}

#endif
