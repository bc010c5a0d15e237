/* A libselinux-style client of policyd, for user-level object managers:
 * the calls SELinux-aware code makes, by the same names where the meaning
 * is the same.  Contexts are "user:role:type" strings; classes and
 * permissions are named, resolved by policyd against the loaded policy. */
#ifndef BW_SELINUX_H
#define BW_SELINUX_H

#include <stdbool.h>
#include <stdint.h>
#include <bw/sys.h>

struct av_decision {
	uint32_t allowed, auditallow, auditdeny;
	uint32_t seqno;
};

/* Names policyd's endpoint; call before anything else. */
void selinux_set_server(bw_handle policyd_endpoint);

/* All return 0 or a BW_E_* code (BW_E_DENIED: the caller may not ask). */
int security_compute_av(const char *scon, const char *tcon, const char *tclass, struct av_decision *avd);
/* The context of a new object of tclass that scon creates in tcon
 * (type_transition), written to out (cap bytes). */
int security_compute_create(const char *scon, const char *tcon, const char *tclass, char *out, uint32_t cap);
/* The bit of perm in tclass under the loaded policy. */
int string_to_av_perm(const char *tclass, const char *perm, uint32_t *bit);
int security_getenforce(int *enforcing, uint32_t *seqno);
int security_setenforce(int enforcing);
int security_set_boolean(const char *name, int value);
/* Hands policyd a shared-memory region holding size bytes of polc output;
 * the handle is transferred (and closed on policyd's side). */
int security_load_policy(bw_handle shm, uint64_t size);
/* Lines of policyd's audit log from index from; *next continues. */
int security_read_audit(uint32_t from, char *buf, uint32_t cap, uint32_t *lines, uint32_t *next);

/* avc_has_perm: 0 if scon may perm tclass on tcon, BW_E_DENIED if not.
 * Decisions are cached on the client's side (a small direct-mapped cache
 * keyed by the strings and flushed when policyd's sequence number moves,
 * which avc_has_perm checks every AVC_RECHECK lookups or on avc_reset). */
int avc_has_perm(const char *scon, const char *tcon, const char *tclass, const char *perm);
void avc_reset(void);

#endif
