/* policyd's parts: the loaded policy and its decisions (decide.c), the
 * audit log (audit.c), client requests (requests.c). */
#ifndef POLICYD_H
#define POLICYD_H

#include <stdbool.h>
#include <stdint.h>

#include <bw/lib.h>
#include <bulwark/security.h>
#include <policy/engine.h>

#define PD_MAX_SIDS 64
#define PD_CTX_MAX 128

struct pd_decision {
	uint32_t allowed, auditallow, auditdeny, flags; /* kernel numbering */
};

/* The policy in force. */
struct pd_policy {
	pl_view v;
	pl_state st;
	bool loaded;
	int32_t cls[32];          /* kernel class -> policy class, -1 unknown */
	int8_t perm[32][32];      /* kernel class, kernel bit -> policy bit, -1 */
	pl_ctx ctx[PD_MAX_SIDS];  /* per kernel SID */
	bool valid[PD_MAX_SIDS];  /* ctx[] is usable (its own or unlabeled) */
	bool labeled[PD_MAX_SIDS]; /* the SID's own context is valid under this policy */
};

extern struct pd_policy pd;
extern uint32_t pd_seq, pd_nsids, pd_self_sid;
extern bool pd_enforcing;
extern char pd_sid_context[PD_MAX_SIDS][PD_CTX_MAX];

/* Validates and installs a policy image (buf stays alive, 8-byte aligned):
 * rebinds classes and SIDs by name.  Returns PL_OK or an engine status. */
int pd_policy_install(const void *buf, uint32_t len, const char **why);
/* The kernel's question, in the kernel's numbering. */
void pd_kernel_av(uint32_t ssid, uint32_t tsid, uint32_t kcls, struct pd_decision *d);
/* Caches policyd's own decisions (it cannot wait on itself). */
void pd_prime_self(void);
/* A new policy, boolean or mode is in force: new seq, flush, revoke (at
 * boot: only fetch every boot binding's decision). */
void pd_commit(bool boot);
/* Answer one kernel query. */
void pd_answer(uint32_t ssid, uint32_t tsid, uint32_t kcls);
/* Label a new kernel object (compute_create), adding its SID if new. */
void pd_answer_label(uint32_t ssid, uint32_t tsid, uint32_t kcls);
/* The context string of a kernel SID ("unlabeled" context if invalid). */
const char *pd_context_of(uint32_t sid);
/* Decides a policyd request: subject SID against security_t. */
bool pd_security_allowed(uint32_t ssid, uint32_t tid, const char *comm, uint32_t perm_bit_kernel);

/* Audit (audit.c). */
void pd_audit_drain(void);
/* Logs and prints one line (no newline in it). */
void pd_log_line(const char *line);
/* Output into the log ring the console reads, if the system gives one. */
bool pd_log_ring_open(void);
/* Copies log lines from index `from` into buf -> lines copied; *next is
 * the index after the newest line. */
uint32_t pd_log_read(uint32_t from, char *buf, uint32_t cap, uint32_t *next);
/* Formats and logs one AVC record of policyd's own decisions. */
void pd_audit_self(uint32_t tid, const char *comm, uint32_t ssid, const char *tcontext, uint32_t kcls,
		   uint32_t perms, bool granted);

/* Requests (requests.c). */
void pd_serve(struct bw_msg *m, char *buf);

static inline uint64_t pd_sec(uint64_t op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
			      struct bw_regs *out)
{
	struct bw_regs r = {{op, a1, a2, a3, a4, a5, 0, 0}};
	uint64_t e = bw_syscall(BW_SYS_SECURITY, &r);
	if (out)
		*out = r;
	return e;
}

#endif
