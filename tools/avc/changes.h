/* Policy changes a log shows: the events after which a denial may no
 * longer hold.  In $BUILD/run/audit.log they are policyd's own auditallow
 * records of load_policy, setbool and setenforce (the device policy audits
 * every use); a full console capture also has policyd's announcements
 * ("policyd: policy 6 loaded", "policyd: boolean NAME = 1", "policyd:
 * permissive") and the kernel's "security server restarted".  `audit
 * explain` names the first one after a denial that this policy allows. */
#ifndef AVC_CHANGES_H
#define AVC_CHANGES_H

#include <stddef.h>
#include <stdint.h>

#include "avc_parse.h"

typedef struct change {
	uint64_t line;
	char what[96]; /* what the log says, shortened */
} change;

typedef struct changes {
	change *v;
	size_t n, cap;
} changes;

/* Notes line number `line` if it shows a change: r is its record, or NULL
 * for a line that holds none.  Returns -1 when memory runs out. */
int changes_note(changes *c, const char *text, size_t len, const avc_record *r, uint64_t line);

/* The first change after `line`, or NULL. */
const change *changes_after(const changes *c, uint64_t line);

void changes_free(changes *c);

#endif
