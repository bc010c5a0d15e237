/* The security hook.  Every operation that uses or hands out authority asks
 * check(subject SID, object SID, class, permissions).
 *
 * The hit path is the access-vector cache's inline lookup (avc.h): a cached
 * decision that grants everything asked without an audit record.  Anything
 * else goes out of line to security.c: denials and auditallow grants are
 * audited, permissive mode lets denials through, and a miss is an upcall to
 * policyd that parks the thread (its system call re-executes once the
 * answer is cached), failing closed if policyd is absent, dead or silent.
 * Classes and permissions are generated from policy/flask/classes.conf. */
#ifndef KERNEL_CHECK_H
#define KERNEL_CHECK_H

#include <flask/flask.h>
#include <kernel/avc.h>
#include <kernel/types.h>

/* BW_OK, BW_E_DENIED, or RET_BLOCKED (the current thread waits for policyd
 * and re-executes its svc).  may_block false (the subject is not the
 * running thread, or the caller cannot restart): a miss is denied. */
u64 security_check_slow(u32 ssid, u32 tsid, u32 cls, u32 perms, bool may_block);

/* For system calls of the running thread: returns 0 to go on, else what the
 * call returns (an error, or RET_BLOCKED). */
#ifdef BW_AVC_STUB
/* The benchmark's baseline (bulwark-stub.elf): the allow-all stub the
 * cache replaced, so avc_hit_overhead_insns measures what the cache adds. */
#define avc_hit(c, s, t, k, p) ((void)(c), (void)(s), (void)(t), (void)(k), (void)(p), true)
#endif

static inline u64 check(u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	if (likely(avc_hit(&avc, ssid, tsid, cls, perms)))
		return 0;
	return security_check_slow(ssid, tsid, cls, perms, true);
}

/* A fault report of t (a thread's fault, a vCPU's exit): BW_OK,
 * BW_E_DENIED, or RET_BLOCKED: t waits for policyd, and the answer delivers
 * the report again (ipc_send_fault). */
struct thread;
u64 security_check_fault(struct thread *t, u32 ssid, u32 tsid, u32 cls, u32 perms);

static inline u64 check_fault(struct thread *t, u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	if (likely(avc_hit(&avc, ssid, tsid, cls, perms)))
		return 0;
	return security_check_fault(t, ssid, tsid, cls, perms);
}

/* Where the subject cannot be parked (a delivery on another thread's
 * behalf): a miss fails closed. */
static inline bool check_noblock(u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	return avc_hit(&avc, ssid, tsid, cls, perms) || security_check_slow(ssid, tsid, cls, perms, false) == 0;
}

#endif
