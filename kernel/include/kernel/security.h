/* The kernel's side of the security server (core/security.c): the miss
 * upcall to policyd, the audit ring, fail-closed, revocation on reload. */
#ifndef KERNEL_SECURITY_H
#define KERNEL_SECURITY_H

#include <bulwark/security.h>
#include <kernel/boot.h>
#include <kernel/objects.h>

/* After boot: the image's policy makes tasks[0] the security server; with
 * no policy the kernel stays allow-all (the pre-policy test images). */
void security_boot(const struct boot_desc *d, struct task *server, struct thread *server_thread);
/* Timer tick: fail closed for waiters policyd left unanswered too long. */
void security_tick(void);
/* policyd receives on its upcall endpoint: true if a kernel message was
 * written into t's registers instead. */
bool security_deliver(struct thread *t);
/* A task joins or leaves the list the revocation scan walks. */
void security_task_add(struct task *t);
void security_task_remove(struct task *t);
u64 sys_security(struct thread *t);
/* The SID of an object that creator ssid makes, related to tsid (itself,
 * or the task a thread goes into), of kernel class cls: compute_create
 * (type_transition), cached and asked of policyd like a decision.  BW_OK
 * with *sid, BW_E_DENIED (fail closed, audited) or RET_BLOCKED (the
 * system call re-executes once policyd has answered). */
u64 security_label(u32 ssid, u32 tsid, u32 cls, u32 *sid);
/* Benchmark kernels only: forget every decision but policyd's own, so the
 * next check misses (avc_miss_insns).  Harmless to security (an empty
 * cache only asks again), but a denial of service, hence not in products. */
void security_bench_flush(void);

#endif
