/* A one-way line log in shared memory, between a writer that must never
 * wait for anybody (policyd: its own printing must not depend on the
 * console, whose first decisions wait for policyd) and a reader that
 * prints (the console driver).
 *
 * The writer never looks at the reader: when the reader lags by a whole
 * ring, the writer overwrites the oldest lines.  Every slot carries the
 * number of the line in it, so the reader tells a line it has not seen
 * from one that replaced it, and counts what it lost.  The reader maps the
 * region read-only, so it cannot disturb the writer either; whatever it
 * finds there (a writer may be mid-line) is checked before it is used.
 * One writer only: policyd is single-threaded. */
#ifndef BW_LOGRING_H
#define BW_LOGRING_H

#include <stddef.h>
#include <stdint.h>

#define BW_LOGRING_MAGIC 0x31676e69724c4f4cull /* "LOLring1" */
#define BW_LOGRING_TEXT 248                     /* bytes of a line, NUL included */

struct bw_logring_slot {
	uint64_t seq; /* line number + 1 once complete; 0 while written */
	char text[BW_LOGRING_TEXT];
};

struct bw_logring {
	uint64_t magic;
	uint64_t nslots;
	uint64_t written; /* lines ever completed; published after the slot */
	uint64_t reserved[29];
	struct bw_logring_slot slot[];
};

/* How many slots a region of `bytes` holds (0: too small). */
static inline uint64_t bw_logring_capacity(size_t bytes)
{
	if (bytes < sizeof(struct bw_logring) + sizeof(struct bw_logring_slot))
		return 0;
	return (bytes - sizeof(struct bw_logring)) / sizeof(struct bw_logring_slot);
}

/* Writer: take the region over; a log that is already there (a restarted
 * writer) is continued, so the reader sees no jump back. */
static inline void bw_logring_open(struct bw_logring *r, size_t bytes)
{
	uint64_t n = bw_logring_capacity(bytes);
	if (r->magic == BW_LOGRING_MAGIC && r->nslots == n)
		return;
	r->nslots = n;
	__atomic_store_n(&r->written, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->magic, BW_LOGRING_MAGIC, __ATOMIC_RELEASE);
}

/* Writer: one line (without its newline), cut to the slot. */
static inline void bw_logring_put(struct bw_logring *r, const char *s, size_t n)
{
	uint64_t w = r->written;
	struct bw_logring_slot *slot = &r->slot[w % r->nslots];
	__atomic_store_n(&slot->seq, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* invalid before the text changes */
	if (n > BW_LOGRING_TEXT - 1)
		n = BW_LOGRING_TEXT - 1;
	for (size_t i = 0; i < n; i++)
		((volatile char *)slot->text)[i] = s[i];
	((volatile char *)slot->text)[n] = 0;
	__atomic_store_n(&slot->seq, w + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&r->written, w + 1, __ATOMIC_RELEASE);
}

struct bw_logring_reader {
	uint64_t next; /* the next line number to print */
	uint64_t lost; /* lines overwritten before they were read, in all */
};

/* Reader: the next line into out (NUL-terminated; returns its length), or
 * -1 when there is none yet.  `bytes` is the size of the reader's mapping:
 * a header claiming more slots than that is not believed. */
static inline int bw_logring_get(const struct bw_logring *r, size_t bytes, struct bw_logring_reader *rd,
				 char out[BW_LOGRING_TEXT])
{
	uint64_t n = __atomic_load_n(&r->nslots, __ATOMIC_RELAXED);
	if (__atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) != BW_LOGRING_MAGIC || n == 0 ||
	    n > bw_logring_capacity(bytes))
		return -1;
	for (;;) {
		uint64_t w = __atomic_load_n(&r->written, __ATOMIC_ACQUIRE);
		if (w < rd->next)
			rd->next = w; /* a writer that started over */
		if (w == rd->next)
			return -1;
		if (w - rd->next > n) { /* lapped: the oldest are gone */
			rd->lost += w - n - rd->next;
			rd->next = w - n;
		}
		const struct bw_logring_slot *slot = &r->slot[rd->next % n];
		uint64_t seq = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
		int len = 0;
		while (len < BW_LOGRING_TEXT - 1 && ((const volatile char *)slot->text)[len]) {
			out[len] = ((const volatile char *)slot->text)[len];
			len++;
		}
		out[len] = 0;
		__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the text before the re-check */
		uint64_t line = rd->next++;
		if (seq == line + 1 && __atomic_load_n(&slot->seq, __ATOMIC_RELAXED) == seq)
			return len;
		rd->lost++; /* overwritten while (or before) it was read */
	}
}

#endif
