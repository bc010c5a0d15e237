/* Name resolution over a validated view: binary search in the sorted name
 * indices, and security context parsing with libsepol's validity rules. */
#include "policy/engine.h"

const char *pl_strerror(int status)
{
	switch (status) {
	case PL_OK:
		return "ok";
	case PL_E_CORRUPT:
		return "corrupt binary policy";
	case PL_E_CONTEXT_SYNTAX:
		return "malformed context (expected user:role:type)";
	case PL_E_NO_USER:
		return "unknown user";
	case PL_E_NO_ROLE:
		return "unknown role";
	case PL_E_NO_TYPE:
		return "unknown type";
	case PL_E_INVALID_CONTEXT:
		return "invalid context";
	case PL_E_NO_CLASS:
		return "unknown class";
	case PL_E_NO_BOOL:
		return "unknown boolean";
	case PL_E_NOSPACE:
		return "buffer too small";
	case PL_E_RANGE:
		return "index out of range";
	}
	return "unknown error";
}

/* Compares the len-byte key with the NUL-terminated s, as unsigned bytes. */
static int key_cmp(const char *key, size_t len, const char *s)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char a = (unsigned char)key[i], b = (unsigned char)s[i];
		if (b == 0)
			return 1;
		if (a != b)
			return a < b ? -1 : 1;
	}
	return s[len] ? -1 : 0;
}

/* Records start with their name's string offset (see binary_format.h). */
static int32_t search(const pl_view *v, const uint32_t *idx, uint32_t n, const void *table,
		      size_t stride, const char *name, size_t len)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t off = *(const uint32_t *)((const uint8_t *)table + (size_t)idx[mid] * stride);
		int c = key_cmp(name, len, v->strings + off);
		if (c == 0)
			return (int32_t)idx[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int32_t pl_find_class_n(const pl_view *v, const char *name, size_t len)
{
	return search(v, v->class_idx, v->nclasses, v->classes, sizeof *v->classes, name, len);
}

int32_t pl_find_type_n(const pl_view *v, const char *name, size_t len)
{
	int32_t t = search(v, v->type_idx, v->ntypes, v->types, sizeof *v->types, name, len);
	if (t >= 0)
		return t;
	int32_t a = search(v, v->alias_idx, v->naliases, v->aliases, sizeof *v->aliases, name, len);
	return a >= 0 ? (int32_t)v->aliases[a].type : -1;
}

int32_t pl_find_role_n(const pl_view *v, const char *name, size_t len)
{
	return search(v, v->role_idx, v->nroles, v->roles, sizeof *v->roles, name, len);
}

int32_t pl_find_user_n(const pl_view *v, const char *name, size_t len)
{
	return search(v, v->user_idx, v->nusers, v->users, sizeof *v->users, name, len);
}

int32_t pl_find_bool_n(const pl_view *v, const char *name, size_t len)
{
	return search(v, v->bool_idx, v->nbools, v->bools, sizeof *v->bools, name, len);
}

/* Classes have at most 32 permissions: a linear scan is the fast way. */
int32_t pl_find_perm_n(const pl_view *v, uint32_t cls, const char *name, size_t len)
{
	if (cls >= v->nclasses)
		return -1;
	const pl_bin_class *c = &v->classes[cls];
	for (uint32_t k = 0; k < c->nperms; k++)
		if (key_cmp(name, len, v->strings + v->permnames[c->perm_first + k]) == 0)
			return (int32_t)k;
	return -1;
}

static bool bit(const uint32_t *words, uint32_t i)
{
	return (words[i / 32] >> (i % 32)) & 1;
}

bool pl_role_has_type(const pl_view *v, uint32_t role, uint32_t type)
{
	return role < v->nroles && type < v->ntypes && bit(v->bitmaps + v->roles[role].types, type);
}

bool pl_context_valid(const pl_view *v, const pl_ctx *c)
{
	if (c->user >= v->nusers || c->role >= v->nroles || c->type >= v->ntypes)
		return false;
	if (c->role == PL_BIN_OBJECT_R)
		return true;
	return bit(v->bitmaps + v->roles[c->role].types, c->type) &&
	       bit(v->bitmaps + v->users[c->user].roles, c->role);
}

int pl_context_parse_n(const pl_view *v, const char *str, size_t len, pl_ctx *out)
{
	size_t colon[2], n = 0;
	for (size_t i = 0; i < len; i++) {
		if (str[i] == '\0')
			return PL_E_CONTEXT_SYNTAX;
		if (str[i] == ':') {
			if (n == 2)
				return PL_E_CONTEXT_SYNTAX; /* an MLS part: not supported */
			colon[n++] = i;
		}
	}
	if (n != 2 || colon[0] == 0 || colon[1] == colon[0] + 1 || colon[1] + 1 == len)
		return PL_E_CONTEXT_SYNTAX;
	int32_t u = pl_find_user_n(v, str, colon[0]);
	int32_t r = pl_find_role_n(v, str + colon[0] + 1, colon[1] - colon[0] - 1);
	int32_t t = pl_find_type_n(v, str + colon[1] + 1, len - colon[1] - 1);
	/* Reported in libsepol's order: user, role, then type. */
	if (u < 0)
		return PL_E_NO_USER;
	if (r < 0)
		return PL_E_NO_ROLE;
	if (t < 0 || (v->types[t].flags & PL_BIN_TYPE_ATTR))
		return PL_E_NO_TYPE;
	pl_ctx c = {(uint32_t)u, (uint32_t)r, (uint32_t)t};
	*out = c;
	return pl_context_valid(v, &c) ? PL_OK : PL_E_INVALID_CONTEXT;
}

int pl_context_parse(const pl_view *v, const char *str, pl_ctx *out)
{
	return pl_context_parse_n(v, str, pl_strlen(str), out);
}

const char *pl_class_name(const pl_view *v, uint32_t cls)
{
	return cls < v->nclasses ? v->strings + v->classes[cls].name : "";
}

uint32_t pl_class_nperms(const pl_view *v, uint32_t cls)
{
	return cls < v->nclasses ? v->classes[cls].nperms : 0;
}

const char *pl_perm_name(const pl_view *v, uint32_t cls, uint32_t b)
{
	if (cls >= v->nclasses || b >= v->classes[cls].nperms)
		return "";
	return v->strings + v->permnames[v->classes[cls].perm_first + b];
}

const char *pl_type_name(const pl_view *v, uint32_t type)
{
	return type < v->ntypes ? v->strings + v->types[type].name : "";
}

bool pl_type_is_attr(const pl_view *v, uint32_t type)
{
	return type < v->ntypes && (v->types[type].flags & PL_BIN_TYPE_ATTR);
}

const char *pl_role_name(const pl_view *v, uint32_t role)
{
	return role < v->nroles ? v->strings + v->roles[role].name : "";
}

const char *pl_user_name(const pl_view *v, uint32_t user)
{
	return user < v->nusers ? v->strings + v->users[user].name : "";
}

const char *pl_bool_name(const pl_view *v, uint32_t b)
{
	return b < v->nbools ? v->strings + v->bools[b].name : "";
}
