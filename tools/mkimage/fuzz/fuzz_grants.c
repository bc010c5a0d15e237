/* libFuzzer target: arbitrary bytes as a DTB through the description reader
 * and then the policy checks (contexts and grants) against a fixed compiled
 * policy, the way `mkimage -p` runs them: also after the reader has found
 * errors, on a partly filled description.  Any crash, sanitizer report or
 * leak is a bug: bad input must only produce errors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "policy/binary.h"
#include "policy/compiler.h"
#include "policycheck.h"
#include "sysdesc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The domains and types of tests/mkimage/policy/grants.conf (the seeds'
 * policy), so that seeds reach both allowed and denied grants. */
static const char policy_text[] =
	"class process\nclass ipc\nclass notification\nclass shm\nclass device\nclass handle\n"
	"class vm\nsid kernel\n"
	"common kobject { create destroy getattr }\n"
	"class process inherits kobject { transition manage }\n"
	"class ipc inherits kobject { send call receive grant }\n"
	"class notification inherits kobject { signal wait }\n"
	"class shm inherits kobject { map_read map_write map_exec }\n"
	"class device { map_mmio bind_irq }\n"
	"class handle { transfer }\n"
	"class vm inherits kobject { run inject_irq map_guest }\n"
	"type kernel_t;\ntype client_t;\ntype server_t;\ntype driver_t;\ntype vmm_t;\n"
	"type guest_t;\ntype permissive_t;\npermissive permissive_t;\n"
	"type ep_t;\ntype irq_t;\ntype ring_t;\ntype uart_t;\ntype ram_t;\n"
	"allow server_t ep_t:ipc { receive };\nallow client_t ep_t:ipc { call };\n"
	"allow server_t irq_t:notification { wait };\nallow server_t ring_t:shm { map_read };\n"
	"allow driver_t uart_t:device { map_mmio };\n"
	"allow vmm_t ram_t:shm { map_read map_write };\n"
	"allow guest_t ram_t:shm { map_read map_write };\n"
	"role system_r;\nrole object_r;\n"
	"role system_r types { kernel_t client_t server_t driver_t vmm_t guest_t permissive_t };\n"
	"role object_r types { ep_t irq_t ring_t uart_t ram_t };\n"
	"user system_u roles { system_r object_r };\n"
	"sid kernel system_u:system_r:kernel_t\n";

static uint8_t *policy;
static size_t policy_len;

static void discard(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static void compile_policy(void)
{
	pl_diag diag;
	pl_diag_init(&diag, NULL);
	pl_policy p;
	char err[200];
	if (pl_compile_string("grants.conf", policy_text, sizeof(policy_text) - 1, &diag, &p) != 0 ||
	    pl_binary_write(&p, &policy, &policy_len, err, sizeof(err)) != 0)
		abort(); /* the fuzzer's own policy must compile */
	pl_policy_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!policy)
		compile_policy();
	/* A private copy: the reader keeps pointers into the blob. */
	uint8_t *blob = malloc(size ? size : 1);
	if (!blob)
		return 0;
	memcpy(blob, data, size);
	struct sd_diag d;
	sd_diag_init(&d, "fuzz.dtb", discard, NULL);
	struct sd_system sys;
	sd_load(&sys, blob, size, &d);
	if (sys.fdt) {
		mk_check_policy(&sys, policy, policy_len, "grants.conf", 0, &d);
		mk_check_policy(&sys, policy, policy_len, "grants.conf", 1, &d);
	}
	sd_free(&sys);
	free(blob);
	return 0;
}
