# vmm: virtual machines. The in-tree test guest (tests/vm/guest, EL1 bare
# metal), the VM test (tests/vm/vmtest, a minimal VMM) and its image.
# Needs kernel/build.mk's KCC, UCFLAGS, user-library and image rules.

VM_GUEST_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -O2 -g -ffreestanding -nostdlib \
	-mgeneral-regs-only -mstrict-align -fno-stack-protector -fno-pic -fno-common \
	-fno-tree-loop-distribute-patterns -mno-outline-atomics
VM_GUEST_SRCS := tests/vm/guest/start.S tests/vm/guest/guest.c tests/vm/guest/mmio_fast.c
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
# This guest's end of the Linux <-> RTOS channel (docs/ARCHITECTURE.md).
VMM_DEV_OBJS += $(BUILD)/user/vmm/vmm/chan_port.o
$(BUILD)/user/vmm/vmm/chan_port.o: vmm/vmm/chan_port.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -Ivmm/include -MMD -MP -c $< -o $@
# The guest admin mailbox: secadm's requests to policyd, made as the VM
# (docs/SECURITY-SERVER.md "The guest admin channel").
VMM_DEV_OBJS += $(BUILD)/user/vmm/vmm/secadm_port.o
$(BUILD)/user/vmm/vmm/secadm_port.o: vmm/vmm/secadm_port.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -Ivmm/include -Ipolicyd/include -MMD -MP -c $< -o $@
# The VMM's clients of the clock and block drivers (drivers/README.md).
VMM_DEV_OBJS += $(BUILD)/user/vmm/vmm/backends.o
$(BUILD)/user/vmm/vmm/backends.o: vmm/vmm/backends.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -Ivmm/include -MMD -MP -c $< -o $@
# The guest's PL011 glue and the kernel's MMIO short path for it.
VMM_DEV_OBJS += $(BUILD)/user/vmm/vmm/console_port.o
$(BUILD)/user/vmm/vmm/console_port.o: vmm/vmm/console_port.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -Ivmm/include -MMD -MP -c $< -o $@

# The MMIO short-path check (a third VM).
VMTEST_OBJS := $(BUILD)/user/tests/vm/vmtest/main.o $(BUILD)/user/tests/vm/vmtest/mmio_fast.o
$(BUILD)/user/vmtest.elf: $(VMTEST_OBJS) $(VMM_DEV_OBJS) $(U_LIB_OBJS) $(U_LDS)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(VMTEST_OBJS) $(VMM_DEV_OBJS) $(U_LIB_OBJS) -lgcc

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

# The PL011's receive side (console input).
VMM_RX_TEST := $(BUILD)/san/tests/vm/test_pl011_rx
$(VMM_RX_TEST): tests/vm/host/test_pl011_rx.c vmm/lib/pl011.c vmm/include/vmm/devices.h vmm/include/vmm/primecell.h
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Ivmm/include -Iinclude -o $@ $< vmm/lib/pl011.c -lcmocka

TEST_DEPS += $(VMM_RX_TEST)
TEST_SUITES += $(VMM_RX_TEST)

# ---- the Linux VM (needs the guests' Linux build: make guest-linux) -------
# Two images: linux-vm boots to the shell (make run); linux-vm-test boots
# with bw.test=1 (the guest checks itself and powers off).  Each VMM is
# built from its system description: `mkimage --guest VM` writes the VMM's
# header (its handles to the VM and guest RAM, their guest addresses) and,
# for Linux, the guest's device tree (memory and /chosen from the vm node,
# the emulated devices from vmm/linux-guest.dts.in), compiled with dtc.
VMM_LINUX_DIR := $(BUILD)/guests/linux
VMM_PLATFORM := $(abspath vmm/linux-guest.dts.in)

# vmm_linux(program, system description, vm): $(BUILD)/user/<program>.elf,
# the VMM of vm in that description.
define vmm_linux
$$(BUILD)/vmm/$(1)/vm.h: $(2) $$(MKIMAGE) vmm/linux-guest.dts.in $$(VMM_LINUX_DIR)/.done
	@mkdir -p $$(@D)
	$$(MKIMAGE) --guest $(3) --vm-header $$@ --guest-dts $$(BUILD)/vmm/$(1)/guest.dts \
		--guest-platform $$(VMM_PLATFORM) \
		--initrd-size $$$$(stat -c %s $$(VMM_LINUX_DIR)/initrd.gz) $(2)

$$(BUILD)/vmm/$(1)/guest.dtb: $$(BUILD)/vmm/$(1)/vm.h
	dtc -q -I dts -O dtb -o $$@ $$(BUILD)/vmm/$(1)/guest.dts

$$(BUILD)/user/vmm/vmm/main-$(1).o: vmm/vmm/main.c | $$(FLASK_GEN)
	@mkdir -p $$(@D)
	$$(KCC) $$(UCFLAGS) -Ivmm/include -MMD -MP -c $$< -o $$@

$$(BUILD)/user/vmm/vmm/guest_build-$(1).o: vmm/vmm/guest_build.c $$(BUILD)/vmm/$(1)/guest.dtb \
		$$(VMM_LINUX_DIR)/.done | $$(FLASK_GEN)
	@mkdir -p $$(@D)
	$$(KCC) $$(UCFLAGS) -Ivmm/include -DVM_CONFIG='"$$(abspath $$(BUILD)/vmm/$(1)/vm.h)"' \
		-DGUEST_KERNEL='"$$(VMM_LINUX_DIR)/Image"' -DGUEST_INITRD='"$$(VMM_LINUX_DIR)/initrd.gz"' \
		-DGUEST_DTB='"$$(BUILD)/vmm/$(1)/guest.dtb"' -MMD -MP -c $$< -o $$@

$$(BUILD)/user/$(1).elf: $$(BUILD)/user/vmm/vmm/main-$(1).o $$(BUILD)/user/vmm/vmm/guest_build-$(1).o \
		$$(VMM_DEV_OBJS) $$(U_LIB_OBJS) $$(U_LDS)
	$$(KCC) $$(KLDFLAGS) -T $$(U_LDS) -o $$@ $$(filter %.o,$$^) -lgcc
endef

$(eval $(call vmm_linux,vmm-linux-vm,tests/vm/linux-vm-system.dts,linux-vm))
$(eval $(call vmm_linux,vmm-linux-vm-test,tests/vm/linux-vm-test-system.dts,linux-vm))
$(eval $(call system_image,linux-vm,$(BUILD)/kernel/bulwark.elf,tests/vm/linux-vm-system.dts,console vmm-linux-vm))
$(eval $(call system_image,linux-vm-test,$(BUILD)/kernel/bulwark.elf,tests/vm/linux-vm-test-system.dts,console vmm-linux-vm-test))

LINUX_VM_IMAGES := $(BUILD)/kernel/linux-vm.elf $(BUILD)/kernel/linux-vm-test.elf
.PHONY: linux-vm
linux-vm: $(LINUX_VM_IMAGES)
TEST_DEPS += $(LINUX_VM_IMAGES)
TEST_SUITES += "python3 tests/vm/linux-vm --cpu cortex-a53 --cpu max,pauth-impdef=on"
TEST_SUITES += "python3 tests/vm/linux-input --cpu cortex-a53 --cpu max,pauth-impdef=on"
BENCHES += "python3 tests/vm/linux-vm --bench"
BENCHES += "python3 tests/vm/linux-vm --insns"

# ---- the RTOS VM, and the device: Linux and the RTOS side by side ----------
# vmm_rtos(program, system description, vm): the RTOS's VMM (GUEST_ELF: our
# RTOS loaded at its physical addresses, no device tree).
VMM_RTOS_ELF := $(BUILD)/guests/rtos/rtos.elf
define vmm_rtos
$$(BUILD)/vmm/$(1)/vm.h: $(2) $$(MKIMAGE)
	@mkdir -p $$(@D)
	$$(MKIMAGE) --guest $(3) --vm-header $$@ $(2)

$$(BUILD)/user/vmm/vmm/main-$(1).o: vmm/vmm/main.c | $$(FLASK_GEN)
	@mkdir -p $$(@D)
	$$(KCC) $$(UCFLAGS) -Ivmm/include -DGUEST_ELF -DVCPU_PRIO=35 -MMD -MP -c $$< -o $$@

$$(BUILD)/user/vmm/vmm/guest_build-$(1).o: vmm/vmm/guest_build.c $$(BUILD)/vmm/$(1)/vm.h $$(VMM_RTOS_ELF) \
		| $$(FLASK_GEN)
	@mkdir -p $$(@D)
	$$(KCC) $$(UCFLAGS) -Ivmm/include -DVM_CONFIG='"$$(abspath $$(BUILD)/vmm/$(1)/vm.h)"' \
		-DGUEST_ELF='"$$(VMM_RTOS_ELF)"' -MMD -MP -c $$< -o $$@

$$(BUILD)/user/$(1).elf: $$(BUILD)/user/vmm/vmm/main-$(1).o $$(BUILD)/user/vmm/vmm/guest_build-$(1).o \
		$$(VMM_DEV_OBJS) $$(U_LIB_OBJS) $$(U_LDS)
	$$(KCC) $$(KLDFLAGS) -T $$(U_LDS) -o $$@ $$(filter %.o,$$^) -lgcc
endef

# device_image(name, system description, programs): policyd first, booted
# enforcing the device policy; mkimage -p refuses a context it does not
# authorise.
define device_image
$$(BUILD)/kernel/$(1).elf: $$(BUILD)/kernel/bulwark.elf $(2) $$(MKIMAGE) $$(BUILD)/policy/device.bin \
		$$(foreach p,policyd $(3),$$(BUILD)/user/$$(p).elf)
	$$(MKIMAGE) -k $$(BUILD)/kernel/bulwark.elf -o $$@ -p $$(BUILD)/policy/device.bin -L $$(BUILD)/user $(2)
endef

$(eval $(call vmm_linux,vmm-device-linux,tests/vm/device-system.dts,linux-vm))
$(eval $(call vmm_rtos,vmm-device-rtos,tests/vm/device-system.dts,rtos-vm))
$(eval $(call device_image,device,tests/vm/device-system.dts,console vmm-device-linux vmm-device-rtos))

# The same device with Linux running its loads (bw.load=1): the device's
# system description with other bootargs, hence its own Linux VMM.
$(BUILD)/vm/device-load-system.dts: tests/vm/device-system.dts
	@mkdir -p $(@D)
	sed -e 's/"vmm-device-linux.elf"/"vmm-device-load-linux.elf"/' \
	    -e 's/bootargs = "console=ttyAMA0 panic=-1"/bootargs = "console=ttyAMA0 panic=-1 bw.load=1"/' \
	    -e 's/"vmm-device-rtos.elf"/"vmm-device-load-rtos.elf"/' $< > $@
$(eval $(call vmm_linux,vmm-device-load-linux,$(BUILD)/vm/device-load-system.dts,linux-vm))
$(eval $(call vmm_rtos,vmm-device-load-rtos,$(BUILD)/vm/device-load-system.dts,rtos-vm))
$(eval $(call device_image,device-load,$(BUILD)/vm/device-load-system.dts,console vmm-device-load-linux vmm-device-load-rtos))

.PHONY: device
device: $(BUILD)/kernel/device.elf $(BUILD)/kernel/device-load.elf
TEST_DEPS += $(BUILD)/kernel/device.elf $(BUILD)/kernel/device-load.elf
TEST_SUITES += "python3 tests/vm/device-policy"
TEST_SUITES += "python3 tests/vm/linux-vm --device --cpu cortex-a53 --cpu max,pauth-impdef=on"
TEST_SUITES += "python3 tests/vm/linux-vm --device --busy --cpu cortex-a53 --cpu max,pauth-impdef=on"
BENCHES += "python3 tests/vm/linux-vm --device"
BENCHES += "python3 tests/vm/linux-vm --device --busy"
