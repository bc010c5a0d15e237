#include "diag.h"

#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>

#include "linemap.h"

void sd_diag_init(struct sd_diag *d, const char *file, sd_diag_sink sink, void *ctx)
{
	d->file = file;
	d->lines = NULL;
	d->fdt = NULL;
	d->errors = 0;
	d->max_errors = SD_DEFAULT_MAX_ERRORS;
	d->sink = sink;
	d->ctx = ctx;
}

static void emit(struct sd_diag *d, const char *msg)
{
	if (d->sink)
		d->sink(d->ctx, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

void sd_error(struct sd_diag *d, int node, const char *prop, const char *fmt, ...)
{
	d->errors++;
	if (d->errors > d->max_errors) {
		if (d->errors == d->max_errors + 1) {
			char msg[512];
			snprintf(msg, sizeof(msg), "%s: error: too many errors, stopping after %u",
				 d->file, d->max_errors);
			emit(d, msg);
		}
		return;
	}

	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);

	char path[512];
	int have_path = node >= 0 && d->fdt && fdt_get_path(d->fdt, node, path, sizeof(path)) == 0;
	const char *file = NULL;
	unsigned line = 0;
	int located = have_path && (sd_linemap_find(d->lines, path, prop, &file, &line) == 0 ||
				    sd_linemap_find(d->lines, path, NULL, &file, &line) == 0);

	char msg[1200];
	if (located)
		snprintf(msg, sizeof(msg), "%s:%u: error: %s", file, line, text);
	else if (have_path)
		snprintf(msg, sizeof(msg), "%s: error: %s%s%s: %s", d->file, path,
			 prop ? ":" : "", prop ? prop : "", text);
	else
		snprintf(msg, sizeof(msg), "%s: error: %s", d->file, text);
	emit(d, msg);
}
