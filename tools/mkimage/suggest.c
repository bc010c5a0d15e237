#include "suggest.h"

#include <stdio.h>
#include <string.h>

/* Names longer than this are not compared: no integrator misspells those. */
#define MAX_LEN 64

/* Levenshtein distance by one rolling row; both strings <= MAX_LEN. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[MAX_LEN + 1];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

void sd_suggest_init(struct sd_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->best_distance = (size_t)-1;
}

void sd_suggest_consider(struct sd_suggest *s, const char *candidate)
{
	if (!s->word || !candidate || strlen(s->word) > MAX_LEN || strlen(candidate) > MAX_LEN)
		return;
	size_t d = distance(s->word, candidate);
	if (d < s->best_distance) {
		s->best = candidate;
		s->best_distance = d;
	}
}

const char *sd_suggest_text(const struct sd_suggest *s, char *buf, size_t len)
{
	/* A third of the word may be wrong, and at least one letter. */
	size_t limit = strlen(s->word ? s->word : "") / 3;
	if (limit < 1)
		limit = 1;
	if (!s->best || s->best_distance == 0 || s->best_distance > limit) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	snprintf(buf, len, " (did you mean '%s'?)", s->best);
	return buf;
}
