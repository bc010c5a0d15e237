/* Client requests on policyd's endpoint.  Each is checked against the
 * caller's own context, which the kernel reports (BW_SEC_CALLER), with a
 * permission of class security on security_t; a refusal is audited like
 * any kernel denial. */
#include <flask/flask.h>
#include <policyd/proto.h>

#include "policyd.h"

static const char security_context[] = "system_u:object_r:security_t";

/* A policy lives in a shared-memory region policyd creates for itself and
 * maps in one of two windows: the one in force stays valid until the new
 * one has been checked completely.  Only policyd holds these regions, so
 * nobody can change a policy after it was checked; any size the kernel
 * gives a region (16 MiB) is accepted. */
#define POLICY_MAX (16u << 20)
#define POLICY_WINDOW(w) (0x4000000000ul + (uint64_t)(w) * POLICY_MAX)
static bw_handle policy_region[2]; /* 0: none (the bootstrap buffer) */
static int policy_which;

/* The boot policy (or the one the kernel kept for a restart) is read
 * before policyd has any decision about its own regions, so it goes into
 * this static buffer; policies loaded later may be larger. */
#define BOOTSTRAP_MAX (256u << 10)
static uint8_t bootstrap[BOOTSTRAP_MAX] __attribute__((aligned(8)));

uint8_t *pd_policy_bootstrap(uint64_t size) { return size && size <= BOOTSTRAP_MAX ? bootstrap : NULL; }

static void policy_release(int w)
{
	if (!policy_region[w])
		return;
	bw_sys3(BW_SYS_UNMAP, 0, POLICY_WINDOW(w), 0, NULL);
	bw_close(policy_region[w]);
	policy_region[w] = 0;
}

static uint8_t *policy_buffer(int w, uint64_t size)
{
	policy_release(w);
	uint64_t bytes = (size + 4095) & ~4095ul, h = 0;
	uint64_t e;
	if (!size || size > POLICY_MAX || (e = bw_sys3(BW_SYS_SHM_CREATE, 0, bytes, 0, &h)) != BW_OK) {
		bw_printf("policyd: no region for a policy of %lu bytes\n", (unsigned long)size);
		return NULL;
	}
	policy_region[w] = (bw_handle)h;
	/* Its own decision: primed at every commit and pinned by the kernel
	 * until the next, so this is belt and braces (one system call per
	 * region), kept because policyd cannot wait on itself. */
	pd_answer(pd_self_sid, pd_self_sid, SC_SHM);
	if ((e = bw_sys(BW_SYS_SHM_MAP, (bw_handle)h, 0, POLICY_WINDOW(w), BW_R_READ | BW_R_WRITE, 0, NULL)) != BW_OK) {
		bw_printf("policyd: cannot map a policy region: error %lu\n", (unsigned long)e);
		bw_close((bw_handle)h);
		policy_region[w] = 0;
		return NULL;
	}
	policy_which = w;
	return (uint8_t *)POLICY_WINDOW(w);
}

bool pd_security_allowed(uint32_t ssid, uint32_t tid, const char *comm, uint32_t kperm)
{
	pl_ctx t;
	pl_av av = {0};
	int32_t cls = pd.cls[SC_SECURITY];
	int8_t bit = 0;
	for (uint32_t b = 0; b < 32; b++)
		if (kperm == (1u << b))
			bit = pd.perm[SC_SECURITY][b];
	bool known = cls >= 0 && bit >= 0 && ssid < PD_MAX_SIDS && pd.valid[ssid] &&
		     pl_context_parse(&pd.v, security_context, &t) == PL_OK &&
		     pl_compute_av(&pd.v, &pd.st, &pd.ctx[ssid], &t, (uint32_t)cls, &av) == PL_OK;
	bool allowed = known && (av.allowed & (1u << bit));
	if (allowed && (av.auditallow & (1u << bit)))
		pd_audit_self(tid, comm, ssid, security_context, SC_SECURITY, kperm, true);
	if (!allowed && (!known || (av.auditdeny & (1u << bit))))
		pd_audit_self(tid, comm, ssid, security_context, SC_SECURITY, kperm, false);
	return allowed || !pd_enforcing;
}

/* Splits "a\0b\0c\0" (n strings) from a buffer of len bytes. */
static bool split(char *buf, uint64_t len, const char **out, int n)
{
	uint64_t at = 0;
	for (int i = 0; i < n; i++) {
		out[i] = buf + at;
		while (at < len && buf[at])
			at++;
		if (at >= len)
			return false;
		at++;
	}
	return true;
}

static uint64_t compute_av(char *buf, uint64_t len, struct bw_msg *m)
{
	const char *s[3];
	pl_ctx sc, tc;
	pl_av av;
	if (!split(buf, len, s, 3))
		return BW_E_INVAL;
	int32_t cls = pl_find_class_n(&pd.v, s[2], bw_strlen(s[2]));
	if (cls < 0 || pl_context_parse(&pd.v, s[0], &sc) != PL_OK || pl_context_parse(&pd.v, s[1], &tc) != PL_OK)
		return BW_E_INVAL;
	if (pl_compute_av(&pd.v, &pd.st, &sc, &tc, (uint32_t)cls, &av) != PL_OK)
		return BW_E_INVAL;
	m->mr[1] = av.allowed;
	m->mr[2] = av.auditallow;
	m->mr[3] = av.auditdeny;
	return BW_OK;
}

/* type_transition labelling for user-level object managers; the answer
 * replaces the request in the buffer. */
static uint64_t compute_create(char *buf, uint64_t len, uint64_t *out_len)
{
	const char *s[3];
	pl_ctx sc, tc, nc;
	if (!split(buf, len, s, 3))
		return BW_E_INVAL;
	int32_t cls = pl_find_class_n(&pd.v, s[2], bw_strlen(s[2]));
	if (cls < 0 || pl_context_parse(&pd.v, s[0], &sc) != PL_OK || pl_context_parse(&pd.v, s[1], &tc) != PL_OK)
		return BW_E_INVAL;
	if (pl_compute_create(&pd.v, &pd.st, &sc, &tc, (uint32_t)cls, PL_BIN_TE_TRANSITION, &nc) != PL_OK)
		return BW_E_INVAL;
	int n = bw_snprintf(buf, PD_BUF_MAX, "%s:%s:%s", pl_user_name(&pd.v, nc.user), pl_role_name(&pd.v, nc.role),
			    pl_type_name(&pd.v, nc.type));
	*out_len = n > 0 && n < PD_BUF_MAX ? (uint64_t)n + 1 : 0;
	return *out_len ? BW_OK : BW_E_MSGSIZE;
}

static uint64_t perm_bit(char *buf, uint64_t len, struct bw_msg *m)
{
	const char *s[2];
	if (!split(buf, len, s, 2))
		return BW_E_INVAL;
	int32_t cls = pl_find_class_n(&pd.v, s[0], bw_strlen(s[0]));
	int32_t bit = cls < 0 ? -1 : pl_find_perm_n(&pd.v, (uint32_t)cls, s[1], bw_strlen(s[1]));
	if (bit < 0)
		return BW_E_INVAL;
	m->mr[1] = (uint64_t)bit;
	return BW_OK;
}

static uint64_t load_policy(struct bw_msg *m)
{
	static const uint64_t map_va = 0x30000000ul;
	uint64_t size = m->mr[0];
	if (!(m->info & BW_INFO_XFER))
		return BW_E_INVAL;
	bw_handle shm = (bw_handle)m->handle;
	uint64_t err = BW_E_RANGE;
	/* Mapping the client's region is policyd's own decision, which it
	 * cannot wait for.  The kernel pins what the last commit primed, but
	 * the region may carry a SID labelled since (priming did not know
	 * it), and its SID is not known here: every shm decision of policyd's
	 * is put (and so pinned) again. */
	for (uint32_t t = 1; t < pd_nsids; t++)
		pd_answer(pd_self_sid, t, SC_SHM);
	uint64_t start = bw_insns();
	int in_force = policy_which, w = !in_force;
	uint8_t *store = NULL;
	if (size && size <= POLICY_MAX && (store = policy_buffer(w, size)) == NULL)
		err = BW_E_NOMEM;
	if (store && (err = bw_sys(BW_SYS_SHM_MAP, shm, 0, map_va, BW_R_READ, 0, NULL)) == BW_OK) {
		memcpy(store, (const void *)map_va, size);
		bw_sys3(BW_SYS_UNMAP, 0, map_va, 0, NULL);
		const char *why = "";
		if (pd_policy_install(store, (uint32_t)size, &why) == PL_OK) {
			policy_release(in_force);
			pd_commit(false);
			/* A restarted policyd must come back with this policy
			 * (it restarts from the bootstrap buffer). */
			if (size > BOOTSTRAP_MAX ||
			    pd_sec(BW_SEC_KEEP_POLICY, (uint64_t)(uintptr_t)store, size, 0, 0, 0, NULL) != BW_OK)
				bw_printf("policyd: the kernel cannot keep this policy: a restart would use an older one\n");
			/* Instructions, EL0 and EL2: nanoseconds under -icount shift=0. */
			uint64_t cost = bw_insns() - start;
			bw_printf("policyd: policy %lu loaded (%lu bytes) in %lu instructions\n", (unsigned long)pd_seq,
				  (unsigned long)size, (unsigned long)cost);
			err = BW_OK;
		} else {
			bw_printf("policyd: rejected policy: %s\n", why);
			err = BW_E_INVAL;
		}
	}
	if (err != BW_OK && store) {
		policy_release(w);
		policy_which = in_force;
	}
	bw_close(shm);
	return err;
}

static uint64_t setbool(char *buf, uint64_t len, uint64_t value)
{
	const char *s[1];
	if (!split(buf, len, s, 1))
		return BW_E_INVAL;
	int32_t b = pl_find_bool_n(&pd.v, s[0], bw_strlen(s[0]));
	if (b < 0 || pl_state_set_bool(&pd.st, (uint32_t)b, value != 0) != PL_OK)
		return BW_E_INVAL;
	pd_commit(false);
	bw_printf("policyd: boolean %s = %d\n", s[0], value != 0);
	return BW_OK;
}

static const uint32_t needs[] = {
	[PD_COMPUTE_AV] = P_SECURITY_COMPUTE_AV,     [PD_PERM_BIT] = P_SECURITY_COMPUTE_AV,
	[PD_LOAD_POLICY] = P_SECURITY_LOAD_POLICY,   [PD_SETBOOL] = P_SECURITY_SETBOOL,
	[PD_SETENFORCE] = P_SECURITY_SETENFORCE,     [PD_READ_AUDIT] = P_SECURITY_READ_AUDIT,
	[PD_STATUS] = P_SECURITY_COMPUTE_AV,         [PD_COMPUTE_CREATE] = P_SECURITY_COMPUTE_CREATE,
	[PD_SHUTDOWN] = P_SECURITY_LOAD_POLICY,
#ifdef POLICYD_TEST_HOOKS
	[PD_TEST_STALL] = P_SECURITY_LOAD_POLICY,
#endif
};

void pd_serve(struct bw_msg *m, char *buf)
{
	uint64_t label = bw_info_label(m->info), len = bw_info_len(m->info);
	struct bw_regs who;
	char comm[BW_AUDIT_COMM] = "?";
	if (pd_sec(BW_SEC_CALLER, (uint64_t)(uintptr_t)comm, 0, 0, 0, 0, &who) != BW_OK)
		return; /* a send, not a call: nobody to answer */
	uint32_t ssid = (uint32_t)who.x[1], tid = (uint32_t)who.x[2];
	uint64_t err;
	uint64_t out_len = 0;
	m->mr[1] = m->mr[2] = m->mr[3] = 0;
	if (label == 0 || label >= sizeof(needs) / sizeof(needs[0]) || !needs[label])
		err = BW_E_INVAL;
	else if (!pd_security_allowed(ssid, tid, comm, needs[label]))
		err = BW_E_DENIED;
	else {
		switch (label) {
		case PD_COMPUTE_AV:
			err = compute_av(buf, len, m);
			break;
		case PD_PERM_BIT:
			err = perm_bit(buf, len, m);
			break;
		case PD_LOAD_POLICY:
			err = load_policy(m);
			break;
		case PD_SETBOOL:
			err = setbool(buf, len, m->mr[0]);
			break;
		case PD_SETENFORCE:
			pd_enforcing = m->mr[0] != 0;
			pd_commit(false);
			bw_printf("policyd: %s\n", pd_enforcing ? "enforcing" : "permissive");
			err = BW_OK;
			break;
		case PD_READ_AUDIT: {
			uint32_t next;
			m->mr[1] = pd_log_read((uint32_t)m->mr[0], buf, PD_BUF_MAX, &next);
			m->mr[2] = next;
			for (uint32_t i = 0, nl = 0; i < PD_BUF_MAX && nl < m->mr[1]; i++, out_len++)
				nl += buf[i] == '\n';
			err = BW_OK;
			break;
		}
		case PD_SHUTDOWN:
			m->mr[0] = BW_OK;
			m->info = 0;
			bw_reply(m);
			bw_printf("policyd: stopping on request\n");
			bw_thread_exit();
#ifdef POLICYD_TEST_HOOKS
		case PD_TEST_STALL: {
			/* Alive but silent: the kernel's bound on a silent
			 * policyd is tested with this (tests/security/timing). */
			uint64_t n = m->mr[0];
			m->mr[0] = BW_OK;
			m->info = 0;
			bw_reply(m);
			__asm__ volatile("1: subs %0, %0, #1\n b.hi 1b" : "+r"(n) : : "cc");
			return;
		}
#endif
		case PD_STATUS:
			m->mr[1] = pd_seq;
			m->mr[2] = pd_enforcing;
			err = BW_OK;
			break;
		case PD_COMPUTE_CREATE:
			err = compute_create(buf, len, &out_len);
			break;
		default:
			err = BW_E_INVAL;
			break;
		}
	}
	m->mr[0] = err;
	m->info = bw_info(0, out_len, 0);
	m->buf = buf;
	bw_reply(m);
}
