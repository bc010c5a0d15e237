# tools/avc: the audit-log tool (`tools/audit`, built as $(BUILD)/bin/audit):
# an AVC line parser, a group table, the policy changes a log shows and the
# denial explainer in tools/avc/,
# its command in tools/avc/cli/, a libFuzzer target in tools/avc/fuzz/, and
# its tests in tests/audit/.  The explainer links the policy engine.

AV_DIR := tools/avc
AV_LIB_SRCS := $(wildcard $(AV_DIR)/*.c)
AV_CLI_SRCS := $(wildcard $(AV_DIR)/cli/*.c)

$(BUILD)/host/$(AV_DIR)/%.o $(BUILD)/san/$(AV_DIR)/%.o $(BUILD)/fuzz/$(AV_DIR)/%.o: \
	HOST_INCLUDES += -I$(AV_DIR)
$(BUILD)/san/tests/audit/%.o: HOST_INCLUDES += -I$(AV_DIR)

$(BUILD)/host/lib/libavc.a: $(AV_LIB_SRCS:%.c=$(BUILD)/host/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/san/lib/libavc.a: $(AV_LIB_SRCS:%.c=$(BUILD)/san/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/audit: $(AV_CLI_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/lib/libavc.a $(BUILD)/host/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^

# The sanitised command is what the end-to-end test runs.
$(BUILD)/san/bin/audit: $(AV_CLI_SRCS:%.c=$(BUILD)/san/%.o) $(BUILD)/san/lib/libavc.a $(BUILD)/san/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

# Unit tests: one cmocka program per tests/audit/test_*.c.
AV_UNIT_SRCS := $(wildcard tests/audit/test_*.c)
AV_UNIT_BINS := $(AV_UNIT_SRCS:tests/audit/%.c=$(BUILD)/san/tests/audit/%)

$(AV_UNIT_BINS): $(BUILD)/san/tests/audit/%: $(BUILD)/san/tests/audit/%.o $(BUILD)/san/lib/libavc.a \
		$(BUILD)/san/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -lcmocka

# Fuzzer: arbitrary bytes as one log line; seeds are tests/audit/seeds/.
AV_FUZZ_BIN := $(BUILD)/fuzz/bin/fuzz_avc_line
AV_FUZZ_SEEDS := tests/audit/seeds

$(AV_FUZZ_BIN): $(BUILD)/fuzz/$(AV_DIR)/fuzz/fuzz_avc_line.o $(BUILD)/fuzz/$(AV_DIR)/avc_parse.o
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $^

ALL_TARGETS += $(BUILD)/bin/audit
TEST_DEPS += $(BUILD)/san/bin/audit $(BUILD)/bin/polc $(AV_UNIT_BINS) $(AV_FUZZ_BIN)
TEST_SUITES += $(AV_UNIT_BINS)
TEST_SUITES += "python3 tests/audit/run"
# docs/POLICY.md names every class, permission, library macro and device interface.
TEST_SUITES += "python3 tests/audit/check-policy-doc"
TEST_SUITES += "tools/run-fuzzers 5 $(AV_FUZZ_BIN):$(AV_FUZZ_SEEDS)"
FUZZ_BINS += $(AV_FUZZ_BIN)
FUZZERS += $(AV_FUZZ_BIN):$(AV_FUZZ_SEEDS)
