# tests/drivers: the driver supervisors (drivers/supervisor) end to end.
# Included after vmm/build.mk: the test image uses its device_image macro.

# The device with the clock driver that exits on every instance's second
# request (rtc-exittest.elf, drivers/build.mk): the description differs in
# the clock supervisor's image alone, so the VMMs are the device's own.
$(BUILD)/drivers/device-rtcexit-system.dts: tests/vm/device-system.dts
	@mkdir -p $(@D)
	sed 's/"supervisor-rtc.elf"/"supervisor-rtc-exittest.elf"/' $< > $@
$(eval $(call device_image,device-rtcexit,$(BUILD)/drivers/device-rtcexit-system.dts,console vmm-device-linux vmm-device-rtos supervisor-rtc-exittest supervisor-blk))
# Whatever else the device image needs (other fragments add to its
# prerequisites), this one needs too.
$(BUILD)/kernel/device-rtcexit.elf: $(BUILD)/kernel/device.elf

ALL_TARGETS += $(BUILD)/kernel/device-rtcexit.elf
TEST_DEPS += $(BUILD)/kernel/device-rtcexit.elf
TEST_SUITES += "python3 tests/drivers/run --cpu cortex-a53 --cpu max,pauth-impdef=on"
