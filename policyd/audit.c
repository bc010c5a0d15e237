/* The audit log: the kernel's records drained from its ring, policyd's own
 * decisions, formatted as SELinux's AVC lines so that SELinux's tools
 * (audit2allow, audit2why) read them unchanged:
 *
 *   type=AVC msg=audit(SECONDS.MS:SERIAL): avc:  denied  { send } for  pid=12
 *   comm="linux-vmm" scontext=... tcontext=... tclass=ipc permissive=0
 *
 * (one line; note SELinux's double spaces).  Every line is printed on the
 * console and kept in a ring of the latest PD_LOG_LINES, readable through
 * PD_READ_AUDIT.  Records the kernel's rate limit suppressed or its full
 * ring lost are counted in lines of their own: nothing vanishes silently. */
#include <flask/flask_names.h>

#include "policyd.h"

#define PD_LOG_LINES 128
#define PD_LINE_MAX 240

static char log_ring[PD_LOG_LINES][PD_LINE_MAX];
static uint32_t log_next; /* index of the next line ever logged */
static uint32_t own_serial = 1u << 31; /* policyd's serials, apart from the kernel's */

void pd_log_line(const char *line)
{
	char *slot = log_ring[log_next % PD_LOG_LINES];
	uint32_t i = 0;
	for (; line[i] && i < PD_LINE_MAX - 1; i++)
		slot[i] = line[i];
	slot[i] = 0;
	log_next++;
	bw_printf("%s\n", slot);
}

uint32_t pd_log_read(uint32_t from, char *buf, uint32_t cap, uint32_t *next)
{
	uint32_t oldest = log_next > PD_LOG_LINES ? log_next - PD_LOG_LINES : 0;
	uint32_t n = 0, used = 0;
	if (from < oldest)
		from = oldest;
	for (; from < log_next; from++, n++) {
		const char *l = log_ring[from % PD_LOG_LINES];
		uint32_t len = (uint32_t)bw_strlen(l);
		if (used + len + 1 > cap)
			break;
		memcpy(buf + used, l, len);
		buf[used + len] = '\n';
		used += len + 1;
	}
	*next = from;
	return n;
}

/* "{ a b }" of the kernel's permission bits, SELinux's spelling. */
static int perm_list(char *out, size_t cap, uint32_t kcls, uint32_t perms)
{
	int n = bw_snprintf(out, cap, "{");
	for (uint32_t b = 0; b < 32 && (size_t)n < cap; b++) {
		if (!(perms & (1u << b)))
			continue;
		const char *name = kcls < SC_COUNT && b < FLASK_MAX_PERMS ? flask_perm_names[kcls][b] : NULL;
		if (name)
			n += bw_snprintf(out + n, cap - (size_t)n, " %s", name);
		else
			n += bw_snprintf(out + n, cap - (size_t)n, " 0x%x", 1u << b);
	}
	if ((size_t)n < cap)
		n += bw_snprintf(out + n, cap - (size_t)n, " }");
	return n;
}

static void format(uint64_t ms, uint32_t serial, const char *verdict, uint32_t tid, const char *comm,
		   const char *scon, const char *tcon, uint32_t kcls, uint32_t perms, bool permissive)
{
	char perms_s[160], line[PD_LINE_MAX];
	perm_list(perms_s, sizeof(perms_s), kcls, perms);
	const char *cls = kcls && kcls < SC_COUNT ? flask_class_names[kcls] : "unknown";
	if (verdict[0] == 'r') /* revocations are Bulwark's own; audit2allow must not read them */
		bw_snprintf(line, sizeof(line),
			    "type=AVC msg=audit(%lu.%03lu:%u): bulwark:  revoked  %s for  comm=\"%s\" "
			    "scontext=%s tcontext=%s tclass=%s",
			    (unsigned long)(ms / 1000), (unsigned long)(ms % 1000), serial, perms_s, comm, scon, tcon,
			    cls);
	else
		bw_snprintf(line, sizeof(line),
			    "type=AVC msg=audit(%lu.%03lu:%u): avc:  %s  %s for  pid=%u comm=\"%s\" "
			    "scontext=%s tcontext=%s tclass=%s permissive=%d",
			    (unsigned long)(ms / 1000), (unsigned long)(ms % 1000), serial, verdict, perms_s, tid, comm,
			    scon, tcon, cls, permissive ? 1 : 0);
	pd_log_line(line);
}

void pd_audit_self(uint32_t tid, const char *comm, uint32_t ssid, const char *tcontext, uint32_t kcls,
		   uint32_t perms, bool granted)
{
	format(0, own_serial++, granted ? "granted" : "denied", tid, comm, pd_context_of(ssid), tcontext, kcls,
	       perms, !pd_enforcing && !granted);
}

void pd_audit_drain(void)
{
	static struct bw_audit_record rec[16];
	for (;;) {
		struct bw_regs r;
		if (pd_sec(BW_SEC_AUDIT_READ, (uint64_t)(uintptr_t)rec, 16, 0, 0, 0, &r) != BW_OK)
			return;
		for (uint64_t i = 0; i < r.x[1]; i++) {
			const struct bw_audit_record *a = &rec[i];
			if (a->flags & BW_AUDIT_UNPINNED) {
				/* Not an access decision: an AVC-shaped line would
				 * read as a denial to audit2allow and tools/audit. */
				char line[200];
				bw_snprintf(line, sizeof(line),
					    "audit: the kernel could not pin policyd's own decision on %s "
					    "tclass=%s: it now depends on the cache",
					    pd_context_of(a->tsid),
					    a->cls && a->cls < SC_COUNT ? flask_class_names[a->cls] : "unknown");
				pd_log_line(line);
				continue;
			}
			char comm[BW_AUDIT_COMM + 1];
			memcpy(comm, a->comm, BW_AUDIT_COMM);
			comm[BW_AUDIT_COMM] = 0;
			const char *verdict = a->flags & BW_AUDIT_REVOKED   ? "revoked"
					      : a->flags & BW_AUDIT_GRANTED ? "granted"
									    : "denied";
			format(a->timestamp, a->serial, verdict, a->tid, comm, pd_context_of(a->ssid),
			       pd_context_of(a->tsid), a->cls, a->perms, (a->flags & BW_AUDIT_PERMISSIVE) != 0);
		}
		char line[96];
		if (r.x[2]) {
			bw_snprintf(line, sizeof(line), "audit: %lu records suppressed (rate limit)",
				    (unsigned long)r.x[2]);
			pd_log_line(line);
		}
		if (r.x[3]) {
			bw_snprintf(line, sizeof(line), "audit: %lu records lost (audit ring full)",
				    (unsigned long)r.x[3]);
			pd_log_line(line);
		}
		if (r.x[1] < 16)
			return;
	}
}
