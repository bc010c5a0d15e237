#include "policy/diag.h"

#include <stdarg.h>
#include <string.h>

void pl_diag_init(pl_diag *d, FILE *out)
{
	memset(d, 0, sizeof *d);
	d->out = out;
	d->max_printed = PL_DIAG_MAX_PRINTED;
}

static void emit(pl_diag *d, const char *kind, const char *file, uint32_t line,
		 uint32_t col, const char *fmt, va_list ap, char *keep, size_t keeplen)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	char full[1400];
	/* Truncation of absurdly long names is fine in a message. */
	if (file)
		snprintf(full, sizeof full, "%s:%u:%u: %s: %s", file, line, col, kind, msg);
	else
		snprintf(full, sizeof full, "polc: %s: %s", kind, msg);
	if (keep) {
		size_t n = strlen(full);
		if (n >= keeplen)
			n = keeplen - 1;
		memcpy(keep, full, n);
		keep[n] = '\0';
	}
	if (d->out)
		fprintf(d->out, "%s\n", full);
}

void pl_diag_error(pl_diag *d, const char *file, uint32_t line, uint32_t col,
		   const char *fmt, ...)
{
	d->nerrors++;
	char *keep = d->nerrors == 1 ? d->first_error : NULL;
	va_list ap;
	va_start(ap, fmt);
	if (d->nerrors <= d->max_printed) {
		emit(d, "error", file, line, col, fmt, ap, keep, sizeof d->first_error);
	} else if (keep) {
		FILE *saved = d->out;
		d->out = NULL;
		emit(d, "error", file, line, col, fmt, ap, keep, sizeof d->first_error);
		d->out = saved;
	}
	va_end(ap);
}

void pl_diag_warning(pl_diag *d, const char *file, uint32_t line, uint32_t col,
		     const char *fmt, ...)
{
	d->nwarnings++;
	va_list ap;
	va_start(ap, fmt);
	/* Warnings share the error budget's spirit: a flood helps nobody. */
	if (d->nwarnings <= d->max_printed)
		emit(d, "warning", file, line, col, fmt, ap, NULL, 0);
	va_end(ap);
}

void pl_diag_finish(pl_diag *d)
{
	if (d->out && d->nerrors > d->max_printed)
		fprintf(d->out, "polc: %u more errors not shown (%u in total)\n",
			d->nerrors - d->max_printed, d->nerrors);
}
