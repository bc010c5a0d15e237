/* The kernel <-> security server (policyd) interface, and the audit record.
 *
 * BW_SYS_SECURITY (x8) with the operation in x0.  Only the security server
 * may use it: the first task of an image that carries a policy.  This path
 * is exempt from the access-vector cache, so an upcall never waits on
 * another upcall.
 *
 * Upcalls: once policyd has registered an endpoint, the kernel delivers
 * work to whichever policyd thread receives on it, as an ordinary message
 * with badge BW_SEC_KERNEL_BADGE and one of the labels below; policyd answers a query with
 * BW_SEC_ANSWER (there is no caller to reply to). */
#ifndef BULWARK_SECURITY_H
#define BULWARK_SECURITY_H

#include <stdint.h>

enum bw_sec_op {
	/* x1 endpoint handle -> x1 policy seq, x2 SID count, x3 policy bytes
	 * (of the last policy kept, else the boot one), x4 the kernel's SID,
	 * x5 the security server's own SID, x6 enforcing, x7 how many times
	 * the kernel has restarted the security server. */
	BW_SEC_REGISTER = 1,
	/* x1 0: the policy to start with (the last kept, else the boot
	 * one), else SID x1's context string; x2 buffer,
	 * x3 capacity -> x1 length (the whole length even if truncated). */
	BW_SEC_READ_BOOT = 2,
	/* x1 ssid, x2 tsid, x3 class | flags << 32, x4 allowed | auditallow << 32,
	 * x5 auditdeny | seq << 32.  Cached only if seq is current; the threads
	 * waiting for this key re-run their system call either way. */
	BW_SEC_ANSWER = 3,
	/* x1 new seq, x2 enforcing (0/1), x3 1 for the boot scan: the cache
	 * is flushed and a revocation scan starts (BW_SEC_REVOKE); the boot
	 * scan only fetches the decisions of every boot binding, so that they
	 * are cached before anything runs, and revokes nothing. */
	BW_SEC_NEW_POLICY = 4,
	/* One preemptible step of the revocation scan -> x1 BW_REVOKE_*;
	 * for BW_REVOKE_NEED x2 ssid, x3 tsid, x4 class: answer, then step. */
	BW_SEC_REVOKE = 5,
	/* x1 buffer, x2 capacity in records -> x1 records copied, x2 records
	 * suppressed by the rate limit and x3 lost to a full ring since the
	 * last read. */
	BW_SEC_AUDIT_READ = 6,
	/* x1 buffer for the caller's task name (16 bytes) or 0 -> x1 SID and
	 * x2 thread id of the client whose call policyd is serving (its reply
	 * slot), so requests are checked against the caller's own context,
	 * never a claimed one.  A call a VMM made with BW_INFO_AS_VM reports
	 * its VM's SID (the kernel checked the VMM runs that VM). */
	BW_SEC_CALLER = 7,
	/* x1 what (BW_SEC_STAT_*) -> x1 value: counters for tests/benchmarks. */
	BW_SEC_STAT = 8,
	/* x1 buffer, x2 bytes: the policy just put in force.  The kernel
	 * keeps a copy; a restarted security server starts from it. */
	BW_SEC_KEEP_POLICY = 9,
	/* x1 ssid, x2 tsid, x3 class, x4 the new object's SID (0: none can
	 * be given, the creation fails closed), x5 seq: the answer to a
	 * BW_SEC_UPCALL_CREATE; cached only if seq is current. */
	BW_SEC_ANSWER_LABEL = 10,
};

#define BW_REVOKE_DONE 0
#define BW_REVOKE_NEED 1
#define BW_REVOKE_MORE 2 /* preempted: call again */

#define BW_SEC_STAT_HITS_INSERTS 1
#define BW_SEC_STAT_REVOKED 2
#define BW_SEC_STAT_QUERIES 3

/* The badge of every upcall: no handle can carry it (minting it is refused,
 * the boot description cannot grant it), so a client cannot pass a
 * message of its own off as the kernel's. */
#define BW_SEC_KERNEL_BADGE (~(uint64_t)0)

/* Upcall labels (bw_info_label of the delivered message). */
#define BW_SEC_UPCALL_QUERY 0x5ec1 /* mr0 ssid, mr1 tsid, mr2 class, mr3 seq */
#define BW_SEC_UPCALL_AUDIT 0x5ec2 /* the audit ring has records */
#define BW_SEC_UPCALL_CREATE 0x5ec3 /* mr0 ssid, mr1 tsid, mr2 class, mr3 seq: label a new object */

/* Flags of an answer. */
#define BW_SEC_F_PERMISSIVE 1u /* the subject's type is permissive */

/* An audit record, as the kernel writes it into its ring. */
#define BW_AUDIT_COMM 16
struct bw_audit_record {
	uint64_t timestamp; /* kernel ticks (ms) since boot */
	uint32_t serial;
	uint32_t tid;       /* subject thread id (pid= in the AVC line) */
	uint32_t ssid, tsid;
	uint32_t cls;       /* kernel class number (flask.h) */
	uint32_t perms;     /* the permissions concerned (kernel bits) */
	uint32_t flags;     /* BW_AUDIT_* */
	uint32_t reserved;
	char comm[BW_AUDIT_COMM]; /* subject task name, NUL-terminated */
};

#define BW_AUDIT_GRANTED    1u /* an auditallow grant, not a denial */
#define BW_AUDIT_PERMISSIVE 2u /* denied by policy but allowed (permissive) */
#define BW_AUDIT_REVOKED    4u /* a reload removed a live mapping/binding */
#define BW_AUDIT_UNPINNED   8u /* the kernel could not pin one of policyd's own decisions */

#endif
