/* Writer knobs that tests and benchmarks may turn; the defaults are what
 * polc uses and docs/POLICY-BINARY.md justifies. */
#ifndef POLICY_BINARY_TUNING_H
#define POLICY_BINARY_TUNING_H

#include <stdint.h>

/* Largest number of (source type, target type, class) entries the writer
 * will expand attribute rules into; larger policies keep attribute keys.
 * The environment variable PL_BINARY_EXPAND_LIMIT can lower it (tests use 0
 * to run every policy through the attribute-keyed layout). */
#define PL_BINARY_EXPAND_LIMIT (1u << 21)
extern uint32_t pl_binary_expand_limit;

#endif
