# lib/chanring: the Linux <-> RTOS channel's ring (include/bulwark/chanring.h).
# Built into the RTOS and into chanctl by guests/build.mk; here: its host
# unit tests (ASan/UBSan) and its fuzzer over a corrupted ring.

CHANRING_SRC := lib/chanring/chanring.c
CHANRING_HDRS := include/bulwark/chanring.h include/bulwark/chanproto.h
CHANRING_TEST := $(BUILD)/san/tests/chan/test_chanring
CHANRING_FUZZ := $(BUILD)/fuzz/bin/fuzz_chanring

$(CHANRING_TEST): tests/chan/test_chanring.c $(CHANRING_SRC) $(CHANRING_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Iinclude -o $@ tests/chan/test_chanring.c $(CHANRING_SRC) -lcmocka

$(CHANRING_FUZZ): tests/chan/fuzz_chanring.c $(CHANRING_SRC) $(CHANRING_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -Iinclude -o $@ tests/chan/fuzz_chanring.c $(CHANRING_SRC)

ALL_TARGETS += $(CHANRING_TEST)
TEST_DEPS += $(CHANRING_TEST) $(CHANRING_FUZZ)
TEST_SUITES += $(CHANRING_TEST)
TEST_SUITES += "tools/run-fuzzers 5 $(CHANRING_FUZZ):tests/chan/seeds"
FUZZ_BINS += $(CHANRING_FUZZ)
FUZZERS += $(CHANRING_FUZZ):tests/chan/seeds

# The channel's device model in the Linux VMM: the PL061 GPIO controller
# whose input line is the RTOS -> Linux doorbell.
CHAN_PL061_TEST := $(BUILD)/san/tests/chan/test_pl061
$(CHAN_PL061_TEST): tests/chan/test_pl061.c vmm/lib/pl061.c vmm/include/vmm/pl061.h vmm/include/vmm/devices.h
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Ivmm/include -Iinclude -o $@ tests/chan/test_pl061.c vmm/lib/pl061.c -lcmocka

ALL_TARGETS += $(CHAN_PL061_TEST)
TEST_DEPS += $(CHAN_PL061_TEST)
TEST_SUITES += $(CHAN_PL061_TEST)
