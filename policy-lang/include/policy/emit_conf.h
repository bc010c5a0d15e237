/* Writes a compiled policy back out as one complete SELinux policy.conf, so
 * that SELinux's own tools (checkpolicy, sesearch, seinfo, audit2allow -p)
 * work on every device policy.  The scaffolding checkpolicy insists on and
 * polc does not (an initial sid, a user, a role) is added when missing; see
 * docs/POLICY-LANGUAGE.md for what is added and why. */
#ifndef POLICY_EMIT_CONF_H
#define POLICY_EMIT_CONF_H

#include <stdio.h>

#include "policy/policydb.h"

/* Returns 0, or -1 with a message in err (I/O error, or a policy that
 * policy.conf cannot express). */
int pl_emit_conf(const pl_policy *p, FILE *out, char *err, size_t errlen);

#endif
