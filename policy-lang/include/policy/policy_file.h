/* Loading a compiled (binary) policy file on the host, for the tools that
 * answer questions about one (polq, audit explain): the file read whole,
 * validated into a view, with a state of its booleans at their defaults.
 * Each tool words its own messages, so this returns what went wrong. */
#ifndef POLICY_POLICY_FILE_H
#define POLICY_POLICY_FILE_H

#include <stddef.h>

#include "policy/engine.h"

/* The whole of `path` in a malloc'ed buffer (whose alignment suits the
 * reader) and its length; NULL with errno set if it cannot be read. */
void *pl_read_file(const char *path, size_t *len);

enum pl_policy_file {
	PL_FILE_OK,
	PL_FILE_UNREADABLE, /* errno says why */
	PL_FILE_CORRUPT,    /* *err says why and where */
	PL_FILE_NO_MEMORY,
};

/* Reads and validates `path` into *v and a fresh *st.  On PL_FILE_OK the
 * caller owns *buf (the file, which *v points into) and *mem (the
 * state's memory) and frees both when done with them; on anything else
 * both are NULL. */
enum pl_policy_file pl_policy_file_load(const char *path, pl_view *v, pl_state *st, void **buf, void **mem,
					pl_load_error *err);

#endif
