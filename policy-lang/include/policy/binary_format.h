/* The on-disk layout of a binary policy, shared by the writer (host) and the
 * reader (policy-lang/engine, also on the device).  docs/POLICY-BINARY.md is
 * the prose description; this header is the normative one.
 *
 * Every field is a little-endian uint32_t and every record is a whole number
 * of them, so a section aligned to 8 bytes can be read in place through these
 * structs on any little-endian machine (the host and the aarch64 device). */
#ifndef POLICY_BINARY_FORMAT_H
#define POLICY_BINARY_FORMAT_H

#include <stdint.h>

#define PL_BIN_MAGIC 0x4c505742u /* "BWPL" as bytes */
#define PL_BIN_VERSION 1u
#define PL_BIN_ALIGN 8u
#define PL_BIN_NONE 0xffffffffu /* absent index / empty hash slot */

/* Codes stored in the file; equal to policydb.h's enums (the writer checks). */
#define PL_BIN_AV_ALLOW 1u
#define PL_BIN_AV_AUDITALLOW 2u
#define PL_BIN_AV_DONTAUDIT 3u
#define PL_BIN_TE_TRANSITION 1u
#define PL_BIN_TE_MEMBER 2u
#define PL_BIN_TE_CHANGE 3u
#define PL_BIN_COND_BOOL 1u /* then NOT OR AND XOR EQ NEQ = 2..7 */
#define PL_BIN_COND_NOT 2u
#define PL_BIN_COND_OR 3u
#define PL_BIN_COND_AND 4u
#define PL_BIN_COND_XOR 5u
#define PL_BIN_COND_EQ 6u
#define PL_BIN_COND_NEQ 7u
#define PL_BIN_CEXPR_NOT 1u
#define PL_BIN_CEXPR_AND 2u
#define PL_BIN_CEXPR_OR 3u
#define PL_BIN_CEXPR_ATTR 4u
#define PL_BIN_CEXPR_NAMES 5u
#define PL_BIN_CATTR_USER 1u
#define PL_BIN_CATTR_ROLE 2u
#define PL_BIN_CATTR_TYPE 3u
#define PL_BIN_CATTR_TARGET 0x10u
#define PL_BIN_COP_EQ 1u
#define PL_BIN_COP_NEQ 2u
#define PL_BIN_COP_DOM 3u
#define PL_BIN_COP_DOMBY 4u
#define PL_BIN_COP_INCOMP 5u
#define PL_BIN_OBJECT_R 0u

/* Header flags. */
#define PL_BIN_F_EXPANDED 1u /* AV keys are types only (attributes expanded) */

/* Sections, in the order they must appear in the file. */
enum pl_bin_section {
	PL_SEC_STRINGS,    /* char: NUL-terminated names; last byte NUL */
	PL_SEC_COMMONS,    /* pl_bin_common */
	PL_SEC_CLASSES,    /* pl_bin_class */
	PL_SEC_PERMNAMES,  /* uint32_t string offsets, per class/common slices */
	PL_SEC_TYPES,      /* pl_bin_type: types and attributes, one index space */
	PL_SEC_TYPELISTS,  /* uint32_t type indices: attrs of a type, members of an attribute */
	PL_SEC_ALIASES,    /* pl_bin_alias */
	PL_SEC_ROLES,      /* pl_bin_role */
	PL_SEC_USERS,      /* pl_bin_user */
	PL_SEC_BITMAPS,    /* uint32_t words of the role/user/constraint bitmaps */
	PL_SEC_BOOLS,      /* pl_bin_bool */
	PL_SEC_CONDS,      /* pl_bin_cond */
	PL_SEC_CONDEXPR,   /* pl_bin_cond_node */
	PL_SEC_AVROWS,     /* pl_bin_avrow: one per (source key, class), ntypes * nclasses */
	PL_SEC_AVTGT,      /* uint32_t: per row, its targets (and attribute bitmap) */
	PL_SEC_AVENT,      /* pl_bin_avent: per row, the decisions, in target order */
	PL_SEC_TYPEBITS,   /* uint64_t: per type, its attributes as a rank bitmap */
	PL_SEC_AVSUM,      /* uint64_t: per (type, class), what its rows can match */
	PL_SEC_CONDAV,     /* pl_bin_condav: conditional contributions of AV entries */
	PL_SEC_TERULES,    /* pl_bin_terule, sorted by (kind, src, tgt, cls, cond) */
	PL_SEC_ROLEALLOW,  /* pl_bin_role_allow, sorted */
	PL_SEC_ROLETRANS,  /* pl_bin_role_trans, sorted by (role, type, cls) */
	PL_SEC_CONSTRAINTS,/* pl_bin_constraint, per class slices */
	PL_SEC_CEXPR,      /* pl_bin_cexpr */
	PL_SEC_ISIDS,      /* pl_bin_isid */
	PL_SEC_RULES,      /* pl_bin_rule: the unexpanded AV rules, for listings */
	PL_SEC_CLASS_IDX,  /* uint32_t class indices sorted by name */
	PL_SEC_TYPE_IDX,   /* uint32_t type indices sorted by name */
	PL_SEC_ALIAS_IDX,  /* uint32_t alias indices sorted by name */
	PL_SEC_ROLE_IDX,
	PL_SEC_USER_IDX,
	PL_SEC_BOOL_IDX,
	PL_SEC_COUNT
};

/* Bytes per entry of each section (engine/format.c). */
extern const uint32_t pl_bin_entsize[PL_SEC_COUNT];

typedef struct pl_bin_section_desc {
	uint32_t offset;  /* from the start of the file; multiple of PL_BIN_ALIGN */
	uint32_t size;    /* bytes; == count * entsize */
	uint32_t count;
	uint32_t entsize; /* must equal the record size the reader expects */
} pl_bin_section_desc;

typedef struct pl_bin_header {
	uint32_t magic;
	uint32_t version;
	uint32_t total_len; /* the whole file */
	uint32_t checksum;  /* CRC-32 (IEEE 802.3) of bytes [16, total_len) */
	uint32_t flags;
	uint32_t nsections; /* == PL_SEC_COUNT */
	uint32_t reserved[2];
	pl_bin_section_desc sec[PL_SEC_COUNT];
} pl_bin_header;

typedef struct pl_bin_common {
	uint32_t name, nperms, perm_first;
} pl_bin_common;

typedef struct pl_bin_class {
	uint32_t name;
	uint32_t common;     /* index or PL_BIN_NONE */
	uint32_t nperms;     /* total, inherited included; <= 32 */
	uint32_t perm_first; /* slice of PERMNAMES holding all nperms names, bit order */
	uint32_t cons_first, ncons; /* slice of CONSTRAINTS */
} pl_bin_class;

#define PL_BIN_TYPE_ATTR 1u
#define PL_BIN_TYPE_PERMISSIVE 2u

typedef struct pl_bin_type {
	uint32_t name, flags;
	uint32_t list_first, nlist; /* TYPELISTS slice, ascending: a type's attributes, an attribute's members */
	uint32_t attr_rank; /* attribute: how many attributes precede it; type: PL_BIN_NONE */
} pl_bin_type;

typedef struct pl_bin_alias {
	uint32_t name, type;
} pl_bin_alias;

typedef struct pl_bin_role {
	uint32_t name;
	uint32_t types; /* first BITMAPS word of a bitmap of ntypes bits */
} pl_bin_role;

typedef struct pl_bin_user {
	uint32_t name;
	uint32_t roles; /* first BITMAPS word of a bitmap of nroles bits */
} pl_bin_user;

typedef struct pl_bin_bool {
	uint32_t name, dflt;
} pl_bin_bool;

typedef struct pl_bin_cond {
	uint32_t expr_first, nexpr;
} pl_bin_cond;

typedef struct pl_bin_cond_node {
	uint32_t op;  /* enum pl_cond_op */
	uint32_t arg; /* bool index for PL_COND_BOOL, else 0 */
} pl_bin_cond_node;

/* The AV table.  The rules for source key k (a type or an attribute) and
 * class c form row k * nclasses + c.  A row's targets are listed in AVTGT
 * starting at first_tgt:
 *   - if nattr > 0 and the policy has at most 64 * PL_BIN_ROWBITS_MAX_WORDS
 *     attributes: first a bitmap of the attribute targets' ranks,
 *     ceil(nattrs / 64) 64-bit words as pairs of uint32_t (low word first;
 *     first_tgt is even, so the words are 8-byte aligned);
 *   - then the nattr attribute targets (attr_rank), ascending;
 *   - then the ntype type targets (type index), ascending.
 * The row's decisions are AVENT[first_ent ...], in the same order: nattr
 * attribute entries, then ntype type entries.  Targets are kept apart from
 * decisions so that a lookup's searches touch one dense cache line or two. */
#define PL_BIN_ROWBITS_MAX_WORDS 64

/* Summaries, present only with row bitmaps and an attribute-keyed table
 * (otherwise both sections are empty).  TYPEBITS holds, for every type
 * index, its attributes as a rank bitmap of W = ceil(nattrs / 64) words.
 * AVSUM holds, for every (type s, class c), W + PL_BIN_SUM_BLOOM_WORDS words:
 * the union of the attribute bitmaps of the rows of s and its attributes for
 * c, then a bloom filter (one bit per target, pl_bin_type_bloom) of their
 * type targets.  A query whose target shares no attribute and no bloom bit
 * with the summary has no entry at all: one cache line answers it.  The
 * reader recomputes both, so they are exact. */
#define PL_BIN_SUM_BLOOM_WORDS 4

static inline uint32_t pl_bin_type_bloom(uint32_t type)
{
	return (type * 0x9e3779b1u) >> (32 - 8); /* 0 .. 64 * PL_BIN_SUM_BLOOM_WORDS - 1 */
}

typedef struct pl_bin_avrow {
	uint32_t first_tgt, nattr, ntype, first_ent;
} pl_bin_avrow;

typedef struct pl_bin_avent {
	uint32_t allowed, auditallow, dontaudit; /* unconditional part */
	uint32_t cond_first, ncond; /* CONDAV slice */
} pl_bin_avent;

/* kind | branch << 8 */
#define PL_BIN_CONDAV_BRANCH 0x100u
typedef struct pl_bin_condav {
	uint32_t cond, kind, perms;
} pl_bin_condav;

typedef struct pl_bin_terule {
	uint32_t kind, src, tgt, cls; /* sort key */
	uint32_t cond;   /* PL_BIN_NONE (unconditional, sorts last) or cond index */
	uint32_t branch; /* 0 or 1 */
	uint32_t deflt;
} pl_bin_terule;

typedef struct pl_bin_role_allow {
	uint32_t role, new_role;
} pl_bin_role_allow;

typedef struct pl_bin_role_trans {
	uint32_t role, type, cls, new_role;
} pl_bin_role_trans;

typedef struct pl_bin_constraint {
	uint32_t perms, expr_first, nexpr;
} pl_bin_constraint;

typedef struct pl_bin_cexpr {
	uint32_t kind, attr, op;
	uint32_t names, nwords; /* NAMES: BITMAPS slice (a bitmap of nwords words) */
} pl_bin_cexpr;

typedef struct pl_bin_isid {
	uint32_t name, has_context, user, role, type;
} pl_bin_isid;

typedef struct pl_bin_rule {
	uint32_t kind, src, tgt, cls, perms, cond, branch;
} pl_bin_rule;

/* Longest RPN stack an expression may need; deeper ones are rejected by the
 * writer and the reader (libsepol evaluates at most 10 deep, see engine). */
#define PL_BIN_MAX_DEPTH 64

#endif
