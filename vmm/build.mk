# vmm: virtual machines. The in-tree test guest (tests/vm/guest, EL1 bare
# metal), the VM test (tests/vm/vmtest, a minimal VMM) and its image.
# Needs kernel/build.mk's KCC, UCFLAGS, user-library and image rules.

VM_GUEST_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -O2 -g -ffreestanding -nostdlib \
	-mgeneral-regs-only -mstrict-align -fno-stack-protector -fno-pic -fno-common \
	-fno-tree-loop-distribute-patterns -mno-outline-atomics
VM_GUEST_SRCS := tests/vm/guest/start.S tests/vm/guest/guest.c
VM_GUEST_OBJS := $(patsubst %,$(BUILD)/vm/%.o,$(basename $(VM_GUEST_SRCS)))
VM_GUEST_BIN := $(BUILD)/vm/tests/vm/guest.bin

$(BUILD)/vm/%.o: %.c
	@mkdir -p $(@D)
	$(KCC) $(VM_GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/vm/%.o: %.S
	@mkdir -p $(@D)
	$(KCC) $(VM_GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/vm/tests/vm/guest.elf: $(VM_GUEST_OBJS) tests/vm/guest/guest.ld
	$(KCC) $(KLDFLAGS) -Wl,--no-warn-rwx-segments -T tests/vm/guest/guest.ld -o $@ $(VM_GUEST_OBJS) -lgcc

$(VM_GUEST_BIN): $(BUILD)/vm/tests/vm/guest.elf
	$(KCROSS)objcopy -O binary $< $@

# The test VMM carries the guest image in its read-only data.
$(BUILD)/user/tests/vm/vmtest/main.o: tests/vm/vmtest/main.c $(VM_GUEST_BIN) | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -Ivmm/include -DGUEST_BIN='"$(VM_GUEST_BIN)"' -MMD -MP -c $< -o $@

# The device models, built for the device.
VMM_DEV_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard vmm/lib/*.c))
$(BUILD)/user/vmm/lib/%.o: vmm/lib/%.c
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -Ivmm/include -MMD -MP -c $< -o $@

$(BUILD)/user/vmtest.elf: $(BUILD)/user/tests/vm/vmtest/main.o $(VMM_DEV_OBJS) $(U_LIB_OBJS) $(U_LDS)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(BUILD)/user/tests/vm/vmtest/main.o $(VMM_DEV_OBJS) $(U_LIB_OBJS) -lgcc

$(eval $(call system_image,vm-test,$(BUILD)/kernel/bulwark.elf,tests/vm/vm-system.dts,console vmtest))

VM_IMAGES := $(BUILD)/kernel/vm-test.elf
ALL_TARGETS += $(VM_IMAGES)
TEST_DEPS += $(VM_IMAGES)
TEST_SUITES += "QEMU_CPU=cortex-a53 tests/qemu/run --timeout 60 $(BUILD)/kernel/vm-test.elf"
TEST_SUITES += "QEMU_CPU=max,pauth-impdef=on tests/qemu/run --timeout 90 $(BUILD)/kernel/vm-test.elf"

.PHONY: test-vm
test-vm: $(VM_IMAGES) $(VMM_HOST_TEST)
	@python3 tests/run $(VMM_HOST_TEST) "QEMU_CPU=cortex-a53 tests/qemu/run --timeout 60 $(VM_IMAGES)" \
		"QEMU_CPU=max,pauth-impdef=on tests/qemu/run --timeout 90 $(VM_IMAGES)"
BENCHES += "tests/vm/bench.sh"

# ---- the VMM's device models: shared by VMMs and host unit tests ---------
VMM_LIB_SRCS := $(wildcard vmm/lib/*.c)
VMM_HOST_TEST := $(BUILD)/san/tests/vm/test_vmm_devices

$(VMM_HOST_TEST): tests/vm/host/test_vmm_devices.c $(VMM_LIB_SRCS) $(wildcard vmm/include/vmm/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Ivmm/include -Iinclude -o $@ $< $(VMM_LIB_SRCS) -lcmocka

TEST_DEPS += $(VMM_HOST_TEST)
TEST_SUITES += $(VMM_HOST_TEST)
