/* The binary policy reader and the decision engine.
 *
 * Freestanding: this header and policy-lang/engine/ use only <stddef.h>,
 * <stdint.h> and <stdbool.h>, never allocate and never call libc, because the
 * same code runs in policyd on the device.  The reader validates a whole
 * binary policy once (pl_view_load); after that, every lookup trusts the view
 * and costs no further checks.  (Build it with -fno-tree-loop-distribute-patterns
 * as policy-lang/build.mk does, or GCC may turn loops into memset calls.)
 *
 * Decisions follow libsepol 3.4's services.c exactly (context_struct_compute_av
 * and sepol_compute_sid, non-MLS), so that polq agrees with SELinux.
 *
 * Typical use:
 *     pl_view v; pl_load_error e;
 *     if (pl_view_load(&v, buf, len, 0, &e) != 0) ... e.msg, e.offset ...
 *     uint8_t mem[...]; // pl_state_size(&v) bytes
 *     pl_state st; pl_state_init(&st, &v, mem, sizeof mem);
 *     pl_ctx s, t; pl_context_parse(&v, "u:r:a_t", &s); ...
 *     pl_av av; pl_compute_av(&v, &st, &s, &t, cls, &av);
 */
#ifndef POLICY_ENGINE_H
#define POLICY_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/binary_format.h"

/* Results.  0 is success; pl_strerror() names each. */
enum pl_status {
	PL_OK = 0,
	PL_E_CORRUPT = -1,      /* binary policy failed validation */
	PL_E_CONTEXT_SYNTAX = -2, /* not "user:role:type" */
	PL_E_NO_USER = -3,
	PL_E_NO_ROLE = -4,
	PL_E_NO_TYPE = -5,      /* unknown, or an attribute */
	PL_E_INVALID_CONTEXT = -6, /* role not authorised for type, or user for role */
	PL_E_NO_CLASS = -7,
	PL_E_NO_BOOL = -8,
	PL_E_NOSPACE = -9,      /* caller's buffer too small */
	PL_E_RANGE = -10,       /* an index out of range */
};

const char *pl_strerror(int status);

/* Where validation failed: a static message and the file offset concerned. */
typedef struct pl_load_error {
	const char *msg;
	uint32_t offset;
} pl_load_error;

/* Reader flags. */
#define PL_LOAD_SKIP_CHECKSUM 1u /* fuzzing only: reach the structural checks */

/* A validated binary policy: pointers into the caller's buffer, which must
 * be 8-byte aligned and stay alive and unchanged for the view's lifetime.
 * Fields are read-only for users; use the accessors below. */
typedef struct pl_view {
	const uint8_t *base;
	uint32_t len, flags;
	const char *strings;
	uint32_t strings_len;
	const pl_bin_common *commons;
	const pl_bin_class *classes;
	const uint32_t *permnames;
	const pl_bin_type *types;
	const uint32_t *typelists;
	const pl_bin_alias *aliases;
	const pl_bin_role *roles;
	const pl_bin_user *users;
	const uint32_t *bitmaps;
	const pl_bin_bool *bools;
	const pl_bin_cond *conds;
	const pl_bin_cond_node *condexpr;
	const pl_bin_avrow *avrows;
	const uint32_t *avtgt;
	const pl_bin_avent *avent;
	const uint64_t *typebits, *avsum; /* null when absent */
	const pl_bin_condav *condav;
	const pl_bin_terule *terules;
	const pl_bin_role_allow *role_allows;
	const pl_bin_role_trans *role_trans;
	const pl_bin_constraint *constraints;
	const pl_bin_cexpr *cexpr;
	const pl_bin_isid *isids;
	const pl_bin_rule *rules;
	const uint32_t *class_idx, *type_idx, *alias_idx, *role_idx, *user_idx, *bool_idx;
	uint32_t ncommons, nclasses, npermnames, ntypes, ntypelists, naliases, nroles, nusers;
	uint32_t nbitmaps, nbools, nconds, ncondexpr, navrows, navtgt, navent, ncondav, nterules;
	uint32_t nrole_allows, nrole_trans, nconstraints, ncexpr, nisids, nrules;
	uint32_t type_words, role_words; /* bitmap widths in 32-bit words */
	uint32_t nattrs;     /* attributes among the types */
	uint32_t rowbits_words; /* words of a row's attribute bitmap; 0: none stored */
	uint32_t process_class;   /* class named "process", or PL_BIN_NONE */
	uint32_t process_trans_dyntrans; /* its transition|dyntransition bits */
} pl_view;

/* Validates buf[0..len) completely and fills *v.  Returns PL_OK, or
 * PL_E_CORRUPT with *err saying what and where.  Never reads outside buf. */
int pl_view_load(pl_view *v, const void *buf, size_t len, unsigned flags, pl_load_error *err);

/* CRC-32 (IEEE) as the format uses it; exposed for tools and tests. */
uint32_t pl_crc32(const void *data, size_t len);

/* Mutable evaluation state: boolean values and the derived state of every
 * conditional.  Lives in caller memory of pl_state_size(v) bytes.  It points
 * into that memory and into the policy buffer only, never at the pl_view
 * struct, so both the view and the state may be copied (e.g. to publish a
 * newly loaded policy) as long as the buffer and the memory stay put. */
typedef struct pl_state {
	uint8_t *bools; /* 0/1 per boolean */
	uint8_t *conds; /* 0 false, 1 true, 2 undefined (libsepol's -1) per conditional */
	const pl_bin_cond *cond_defs;       /* the policy's conditionals, in the buffer */
	const pl_bin_cond_node *cond_nodes;
	uint32_t nbools, nconds;
} pl_state;

size_t pl_state_size(const pl_view *v);
/* Sets every boolean to its default and evaluates the conditionals. */
int pl_state_init(pl_state *st, const pl_view *v, void *mem, size_t memlen);
/* Changes one boolean and re-evaluates the conditionals (not per query). */
int pl_state_set_bool(pl_state *st, uint32_t b, bool value);

/* A security context, as indices into the view. */
typedef struct pl_ctx {
	uint32_t user, role, type;
} pl_ctx;

/* Name lookups (binary search over the sorted name indices); the name is
 * len bytes, not necessarily NUL-terminated.  Return the index or -1.
 * pl_find_type_n resolves aliases and also returns attributes (check
 * pl_type_is_attr when that matters). */
int32_t pl_find_class_n(const pl_view *v, const char *name, size_t len);
int32_t pl_find_type_n(const pl_view *v, const char *name, size_t len);
int32_t pl_find_role_n(const pl_view *v, const char *name, size_t len);
int32_t pl_find_user_n(const pl_view *v, const char *name, size_t len);
int32_t pl_find_bool_n(const pl_view *v, const char *name, size_t len);
int32_t pl_find_perm_n(const pl_view *v, uint32_t cls, const char *name, size_t len);

/* Parses "user:role:type" (exactly three non-empty fields, NUL-terminated)
 * and checks it as libsepol's context_from_string does: known names, the
 * type not an attribute, and pl_context_valid.  On PL_E_INVALID_CONTEXT *out
 * still holds the names' indices, so callers can say what is wrong. */
int pl_context_parse(const pl_view *v, const char *str, pl_ctx *out);
int pl_context_parse_n(const pl_view *v, const char *str, size_t len, pl_ctx *out);
/* libsepol's policydb_context_isvalid: indices in range; unless the role is
 * object_r, the role must be authorised for the type and the user for the
 * role. */
bool pl_context_valid(const pl_view *v, const pl_ctx *c);
/* Whether the role is authorised for the type (false when out of range). */
bool pl_role_has_type(const pl_view *v, uint32_t role, uint32_t type);

typedef struct pl_av {
	uint32_t allowed;
	uint32_t auditallow;
	uint32_t auditdeny; /* masked to the class's permissions */
} pl_av;

/* The access decision for (s, t, cls) under the current booleans: TE rules,
 * then constraints, then the role allow check for process transitions.
 * Contexts should come from pl_context_parse; PL_E_RANGE for indices out of
 * range or a type that is an attribute.  No allocation, no locking: st is
 * only read, so concurrent lookups may share it. */
int pl_compute_av(const pl_view *v, const pl_state *st, const pl_ctx *s, const pl_ctx *t,
		  uint32_t cls, pl_av *out);

/* The context of a new object: kind is PL_BIN_TE_TRANSITION, PL_BIN_TE_MEMBER
 * or PL_BIN_TE_CHANGE (equal to policydb.h's enum pl_te_kind).
 * PL_E_INVALID_CONTEXT when the result is not a valid context, as libsepol
 * refuses; *out then still holds it, for the error message. */
int pl_compute_create(const pl_view *v, const pl_state *st, const pl_ctx *s, const pl_ctx *t,
		      uint32_t cls, uint32_t kind, pl_ctx *out);

/* Accessors for names and class layout (strings live in the buffer). */
const char *pl_class_name(const pl_view *v, uint32_t cls);
uint32_t pl_class_nperms(const pl_view *v, uint32_t cls);
const char *pl_perm_name(const pl_view *v, uint32_t cls, uint32_t bit);
const char *pl_type_name(const pl_view *v, uint32_t type);
bool pl_type_is_attr(const pl_view *v, uint32_t type);
const char *pl_role_name(const pl_view *v, uint32_t role);
const char *pl_user_name(const pl_view *v, uint32_t user);
const char *pl_bool_name(const pl_view *v, uint32_t b);

/* The freestanding libc shim. */
size_t pl_strlen(const char *s);
int pl_memcmp(const void *a, const void *b, size_t n);

#endif
