# tests/secadm: policy administration from inside the Linux guest (secadm
# over the guest admin mailbox) on the device image.  The second policy it
# loads is the device policy with the Linux VM's load_policy withdrawn.

$(BUILD)/policy/device-secadm-noload.bin: $(DEVPOL_DEPS) tests/secadm/noload.te $(POLC)
	@mkdir -p $(@D)
	$(POLC) -o $@ tests/secadm/noload.te $(DEVPOL_SRCS)

SECADM_TEST_DEPS := $(BUILD)/kernel/device.elf $(BUILD)/policy/device.bin $(BUILD)/policy/device-secadm-noload.bin

.PHONY: test-secadm
test-secadm: $(SECADM_TEST_DEPS)
	@python3 tests/run "python3 tests/secadm/run --cpu cortex-a53 --cpu max"

TEST_DEPS += $(SECADM_TEST_DEPS)
TEST_SUITES += "python3 tests/secadm/run --cpu cortex-a53 --cpu max"
