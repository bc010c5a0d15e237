/* The checker: turns the parsed program into the expanded pl_policy.
 * Split in three files by concern: sema_decl.c (symbols, scopes, optional
 * blocks, symbol tables), sema_te.c (type sets, access-vector and type
 * rules, neverallow), sema_rbac.c (roles, users, constraints, initial sids,
 * booleans). */
#ifndef PL_SEMA_H
#define PL_SEMA_H

#include "ast.h"
#include "policy/diag.h"
#include "policy/policydb.h"

enum sym_kind { SK_PLAIN = 0, SK_TYPE, SK_ATTR, SK_ALIAS };

typedef struct sym {
	enum ast_ns ns;
	enum sym_kind kind;
	const char *name;
	pl_srcpos pos;
	uint32_t block;
	uint32_t next_decl; /* roles/users may be declared in several blocks */
	uint32_t stmt;      /* declaring statement (class: the `class X` one) */
	uint32_t def_stmt;  /* class: the statement with its permissions */
	uint32_t alias_of;  /* alias: sym of its type */
	uint32_t index;     /* index in the policy, AST_NONE if not (yet) in it */
} sym;

/* A type set with names resolved to policy type indices. */
typedef struct rset {
	uint32_t *pos, npos, cappos;
	uint32_t *neg, nneg, capneg;
	bool star, compl, self;
} rset;

typedef struct neverallow {
	uint32_t stmt;
	pl_bitset src, tgt;
	bool self, has_tgt;
	uint32_t *perms; /* per class */
} neverallow;

typedef struct te_entry {
	uint32_t cond;
	bool branch;
	uint32_t deflt;
	uint32_t stmt;
	uint32_t next;
} te_entry;

typedef struct checker {
	ast_program *prog;
	pl_diag *diag;
	pl_policy *pol;
	sym *syms;
	uint32_t nsyms, capsyms;
	pl_map names;     /* (name, ns) -> first sym */
	pl_map reqs;      /* (name, ns, block) -> require statement */
	pl_map perm_bits; /* (perm name, class or common index, 1 class / 2 common) -> bit */
	uint32_t *type_sym;        /* policy type index -> sym */
	pl_bitset all_types;       /* every non-attribute type */
	uint32_t *if_cond;         /* ast if -> policy cond, AST_NONE */
	bool *if_swap;             /* the if's branches swapped by normalisation */
	/* Output vectors (capacities for the policy's arrays). */
	uint32_t capav, capte, caprallow, caprtrans, capcons, capconds;
	/* Open-addressing table of avrule indices: the key lives in the rule
	 * itself, so a slot costs 4 bytes (the merge table is the biggest one). */
	uint32_t *avslots;
	uint32_t avcap;
	pl_map temap;
	te_entry *te_entries;
	uint32_t nte_entries, capte_entries;
	pl_map fname_trans;
	pl_map rtrans_keys;
	neverallow *nevers;
	uint32_t nnevers, capnevers;
	/* Scratch sets, reused to keep the rule loop free of allocation. */
	pl_bitset scratch_src, scratch_tgt;
	rset rs_src, rs_tgt;
	pl_srcpos cur; /* the statement being checked, for errors about whole sets */
} checker;

/* sema_decl.c */
void sema_collect(checker *c);
void sema_enable_optionals(checker *c);
void sema_build_tables(checker *c);
uint32_t sema_lookup(const checker *c, const char *name, enum ast_ns ns);
/* Resolves a reference in `block`; reports unknown / out-of-scope names.
 * Returns the sym, or AST_NONE (silently when the name is required by a
 * disabled block and simply absent). */
uint32_t sema_resolve(checker *c, const ast_name *nm, enum ast_ns ns, uint32_t block,
		      const char *what);
int32_t sema_perm_bit(const checker *c, uint32_t cls, const char *perm);
void sema_err(checker *c, pl_srcpos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool sema_block_enabled(const checker *c, uint32_t block);

/* sema_te.c */
bool sema_resolve_types(checker *c, const ast_set *set, uint32_t block, bool allow_self,
			bool star_ok, rset *out);
/* Reports `*` / `~` in a set that does not take them; false if present. */
bool sema_no_star(checker *c, const ast_set *set, const char *where);
void sema_expand_types(checker *c, const rset *rs, pl_bitset *out);
bool sema_resolve_classes(checker *c, const ast_set *set, uint32_t block, uint32_t **out,
			  uint32_t *n);
void sema_attributes(checker *c);
void sema_te_rules(checker *c);
void rset_free(rset *r);

/* sema_rbac.c */
void sema_conds(checker *c);
void sema_rbac(checker *c);
void sema_constraints(checker *c);
void sema_isids(checker *c);
void sema_misc(checker *c);

#endif
