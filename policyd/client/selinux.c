/* The libselinux-style client of policyd (include/bw/selinux.h). */
#include <bw/lib.h>
#include <bw/selinux.h>
#include <policyd/proto.h>

#define AVC_ENTRIES 16
#define AVC_RECHECK 64

static bw_handle server;

void selinux_set_server(bw_handle policyd_endpoint)
{
	server = policyd_endpoint;
}

/* Packs NUL-terminated strings back to back; 0 if they do not fit. */
static uint64_t pack(char *buf, const char *const *s, int n)
{
	uint64_t at = 0;
	for (int i = 0; i < n; i++) {
		uint64_t len = bw_strlen(s[i]) + 1;
		if (at + len > PD_BUF_MAX)
			return 0;
		memcpy(buf + at, s[i], len);
		at += len;
	}
	return at;
}

static int request(uint64_t label, const char *const *s, int n, struct bw_msg *m, char *buf, uint64_t cap)
{
	uint64_t len = n ? pack(buf, s, n) : 0;
	if (n && !len)
		return BW_E_MSGSIZE;
	m->info = bw_info(label, len, cap);
	m->buf = buf;
	uint64_t e = bw_call(server, m);
	return (int)(e != BW_OK ? e : m->mr[0]);
}

int security_compute_av(const char *scon, const char *tcon, const char *tclass, struct av_decision *avd)
{
	char buf[PD_BUF_MAX];
	const char *s[3] = {scon, tcon, tclass};
	struct bw_msg m = {0};
	int e = request(PD_COMPUTE_AV, s, 3, &m, buf, 0);
	if (!e)
		*avd = (struct av_decision){(uint32_t)m.mr[1], (uint32_t)m.mr[2], (uint32_t)m.mr[3], 0};
	return e;
}

int security_compute_create(const char *scon, const char *tcon, const char *tclass, char *out, uint32_t cap)
{
	char buf[PD_BUF_MAX];
	const char *s[3] = {scon, tcon, tclass};
	struct bw_msg m = {0};
	int e = request(PD_COMPUTE_CREATE, s, 3, &m, buf, PD_BUF_MAX);
	if (e)
		return e;
	uint64_t got = bw_info_len(m.info);
	if (!got || got > cap)
		return BW_E_MSGSIZE;
	memcpy(out, buf, got);
	out[got - 1] = 0;
	return 0;
}

int string_to_av_perm(const char *tclass, const char *perm, uint32_t *bit)
{
	char buf[PD_BUF_MAX];
	const char *s[2] = {tclass, perm};
	struct bw_msg m = {0};
	int e = request(PD_PERM_BIT, s, 2, &m, buf, 0);
	if (!e)
		*bit = (uint32_t)m.mr[1];
	return e;
}

int security_getenforce(int *enforcing, uint32_t *seqno)
{
	struct bw_msg m = {0};
	int e = request(PD_STATUS, NULL, 0, &m, NULL, 0);
	if (!e) {
		*enforcing = (int)m.mr[2];
		if (seqno)
			*seqno = (uint32_t)m.mr[1];
	}
	return e;
}

int security_setenforce(int enforcing)
{
	struct bw_msg m = {.mr = {(uint64_t)enforcing}};
	return request(PD_SETENFORCE, NULL, 0, &m, NULL, 0);
}

int security_set_boolean(const char *name, int value)
{
	char buf[PD_BUF_MAX];
	const char *s[1] = {name};
	struct bw_msg m = {.mr = {(uint64_t)value}};
	return request(PD_SETBOOL, s, 1, &m, buf, 0);
}

int security_load_policy(bw_handle shm, uint64_t size)
{
	struct bw_msg m = {.info = bw_info(PD_LOAD_POLICY, 0, 0) | BW_INFO_XFER, .mr = {size}, .handle = shm};
	uint64_t e = bw_call(server, &m);
	return (int)(e != BW_OK ? e : m.mr[0]);
}

int security_read_audit(uint32_t from, char *buf, uint32_t cap, uint32_t *lines, uint32_t *next)
{
	struct bw_msg m = {.mr = {from}};
	int e = request(PD_READ_AUDIT, NULL, 0, &m, buf, cap > PD_BUF_MAX ? PD_BUF_MAX : cap);
	if (!e) {
		*lines = (uint32_t)m.mr[1];
		*next = (uint32_t)m.mr[2];
		uint64_t got = bw_info_len(m.info);
		buf[got < cap ? got : cap - 1] = 0;
	}
	return e;
}

/* ---- the client-side cache ------------------------------------------------ */

struct avc_slot {
	uint32_t hash, seqno;
	bool used;
	struct av_decision avd;
	char key[96];
};

static struct avc_slot cache[AVC_ENTRIES];
static uint32_t lookups, cached_seqno;

void avc_reset(void)
{
	for (int i = 0; i < AVC_ENTRIES; i++)
		cache[i].used = false;
}

static uint32_t fnv(const char *s, uint32_t h)
{
	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return (h ^ '|') * 16777619u;
}

int avc_has_perm(const char *scon, const char *tcon, const char *tclass, const char *perm)
{
	if (++lookups % AVC_RECHECK == 1) {
		int enforcing;
		uint32_t seq;
		if (security_getenforce(&enforcing, &seq) == 0 && seq != cached_seqno) {
			avc_reset();
			cached_seqno = seq;
		}
	}
	char key[96];
	int n = bw_snprintf(key, sizeof(key), "%s|%s|%s", scon, tcon, tclass);
	uint32_t h = fnv(tclass, fnv(tcon, fnv(scon, 2166136261u)));
	struct avc_slot *sl = &cache[h % AVC_ENTRIES];
	if (!(n > 0 && (size_t)n < sizeof(key) && sl->used && sl->hash == h && !memcmp(sl->key, key, (size_t)n + 1))) {
		struct av_decision avd;
		int e = security_compute_av(scon, tcon, tclass, &avd);
		if (e)
			return e;
		sl->used = n > 0 && (size_t)n < sizeof(key);
		sl->hash = h;
		sl->avd = avd;
		if (sl->used)
			memcpy(sl->key, key, (size_t)n + 1);
	}
	uint32_t bit;
	int e = string_to_av_perm(tclass, perm, &bit);
	if (e)
		return e;
	return (sl->avd.allowed >> bit) & 1 ? 0 : BW_E_DENIED;
}
