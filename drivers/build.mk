# drivers: user-level device drivers besides the console (which
# kernel/build.mk builds with the kernel's test images): the PL031 clock
# (drivers/rtc) and the virtio-mmio block device (drivers/blk).  See
# drivers/README.md.
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
# The device images start the drivers (tests/vm/device-system.dts).
$(BUILD)/kernel/device.elf $(BUILD)/kernel/device-load.elf: $(BUILD)/user/rtc.elf $(BUILD)/user/blk.elf

# ---- tests/blk: the drivers' own system (no policyd) ----------------------
$(eval $(call system_image,blk-test,$(BUILD)/kernel/bulwark.elf,tests/blk/blk-system.dts,console rtc blk vmm-linux-vm))
BLK_IMAGES := $(BUILD)/kernel/blk-test.elf
ALL_TARGETS += $(BLK_IMAGES)
