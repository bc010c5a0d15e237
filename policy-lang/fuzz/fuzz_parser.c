/* libFuzzer target: the whole front end (lexer, parser, checker) on one
 * policy.conf source, without m4.  Any input must give a policy or errors,
 * never a crash, a hang or a sanitizer report. */
#include <stddef.h>
#include <stdint.h>

#include "policy/compiler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_diag diag;
	pl_diag_init(&diag, NULL);
	pl_policy p;
	pl_compile_string("fuzz.conf", (const char *)data, size, &diag, &p);
	pl_policy_free(&p);
	return 0;
}
