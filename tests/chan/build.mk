# tests/chan: the Linux <-> RTOS channel on the device (tests/chan/run) and
# its benchmarks.  The denial cases are the device image under a policy that
# declares the channel's types but grants nothing (tests/chan/denied.te),
# and one where Linux may not ring the RTOS's doorbell (tests/chan/nobell.te).

$(BUILD)/policy/device-chan-denied.bin: $(DEVPOL_DEPS) tests/chan/denied.te $(POLC)
	@mkdir -p $(@D)
	$(POLC) -o $@ tests/chan/denied.te $(DEVPOL_SRCS)

# The same programs and description as device.elf, another policy (its
# denied grants are the point: mkimage only warns).
$(BUILD)/kernel/device-chan-denied.elf: $(BUILD)/kernel/device.elf $(BUILD)/policy/device-chan-denied.bin
	$(MKIMAGE) -k $(BUILD)/kernel/bulwark.elf -o $@ -p $(BUILD)/policy/device-chan-denied.bin --allow-denied-grants \
		-L $(BUILD)/user tests/vm/device-system.dts

$(BUILD)/policy/device-chan-nobell.bin: $(DEVPOL_DEPS) tests/chan/nobell.te $(POLC)
	@mkdir -p $(@D)
	$(POLC) -o $@ tests/chan/nobell.te $(DEVPOL_SRCS)

$(BUILD)/kernel/device-chan-nobell.elf: $(BUILD)/kernel/device.elf $(BUILD)/policy/device-chan-nobell.bin
	$(MKIMAGE) -k $(BUILD)/kernel/bulwark.elf -o $@ -p $(BUILD)/policy/device-chan-nobell.bin --allow-denied-grants \
		-L $(BUILD)/user tests/vm/device-system.dts

CHAN_TEST_IMAGES := $(BUILD)/kernel/device.elf $(BUILD)/kernel/device-chan-denied.elf \
	$(BUILD)/kernel/device-chan-nobell.elf

.PHONY: test-chan
test-chan: $(CHAN_TEST_IMAGES)
	@python3 tests/run "python3 tests/chan/run --cpu cortex-a53"

TEST_DEPS += $(CHAN_TEST_IMAGES)
TEST_SUITES += "python3 tests/chan/run --cpu cortex-a53 --cpu max,pauth-impdef=on"
BENCHES += "python3 tests/chan/run --bench"

# The channel's grants are exactly the two ends', and its goals hold.
TEST_DEPS += $(BUILD)/bin/polc $(BUILD)/bin/polq $(BUILD)/policy/device.bin
TEST_SUITES += "python3 tests/chan/policy"
