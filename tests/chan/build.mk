# tests/chan: the Linux <-> RTOS channel on the device (tests/chan/run) and
# its benchmarks.  The denial case is the device image under a policy that
# declares the channel's types but grants nothing (tests/chan/denied.te).

$(BUILD)/policy/device-chan-denied.bin: $(DEVPOL_DEPS) tests/chan/denied.te $(POLC)
	@mkdir -p $(@D)
	$(POLC) -o $@ tests/chan/denied.te $(DEVPOL_SRCS)

# The same programs and description as device.elf, another policy.
$(BUILD)/kernel/device-chan-denied.elf: $(BUILD)/kernel/device.elf $(BUILD)/policy/device-chan-denied.bin
	$(MKIMAGE) -k $(BUILD)/kernel/bulwark.elf -o $@ -p $(BUILD)/policy/device-chan-denied.bin \
		-L $(BUILD)/user tests/vm/device-system.dts

.PHONY: test-chan
test-chan: $(BUILD)/kernel/device.elf $(BUILD)/kernel/device-chan-denied.elf
	@python3 tests/run "python3 tests/chan/run --cpu cortex-a53"

TEST_DEPS += $(BUILD)/kernel/device-chan-denied.elf
TEST_SUITES += "python3 tests/chan/run --cpu cortex-a53"
BENCHES += "python3 tests/chan/run --bench"
