# policy-lang: the policy compiler (hosted C, policy-lang/src), the binary
# policy reader and decision engine (freestanding C, policy-lang/engine, shared
# with policyd on the device), the host tools and their tests.

PL_DIR := policy-lang
HOST_INCLUDES += -I$(PL_DIR)/include

PL_SRCS := $(wildcard $(PL_DIR)/src/*.c) $(wildcard $(PL_DIR)/engine/*.c)
PL_TOOLS := polc polq

# Optimised library and tools: what users and benchmarks run.
$(BUILD)/host/lib/libpolicy.a: $(PL_SRCS:%.c=$(BUILD)/host/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/host/$(PL_DIR)/tools/%.o $(BUILD)/host/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^

# Sanitised library and tools: what the tests run.
$(BUILD)/san/lib/libpolicy.a: $(PL_SRCS:%.c=$(BUILD)/san/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/san/bin/%: $(BUILD)/san/$(PL_DIR)/tools/%.o $(BUILD)/san/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

# Unit tests: one cmocka program per policy-lang/tests/test_*.c.
PL_UNIT_SRCS := $(wildcard $(PL_DIR)/tests/test_*.c)
PL_UNIT_BINS := $(PL_UNIT_SRCS:$(PL_DIR)/tests/%.c=$(BUILD)/san/tests/policy-lang/%)

$(BUILD)/san/tests/policy-lang/%: $(BUILD)/san/$(PL_DIR)/tests/%.o $(BUILD)/san/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -lcmocka

# Fuzzers: one libFuzzer program per policy-lang/fuzz/fuzz_*.c, seeds in
# policy-lang/fuzz/seeds/<name>/.
PL_FUZZ_SRCS := $(wildcard $(PL_DIR)/fuzz/fuzz_*.c)
PL_FUZZ_BINS := $(PL_FUZZ_SRCS:$(PL_DIR)/fuzz/%.c=$(BUILD)/fuzz/bin/%)

$(BUILD)/fuzz/lib/libpolicy.a: $(PL_SRCS:%.c=$(BUILD)/fuzz/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/bin/%: $(BUILD)/fuzz/$(PL_DIR)/fuzz/%.o $(BUILD)/fuzz/lib/libpolicy.a
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $^

ALL_TARGETS += $(PL_TOOLS:%=$(BUILD)/bin/%)
TEST_DEPS += $(PL_TOOLS:%=$(BUILD)/san/bin/%) $(PL_UNIT_BINS) $(PL_FUZZ_BINS)
TEST_SUITES += $(PL_UNIT_BINS)
FUZZ_BINS += $(PL_FUZZ_BINS)
FUZZERS += $(foreach b,$(PL_FUZZ_BINS),$(b):$(PL_DIR)/fuzz/seeds/$(notdir $(b)))
# Every fuzzer also runs briefly in make test.
TEST_SUITES += $(foreach b,$(PL_FUZZ_BINS),"tools/run-fuzzers 5 $(b):$(PL_DIR)/fuzz/seeds/$(notdir $(b))")

# The engine built exactly as the device links it (policyd): freestanding
# aarch64, no libc, no FP/SIMD registers.  Building it proves the engine
# needs nothing but its own shim.
PL_ENGINE_SRCS := $(wildcard $(PL_DIR)/engine/*.c)
AARCH64_CC ?= aarch64-linux-gnu-gcc
PL_ENGINE_AARCH64_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -fno-tree-loop-distribute-patterns \
	-O2 -I$(PL_DIR)/include

$(BUILD)/aarch64/$(PL_DIR)/engine/%.o: $(PL_DIR)/engine/%.c
	@mkdir -p $(@D)
	$(AARCH64_CC) $(PL_ENGINE_AARCH64_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/aarch64/lib/libpolengine.a: $(PL_ENGINE_SRCS:%.c=$(BUILD)/aarch64/%.o)
	@mkdir -p $(@D)
	rm -f $@ && aarch64-linux-gnu-ar rcs $@ $^

ALL_TARGETS += $(BUILD)/aarch64/lib/libpolengine.a

# The demo policy (policy/demo): its golden answers, and its --emit-conf
# output compiled by checkpolicy and compared with libsepol's answers.
TEST_SUITES += "python3 tests/policy/golden/run" "python3 tests/policy/emitconf/run"

# polc reads the m4 macro library from here unless $POLC_SUPPORT_DIR says otherwise.
PL_SUPPORT_DEF := -DPOLC_SUPPORT_DIR='"$(abspath policy/support)"'
PL_SUPPORT_USERS := src/m4 tools/polc
$(foreach v,host san,$(PL_SUPPORT_USERS:%=$(BUILD)/$(v)/$(PL_DIR)/%.o)): HOST_CFLAGS += $(PL_SUPPORT_DEF)
$(foreach v,host san,$(PL_SUPPORT_USERS:%=$(BUILD)/$(v)/$(PL_DIR)/%.o)): SAN_CFLAGS += $(PL_SUPPORT_DEF)
$(PL_SUPPORT_USERS:%=$(BUILD)/fuzz/$(PL_DIR)/%.o): FUZZ_CFLAGS += $(PL_SUPPORT_DEF)

# Corrupted binary policies against the reader (tests/policy/badbin).
$(BUILD)/san/tests/badbin: $(BUILD)/san/tests/policy/badbin/badbin.o $(BUILD)/san/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

TEST_DEPS += $(BUILD)/san/tests/badbin
TEST_SUITES += "sh tests/policy/badbin/run"

# The broken-source corpus, run on the sanitised polc.
TEST_SUITES += "tests/policy/bad/run $(BUILD)/san/bin/polc"
