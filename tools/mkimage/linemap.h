/* Source lines for a flattened tree.  A DTB carries no line numbers, so
 * mkimage also asks dtc for the annotated source form (`dtc -O dts -T -T`),
 * whose comments give each node's and property's origin, and keeps that map
 * to locate its errors in the integrator's own file. */
#ifndef MKIMAGE_LINEMAP_H
#define MKIMAGE_LINEMAP_H

#include <stddef.h>

struct sd_linemap;

/* Parses dtc's annotated output (text, len bytes, need not be
 * NUL-terminated).  Returns NULL only when out of memory; lines it does not
 * understand are skipped, so a partial map is still useful. */
struct sd_linemap *sd_linemap_parse(const char *text, size_t len);

void sd_linemap_free(struct sd_linemap *map);

/* Looks up the origin of property prop of the node at path ("/" for the
 * root; prop NULL for the node itself).  Returns 0 and sets *file and *line,
 * or -1 when unknown. */
int sd_linemap_find(const struct sd_linemap *map, const char *path, const char *prop,
		    const char **file, unsigned *line);

/* Number of entries, for tests. */
size_t sd_linemap_size(const struct sd_linemap *map);

#endif
