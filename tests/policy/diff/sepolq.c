/* sepolq: the reference answers for the differential suite.
 *
 * It speaks polq's query language and prints polq's answer format, but every
 * decision comes from libsepol itself (sepol_compute_av, sepol_transition_sid)
 * on a policy compiled by checkpolicy.  Any logic added here would be logic
 * the oracle could share with polq by mistake, so this file only translates
 * between text and libsepol's calls. */
/* No <stdbool.h>: libsepol's conditional.h has a struct member named bool. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/debug.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/hashtab.h>
#include <sepol/policydb/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/policydb/sidtab.h>

#define MAX_PERMS 32
#define LINE_MAX_LEN 4096

static policydb_t pdb;
static sidtab_t sids;

/* Permission names per class, indexed by bit, so answers print in bit order
 * without the padding sepol_av_perm_to_string adds. */
static const char *(*perm_names)[MAX_PERMS];
static uint32_t *class_masks;

static void usage(void)
{
	fprintf(stderr,
		"usage: sepolq POLICY.bin [--bool NAME=VALUE]... --batch\n"
		"       sepolq POLICY.bin [--bool NAME=VALUE]... --create --batch\n"
		"       sepolq POLICY.bin [--bool NAME=VALUE]... [--create] SCONTEXT TCONTEXT CLASS\n");
	exit(2);
}

static int record_perm(hashtab_key_t key, hashtab_datum_t datum, void *arg)
{
	const char **names = arg;
	const perm_datum_t *perm = datum;

	if (perm->s.value >= 1 && perm->s.value <= MAX_PERMS)
		names[perm->s.value - 1] = key;
	return 0;
}

static int index_permissions(void)
{
	uint32_t nclasses = pdb.p_classes.nprim;

	perm_names = calloc(nclasses ? nclasses : 1, sizeof(*perm_names));
	class_masks = calloc(nclasses ? nclasses : 1, sizeof(*class_masks));
	if (!perm_names || !class_masks)
		return -1;
	for (uint32_t c = 0; c < nclasses; c++) {
		class_datum_t *cls = pdb.class_val_to_struct[c];

		if (!cls)
			continue;
		if (cls->comdatum)
			hashtab_map(cls->comdatum->permissions.table, record_perm, perm_names[c]);
		hashtab_map(cls->permissions.table, record_perm, perm_names[c]);
		for (uint32_t b = 0; b < MAX_PERMS; b++)
			if (perm_names[c][b])
				class_masks[c] |= UINT32_C(1) << b;
	}
	return 0;
}

static int load_policy(const char *path)
{
	struct policy_file pf;
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		fprintf(stderr, "sepolq: %s: %s\n", path, strerror(errno));
		return -1;
	}
	policy_file_init(&pf);
	pf.type = PF_USE_STDIO;
	pf.fp = fp;
	if (policydb_init(&pdb) || policydb_read(&pdb, &pf, 0)) {
		fprintf(stderr, "sepolq: %s: libsepol cannot read this policy\n", path);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	sepol_set_policydb(&pdb);
	if (sepol_sidtab_init(&sids))
		return -1;
	sepol_set_sidtab(&sids);
	return index_permissions();
}

static int parse_bool_value(const char *v, int *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off")) {
		*out = 0;
		return 0;
	}
	return -1;
}

/* Changes a boolean as setsebool would; the caller re-evaluates the
 * conditionals once all flips are applied. */
static int set_bool(const char *assignment)
{
	char name[256];
	const char *eq = strchr(assignment, '=');
	cond_bool_datum_t *b;
	int value;

	if (!eq || (size_t)(eq - assignment) >= sizeof(name) || eq == assignment) {
		fprintf(stderr, "sepolq: --bool wants NAME=VALUE, got '%s'\n", assignment);
		return -1;
	}
	memcpy(name, assignment, (size_t)(eq - assignment));
	name[eq - assignment] = '\0';
	if (parse_bool_value(eq + 1, &value)) {
		fprintf(stderr, "sepolq: --bool %s: value must be true/false/1/0\n", name);
		return -1;
	}
	b = hashtab_search(pdb.p_bools.table, name);
	if (!b) {
		fprintf(stderr, "sepolq: --bool %s: no such boolean\n", name);
		return -1;
	}
	b->state = value;
	return 0;
}

static void print_set(const char *label, uint32_t cls_index, uint32_t bits)
{
	printf("%s= {", label);
	for (uint32_t b = 0; b < MAX_PERMS; b++)
		if ((bits >> b) & 1)
			printf(" %s", perm_names[cls_index][b]);
	printf(" }");
}

/* Splits a query line into exactly three whitespace-separated words. */
static int split_query(char *line, char *words[3])
{
	int n = 0;

	for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (n == 3)
			return -1;
		words[n++] = tok;
	}
	return n == 3 ? 0 : -1;
}

static int lookup(char *words[3], sepol_security_id_t *ssid, sepol_security_id_t *tsid,
		  sepol_security_class_t *cls, const char **why)
{
	if (sepol_context_to_sid(words[0], strlen(words[0]), ssid) < 0) {
		*why = "invalid source context";
		return -1;
	}
	if (sepol_context_to_sid(words[1], strlen(words[1]), tsid) < 0) {
		*why = "invalid target context";
		return -1;
	}
	if (sepol_string_to_security_class(words[2], cls) < 0) {
		*why = "unknown class";
		return -1;
	}
	return 0;
}

/* Answers one query on stdout; returns 0 on an answer, -1 on an error line. */
static int answer(char *line, int create)
{
	char *words[3];
	sepol_security_id_t ssid, tsid;
	sepol_security_class_t cls;
	const char *why = NULL;

	if (split_query(line, words)) {
		printf("error: malformed query (want SCONTEXT TCONTEXT CLASS)\n");
		return -1;
	}
	if (lookup(words, &ssid, &tsid, &cls, &why)) {
		printf("error: %s\n", why);
		return -1;
	}
	if (create) {
		sepol_security_id_t newsid;
		char *ctx = NULL;
		size_t len = 0;

		if (sepol_transition_sid(ssid, tsid, cls, &newsid) < 0) {
			printf("error: libsepol refuses the new context\n");
			return -1;
		}
		if (sepol_sid_to_context(newsid, &ctx, &len) < 0) {
			printf("error: libsepol cannot name the new context\n");
			return -1;
		}
		printf("%s\n", ctx);
		free(ctx);
		return 0;
	}

	struct sepol_av_decision avd;

	if (sepol_compute_av(ssid, tsid, cls, 0, &avd) < 0) {
		printf("error: libsepol cannot decide\n");
		return -1;
	}
	/* libsepol starts auditdeny with all 32 bits and `*` rules store ~0, so
	 * only the class's own permissions are meaningful in any vector. */
	uint32_t mask = class_masks[cls - 1];
	print_set("allowed", cls - 1, avd.allowed & mask);
	putchar(' ');
	print_set("auditallow", cls - 1, avd.auditallow & mask);
	putchar(' ');
	print_set("auditdeny", cls - 1, avd.auditdeny & mask);
	putchar('\n');
	return 0;
}

static int run_batch(int create)
{
	char line[LINE_MAX_LEN];

	while (fgets(line, sizeof(line), stdin)) {
		if (!strchr(line, '\n') && !feof(stdin)) {
			int c;
			while ((c = getchar()) != EOF && c != '\n')
				;
			printf("error: query line too long\n");
			continue;
		}
		answer(line, create);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int batch = 0, create = 0;
	int i = 2;

	if (argc < 3)
		usage();
	sepol_debug(0);
	if (load_policy(argv[1]))
		return 2;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--batch")) {
			batch = 1;
		} else if (!strcmp(argv[i], "--create")) {
			create = 1;
		} else if (!strcmp(argv[i], "--bool") && i + 1 < argc) {
			if (set_bool(argv[++i]))
				return 2;
		} else {
			usage();
		}
	}
	if (evaluate_conds(&pdb)) {
		fprintf(stderr, "sepolq: cannot evaluate the conditionals\n");
		return 2;
	}
	if (batch) {
		if (i != argc)
			usage();
		return run_batch(create);
	}
	if (argc - i != 3)
		usage();

	char line[LINE_MAX_LEN];
	snprintf(line, sizeof(line), "%s %s %s", argv[i], argv[i + 1], argv[i + 2]);
	return answer(line, create) ? 1 : 0;
}
