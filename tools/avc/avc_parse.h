/* Reading AVC records out of a console log.
 *
 * The device's log is whatever the console printed: each partition's output
 * behind a prefix ("[policyd] ", "[linux] "), records among boot messages,
 * and lines a hostile or crashing task may have cut short.  So a record is
 * found anywhere in a line, a line that is plainly not a record is noise,
 * and a line that announces a record but does not hold a complete one is
 * malformed: the caller reports it and goes on.
 *
 * Nothing is copied or allocated: the fields point into the caller's line,
 * which is len bytes and need not be NUL-terminated (a log may hold NULs). */
#ifndef AVC_PARSE_H
#define AVC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An access vector has 32 bits, so a record names at most 32 permissions. */
#define AVC_MAX_PERMS 32

typedef struct avc_str {
	const char *p;
	size_t n;
} avc_str;

enum avc_kind {
	AVC_DENIED,     /* avc:  denied */
	AVC_GRANTED,    /* avc:  granted (auditallow) */
	AVC_REVOKED,    /* bulwark:  revoked (a reload took a right away) */
	AVC_SUPPRESSED, /* audit: N records suppressed (rate limit) */
	AVC_LOST,       /* audit: N records lost (audit ring full) */
};

typedef struct avc_record {
	enum avc_kind kind;
	/* msg=audit(SEC.FRAC:SERIAL), when present: sec and frac (in
	 * nanoseconds) order records; stamp is the text, for printing. */
	bool has_stamp;
	uint64_t sec, serial;
	uint32_t nsec;
	avc_str stamp;
	avc_str perms[AVC_MAX_PERMS];
	uint32_t nperms;
	avc_str scontext, tcontext, tclass, comm;
	avc_str stype, ttype; /* the third field of each context */
	int permissive;       /* 0, 1, or -1 when the record does not say */
	uint64_t count;       /* AVC_SUPPRESSED / AVC_LOST: N */
} avc_record;

enum avc_parse_status {
	AVC_MALFORMED = -1, /* announces a record but is not one: *why says what is wrong */
	AVC_NOISE = 0,      /* no record on this line */
	AVC_RECORD = 1,
};

int avc_parse_line(const char *line, size_t len, avc_record *out, const char **why);

/* Equality of a field with a C string. */
bool avc_str_eq(avc_str s, const char *c);

#endif
