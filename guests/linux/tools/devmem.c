#include "devmem.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>

/* Device-tree cells are big-endian. */
static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

enum devmem_find devmem_find_node(const char *prefix, unsigned pairs, uint64_t addr[], uint64_t size[],
				  char *path, size_t path_size)
{
	if (path_size)
		path[0] = '\0';
	if (pairs == 0 || pairs > DEVMEM_MAX_PAIRS || path_size == 0)
		return DEVMEM_BAD_REG;
	DIR *d = opendir(DEVMEM_DT_ROOT);
	if (!d)
		return DEVMEM_NO_TREE;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
			snprintf(path, path_size, "%s/%s/reg", DEVMEM_DT_ROOT, e->d_name);
			break;
		}
	closedir(d);
	if (!path[0])
		return DEVMEM_NO_NODE;
	uint8_t reg[16 * DEVMEM_MAX_PAIRS];
	size_t want = 16 * (size_t)pairs;
	FILE *f = fopen(path, "rb");
	if (!f)
		return DEVMEM_BAD_REG;
	size_t got = fread(reg, 1, want, f);
	fclose(f);
	if (got != want)
		return DEVMEM_BAD_REG;
	for (unsigned i = 0; i < pairs; i++) {
		addr[i] = be64(reg + 16 * i);
		size[i] = be64(reg + 16 * i + 8);
	}
	return DEVMEM_FOUND;
}

volatile void *devmem_map(int fd, uint64_t addr, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)addr);
	return p == MAP_FAILED ? NULL : p;
}
