/* The compiled policy in memory: what the compiler's front end (parser and
 * semantic checks) produces and what the binary writer consumes.
 *
 * It is the *expanded* policy, in the sense of SELinux's kernel policy: every
 * name is resolved to a dense index, every type set is reduced to the keys the
 * access-vector table is written with, m4 and optional blocks are gone.  It is
 * not the form the decision engine reads on the device: that is the binary
 * policy (policy/binary.h) and its validated view (policy/engine.h).
 *
 * Indices are 0-based everywhere.  Names are owned NUL-terminated strings.
 */
#ifndef POLICY_POLICYDB_H
#define POLICY_POLICYDB_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/bitset.h"

#define PL_MAX_PERMS 32 /* as SELinux: one access vector is one 32-bit word */

/* Source position of a statement, kept so that later passes (neverallow,
 * rule listings) can point at the rule the user wrote. */
typedef struct pl_srcpos {
	const char *file; /* interned; owned by the policy's string pool */
	uint32_t line;
	uint32_t col;
} pl_srcpos;

typedef struct pl_common {
	char *name;
	uint32_t nperms;
	char *perms[PL_MAX_PERMS];
} pl_common;

/* Class permissions are numbered as SELinux numbers them: the inherited common
 * permissions first (bits 0 .. ncommon-1, in the common's declaration order),
 * then the class's own permissions in declaration order. */
typedef struct pl_class {
	char *name;
	int32_t common; /* index into commons, or -1 */
	uint32_t nperms; /* total, common ones included; <= 32 */
	char *perms[PL_MAX_PERMS];
} pl_class;

/* Types and attributes share one index space, as in SELinux: an avrule's
 * source or target is either. */
typedef struct pl_type {
	char *name;
	bool is_attr;
	bool permissive;    /* `permissive TYPE;` */
	pl_bitset members;  /* attribute: the types in it; type: empty */
	pl_bitset attrs;    /* type: the attributes it belongs to; attribute: empty */
} pl_type;

typedef struct pl_alias {
	char *name;
	uint32_t type; /* the primary type */
} pl_alias;

typedef struct pl_role {
	char *name;
	pl_bitset types; /* authorised types, attributes expanded (never attribute indices) */
} pl_role;

typedef struct pl_user {
	char *name;
	pl_bitset roles;
} pl_user;

typedef struct pl_bool {
	char *name;
	bool value; /* default state */
} pl_bool;

/* Boolean expressions in postfix (RPN), as SELinux stores them. */
enum pl_cond_op {
	PL_COND_BOOL = 1, /* push bools[arg] */
	PL_COND_NOT,
	PL_COND_OR,
	PL_COND_AND,
	PL_COND_XOR,
	PL_COND_EQ,
	PL_COND_NEQ,
};

typedef struct pl_cond_node {
	enum pl_cond_op op;
	uint32_t arg; /* bool index for PL_COND_BOOL */
} pl_cond_node;

typedef struct pl_cond {
	uint32_t nnodes;
	pl_cond_node *nodes;
} pl_cond;

/* Access-vector rules, in the shape of SELinux's avtab: one rule per
 * (source key, target key, class).  A key is a type or an attribute index:
 * a type set written as plain names and attributes keeps its attributes; a set
 * with `-`, `~` or `*` is expanded to types (libsepol's type_set_expand), and
 * `self` is expanded to one rule per source type.  Rules with equal
 * (kind, source, target, class, cond, branch) are merged by OR-ing perms. */
enum pl_av_kind {
	PL_AV_ALLOW = 1,
	PL_AV_AUDITALLOW,
	PL_AV_DONTAUDIT, /* perms = the permissions silenced (positive form) */
	PL_AV_NEVERALLOW, /* kept only for listings; never reaches the binary */
};

#define PL_UNCOND UINT32_MAX

typedef struct pl_avrule {
	enum pl_av_kind kind;
	uint32_t source, target; /* type or attribute indices */
	uint32_t cls;
	uint32_t perms;
	uint32_t cond;   /* index into conds, or PL_UNCOND */
	bool branch;     /* true: in the if-branch; false: in the else-branch */
	pl_srcpos pos;   /* first rule that contributed */
} pl_avrule;

/* type_transition / type_member / type_change: always expanded to types. */
enum pl_te_kind {
	PL_TE_TRANSITION = 1,
	PL_TE_MEMBER,
	PL_TE_CHANGE,
};

typedef struct pl_terule {
	enum pl_te_kind kind;
	uint32_t source, target, cls;
	uint32_t deflt; /* the new type */
	uint32_t cond;
	bool branch;
	char *objname;  /* filename transition name, or NULL; ignored by compute_create */
	pl_srcpos pos;
} pl_terule;

typedef struct pl_role_allow {
	uint32_t role, new_role;
} pl_role_allow;

typedef struct pl_role_trans {
	uint32_t role, type, cls; /* type expanded to types */
	uint32_t new_role;
} pl_role_trans;

/* Constraint expressions in postfix, as SELinux's constraint_expr. */
enum pl_cexpr_kind {
	PL_CEXPR_NOT = 1,
	PL_CEXPR_AND,
	PL_CEXPR_OR,
	PL_CEXPR_ATTR,  /* compare two attributes of the contexts (u1 == u2, ...) */
	PL_CEXPR_NAMES, /* compare an attribute with a set of names (t1 == { a b }) */
};

enum pl_cexpr_attr {
	PL_CATTR_USER = 1, /* u1 vs u2, or u1 vs names (u2 with PL_CATTR_TARGET) */
	PL_CATTR_ROLE,
	PL_CATTR_TYPE,
};
#define PL_CATTR_TARGET 0x10 /* the names operand compares u2/r2/t2 rather than u1/r1/t1 */

enum pl_cexpr_op {
	PL_COP_EQ = 1,
	PL_COP_NEQ,
	PL_COP_DOM,    /* roles only: r1 dominates r2 (with no dominance: equal) */
	PL_COP_DOMBY,
	PL_COP_INCOMP,
};

typedef struct pl_cexpr {
	enum pl_cexpr_kind kind;
	uint32_t attr;          /* enum pl_cexpr_attr, | PL_CATTR_TARGET for NAMES */
	enum pl_cexpr_op op;
	pl_bitset names;        /* NAMES: user/role/type indices, attributes expanded to types */
} pl_cexpr;

typedef struct pl_constraint {
	uint32_t cls;
	uint32_t perms;
	uint32_t nexpr;
	pl_cexpr *expr;
	pl_srcpos pos;
} pl_constraint;

typedef struct pl_context {
	uint32_t user, role, type;
} pl_context;

typedef struct pl_isid {
	char *name;
	bool has_context;
	pl_context context;
} pl_isid;

typedef struct pl_policy {
	uint32_t ncommons, nclasses, ntypes, naliases, nroles, nusers, nbools, nconds;
	pl_common *commons;
	pl_class *classes;
	pl_type *types;
	pl_alias *aliases;
	pl_role *roles; /* roles[0] is always object_r, declared implicitly */
	pl_user *users;
	pl_bool *bools;
	pl_cond *conds;

	uint32_t navrules, nterules, nrole_allows, nrole_trans, nconstraints, nisids;
	pl_avrule *avrules;
	pl_terule *terules;
	pl_role_allow *role_allows;
	pl_role_trans *role_trans;
	pl_constraint *constraints;
	pl_isid *isids;

	uint32_t npolicycaps;
	char **policycaps; /* accepted and ignored; kept for --emit-conf */

	void *pool; /* owner of interned strings (pl_srcpos.file); opaque */
} pl_policy;

#define PL_OBJECT_R 0u /* index of the implicit object_r role */

void pl_policy_free(pl_policy *p);

/* Name lookups over the in-memory policy; -1 if absent.  Aliases resolve to
 * their primary type. */
int32_t pl_find_class(const pl_policy *p, const char *name);
int32_t pl_find_perm(const pl_policy *p, uint32_t cls, const char *name);
int32_t pl_find_type(const pl_policy *p, const char *name);
int32_t pl_find_role(const pl_policy *p, const char *name);
int32_t pl_find_user(const pl_policy *p, const char *name);
int32_t pl_find_bool(const pl_policy *p, const char *name);

#endif
