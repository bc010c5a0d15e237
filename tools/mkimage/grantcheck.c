#include "grantcheck.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linemap.h"

/* ---- what the kernel checks: one table ---------------------------------------
 *
 * Each row says which permission a statically declared authority needs to
 * survive a policy load.  It mirrors the kernel exactly; change both
 * together:
 *  - endpoint and notification handles: kernel/core/security.c, revoke_step's
 *    handle phase (class_of[]) and revoke_waiters/waiter_need.  The handle
 *    keeps its rights, but each use is checked (fastpath.h, ipc.c,
 *    notify.c) and a queued use is refused by the scan, so a right the
 *    policy denies is dead from the first reload on: an endpoint's send
 *    right lives with `send` OR `call` (BW_SYS_SEND or BW_SYS_CALL), its
 *    receive right needs `receive`; a notification's send right `signal`,
 *    its receive right `wait`.  Other rights (grant, manage, a handle to shm
 *    or a device without a mapping) bind nothing the scan re-checks and are
 *    checked when used, so they are not demanded here;
 *  - mappings: kernel/core/boot.c, grant() (rights to page attributes: exec
 *    also makes the page readable; a device is mapped as device memory),
 *    and security.c, mapping_need() (attributes to shm map_* / device
 *    map_mmio);
 *  - an IRQ bound at boot: boot.c, bind_irq() (the binder is the first task
 *    holding the device) and the scan's device branch (`bind_irq`);
 *  - guest RAM: vmm/vmm/guest_build.c maps each region into the VMM with
 *    read+write and into the VM with the rights of the VMM's handle; both
 *    mappings are task mappings the scan re-checks through mapping_need()
 *    (vm map_guest is checked at the call only, not by the scan). */
enum grant_kind {
	GK_HANDLE,  /* held, not mapped */
	GK_MAP,     /* mapped: by map-vaddr at boot, or guest RAM by its VMM */
	GK_IRQ,     /* the device's IRQ bound at boot for this holder */
};

struct grant_rule {
	enum grant_kind kind;
	uint32_t type;   /* BW_BOOT_OBJ_* */
	uint32_t right;  /* BW_BOOT_RIGHT_* the rule is about; 0: any */
	const char *cls; /* policyd binds the kernel's numbering by name */
	const char *perm;
	const char *or_perm; /* also enough on its own, or NULL */
};

static const struct grant_rule rules[] = {
	{GK_HANDLE, BW_BOOT_OBJ_ENDPOINT, BW_BOOT_RIGHT_SEND, "ipc", "send", "call"},
	{GK_HANDLE, BW_BOOT_OBJ_ENDPOINT, BW_BOOT_RIGHT_RECV, "ipc", "receive", NULL},
	{GK_HANDLE, BW_BOOT_OBJ_NOTIFICATION, BW_BOOT_RIGHT_SEND, "notification", "signal", NULL},
	{GK_HANDLE, BW_BOOT_OBJ_NOTIFICATION, BW_BOOT_RIGHT_RECV, "notification", "wait", NULL},
	{GK_MAP, BW_BOOT_OBJ_SHM, BW_BOOT_RIGHT_READ, "shm", "map_read", NULL},
	{GK_MAP, BW_BOOT_OBJ_SHM, BW_BOOT_RIGHT_WRITE, "shm", "map_write", NULL},
	{GK_MAP, BW_BOOT_OBJ_SHM, BW_BOOT_RIGHT_EXEC, "shm", "map_exec", NULL},
	{GK_MAP, BW_BOOT_OBJ_SHM, BW_BOOT_RIGHT_EXEC, "shm", "map_read", NULL},
	{GK_MAP, BW_BOOT_OBJ_DEVICE, 0, "device", "map_mmio", NULL},
	{GK_IRQ, BW_BOOT_OBJ_DEVICE, 0, "device", "bind_irq", NULL},
};

/* What the VMM maps guest RAM into itself with (guest_build.c). */
#define VMM_SELF_MAP_RIGHTS (BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_WRITE)
#define MAP_RIGHTS (BW_BOOT_RIGHT_READ | BW_BOOT_RIGHT_WRITE | BW_BOOT_RIGHT_EXEC)

/* ---- asking the policy ---------------------------------------------------------- */

struct checker {
	const struct sd_system *sys;
	const pl_view *v;
	pl_state st;
	int denied_warns;
	struct sd_diag *d;
	unsigned denials;
};

/* A warning located like sd_error's errors; it does not count as one. */
static void warn_at(struct checker *c, int node, const char *prop, const char *text)
{
	struct sd_diag *d = c->d;
	char path[512], msg[2048];
	const char *file = NULL;
	unsigned line = 0;
	int have_path = node >= 0 && d->fdt && fdt_get_path(d->fdt, node, path, sizeof(path)) == 0;
	if (have_path && (sd_linemap_find(d->lines, path, prop, &file, &line) == 0 ||
			  sd_linemap_find(d->lines, path, NULL, &file, &line) == 0))
		snprintf(msg, sizeof(msg), "%s:%u: warning: %s", file, line, text);
	else if (have_path)
		snprintf(msg, sizeof(msg), "%s: warning: %s: %s", d->file, path, text);
	else
		snprintf(msg, sizeof(msg), "%s: warning: %s", d->file, text);
	if (d->sink)
		d->sink(d->ctx, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

static int parse(const struct checker *c, const char *context, pl_ctx *out)
{
	return context && pl_context_parse(c->v, context, out) == PL_OK ? 0 : -1;
}

/* Whether (s, t, cls) allows perm; a class or permission the policy does
 * not have is denied, as policyd does (deny_unknown). */
static int allowed(const struct checker *c, const pl_ctx *s, const pl_ctx *t, const char *cls,
		   const char *perm)
{
	int32_t k = pl_find_class_n(c->v, cls, strlen(cls));
	if (k < 0)
		return 0;
	int32_t bit = pl_find_perm_n(c->v, (uint32_t)k, perm, strlen(perm));
	pl_av av;
	if (bit < 0 || pl_compute_av(c->v, &c->st, s, t, (uint32_t)k, &av) != PL_OK)
		return 0;
	return (av.allowed >> bit) & 1u;
}

static void append(char *buf, size_t cap, const char *fmt, const char *s)
{
	size_t used = strlen(buf);
	if (used < cap)
		snprintf(buf + used, cap - used, fmt, s);
}

/* The rights in rights as "'read', 'write'". */
static void right_list(uint32_t rights, char *buf, size_t cap)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {{BW_BOOT_RIGHT_SEND, "send"},   {BW_BOOT_RIGHT_RECV, "recv"},
		     {BW_BOOT_RIGHT_READ, "read"},   {BW_BOOT_RIGHT_WRITE, "write"},
		     {BW_BOOT_RIGHT_EXEC, "exec"},   {BW_BOOT_RIGHT_GRANT, "grant"},
		     {BW_BOOT_RIGHT_MANAGE, "manage"}};
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (rights & names[i].bit)
			append(buf, cap, buf[0] ? ", '%s'" : "'%s'", names[i].name);
}

/* Checks every rule of kind for an object of type held with rights by the
 * subject scontext; who describes the authority for the message.  All
 * denials of one class go into one message. */
static void check(struct checker *c, int node, enum grant_kind kind, uint32_t type, uint32_t rights,
		  const char *scontext, const char *tcontext, const char *who)
{
	pl_ctx s, t;
	if (parse(c, scontext, &s) < 0 || parse(c, tcontext, &t) < 0)
		return;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct grant_rule *r = &rules[i];
		if (r->kind != kind || r->type != type)
			continue;
		/* The first rule of each class gathers the class's denials. */
		int first = 1;
		for (size_t j = 0; j < i; j++)
			if (rules[j].kind == kind && rules[j].type == type && !strcmp(rules[j].cls, r->cls))
				first = 0;
		if (!first)
			continue;
		char missing[256] = "", alt[256] = "";
		for (size_t j = i; j < sizeof(rules) / sizeof(rules[0]); j++) {
			const struct grant_rule *q = &rules[j];
			if (q->kind != kind || q->type != type || strcmp(q->cls, r->cls))
				continue;
			if (q->right && !(rights & q->right))
				continue;
			if (allowed(c, &s, &t, q->cls, q->perm) ||
			    (q->or_perm && allowed(c, &s, &t, q->cls, q->or_perm)))
				continue;
			if (strstr(missing, q->perm))
				continue; /* exec's map_read after read's */
			append(missing, sizeof(missing), " %s", q->perm);
			if (q->or_perm)
				append(alt, sizeof(alt), " %s", q->or_perm);
		}
		if (!missing[0])
			continue;
		const char *stype = pl_type_name(c->v, s.type), *ttype = pl_type_name(c->v, t.type);
		char text[1024];
		int permissive = (c->v->types[s.type].flags & PL_BIN_TYPE_PERMISSIVE) != 0;
		snprintf(text, sizeof(text), "%s, but the policy does not allow %s %s:%s {%s }%s%s%s%s",
			 who, stype, ttype, r->cls, missing, alt[0] ? " or {" : "", alt, alt[0] ? " }" : "",
			 permissive ? " (allowed only because the domain is permissive)" : "");
		if (permissive || c->denied_warns) {
			warn_at(c, node, "rights", text);
		} else {
			sd_error(c->d, node, "rights", "%s", text);
			c->denials++;
		}
	}
}

/* ---- what the description declares ------------------------------------------- */

static void check_handle(struct checker *c, const struct sd_handle *h)
{
	const struct sd_system *sys = c->sys;
	if (h->object_index == BW_BOOT_NONE || h->object_index >= sys->object_count ||
	    h->task >= sys->task_count)
		return;
	const struct sd_task *tk = &sys->tasks[h->task];
	const struct sd_object *o = &sys->objects[h->object_index];
	if (!tk->context || !o->context)
		return; /* reported by the description's checks */
	char rights[128], who[600];
	for (uint32_t bit = 1; bit <= BW_BOOT_RIGHT_MANAGE; bit <<= 1) {
		if (!(h->rights & bit))
			continue;
		right_list(bit, rights, sizeof(rights));
		snprintf(who, sizeof(who), "task '%s' (%s) is granted '%s' with right %s", tk->name,
			 tk->context, o->name, rights);
		check(c, h->node, GK_HANDLE, o->type, bit, tk->context, o->context, who);
	}
	if (h->map_vaddr) {
		right_list(h->rights & MAP_RIGHTS, rights, sizeof(rights));
		snprintf(who, sizeof(who), "task '%s' (%s) is granted '%s' mapped at 0x%llx with %s",
			 tk->name, tk->context, o->name, (unsigned long long)h->map_vaddr, rights);
		check(c, h->node, GK_MAP, o->type, h->rights & MAP_RIGHTS, tk->context, o->context, who);
	}
	if (o->type == BW_BOOT_OBJ_DEVICE && o->notify) {
		/* Bound for the first task the description hands the device to. */
		const struct sd_handle *first = NULL;
		for (size_t i = 0; i < sys->handle_count && !first; i++)
			if (sys->handles[i].object_index == h->object_index)
				first = &sys->handles[i];
		if (first == h) {
			snprintf(who, sizeof(who), "task '%s' (%s) has the IRQ %u of '%s' bound to '%s' at boot",
				 tk->name, tk->context, o->irq, o->name, o->notify);
			check(c, h->node, GK_IRQ, o->type, 0, tk->context, o->context, who);
		}
	}
	if (o->type == BW_BOOT_OBJ_SHM && o->vm && o->vm_index < sys->object_count &&
	    sys->objects[o->vm_index].vmm_index == h->task) {
		const struct sd_object *vm = &sys->objects[o->vm_index];
		const char *vm_context = vm->context ? vm->context : "";
		right_list(VMM_SELF_MAP_RIGHTS, rights, sizeof(rights));
		snprintf(who, sizeof(who), "task '%s' (%s), the VMM of vm '%s', maps its guest RAM '%s' "
			 "into itself with %s", tk->name, tk->context, vm->name, o->name, rights);
		check(c, h->node, GK_MAP, o->type, VMM_SELF_MAP_RIGHTS, tk->context, o->context, who);
		right_list(h->rights & MAP_RIGHTS, rights, sizeof(rights));
		snprintf(who, sizeof(who), "vm '%s' (%s) is given guest RAM '%s' by its VMM '%s' with %s",
			 vm->name, vm_context, o->name, tk->name, rights);
		check(c, h->node, GK_MAP, o->type, h->rights & MAP_RIGHTS, vm->context, o->context, who);
	}
}

int mk_check_grants(const struct sd_system *sys, const pl_view *v, const char *name,
		    int denied_warns, struct sd_diag *d)
{
	struct checker c = {.sys = sys, .v = v, .denied_warns = denied_warns, .d = d};
	size_t size = pl_state_size(v);
	void *mem = malloc(size ? size : 1);
	if (!mem || pl_state_init(&c.st, v, mem, size) != PL_OK) {
		free(mem);
		sd_error(d, -1, NULL, "policy '%s': cannot evaluate its booleans", name);
		return -1;
	}
	for (size_t i = 0; i < sys->handle_count; i++)
		check_handle(&c, &sys->handles[i]);
	free(mem);
	return c.denials ? -1 : 0;
}
