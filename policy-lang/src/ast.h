/* The parsed program: statements as written, names unresolved.  Resolution
 * waits until everything is parsed because policy statements may come in any
 * order and optional blocks decide late which declarations exist. */
#ifndef PL_AST_H
#define PL_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "policy/policydb.h"

#define AST_NONE UINT32_MAX

typedef struct ast_name {
	const char *name; /* interned */
	pl_srcpos pos;
} ast_name;

/* A set as written: `a`, `{ a b -c }`, `*`, `~{ a }`.  The `-name` items
 * are the last nneg ones.  Kept small: a big policy has one set per rule
 * field. */
typedef struct ast_set {
	ast_name *items;
	uint32_t n;
	uint32_t nneg : 30;
	uint32_t star : 1;
	uint32_t compl : 1;
} ast_set;

static inline bool ast_set_neg(const ast_set *s, uint32_t i)
{
	return i >= s->n - s->nneg;
}

enum ast_cx_kind { CX_NOT = 1, CX_AND, CX_OR, CX_ATTR, CX_NAMES };

/* Constraint expression tree (converted to postfix once names resolve). */
typedef struct ast_cexpr {
	enum ast_cx_kind kind;
	uint32_t attr;          /* enum pl_cexpr_attr, | PL_CATTR_TARGET */
	enum pl_cexpr_op op;
	ast_set names;
	pl_srcpos pos;
	struct ast_cexpr *left, *right;
} ast_cexpr;

enum ast_stmt_kind {
	ST_CLASS_DECL = 1, /* class X */
	ST_CLASS_DEF,      /* class X [inherits C] [{ perms }] */
	ST_COMMON,
	ST_SID_DECL,
	ST_SID_CTX,
	ST_TYPE,
	ST_TYPEALIAS,
	ST_ATTRIBUTE,
	ST_TYPEATTRIBUTE,
	ST_BOOL,
	ST_AVRULE,
	ST_TERULE,
	ST_ROLE,
	ST_ROLE_ALLOW,
	ST_ROLE_TRANS,
	ST_USER,
	ST_CONSTRAIN,
	ST_PERMISSIVE,
	ST_POLICYCAP,
	ST_REQUIRE,
};

/* Symbol namespaces, shared by the parser (require) and the checker. */
enum ast_ns { NS_TYPE = 1, NS_ROLE, NS_USER, NS_BOOL, NS_CLASS, NS_COMMON, NS_SID, NS_COUNT };

typedef struct ast_stmt {
	enum ast_stmt_kind kind;
	uint32_t block;
	uint32_t cond;  /* index into ast_program.ifs, or AST_NONE */
	bool branch;    /* true: if-branch */
	pl_srcpos pos;
	ast_name name;  /* the declared or subject name, when there is one */
	union {
		struct { ast_name *perms; uint32_t nperms; ast_name common;
			 bool has_common; bool has_perms; } cls;   /* CLASS_DEF, COMMON */
		struct { ast_name *aliases; uint32_t naliases;
			 ast_name *attrs; uint32_t nattrs; } type;  /* TYPE, TYPEALIAS, TYPEATTRIBUTE */
		struct { ast_set src, tgt, cls, perms; enum pl_av_kind kind; } av;
		struct { ast_set src, tgt, cls; ast_name deflt; const char *objname;
			 enum pl_te_kind kind; } te;
		struct { ast_set types; bool has_types; } role;
		struct { ast_set from, to; } rallow;
		struct { ast_set roles, types, cls; ast_name deflt; bool has_cls; } rtrans;
		struct { ast_set roles; } user;
		struct { ast_set cls, perms; ast_cexpr *expr; } cons;
		struct { ast_name ctx[3]; } sid;
		struct { bool value; } boolean;
		struct { enum ast_ns ns; bool is_attr; ast_name *names; uint32_t n;
			 ast_name *perms; uint32_t nperms; } req;
	} u;
} ast_stmt;

/* Block 0 is the global scope; the others are optional blocks and their
 * else branches. */
typedef struct ast_block {
	uint32_t parent;
	uint32_t else_block; /* for an optional: its else branch, or AST_NONE */
	uint32_t main_block; /* for an else branch: its optional */
	bool is_else;
	bool enabled;
	pl_srcpos pos;
} ast_block;

typedef struct ast_cond_term {
	enum pl_cond_op op;
	ast_name boolname; /* PL_COND_BOOL */
} ast_cond_term;

typedef struct ast_if {
	ast_cond_term *terms; /* postfix */
	uint32_t n;
	uint32_t block;
	pl_srcpos pos;
} ast_if;

typedef struct ast_program {
	pl_arena arena;
	pl_intern *strings; /* heap-allocated: handed to the policy as its pool */
	ast_stmt *stmts;
	uint32_t nstmts, capstmts;
	ast_block *blocks;
	uint32_t nblocks, capblocks;
	ast_if *ifs;
	uint32_t nifs, capifs;
	/* Per-file warning dedup for ignored Linux statements. */
	struct { const char *file; const char *kind; } *warned;
	uint32_t nwarned, capwarned;
} ast_program;

void ast_program_init(ast_program *p);
void ast_program_free(ast_program *p);

#endif
