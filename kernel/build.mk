# kernel: the Bulwark microkernel (aarch64, EL2), its user runtime (user/),
# the console driver (drivers/console), the in-QEMU test images and the
# host unit tests of the kernel's pure logic.

KCROSS ?= aarch64-linux-gnu-
KCC := $(KCROSS)gcc
QEMU_CPU ?= cortex-a53
export QEMU_CPU

# The class/permission numbering is generated from policy/flask/classes.conf
# (the one definition the policy is compiled from too).
FLASK_GEN := $(BUILD)/gen/flask/flask.h
$(BUILD)/gen/flask/flask.h $(BUILD)/gen/flask/flask_names.h &: policy/flask/classes.conf policy/flask/genflask.py
	@mkdir -p $(@D)
	python3 policy/flask/genflask.py policy/flask/classes.conf $(@D)

K_INCLUDES := -Ikernel/include -Ikernel/arch/aarch64/include -Iinclude -I$(BUILD)/gen
KCFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -O2 -g -ffreestanding -nostdlib \
	-mgeneral-regs-only -fno-stack-protector -fno-pic -fno-common \
	-fno-tree-loop-distribute-patterns -mno-outline-atomics $(K_INCLUDES)
KASFLAGS := -g $(K_INCLUDES)
KLDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096

K_CSRCS := $(wildcard kernel/core/*.c) $(wildcard kernel/arch/aarch64/*.c)
K_SSRCS := $(wildcard kernel/arch/aarch64/*.S)
K_OBJS := $(K_CSRCS:%.c=$(BUILD)/kernel/%.o) $(K_SSRCS:%.S=$(BUILD)/kernel/%.o)
K_LDS := kernel/arch/aarch64/kernel.ld

$(BUILD)/kernel/%.o: %.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(@D)
	$(KCC) $(KASFLAGS) -MMD -MP -c $< -o $@

# The bench-split kernel stamps the fast path with the PMU (entry/logic/exit
# split); only trap.c, which holds the fast path, is built differently.
$(BUILD)/kernel-split/%.o: %.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -DBW_BENCH_SPLIT -MMD -MP -c $< -o $@

# kernel_link(output, extra objects)
define kernel_link
	@mkdir -p $(dir $(1))
	$(KCC) $(KLDFLAGS) -T $(K_LDS) -o $(1) $(2)
endef

$(BUILD)/kernel/bulwark.elf: $(K_OBJS) $(K_LDS)
	$(call kernel_link,$@,$(K_OBJS))

# ---- user runtime and programs -------------------------------------------
UCFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -O2 -g -ffreestanding -nostdlib \
	-fno-stack-protector -fno-pic -fno-common -fno-tree-loop-distribute-patterns \
	-mno-outline-atomics -Iuser/include -Iinclude -I$(BUILD)/gen
U_LDS := user/user.ld
U_LIB_SRCS := $(wildcard user/lib/*.c) $(wildcard user/lib/*.S)
U_LIB_OBJS := $(patsubst %,$(BUILD)/user/%.o,$(basename $(U_LIB_SRCS)))

$(BUILD)/user/%.o: %.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/%.o: %.S
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) -MMD -MP -c $< -o $@

# user_program(name, source dir): $(BUILD)/user/<name>.elf from <dir>/*.c
define user_program
U_$(1)_OBJS := $$(patsubst %.c,$$(BUILD)/user/%.o,$$(wildcard $(2)/*.c))
$$(BUILD)/user/$(1).elf: $$(U_$(1)_OBJS) $$(U_LIB_OBJS) $$(U_LDS)
	@mkdir -p $$(@D)
	$$(KCC) $$(KLDFLAGS) -T $$(U_LDS) -o $$@ $$(U_$(1)_OBJS) $$(U_LIB_OBJS) -lgcc
endef

$(eval $(call user_program,console,drivers/console))
$(eval $(call user_program,ktest,tests/kernel/ktest))
$(eval $(call user_program,kpeer,tests/kernel/kpeer))
$(eval $(call user_program,kfuzz,tests/kernel/kfuzz))
$(eval $(call user_program,kfault,tests/kernel/kfault))
$(eval $(call user_program,kbench,tests/kernel/kbench))
$(eval $(call user_program,kbsrv,tests/kernel/kbsrv))

# ---- bootable images: kernel + system description, built by mkimage -------
MKIMAGE := $(BUILD)/bin/mkimage

K_SPLIT_OBJS := $(patsubst $(BUILD)/kernel/kernel/core/trap.o,$(BUILD)/kernel-split/kernel/core/trap.o,$(K_OBJS))
$(BUILD)/kernel/bulwark-split.elf: $(K_SPLIT_OBJS) $(K_LDS)
	$(call kernel_link,$@,$(K_SPLIT_OBJS))

# system_image(image, kernel, description, programs)
define system_image
$$(BUILD)/kernel/$(1).elf: $(2) $(3) $$(MKIMAGE) $$(foreach p,$(4),$$(BUILD)/user/$$(p).elf)
	$$(MKIMAGE) -k $(2) -o $$@ -L $$(BUILD)/user $(3)
endef

K_TEST_PROGS := console ktest kpeer kfuzz kfault
K_BENCH_PROGS := console kbench kbsrv
$(eval $(call system_image,test,$(BUILD)/kernel/bulwark.elf,tests/kernel/test-system.dts,$(K_TEST_PROGS)))
$(eval $(call system_image,bench,$(BUILD)/kernel/bulwark.elf,tests/kernel/bench-system.dts,$(K_BENCH_PROGS)))
$(eval $(call system_image,bench-split,$(BUILD)/kernel/bulwark-split.elf,tests/kernel/bench-system.dts,$(K_BENCH_PROGS)))

KERNEL_IMAGES := $(BUILD)/kernel/bulwark.elf $(BUILD)/kernel/test.elf $(BUILD)/kernel/bench.elf \
	$(BUILD)/kernel/bench-split.elf

# ---- host unit tests of the pure logic, on the fake architecture ----------
KH_INCLUDES := -Ikernel/include -Ikernel/arch/fake/include -Iinclude -I$(BUILD)/gen
KH_LOGIC := kernel/core/sched.c kernel/core/handle.c kernel/core/pt.c kernel/core/vmid.c \
	kernel/core/palloc.c kernel/core/avc.c kernel/arch/fake/fake_arch.c
KH_TESTS := $(wildcard tests/kernel/host/test_*.c)
KH_BINS := $(KH_TESTS:tests/kernel/host/%.c=$(BUILD)/san/tests/kernel/%)

$(BUILD)/san/tests/kernel/%: tests/kernel/host/%.c $(KH_LOGIC) $(wildcard kernel/include/kernel/*.h) $(FLASK_GEN)
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) $(KH_INCLUDES) -o $@ $< $(KH_LOGIC) -lcmocka

# ---- fuzzing the boot-payload reader on the host --------------------------
K_FUZZ_BIN := $(BUILD)/fuzz/bin/fuzz_bootinfo
K_FUZZ_SEEDS := $(BUILD)/kernel/fuzz-seeds/fuzz_bootinfo

$(K_FUZZ_BIN): tests/kernel/fuzz/fuzz_bootinfo.c kernel/core/bootinfo.c $(wildcard kernel/include/kernel/*.h) $(FLASK_GEN)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) $(KH_INCLUDES) -o $@ tests/kernel/fuzz/fuzz_bootinfo.c kernel/core/bootinfo.c

# Seeds: the payloads of the kernel's own images.
$(K_FUZZ_SEEDS)/.done: $(BUILD)/kernel/test.elf $(BUILD)/kernel/bench.elf tests/kernel/extract-payload
	@mkdir -p $(@D)
	tests/kernel/extract-payload $(BUILD)/kernel/test.elf $(@D)/test.bin
	tests/kernel/extract-payload $(BUILD)/kernel/bench.elf $(@D)/bench.bin
	@touch $@

FUZZ_BINS += $(K_FUZZ_BIN) $(K_FUZZ_SEEDS)/.done
FUZZERS += $(K_FUZZ_BIN):$(K_FUZZ_SEEDS)
TEST_DEPS += $(K_FUZZ_BIN) $(K_FUZZ_SEEDS)/.done
TEST_SUITES += "tools/run-fuzzers 5 $(K_FUZZ_BIN):$(K_FUZZ_SEEDS)"

# ---- targets --------------------------------------------------------------
.PHONY: kernel test-kernel bench-kernel
kernel: $(KERNEL_IMAGES)
ALL_TARGETS += $(KERNEL_IMAGES)
TEST_DEPS += $(KERNEL_IMAGES) $(KH_BINS)
TEST_SUITES += $(KH_BINS)
TEST_SUITES += "QEMU_CPU=cortex-a53 tests/qemu/run --timeout 120 $(BUILD)/kernel/test.elf"
TEST_SUITES += "QEMU_CPU=max tests/qemu/run --timeout 180 $(BUILD)/kernel/test.elf"
TEST_SUITES += "tests/kernel/bad-payloads $(BUILD)/kernel/test.elf"
BENCHES += "tests/kernel/bench.sh"

test-kernel: $(BUILD)/kernel/test.elf $(KH_BINS)
	@python3 tests/run $(KH_BINS) "tests/qemu/run --timeout 180 $(BUILD)/kernel/test.elf" \
		"tests/kernel/bad-payloads $(BUILD)/kernel/test.elf"

bench-kernel: $(BUILD)/kernel/bench.elf $(BUILD)/kernel/bench-split.elf
	@python3 tests/bench/run tests/kernel/bench.sh
