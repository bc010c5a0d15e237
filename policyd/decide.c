/* The policy in force and the decisions policyd makes from it.
 *
 * The kernel numbers classes and permissions as policy/flask/classes.conf
 * says; a loaded policy may number them differently or declare more, so
 * every load rebinds the kernel's numbering to the policy's by name, as
 * SELinux does.  A class or permission the policy does not define is
 * denied (SELinux's deny_unknown).  Boot SIDs are rebound the same way: a
 * context the new policy does not accept makes its SID unlabeled. */
#include <flask/flask_names.h>

#include "policyd.h"

struct pd_policy pd;
uint32_t pd_seq, pd_nsids, pd_self_sid;
bool pd_enforcing = true;
char pd_sid_context[PD_MAX_SIDS][PD_CTX_MAX];

static const char unlabeled_context[] = "system_u:object_r:unlabeled_t";
static uint8_t state_mem[2][4096] __attribute__((aligned(8)));
static int state_which;

static void bind_classes(struct pd_policy *p)
{
	for (uint32_t k = 0; k < 32; k++) {
		p->cls[k] = -1;
		for (uint32_t b = 0; b < 32; b++)
			p->perm[k][b] = -1;
	}
	for (uint32_t k = 1; k < SC_COUNT; k++) {
		const char *name = flask_class_names[k];
		int32_t c = pl_find_class_n(&p->v, name, pl_strlen(name));
		p->cls[k] = c;
		if (c < 0)
			continue;
		for (uint32_t b = 0; b < FLASK_MAX_PERMS && flask_perm_names[k][b]; b++) {
			const char *pn = flask_perm_names[k][b];
			p->perm[k][b] = (int8_t)pl_find_perm_n(&p->v, (uint32_t)c, pn, pl_strlen(pn));
		}
	}
}

static void bind_sids(struct pd_policy *p)
{
	pl_ctx unlabeled = {0};
	bool have_unlabeled = pl_context_parse(&p->v, unlabeled_context, &unlabeled) == PL_OK;
	for (uint32_t s = 1; s < pd_nsids && s < PD_MAX_SIDS; s++) {
		p->labeled[s] = pl_context_parse(&p->v, pd_sid_context[s], &p->ctx[s]) == PL_OK;
		if (!p->labeled[s] && have_unlabeled)
			p->ctx[s] = unlabeled;
		p->valid[s] = p->labeled[s] || have_unlabeled;
	}
}

int pd_policy_install(const void *buf, uint32_t len, const char **why)
{
	struct pd_policy next;
	pl_load_error err = {0};
	int r = pl_view_load(&next.v, buf, len, 0, &err);
	if (r != PL_OK) {
		*why = err.msg;
		return r;
	}
	if (pl_state_size(&next.v) > sizeof(state_mem[0])) {
		*why = "too many booleans";
		return PL_E_NOSPACE;
	}
	int w = !state_which;
	if ((r = pl_state_init(&next.st, &next.v, state_mem[w], sizeof(state_mem[w]))) != PL_OK) {
		*why = "boolean state";
		return r;
	}
	bind_classes(&next);
	bind_sids(&next);
	next.loaded = true;
	pd = next;
	state_which = w;
	return PL_OK;
}

const char *pd_context_of(uint32_t sid)
{
	if (sid && sid < pd_nsids && sid < PD_MAX_SIDS && pd.labeled[sid])
		return pd_sid_context[sid];
	return unlabeled_context;
}

void pd_kernel_av(uint32_t ssid, uint32_t tsid, uint32_t kcls, struct pd_decision *d)
{
	*d = (struct pd_decision){.auditdeny = ~0u};
	if (!pd.loaded || kcls == 0 || kcls >= SC_COUNT || pd.cls[kcls] < 0 || ssid >= pd_nsids ||
	    tsid >= pd_nsids || ssid >= PD_MAX_SIDS || tsid >= PD_MAX_SIDS || !pd.valid[ssid] || !pd.valid[tsid])
		return;
	pl_av av;
	if (pl_compute_av(&pd.v, &pd.st, &pd.ctx[ssid], &pd.ctx[tsid], (uint32_t)pd.cls[kcls], &av) != PL_OK)
		return;
	uint32_t auditdeny = 0;
	for (uint32_t b = 0; b < 32; b++) {
		int p = pd.perm[kcls][b];
		if (p < 0) {
			auditdeny |= 1u << b; /* unknown to the policy: denied, audited */
			continue;
		}
		if (av.allowed & (1u << p))
			d->allowed |= 1u << b;
		if (av.auditallow & (1u << p))
			d->auditallow |= 1u << b;
		if (av.auditdeny & (1u << p))
			auditdeny |= 1u << b;
	}
	d->auditdeny = auditdeny;
	if (pd.v.types[pd.ctx[ssid].type].flags & PL_BIN_TYPE_PERMISSIVE)
		d->flags |= BW_SEC_F_PERMISSIVE;
}

static void answer_now(uint32_t ssid, uint32_t tsid, uint32_t kcls)
{
	struct pd_decision d;
	pd_kernel_av(ssid, tsid, kcls, &d);
	pd_sec(BW_SEC_ANSWER, ssid, tsid, kcls | (uint64_t)d.flags << 32,
	       d.allowed | (uint64_t)d.auditallow << 32, d.auditdeny | (uint64_t)pd_seq << 32, NULL);
}

void pd_answer(uint32_t ssid, uint32_t tsid, uint32_t kcls)
{
	answer_now(ssid, tsid, kcls);
}

/* The SID for a context, from the table or added to it.  Added SIDs live
 * as long as this policyd: a restarted one knows only the boot table, so
 * objects labelled with them become unlabeled (their decisions deny). */
static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static uint32_t sid_for(const pl_ctx *c)
{
	char ctx[PD_CTX_MAX];
	int n = bw_snprintf(ctx, sizeof(ctx), "%s:%s:%s", pl_user_name(&pd.v, c->user), pl_role_name(&pd.v, c->role),
			    pl_type_name(&pd.v, c->type));
	if (n <= 0 || n >= (int)sizeof(ctx))
		return 0;
	for (uint32_t s = 1; s < pd_nsids && s < PD_MAX_SIDS; s++)
		if (pd.labeled[s] && same(pd_sid_context[s], ctx))
			return s;
	if (pd_nsids >= PD_MAX_SIDS)
		return 0;
	uint32_t s = pd_nsids++;
	memcpy(pd_sid_context[s], ctx, (size_t)n + 1);
	pd.ctx[s] = *c;
	pd.labeled[s] = pd.valid[s] = true;
	return s;
}

void pd_answer_label(uint32_t ssid, uint32_t tsid, uint32_t kcls)
{
	pl_ctx nc;
	uint32_t sid = 0;
	if (pd.loaded && kcls && kcls < SC_COUNT && pd.cls[kcls] >= 0 && ssid < pd_nsids && tsid < pd_nsids &&
	    ssid < PD_MAX_SIDS && tsid < PD_MAX_SIDS && pd.valid[ssid] && pd.valid[tsid] &&
	    pl_compute_create(&pd.v, &pd.st, &pd.ctx[ssid], &pd.ctx[tsid], (uint32_t)pd.cls[kcls],
			      PL_BIN_TE_TRANSITION, &nc) == PL_OK)
		sid = sid_for(&nc);
	pd_sec(BW_SEC_ANSWER_LABEL, ssid, tsid, kcls, sid, pd_seq, NULL);
}

void pd_prime_self(void)
{
	for (uint32_t t = 1; t < pd_nsids && t < PD_MAX_SIDS; t++)
		for (uint32_t k = 1; k < SC_COUNT; k++)
			answer_now(pd_self_sid, t, k);
}

void pd_commit(bool boot)
{
	pd_seq++;
	pd_sec(BW_SEC_NEW_POLICY, pd_seq, pd_enforcing, boot, 0, 0, NULL);
	pd_prime_self();
	/* Revocation: the kernel walks live mappings and bindings and asks for
	 * every decision it no longer has. */
	for (;;) {
		struct bw_regs r;
		if (pd_sec(BW_SEC_REVOKE, 0, 0, 0, 0, 0, &r) != BW_OK || r.x[1] == BW_REVOKE_DONE)
			break;
		if (r.x[1] == BW_REVOKE_NEED)
			answer_now((uint32_t)r.x[2], (uint32_t)r.x[3], (uint32_t)r.x[4]);
	}
}
