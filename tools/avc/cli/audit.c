/* audit: reads the device's AVC records (build/run/audit.log, a console
 * capture, or stdin) and summarises them or explains each denial against
 * a binary policy, as SELinux's aureport and audit2why do.
 *
 *   audit summary [LOG]
 *   audit explain [LOG] -p POLICY.bin [--bool NAME=VALUE]...
 *
 * LOG "-" or absent: stdin.  Lines that are not records are skipped in
 * silence; a line that announces a record but does not hold a whole one is
 * reported on stderr with its line number and skipped.
 *
 * Exit status: 0 every record line was read; 1 some lines were malformed
 * (the rest were still summarised or explained); 2 usage, I/O, memory or
 * policy errors (an unreadable or corrupt binary policy, an unknown
 * boolean). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avc_parse.h"
#include "changes.h"
#include "report.h"
#include "tally.h"
#include "policy/policy_file.h"

static const char usage_text[] =
	"usage: audit summary [LOG]\n"
	"       audit explain [LOG] -p POLICY.bin [--bool NAME=VALUE]...\n"
	"LOG is an audit log or console capture; - or nothing reads stdin.\n"
	"Exit status: 0 ok, 1 malformed record lines were skipped, 2 usage, I/O or policy errors.\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "audit: %s\n", why);
	fputs(usage_text, stderr);
	return 2;
}

void oom(void)
{
	fprintf(stderr, "audit: out of memory\n");
	exit(2);
}

/* ---- reading the log ---- */

typedef void (*record_fn)(const avc_record *r, uint64_t line, void *arg);

/* Returns 0, or -1 on a read error (reported).  Policy changes the log
 * shows go to ch. */
static int read_log(FILE *f, const char *name, record_fn fn, void *arg, totals *tot, changes *ch)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&buf, &cap, f)) >= 0) {
		tot->lines++;
		size_t len = (size_t)n;
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			len--;
		avc_record r;
		const char *why;
		int rc = avc_parse_line(buf, len, &r, &why);
		if (rc == AVC_MALFORMED) {
			tot->malformed++;
			fprintf(stderr, "%s:%llu: malformed AVC record, skipped: %s\n", name,
				(unsigned long long)tot->lines, why);
			continue;
		}
		if (changes_note(ch, buf, len, rc == AVC_RECORD ? &r : NULL, tot->lines) < 0)
			oom();
		if (rc != AVC_RECORD)
			continue;
		tot->records[r.kind]++;
		if (r.kind == AVC_SUPPRESSED)
			tot->suppressed += r.count;
		else if (r.kind == AVC_LOST)
			tot->lost += r.count;
		if (r.kind == AVC_DENIED) {
			tot->denied_enforcing += r.permissive == 0;
			tot->denied_permissive += r.permissive == 1;
		}
		fn(&r, tot->lines, arg);
	}
	int err = ferror(f);
	free(buf);
	if (err) {
		fprintf(stderr, "audit: error reading %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

static int parse_bool_value(const char *s, bool *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "off")) {
		*out = false;
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage("no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	bool explain = !strcmp(argv[1], "explain");
	if (!explain && strcmp(argv[1], "summary"))
		return usage("the command is summary or explain");
	const char *log = NULL, *policy = NULL;
	const char *bools[256];
	int nbools = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (explain && (!strcmp(a, "-p") || !strcmp(a, "--policy"))) {
			if (++i >= argc)
				return usage("-p needs a binary policy");
			policy = argv[i];
		} else if (explain && !strcmp(a, "--bool")) {
			if (++i >= argc)
				return usage("--bool needs NAME=VALUE");
			if (nbools == (int)(sizeof bools / sizeof *bools))
				return usage("too many --bool options");
			bools[nbools++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "audit: unknown option '%s'\n", a);
			return usage(NULL);
		} else if (!log) {
			log = a;
		} else {
			return usage("more than one log given");
		}
	}
	if (explain && !policy)
		return usage("explain needs -p POLICY.bin (the policy to explain against)");

	void *buf = NULL, *mem = NULL;
	pl_view v;
	pl_state st;
	if (explain) {
		pl_load_error err;
		switch (pl_policy_file_load(policy, &v, &st, &buf, &mem, &err)) {
		case PL_FILE_OK:
			break;
		case PL_FILE_UNREADABLE:
			fprintf(stderr, "audit: cannot read %s: %s\n", policy, strerror(errno));
			return 2;
		case PL_FILE_CORRUPT:
			fprintf(stderr, "audit: %s: corrupt binary policy: %s (at byte %u)\n", policy, err.msg, err.offset);
			return 2;
		case PL_FILE_NO_MEMORY:
			oom();
		}
		for (int i = 0; i < nbools; i++) {
			const char *eq = strchr(bools[i], '=');
			bool value;
			if (!eq || parse_bool_value(eq + 1, &value) < 0) {
				free(mem);
				free(buf);
				return usage("--bool wants NAME=VALUE with VALUE true, false, 1 or 0");
			}
			int32_t b = pl_find_bool_n(&v, bools[i], (size_t)(eq - bools[i]));
			if (b < 0) {
				fprintf(stderr, "audit: %s has no boolean '%.*s'\n", policy, (int)(eq - bools[i]), bools[i]);
				free(mem);
				free(buf);
				return 2;
			}
			pl_state_set_bool(&st, (uint32_t)b, value);
		}
	}

	FILE *in = stdin;
	const char *name = "<stdin>";
	if (log && strcmp(log, "-")) {
		in = fopen(log, "r");
		name = log;
		if (!in) {
			fprintf(stderr, "audit: cannot open %s: %s\n", log, strerror(errno));
			free(mem);
			free(buf);
			return 2;
		}
	}
	totals tot;
	memset(&tot, 0, sizeof tot);
	tally t;
	tally_init(&t);
	changes ch = {0};
	int rc = read_log(in, name, explain ? explain_record : summary_record, &t, &tot, &ch);
	if (in != stdin)
		fclose(in);
	if (rc == 0) {
		if (explain)
			run_explain(stdout, &v, &st, &t, &ch);
		else
			print_summary(stdout, name, &tot, &t);
	}
	tally_free(&t);
	changes_free(&ch);
	free(mem);
	free(buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "audit: error writing the output\n");
		return 2;
	}
	return rc < 0 ? 2 : tot.malformed ? 1 : 0;
}
