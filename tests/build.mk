# tests: the differential suite against SELinux's own toolchain (checkpolicy
# + libsepol), the hand-written edge cases, and the policy toolchain benchmark.

# libsepol hides sepol_transition_sid, policydb_read and friends in its shared
# library; the static archive exports them.
SEPOL_A := $(shell $(HOSTCC) -print-file-name=libsepol.a)

# The oracle: libsepol's answers in polq's output format.
$(BUILD)/tests/bin/sepolq: tests/policy/diff/sepolq.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(SEPOL_A)

# Lookup benchmark: the optimised engine against sepol_compute_av.
$(BUILD)/tests/bin/lookup_bench: tests/bench/policy/lookup_bench.c $(BUILD)/host/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_INCLUDES) -o $@ $< $(BUILD)/host/lib/libpolicy.a $(SEPOL_A)

TEST_DEPS += $(BUILD)/tests/bin/sepolq $(BUILD)/bin/polc $(BUILD)/bin/polq
TEST_SUITES += "python3 tests/policy/diff/run --count 1000"
TEST_SUITES += "python3 tests/policy/diff/run --edge"

BENCHES += "python3 tests/bench/policy/bench"

# tests/walkthrough: the README's walkthrough (deny the channel by a policy
# load, audit it, re-allow it with audit2allow's rules) on the running
# device, and no RTOS deadline missed across either load.
TEST_SUITES += "python3 tests/walkthrough/run"
.PHONY: test-walkthrough
test-walkthrough: $(BUILD)/kernel/device.elf $(BUILD)/bin/polc $(BUILD)/bin/audit
	@python3 tests/run "python3 tests/walkthrough/run"
TEST_DEPS += $(BUILD)/kernel/device.elf $(BUILD)/bin/polc $(BUILD)/bin/audit
