/* Checking the description's security contexts against the compiled policy
 * that goes into the image, so a context the policy does not authorise
 * (unknown user, role or type, or a role the user may not take, or a type
 * the role may not have) is a build error rather than a device that fails
 * closed at run time.  It then checks every declared grant against the
 * same policy (grantcheck.h). */
#ifndef MKIMAGE_POLICYCHECK_H
#define MKIMAGE_POLICYCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "sysdesc.h"

/* policy (len bytes, 4-byte aligned) is polc's output; name is used in
 * messages.  Returns 0, or -1 after reporting every bad context and every
 * grant the policy does not allow. */
int mk_check_contexts(const struct sd_system *sys, const uint8_t *policy, size_t len,
		      const char *name, struct sd_diag *d);

/* The same, with grants the policy does not allow only warned about when
 * denied_grants_warn is set (mkimage --allow-denied-grants: test images
 * whose point is that the kernel denies them). */
int mk_check_policy(const struct sd_system *sys, const uint8_t *policy, size_t len,
		    const char *name, int denied_grants_warn, struct sd_diag *d);

#endif
