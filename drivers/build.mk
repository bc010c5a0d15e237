# drivers: user-level device drivers besides the console (which
# kernel/build.mk builds with the kernel's test images): the PL031 clock
# (drivers/rtc), the virtio-mmio block device (drivers/blk) and one
# supervisor per driver that starts and restarts it (drivers/supervisor).
# See drivers/README.md.
$(eval $(call user_program,rtc,drivers/rtc))
$(eval $(call user_program,blk,drivers/blk))
DRIVER_ELFS := $(BUILD)/user/rtc.elf $(BUILD)/user/blk.elf

# driver_variant(program, source dir, define): the driver built with a test
# hook (never in the product image).
define driver_variant
$(1)_OBJS := $$(patsubst %.c,$$(BUILD)/user-$(1)/%.o,$$(wildcard $(2)/*.c))
$$(BUILD)/user-$(1)/%.o: %.c drivers/build.mk | $$(FLASK_GEN)
	@mkdir -p $$(@D)
	$$(KCC) $$(UCFLAGS) $(3) -MMD -MP -c $$< -o $$@
$$(BUILD)/user/$(1).elf: $$($(1)_OBJS) $$(U_LIB_OBJS) $$(U_LDS)
	$$(KCC) $$(KLDFLAGS) -T $$(U_LDS) -o $$@ $$($(1)_OBJS) $$(U_LIB_OBJS) -lgcc
DRIVER_ELFS += $$(BUILD)/user/$(1).elf
endef
# The block restart test's driver: each instance faults after its 64th write
# (drivers/blk/blk.c).  The clock's: each instance exits on its second
# request, before answering it (drivers/rtc/rtc.c).
$(eval $(call driver_variant,blk-crashtest,drivers/blk,-DBLK_CRASH_TEST=64))
$(eval $(call driver_variant,rtc-exittest,drivers/rtc,-DRTC_EXIT_TEST=2))
ALL_TARGETS += $(DRIVER_ELFS)

# One supervisor per driver: the same source, carrying that driver's image
# and holding that driver's grants alone (drivers/supervisor).  The driver
# runs at DRIVER_PRIO, below its supervisor.
# supervisor_for(program, driver name, driver elf, driver priority)
SUPERVISOR_BACKOFF_OBJ := $(BUILD)/user/drivers/supervisor/backoff.o
define supervisor_for
$$(BUILD)/user/sup-$(1)/supervisor.o: drivers/supervisor/supervisor.c $(3) drivers/build.mk | $$(FLASK_GEN)
	@mkdir -p $$(@D)
	$$(KCC) $$(UCFLAGS) -DDRIVER_ELF='"$(3)"' -DDRIVER_NAME='"$(2)"' -DDRIVER_PRIO=$(4) -MMD -MP -c $$< -o $$@
$$(BUILD)/user/$(1).elf: $$(BUILD)/user/sup-$(1)/supervisor.o $$(SUPERVISOR_BACKOFF_OBJ) $$(U_LIB_OBJS) $$(U_LDS)
	$$(KCC) $$(KLDFLAGS) -T $$(U_LDS) -o $$@ $$< $$(SUPERVISOR_BACKOFF_OBJ) $$(U_LIB_OBJS) -lgcc
SUPERVISOR_ELFS += $$(BUILD)/user/$(1).elf
endef
$(eval $(call supervisor_for,supervisor-blk,blk,$(BUILD)/user/blk.elf,32))
$(eval $(call supervisor_for,supervisor-rtc,rtc,$(BUILD)/user/rtc.elf,50))
$(eval $(call supervisor_for,supervisor-blk-crashtest,blk,$(BUILD)/user/blk-crashtest.elf,32))
$(eval $(call supervisor_for,supervisor-rtc-exittest,rtc,$(BUILD)/user/rtc-exittest.elf,50))
DRIVER_ELFS += $(SUPERVISOR_ELFS)
ALL_TARGETS += $(SUPERVISOR_ELFS)

# The device images start the supervisors (tests/vm/device-system.dts);
# their tests and the restart tests' images are tests/blk/build.mk's and
# tests/drivers/build.mk's.
$(BUILD)/kernel/device.elf $(BUILD)/kernel/device-load.elf: $(BUILD)/user/supervisor-rtc.elf \
	$(BUILD)/user/supervisor-blk.elf

# The supervisor's restart back-off on the host (cmocka, ASan+UBSan).
BACKOFF_TEST := $(BUILD)/san/tests/drivers/test_backoff
$(BACKOFF_TEST): tests/drivers/test_backoff.c drivers/supervisor/backoff.c drivers/supervisor/backoff.h
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Idrivers/supervisor -o $@ $< drivers/supervisor/backoff.c -lcmocka
TEST_DEPS += $(BACKOFF_TEST)
TEST_SUITES += $(BACKOFF_TEST)

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
