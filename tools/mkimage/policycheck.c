#include "policycheck.h"

#include <stdio.h>

#include "grantcheck.h"
#include "policy/engine.h"

static void check_one(const pl_view *v, const char *context, int node, const char *name,
		      const char *what, struct sd_diag *d)
{
	if (!context)
		return;
	pl_ctx ctx;
	int rc = pl_context_parse(v, context, &ctx);
	if (rc != PL_OK)
		sd_error(d, node, "context", "context '%s' of %s is not valid in policy '%s': %s",
			 context, what, name, pl_strerror(rc));
}

int mk_check_contexts(const struct sd_system *sys, const uint8_t *policy, size_t len,
		      const char *name, struct sd_diag *d)
{
	return mk_check_policy(sys, policy, len, name, 0, d);
}

int mk_check_policy(const struct sd_system *sys, const uint8_t *policy, size_t len,
		    const char *name, int denied_grants_warn, struct sd_diag *d)
{
	unsigned before = d->errors;
	pl_view v;
	pl_load_error err = {0};
	if (pl_view_load(&v, policy, len, 0, &err) != PL_OK) {
		sd_error(d, -1, NULL, "policy '%s' is not a valid compiled policy: %s (at byte %u)",
			 name, err.msg ? err.msg : "?", err.offset);
		return -1;
	}
	check_one(&v, sys->kernel_context, sys->kernel_node, name, "the kernel", d);
	char what[200];
	for (size_t i = 0; i < sys->task_count; i++) {
		snprintf(what, sizeof(what), "task '%s'", sys->tasks[i].name);
		check_one(&v, sys->tasks[i].context, sys->tasks[i].node, name, what, d);
	}
	for (size_t i = 0; i < sys->object_count; i++) {
		const struct sd_object *o = &sys->objects[i];
		snprintf(what, sizeof(what), "%s '%s'", sd_type_name(o->type), o->name);
		check_one(&v, o->context, o->node, name, what, d);
	}
	mk_check_grants(sys, &v, name, denied_grants_warn, d);
	return d->errors == before ? 0 : -1;
}
