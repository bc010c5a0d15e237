# servers/hostadmin: the host admin channel's subject on the device, its
# console side's frame decoder (drivers/console/admin_frame.c) under host
# unit tests and a fuzzer, and the end-to-end suite tests/admin.  Needs
# kernel/build.mk's user-program rules and policyd/build.mk's client.

HA_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard servers/hostadmin/*.c))
$(HA_OBJS): UCFLAGS += $(PD_CFLAGS) -Idrivers/console
# The CRC-32 is the frame decoder's: one implementation on the device.
$(BUILD)/user/hostadmin.elf: $(HA_OBJS) $(BUILD)/user/drivers/console/admin_frame.o $(PD_CLIENT_OBJS) \
		$(U_LIB_OBJS) $(U_LDS)
	@mkdir -p $(@D)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(filter %.o,$^) -lgcc

# Every image booted from the device's description runs it (those built
# from device.elf's own inputs, like tests/chan's, follow device.elf).
$(BUILD)/kernel/device.elf $(BUILD)/kernel/device-load.elf $(BUILD)/kernel/device-blkcrash.elf: \
		$(BUILD)/user/hostadmin.elf
ALL_TARGETS += $(BUILD)/user/hostadmin.elf

# The frame decoder: host unit tests (ASan/UBSan) and a fuzzer.
HA_FRAME_TEST := $(BUILD)/san/tests/admin/test_admin_frame
$(HA_FRAME_TEST): tests/admin/host/test_admin_frame.c drivers/console/admin_frame.c drivers/console/admin_frame.h
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Idrivers/console -o $@ tests/admin/host/test_admin_frame.c \
		drivers/console/admin_frame.c -lcmocka

HA_FUZZ := $(BUILD)/fuzz/bin/fuzz_admin_frame
HA_FUZZ_SEEDS := tests/admin/seeds
$(HA_FUZZ): tests/admin/fuzz/fuzz_admin_frame.c drivers/console/admin_frame.c drivers/console/admin_frame.h
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -Idrivers/console -o $@ tests/admin/fuzz/fuzz_admin_frame.c \
		drivers/console/admin_frame.c

FUZZ_BINS += $(HA_FUZZ)
FUZZERS += $(HA_FUZZ):$(HA_FUZZ_SEEDS)
TEST_DEPS += $(HA_FRAME_TEST) $(HA_FUZZ) $(BUILD)/kernel/device.elf $(BUILD)/bin/polc
TEST_SUITES += $(HA_FRAME_TEST)
TEST_SUITES += "tools/run-fuzzers 5 $(HA_FUZZ):$(HA_FUZZ_SEEDS)"
TEST_SUITES += "python3 tests/admin/run"

.PHONY: test-admin
test-admin: $(HA_FRAME_TEST) $(HA_FUZZ) $(BUILD)/kernel/device.elf $(BUILD)/bin/polc
	@python3 tests/run $(HA_FRAME_TEST) "tools/run-fuzzers 5 $(HA_FUZZ):$(HA_FUZZ_SEEDS)" "python3 tests/admin/run"
