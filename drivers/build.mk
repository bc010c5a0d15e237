# drivers: user-level device drivers besides the console (which
# kernel/build.mk builds with the kernel's test images): the PL031 clock
# (drivers/rtc), the virtio-mmio block device (drivers/blk) and the
# supervisor that restarts it (drivers/supervisor).  See drivers/README.md.
$(eval $(call user_program,rtc,drivers/rtc))
$(eval $(call user_program,blk,drivers/blk))
DRIVER_ELFS := $(BUILD)/user/rtc.elf $(BUILD)/user/blk.elf

# The restart test's driver: the same sources with the test hook that
# makes each instance fault after its 64th write (drivers/blk/blk.c).
BLK_CRASH_OBJS := $(patsubst %.c,$(BUILD)/user-crash/%.o,$(wildcard drivers/blk/*.c))
$(BUILD)/user-crash/%.o: %.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -DBLK_CRASH_TEST=64 -MMD -MP -c $< -o $@
$(BUILD)/user/blk-crashtest.elf: $(BLK_CRASH_OBJS) $(U_LIB_OBJS) $(U_LDS)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(BLK_CRASH_OBJS) $(U_LIB_OBJS) -lgcc
DRIVER_ELFS += $(BUILD)/user/blk-crashtest.elf
ALL_TARGETS += $(DRIVER_ELFS)

# The supervisor carries the driver it starts and restarts (drivers/supervisor).
# supervisor_for(name, driver elf)
define supervisor_for
$$(BUILD)/user/sup-$(1)/supervisor.o: drivers/supervisor/supervisor.c $(2) | $$(FLASK_GEN)
	@mkdir -p $$(@D)
	$$(KCC) $$(UCFLAGS) -DDRIVER_ELF='"$(2)"' -MMD -MP -c $$< -o $$@
$$(BUILD)/user/$(1).elf: $$(BUILD)/user/sup-$(1)/supervisor.o $$(U_LIB_OBJS) $$(U_LDS)
	$$(KCC) $$(KLDFLAGS) -T $$(U_LDS) -o $$@ $$< $$(U_LIB_OBJS) -lgcc
endef
$(eval $(call supervisor_for,supervisor,$(BUILD)/user/blk.elf))
$(eval $(call supervisor_for,supervisor-crashtest,$(BUILD)/user/blk-crashtest.elf))
DRIVER_ELFS += $(BUILD)/user/supervisor.elf $(BUILD)/user/supervisor-crashtest.elf
ALL_TARGETS += $(BUILD)/user/supervisor.elf $(BUILD)/user/supervisor-crashtest.elf

# The device images start the drivers (tests/vm/device-system.dts); their
# tests and the restart test's image are tests/blk/build.mk's.
$(BUILD)/kernel/device.elf $(BUILD)/kernel/device-load.elf: $(BUILD)/user/rtc.elf $(BUILD)/user/supervisor.elf

# ---- the console's reader of policyd's log ring (user/include/bw/logring.h)
LOGRING_TEST := $(BUILD)/san/tests/console/test_logring
$(LOGRING_TEST): tests/console/test_logring.c user/include/bw/logring.h
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Iuser/include -o $@ $< -lcmocka
LOGRING_FUZZ := $(BUILD)/fuzz/bin/fuzz_logring
$(LOGRING_FUZZ): tests/console/fuzz_logring.c user/include/bw/logring.h
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -Iuser/include -o $@ $<
TEST_DEPS += $(LOGRING_TEST) $(LOGRING_FUZZ)
TEST_SUITES += $(LOGRING_TEST) "tools/run-fuzzers 5 $(LOGRING_FUZZ):tests/console/seeds/fuzz_logring"
FUZZ_BINS += $(LOGRING_FUZZ)
FUZZERS += $(LOGRING_FUZZ):tests/console/seeds/fuzz_logring
