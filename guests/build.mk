# guests: the partitions Bulwark runs.  guests/linux is Debian's arm64 cloud
# kernel with our initramfs; guests/rtos is our small RTOS on newlib.  Both
# are tested natively on QEMU first (tests/guests/), so that the VMM only has
# to reproduce the same virtual platform.

GUEST_CROSS ?= aarch64-linux-gnu-
GUEST_CC := $(GUEST_CROSS)gcc

# ---- Linux guest ------------------------------------------------------------
GL_OUT := $(BUILD)/guests/linux
GL_TOOLS := bwinfo cpuload ioload chanctl secadm
GL_TOOL_BINS := $(GL_TOOLS:%=$(GL_OUT)/tools/%)
GL_TOOL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -O2 -static

$(GL_OUT)/tools/%: guests/linux/tools/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GL_TOOL_CFLAGS) -o $@ $<

# chanctl and secadm reach their devices through /dev/mem (devmem.c).
GL_DEVMEM := guests/linux/tools/devmem.c guests/linux/tools/devmem.h

# chanctl: the Linux end of the RTOS channel, with the ring code it shares
# with the RTOS (lib/chanring).
$(GL_OUT)/tools/chanctl: guests/linux/tools/chanctl.c lib/chanring/chanring.c include/bulwark/chanring.h \
		include/bulwark/chanproto.h $(GL_DEVMEM)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GL_TOOL_CFLAGS) -Iinclude -o $@ guests/linux/tools/chanctl.c lib/chanring/chanring.c \
		guests/linux/tools/devmem.c

# secadm: policy administration from inside the guest through the admin
# mailbox (include/bulwark/secadm.h).
$(GL_OUT)/tools/secadm: guests/linux/tools/secadm.c include/bulwark/secadm.h include/bulwark/errors.h \
		$(GL_DEVMEM)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GL_TOOL_CFLAGS) -Iinclude -o $@ guests/linux/tools/secadm.c guests/linux/tools/devmem.c

# The script downloads on first use only and rewrites its outputs only when
# they change; the stamp keeps make from re-running it on every invocation.
GL_IMAGE := $(GL_OUT)/Image
GL_INITRD := $(GL_OUT)/initrd.gz
$(GL_OUT)/.done: guests/linux/build guests/linux/initramfs.py \
		$(wildcard guests/linux/rootfs/*) $(GL_TOOL_BINS)
	python3 guests/linux/build $(GL_TOOL_BINS)
	@touch $@

# The reference device tree in its two forms: PSCI by SMC for the native
# EL2 boot (QEMU with virtualization=on has no EL3), by HVC for Linux at
# EL1, which is how a VM sees it.
GL_DTBS := $(GL_OUT)/virt-smc.dtb $(GL_OUT)/virt-hvc.dtb
$(GL_OUT)/virt-%.dtb: guests/linux/virt.dts
	@mkdir -p $(@D)
	sed 's/PSCI_METHOD/$*/' $< | dtc -q -I dts -O dtb -o $@ -

.PHONY: guest-linux
guest-linux: $(GL_OUT)/.done $(GL_DTBS)

TEST_DEPS += $(GL_OUT)/.done $(GL_DTBS)
TEST_SUITES += "python3 tests/guests/boot-linux --dtb $(GL_OUT)/virt-smc.dtb --vm-dtb $(GL_OUT)/virt-hvc.dtb"

# ---- RTOS -------------------------------------------------------------------
# The scheduling core (guests/rtos/core) is pure C shared with the host unit
# tests; arch/ is the aarch64 EL1 port; app/ the demo tasks.
GR_OUT := $(BUILD)/guests/rtos
GR_NEWLIB := $(BUILD)/newlib/aarch64-none-elf
GR_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -O2 -g -ffreestanding \
	-nostdinc -isystem $(GR_NEWLIB)/include -isystem $(shell $(GUEST_CC) -print-file-name=include) \
	-Iguests/rtos/include -fno-stack-protector -fno-pic -fno-common -mno-outline-atomics
GR_SRCS := $(wildcard guests/rtos/core/*.c guests/rtos/arch/*.c guests/rtos/app/*.c) \
	$(wildcard guests/rtos/arch/*.S)
GR_OBJS := $(patsubst guests/rtos/%,$(GR_OUT)/%.o,$(basename $(GR_SRCS)))
# The Linux channel's ring code (lib/chanring), shared with chanctl.
GR_OBJS += $(GR_OUT)/lib/chanring.o
$(GR_OUT)/lib/chanring.o: lib/chanring/chanring.c $(BUILD)/newlib/.done
	@mkdir -p $(@D)
	$(GUEST_CC) $(GR_CFLAGS) -Iinclude -MMD -MP -c $< -o $@
$(GR_OUT)/app/chan.o: GR_CFLAGS += -Iinclude
GR_LDS := guests/rtos/arch/rtos.ld
GR_ELF := $(GR_OUT)/rtos.elf

$(GR_OUT)/%.o: guests/rtos/%.c $(BUILD)/newlib/.done
	@mkdir -p $(@D)
	$(GUEST_CC) $(GR_CFLAGS) -MMD -MP -c $< -o $@

$(GR_OUT)/%.o: guests/rtos/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) -g -MMD -MP -c $< -o $@

$(GR_ELF): $(GR_OBJS) $(GR_LDS)
	$(GUEST_CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-Wl,--no-warn-rwx-segments -T $(GR_LDS) -o $@ $(GR_OBJS) \
		-Wl,--start-group $(GR_NEWLIB)/lib/libc.a $(GR_NEWLIB)/lib/libm.a -lgcc -Wl,--end-group

# The same RTOS with a control task that overruns its period: the native
# test must see it miss deadlines, or its "no miss" verdict means nothing.
GR_OVERLOAD_ELF := $(GR_OUT)/rtos-overload.elf
GR_OVERLOAD_OBJS := $(filter-out $(GR_OUT)/app/main.o,$(GR_OBJS)) $(GR_OUT)/overload/main.o

$(GR_OUT)/overload/main.o: guests/rtos/app/main.c $(BUILD)/newlib/.done
	@mkdir -p $(@D)
	$(GUEST_CC) $(GR_CFLAGS) -DCONTROL_WORK_LOOPS=300000 -MMD -MP -c $< -o $@

$(GR_OVERLOAD_ELF): $(GR_OVERLOAD_OBJS) $(GR_LDS)
	$(GUEST_CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-Wl,--no-warn-rwx-segments -T $(GR_LDS) -o $@ $(GR_OVERLOAD_OBJS) \
		-Wl,--start-group $(GR_NEWLIB)/lib/libc.a $(GR_NEWLIB)/lib/libm.a -lgcc -Wl,--end-group

.PHONY: guest-rtos
guest-rtos: $(GR_ELF)

# Host unit tests of the core, under ASan/UBSan.
GR_CORE_SRCS := $(wildcard guests/rtos/core/*.c)
GR_UNIT_SRCS := $(wildcard tests/guests/rtos/test_*.c)
GR_UNIT_BINS := $(GR_UNIT_SRCS:tests/guests/rtos/%.c=$(BUILD)/san/tests/guests/rtos/%)
$(BUILD)/san/guests/rtos/%.o $(BUILD)/san/tests/guests/rtos/%.o: HOST_INCLUDES += -Iguests/rtos/include

$(GR_UNIT_BINS): $(BUILD)/san/tests/guests/rtos/%: $(BUILD)/san/tests/guests/rtos/%.o \
		$(GR_CORE_SRCS:%.c=$(BUILD)/san/%.o)
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -lcmocka

# Not in ALL_TARGETS: it needs newlib, a minute to build the first time.
TEST_DEPS += $(GR_ELF) $(GR_OVERLOAD_ELF) $(GR_UNIT_BINS)
TEST_SUITES += $(GR_UNIT_BINS)
TEST_SUITES += "python3 tests/guests/rtos-jitter --el2"
TEST_SUITES += "python3 tests/guests/rtos-jitter --cpu cortex-a53 --elf $(GR_OVERLOAD_ELF) --periods 1000 --expect-missed"

# Native baselines for the virtualization benchmarks (issue 5, item 8).
BENCHES += "python3 tests/guests/boot-linux --cpu cortex-a53 --runs 3 --bench"
BENCHES += "python3 tests/guests/boot-linux --cpu cortex-a53 --icount --bench"
BENCHES += "python3 tests/guests/rtos-jitter --cpu cortex-a53 --bench"
