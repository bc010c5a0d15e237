/* Error reporting for the system description: bounded, continuing after
 * each error, and located as FILE:LINE whenever the line map knows the node
 * or property. */
#ifndef MKIMAGE_DIAG_H
#define MKIMAGE_DIAG_H

#include <stddef.h>

struct sd_linemap;

/* Receives each finished message, one line without the newline. */
typedef void (*sd_diag_sink)(void *ctx, const char *msg);

struct sd_diag {
	const char *file;               /* the description, for unlocated errors */
	const struct sd_linemap *lines; /* may be NULL */
	const void *fdt;                /* to turn node offsets into paths */
	unsigned errors;
	unsigned max_errors; /* after this many, one "too many errors" line */
	sd_diag_sink sink;   /* NULL: standard error */
	void *ctx;
};

#define SD_DEFAULT_MAX_ERRORS 50u

void sd_diag_init(struct sd_diag *d, const char *file, sd_diag_sink sink, void *ctx);

/* Reports an error about property prop (or the node itself when prop is
 * NULL) of the node at offset node in d->fdt; node < 0 locates the error at
 * the file only. */
void sd_error(struct sd_diag *d, int node, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
