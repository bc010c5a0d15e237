/* "Did you mean ...?" for misspelt names: the candidate nearest to a word
 * by edit distance, when it is close enough to be a typo. */
#ifndef MKIMAGE_SUGGEST_H
#define MKIMAGE_SUGGEST_H

#include <stddef.h>

/* Collects candidates one by one and keeps the nearest to word. */
struct sd_suggest {
	const char *word;
	const char *best;
	size_t best_distance;
};

void sd_suggest_init(struct sd_suggest *s, const char *word);
void sd_suggest_consider(struct sd_suggest *s, const char *candidate);
/* " (did you mean 'x'?)" in buf, or "" when nothing is close. */
const char *sd_suggest_text(const struct sd_suggest *s, char *buf, size_t len);

#endif
