/* The policyd client protocol: calls on policyd's endpoint.
 *
 * The label says what is asked; strings travel in the message buffer,
 * NUL-separated; numbers in the message registers.  Every request is
 * checked against the caller's own context (the kernel tells policyd who
 * is calling, so a client cannot claim another's identity) with a
 * permission of class `security` on security_t.  The reply's mr0 is a
 * BW_E_* code (BW_E_DENIED when the policy refuses). */
#ifndef POLICYD_PROTO_H
#define POLICYD_PROTO_H

enum pd_request {
	/* buf "scontext\0tcontext\0class\0" -> mr1 allowed, mr2 auditallow,
	 * mr3 auditdeny (the policy's bits for that class); needs compute_av. */
	PD_COMPUTE_AV = 1,
	/* buf "class\0perm\0" -> mr1 the permission's bit; needs compute_av. */
	PD_PERM_BIT = 2,
	/* x6: an shm handle (transferred) holding mr0 bytes of polc output;
	 * needs load_policy. */
	PD_LOAD_POLICY = 3,
	/* buf "name\0", mr0 value; needs setbool. */
	PD_SETBOOL = 4,
	/* mr0 1 enforcing, 0 permissive; needs setenforce. */
	PD_SETENFORCE = 5,
	/* mr0 index of the first line wanted -> buf lines, mr1 lines given,
	 * mr2 the index after the last line logged; needs read_audit. */
	PD_READ_AUDIT = 6,
	/* -> mr1 the policy sequence number, mr2 enforcing; needs compute_av. */
	PD_STATUS = 7,
	/* buf "scontext\0tcontext\0class\0" -> buf the new object's context;
	 * needs compute_create. */
	PD_COMPUTE_CREATE = 8,
	/* policyd stops (tests of fail-closed); needs load_policy. */
	PD_SHUTDOWN = 9,
	/* Test images only (policyd built with POLICYD_TEST_HOOKS): reply,
	 * then stay busy for mr0 loop iterations (2 instructions each)
	 * without answering anyone; needs load_policy. */
	PD_TEST_STALL = 10,
};

#define PD_BUF_MAX 1024

#endif
