#include "policy/policydb.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

static void free_names(char **names, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free(names[i]);
}

void pl_policy_free(pl_policy *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->ncommons; i++) {
		free(p->commons[i].name);
		free_names(p->commons[i].perms, p->commons[i].nperms);
	}
	for (uint32_t i = 0; i < p->nclasses; i++) {
		free(p->classes[i].name);
		free_names(p->classes[i].perms, p->classes[i].nperms);
	}
	for (uint32_t i = 0; i < p->ntypes; i++) {
		free(p->types[i].name);
		pl_bitset_free(&p->types[i].members);
		pl_bitset_free(&p->types[i].attrs);
	}
	for (uint32_t i = 0; i < p->naliases; i++)
		free(p->aliases[i].name);
	for (uint32_t i = 0; i < p->nroles; i++) {
		free(p->roles[i].name);
		pl_bitset_free(&p->roles[i].types);
	}
	for (uint32_t i = 0; i < p->nusers; i++) {
		free(p->users[i].name);
		pl_bitset_free(&p->users[i].roles);
	}
	for (uint32_t i = 0; i < p->nbools; i++)
		free(p->bools[i].name);
	for (uint32_t i = 0; i < p->nconds; i++)
		free(p->conds[i].nodes);
	for (uint32_t i = 0; i < p->nterules; i++)
		free(p->terules[i].objname);
	for (uint32_t i = 0; i < p->nconstraints; i++) {
		for (uint32_t j = 0; j < p->constraints[i].nexpr; j++)
			pl_bitset_free(&p->constraints[i].expr[j].names);
		free(p->constraints[i].expr);
	}
	for (uint32_t i = 0; i < p->nisids; i++)
		free(p->isids[i].name);
	free_names(p->policycaps, p->npolicycaps);
	free(p->commons);
	free(p->classes);
	free(p->types);
	free(p->aliases);
	free(p->roles);
	free(p->users);
	free(p->bools);
	free(p->conds);
	free(p->avrules);
	free(p->terules);
	free(p->role_allows);
	free(p->role_trans);
	free(p->constraints);
	free(p->isids);
	free(p->policycaps);
	if (p->pool) {
		pl_intern_free(p->pool);
		free(p->pool);
	}
	memset(p, 0, sizeof *p);
}

int32_t pl_find_class(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nclasses; i++)
		if (strcmp(p->classes[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t pl_find_perm(const pl_policy *p, uint32_t cls, const char *name)
{
	if (cls >= p->nclasses)
		return -1;
	const pl_class *c = &p->classes[cls];
	for (uint32_t i = 0; i < c->nperms; i++)
		if (strcmp(c->perms[i], name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t pl_find_type(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].name, name) == 0)
			return (int32_t)i;
	for (uint32_t i = 0; i < p->naliases; i++)
		if (strcmp(p->aliases[i].name, name) == 0)
			return (int32_t)p->aliases[i].type;
	return -1;
}

int32_t pl_find_role(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nroles; i++)
		if (strcmp(p->roles[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t pl_find_user(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nusers; i++)
		if (strcmp(p->users[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t pl_find_bool(const pl_policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->nbools; i++)
		if (strcmp(p->bools[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}
