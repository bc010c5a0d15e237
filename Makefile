# Bulwark top-level build.  Non-recursive: each component contributes a
# build.mk fragment that adds to the variables below; this file holds the
# shared rules and the user-facing targets.
#
#   make            build everything into build/
#   make test       install missing packages, build, run every test suite
#   make run        install missing packages, build, run the device
#   make load-policy POLICY=...   load a policy on the running device (also setbool, enforce)
#   make bench      run the benchmarks (build/bench/results.json, docs/BENCHMARKS.md)
#   make fuzz       run every fuzzer for FUZZ_SECONDS each

BUILD ?= build
export BUILD
HOSTCC ?= gcc
CLANG ?= clang
FUZZ_SECONDS ?= 60

# Host code: the toolchain, the pure logic shared with the device, unit tests.
HOST_WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -D_POSIX_C_SOURCE=200809L
HOST_CFLAGS := $(HOST_WARN) -O2 -g
# Tests run the same sources under ASan and UBSan; any report fails the test.
SAN_CFLAGS := $(HOST_WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := $(HOST_WARN) -O1 -g -fsanitize=fuzzer,address,undefined

.DEFAULT_GOAL := all
.PHONY: all test run bench fuzz deps clean format

# Filled in by the fragments.
ALL_TARGETS :=
TEST_SUITES :=      # commands; each prints cmocka's summary or "N passed, N failed"
TEST_DEPS :=        # files the suites need built
BENCHES :=          # commands that print "metric value" lines
FUZZ_BINS :=        # libFuzzer binaries
FUZZERS :=          # BINARY:SEED-CORPUS-DIR pairs for tools/run-fuzzers
HOST_INCLUDES :=

include policy-lang/build.mk
-include kernel/build.mk
-include policyd/build.mk
-include drivers/build.mk
-include vmm/build.mk
-include guests/build.mk
-include lib/chanring/build.mk
-include tests/chan/build.mk
-include tests/build.mk
-include tests/blk/build.mk
-include tests/drivers/build.mk
-include tests/secadm/build.mk
-include servers/hostadmin/build.mk

# The size of the trusted computing base is reported with every benchmark run.
BENCHES += tools/count-tcb
-include tools/build.mk
-include tools/avc/build.mk

# Generic host compile rules: one object tree per variant.
$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_INCLUDES) -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) $(HOST_INCLUDES) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) $(HOST_INCLUDES) -MMD -MP -c $< -o $@

all: $(ALL_TARGETS)

deps:
	@sh tools/deps

test: deps
	@$(MAKE) --no-print-directory all $(TEST_DEPS)
	@python3 tests/run $(TEST_SUITES)

run: deps
	@$(MAKE) --no-print-directory all
	@sh tools/run-device

# The running device's host admin channel (make run must be running):
#   make load-policy POLICY=file.bin|file.conf|folder-with-sources
#   make setbool NAME=boolean VALUE=0|1      make enforce VALUE=0|1
.PHONY: load-policy setbool enforce
load-policy: $(BUILD)/bin/polc
	@python3 tools/admin load "$(POLICY)"
setbool:
	@python3 tools/admin setbool "$(NAME)" "$(VALUE)"
enforce:
	@python3 tools/admin enforce "$(VALUE)"

bench: deps
	@$(MAKE) --no-print-directory all $(TEST_DEPS)
	@python3 tests/bench/run $(BENCHES)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@sh tools/run-fuzzers $(FUZZ_SECONDS) $(FUZZERS)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
