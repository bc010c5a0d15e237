/* Checking every statically declared authority of the description (handles,
 * boot mappings, IRQ bindings, guest RAM) against the compiled policy, the
 * way the kernel's revocation scan re-checks them after a policy load.
 * Without it a grant the policy does not allow boots fine (the boot scan
 * only fetches decisions) and silently disappears at the first reload. */
#ifndef MKIMAGE_GRANTCHECK_H
#define MKIMAGE_GRANTCHECK_H

#include "policy/engine.h"
#include "sysdesc.h"

/* v is the loaded policy (named name in messages), evaluated with its
 * default booleans.  A denial in an enforcing domain is an error located at
 * the handle that declares the authority; in a permissive domain, or with
 * denied_warns (images that test the kernel's denial itself), a warning.
 * Contexts that do not parse are skipped (mk_check_contexts reports them).
 * Returns 0, or -1 after reporting every denial. */
int mk_check_grants(const struct sd_system *sys, const pl_view *v, const char *name,
		    int denied_warns, struct sd_diag *d);

#endif
