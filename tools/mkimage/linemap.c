/* Reads dtc's annotated source output.  Each interesting line is a node
 * opening "name {", a property "prop = value;" or "prop;", or a node closing
 * "};", optionally after labels, and ends with a comment holding the origin
 * "FILE:LINE:COL-LINE:COL".  dtc writes one node or property per line, so a
 * line-oriented reader with a stack of node names is enough. */
#include "linemap.h"

#include <stdlib.h>
#include <string.h>

struct sd_lineentry {
	char *path;
	char *prop; /* NULL for the node itself */
	char *file;
	unsigned line;
};

struct sd_linemap {
	struct sd_lineentry *entries;
	size_t count, cap;
};

/* Bounds the nesting the reader follows; deeper nodes are still counted so
 * that the closing braces match up. */
#define MAX_DEPTH 64

static char *dup_range(const char *s, size_t n)
{
	char *r = malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

/* Splits "FILE:LINE:COL-..." into file and line.  Returns 0 on success. */
static int parse_location(const char *s, size_t n, const char **file, size_t *file_len,
			  unsigned *line)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ':' || i == 0)
			continue;
		size_t j = i + 1;
		unsigned long v = 0;
		while (j < n && s[j] >= '0' && s[j] <= '9' && v < 100000000ul)
			v = v * 10 + (unsigned long)(s[j++] - '0');
		if (j == i + 1 || j >= n || (s[j] != ':' && s[j] != '-'))
			continue;
		*file = s;
		*file_len = i;
		*line = (unsigned)v;
		return 0;
	}
	return -1;
}

static int add_entry(struct sd_linemap *m, const char *path, const char *prop, size_t prop_len,
		     const char *file, size_t file_len, unsigned line)
{
	if (m->count == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct sd_lineentry *e = realloc(m->entries, cap * sizeof(*e));
		if (!e)
			return -1;
		m->entries = e;
		m->cap = cap;
	}
	struct sd_lineentry *e = &m->entries[m->count];
	e->path = strdup(path);
	e->prop = prop ? dup_range(prop, prop_len) : NULL;
	e->file = dup_range(file, file_len);
	e->line = line;
	if (!e->path || !e->file || (prop && !e->prop)) {
		free(e->path);
		free(e->prop);
		free(e->file);
		return -1;
	}
	m->count++;
	return 0;
}

/* The last whitespace-separated token of s[0..n), skipping "label:" tokens. */
static void last_token(const char *s, size_t n, const char **tok, size_t *tok_len)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	size_t start = n;
	while (start > 0 && s[start - 1] != ' ' && s[start - 1] != '\t')
		start--;
	*tok = s + start;
	*tok_len = n - start;
}

/* The first token of a property line that is not a label. */
static void prop_name(const char *s, size_t n, const char **tok, size_t *tok_len)
{
	size_t i = 0;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '=' && s[i] != ';')
			i++;
		if (i > start && s[i - 1] == ':' && i < n) {
			continue;
		}
		*tok = s + start;
		*tok_len = i - start;
		return;
	}
}

static int parse_line(struct sd_linemap *m, const char *s, size_t n, char *path, size_t path_cap,
		      size_t *seg_end, int *depth)
{
	/* The annotation is the last comment on the line; lines without one
	 * still open and close nodes. */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	const char *loc = NULL;
	size_t loc_len = 0;
	size_t body = n;
	if (n >= 6 && memcmp(s + n - 3, " */", 3) == 0) {
		size_t c = n - 3;
		for (size_t i = c; i >= 2; i--) {
			if (s[i - 2] == '/' && s[i - 1] == '*' && s[i] == ' ') {
				loc = s + i + 1;
				loc_len = c - (i + 1);
				body = i - 2;
				break;
			}
		}
	}
	while (body > 0 && (s[body - 1] == ' ' || s[body - 1] == '\t'))
		body--;
	if (body == 0)
		return 0;

	const char *file = NULL;
	size_t file_len = 0;
	unsigned line = 0;
	int located = loc && parse_location(loc, loc_len, &file, &file_len, &line) == 0;

	if (s[body - 1] == '{') {
		const char *name;
		size_t name_len;
		last_token(s, body - 1, &name, &name_len);
		if (*depth < MAX_DEPTH) {
			size_t base = *depth == 0 ? 0 : seg_end[*depth - 1];
			int is_root = name_len == 1 && name[0] == '/';
			size_t need = base + 1 + name_len + 1;
			if (need > path_cap)
				return 0;
			if (is_root) {
				path[0] = '/';
				path[1] = '\0';
				seg_end[*depth] = 0; /* children append "/name" to "" */
			} else {
				path[base] = '/';
				memcpy(path + base + 1, name, name_len);
				path[base + 1 + name_len] = '\0';
				seg_end[*depth] = base + 1 + name_len;
			}
			if (located && add_entry(m, path, NULL, 0, file, file_len, line) < 0)
				return -1;
		}
		(*depth)++;
		return 0;
	}
	if (body >= 2 && s[body - 2] == '}' && s[body - 1] == ';') {
		if (*depth > 0)
			(*depth)--;
		return 0;
	}
	if (s[body - 1] == ';' && located && *depth > 0 && *depth <= MAX_DEPTH) {
		const char *name;
		size_t name_len;
		prop_name(s, body - 1, &name, &name_len);
		if (name_len == 0)
			return 0;
		size_t end = seg_end[*depth - 1];
		char saved = path[end];
		path[end] = '\0';
		int rc = add_entry(m, end == 0 ? "/" : path, name, name_len, file, file_len, line);
		path[end] = saved;
		return rc;
	}
	return 0;
}

struct sd_linemap *sd_linemap_parse(const char *text, size_t len)
{
	struct sd_linemap *m = calloc(1, sizeof(*m));
	char *path = malloc(4096);
	size_t seg_end[MAX_DEPTH];
	int depth = 0;
	if (!m || !path) {
		free(m);
		free(path);
		return NULL;
	}
	path[0] = '\0';
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		if (parse_line(m, text + i, j - i, path, 4096, seg_end, &depth) < 0) {
			free(path);
			sd_linemap_free(m);
			return NULL;
		}
		i = j + 1;
	}
	free(path);
	return m;
}

void sd_linemap_free(struct sd_linemap *map)
{
	if (!map)
		return;
	for (size_t i = 0; i < map->count; i++) {
		free(map->entries[i].path);
		free(map->entries[i].prop);
		free(map->entries[i].file);
	}
	free(map->entries);
	free(map);
}

int sd_linemap_find(const struct sd_linemap *map, const char *path, const char *prop,
		    const char **file, unsigned *line)
{
	if (!map || !path)
		return -1;
	for (size_t i = 0; i < map->count; i++) {
		const struct sd_lineentry *e = &map->entries[i];
		if (strcmp(e->path, path) != 0)
			continue;
		if ((prop == NULL) != (e->prop == NULL))
			continue;
		if (prop && strcmp(prop, e->prop) != 0)
			continue;
		*file = e->file;
		*line = e->line;
		return 0;
	}
	return -1;
}

size_t sd_linemap_size(const struct sd_linemap *map)
{
	return map ? map->count : 0;
}
