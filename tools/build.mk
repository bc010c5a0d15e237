# tools: mkimage (the system-description checker and image builder: a host
# library in tools/mkimage/, its command in tools/mkimage/cli/, a libFuzzer
# target in tools/mkimage/fuzz/), its tests in tests/mkimage/, and newlib for
# user tasks (tools/build-newlib).

MK_DIR := tools/mkimage
MK_LIB_SRCS := $(wildcard $(MK_DIR)/*.c)
MK_INCLUDES := -Iinclude -I$(MK_DIR)

# The library's headers are local to it; only its own objects and tests see them.
$(BUILD)/host/$(MK_DIR)/%.o $(BUILD)/san/$(MK_DIR)/%.o $(BUILD)/fuzz/$(MK_DIR)/%.o: \
	HOST_INCLUDES += $(MK_INCLUDES)
$(BUILD)/san/tests/mkimage/%.o: HOST_INCLUDES += $(MK_INCLUDES)

$(BUILD)/host/lib/libmkimage.a: $(MK_LIB_SRCS:%.c=$(BUILD)/host/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/san/lib/libmkimage.a: $(MK_LIB_SRCS:%.c=$(BUILD)/san/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/lib/libmkimage.a: $(MK_LIB_SRCS:%.c=$(BUILD)/fuzz/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# The policy library checks contexts against the compiled policy.
$(BUILD)/bin/mkimage: $(BUILD)/host/$(MK_DIR)/cli/mkimage.o $(BUILD)/host/lib/libmkimage.a \
		$(BUILD)/host/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ -lfdt

# The sanitised command is what the corpus of broken descriptions runs.
$(BUILD)/san/bin/mkimage: $(BUILD)/san/$(MK_DIR)/cli/mkimage.o $(BUILD)/san/lib/libmkimage.a \
		$(BUILD)/san/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -lfdt

# Unit tests: one cmocka program per tests/mkimage/test_*.c.
MK_UNIT_SRCS := $(wildcard tests/mkimage/test_*.c)
MK_UNIT_BINS := $(MK_UNIT_SRCS:tests/mkimage/%.c=$(BUILD)/san/tests/mkimage/%)

$(MK_UNIT_BINS): $(BUILD)/san/tests/mkimage/%: $(BUILD)/san/tests/mkimage/%.o \
		$(BUILD)/san/tests/mkimage/helpers.o $(BUILD)/san/lib/libmkimage.a \
		$(BUILD)/san/lib/libpolicy.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -lcmocka -lfdt

# Small aarch64 programs the tests feed to mkimage: task images (good and
# broken) and a stand-in kernel that boots, validates the payload and reports.
MK_CROSS ?= aarch64-linux-gnu-
MK_AARCH64_CC := $(MK_CROSS)gcc
MK_TEST_IMG := $(BUILD)/tests/mkimage/images
MK_TASK_CFLAGS := -ffreestanding -nostdlib -static -O2 -Wall -Wextra -Werror

$(MK_TEST_IMG)/task.elf: tests/mkimage/images/task.c
	@mkdir -p $(@D)
	$(MK_AARCH64_CC) $(MK_TASK_CFLAGS) -o $@ $<

# One RWX segment: -N puts text and data together, writable.
$(MK_TEST_IMG)/rwx.elf: tests/mkimage/images/task.c
	@mkdir -p $(@D)
	$(MK_AARCH64_CC) $(MK_TASK_CFLAGS) -Wl,-N -Wl,--no-warn-rwx-segments -o $@ $<

$(MK_TEST_IMG)/notelf.elf: tests/mkimage/images/task.c
	@mkdir -p $(@D)
	cp $< $@

$(MK_TEST_IMG)/stubkernel.elf: tests/mkimage/images/stubkernel.S tests/mkimage/images/stubkernel.ld
	@mkdir -p $(@D)
	$(MK_AARCH64_CC) -nostdlib -static -Iinclude -Wl,--no-warn-rwx-segments \
		-T tests/mkimage/images/stubkernel.ld \
		-o $@ tests/mkimage/images/stubkernel.S

$(MK_TEST_IMG)/nobootptr.elf: $(MK_TEST_IMG)/stubkernel.elf
	$(MK_CROSS)objcopy --remove-section .bootptr $< $@

MK_TEST_IMAGES := $(MK_TEST_IMG)/task.elf $(MK_TEST_IMG)/rwx.elf $(MK_TEST_IMG)/notelf.elf \
	$(MK_TEST_IMG)/stubkernel.elf $(MK_TEST_IMG)/nobootptr.elf

# Fuzzer: DTB input straight into the reader and checker.  Seeds are the
# examples and the broken corpus, compiled by dtc at build time.
MK_FUZZ_BIN := $(BUILD)/fuzz/bin/fuzz_sysdesc
MK_FUZZ_SEEDS := $(BUILD)/fuzz-seeds/fuzz_sysdesc

$(MK_FUZZ_BIN): $(BUILD)/fuzz/$(MK_DIR)/fuzz/fuzz_sysdesc.o $(BUILD)/fuzz/lib/libmkimage.a \
		$(BUILD)/fuzz/lib/libpolicy.a $(MK_FUZZ_SEEDS)/.done
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $(filter %.o %.a,$^) -lfdt

# The ELF reader, payload builder and image linker on arbitrary files;
# seeds are the test programs.
MK_FUZZ_ELF_BIN := $(BUILD)/fuzz/bin/fuzz_elfimage
MK_FUZZ_ELF_SEEDS := $(BUILD)/fuzz-seeds/fuzz_elfimage

$(MK_FUZZ_ELF_BIN): $(BUILD)/fuzz/$(MK_DIR)/fuzz/fuzz_elfimage.o $(BUILD)/fuzz/lib/libmkimage.a \
		$(MK_FUZZ_ELF_SEEDS)/.done
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $(filter %.o %.a,$^) -lfdt

$(MK_FUZZ_ELF_SEEDS)/.done: $(MK_TEST_IMG)/task.elf $(MK_TEST_IMG)/rwx.elf \
		$(MK_TEST_IMG)/stubkernel.elf
	@mkdir -p $(@D)
	cp $^ $(@D)/
	@touch $@

# Inputs that once crashed a dependency stay in the seeds for good.
MK_FUZZ_REGRESSIONS := $(wildcard $(MK_DIR)/fuzz/regressions/*)

$(MK_FUZZ_SEEDS)/.done: $(wildcard tests/mkimage/examples/*.dts tests/mkimage/bad/*.dts) \
		$(MK_FUZZ_REGRESSIONS)
	@mkdir -p $(@D)
	@for f in $(filter %.dts,$^); do dtc -q -I dts -O dtb -o $(@D)/$$(basename $$f .dts).dtb $$f 2>/dev/null || rm -f $(@D)/$$(basename $$f .dts).dtb; done
	@$(if $(MK_FUZZ_REGRESSIONS),cp $(MK_FUZZ_REGRESSIONS) $(@D)/)
	@touch $@

# newlib for user tasks, cached: tools/build-newlib skips the build when the
# installed libc.a matches the recipe.
$(BUILD)/newlib/.done: tools/build-newlib
	sh tools/build-newlib

# newlib's system calls (user/newlib-glue) and programs that use them.
# Headers come from newlib and gcc only: the cross compiler's glibc headers
# must not leak in.
NL_PREFIX := $(BUILD)/newlib/aarch64-none-elf
NL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -nostdinc -isystem $(NL_PREFIX)/include \
	-isystem $(shell $(MK_CROSS)gcc -print-file-name=include) -Iuser/include -Iinclude \
	-Iuser/newlib-glue -fno-stack-protector -fno-pic -mno-outline-atomics
NL_GLUE := $(BUILD)/newlib-glue/libbwglue.a
NL_START := $(BUILD)/newlib-glue/start.o

$(BUILD)/newlib-glue/%.o: user/newlib-glue/%.c $(BUILD)/newlib/.done
	@mkdir -p $(@D)
	$(MK_CROSS)gcc $(NL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/newlib-glue/%.o: user/newlib-glue/%.S
	@mkdir -p $(@D)
	$(MK_CROSS)gcc -c $< -o $@

$(NL_GLUE): $(BUILD)/newlib-glue/syscalls.o
	rm -f $@ && $(MK_CROSS)ar rcs $@ $^

# newlib_link(output, objects): a static task image in the user layout.
define newlib_link
	@mkdir -p $(dir $(1))
	$(MK_CROSS)gcc -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-T user/user.ld -o $(1) $(NL_START) $(2) -Wl,--start-group $(NL_GLUE) \
		$(NL_PREFIX)/lib/libc.a $(NL_PREFIX)/lib/libm.a -lgcc -Wl,--end-group
endef

$(BUILD)/tests/newlib/%.o: tests/mkimage/newlib/%.c $(BUILD)/newlib/.done
	@mkdir -p $(@D)
	$(MK_CROSS)gcc $(NL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/newlib/newlib-hello.elf: $(BUILD)/tests/newlib/hello.o $(NL_GLUE) $(NL_START) user/user.ld
	$(call newlib_link,$@,$(BUILD)/tests/newlib/hello.o)

# Whole systems booted on the real kernel from mkimage payloads (the kernel
# test suite's own system is kernel/build.mk's).  The kernel and the console
# driver come from kernel/build.mk.
MK_SYSTEM_DEPS := $(BUILD)/bin/mkimage $(BUILD)/kernel/bulwark.elf $(BUILD)/user/console.elf \
	$(BUILD)/tests/newlib/newlib-hello.elf

ALL_TARGETS += $(BUILD)/bin/mkimage
TEST_DEPS += $(BUILD)/san/bin/mkimage $(BUILD)/san/bin/polc $(MK_UNIT_BINS) $(MK_TEST_IMAGES) \
	$(MK_SYSTEM_DEPS) $(MK_FUZZ_BIN) $(MK_FUZZ_ELF_BIN)
TEST_SUITES += $(MK_UNIT_BINS)
TEST_SUITES += "python3 tests/mkimage/run-bad"
TEST_SUITES += "sh tests/mkimage/run-boot"
TEST_SUITES += "sh tests/mkimage/run-systems"
TEST_SUITES += "tools/run-fuzzers 5 $(MK_FUZZ_BIN):$(MK_FUZZ_SEEDS)"
TEST_SUITES += "tools/run-fuzzers 5 $(MK_FUZZ_ELF_BIN):$(MK_FUZZ_ELF_SEEDS)"
FUZZ_BINS += $(MK_FUZZ_BIN) $(MK_FUZZ_ELF_BIN)
FUZZERS += $(MK_FUZZ_BIN):$(MK_FUZZ_SEEDS) $(MK_FUZZ_ELF_BIN):$(MK_FUZZ_ELF_SEEDS)

# mkimage -p's policy checks (contexts, then every grant) on arbitrary DTBs,
# against a policy the fuzzer compiles once; the same seeds.
MK_FUZZ_GRANTS_BIN := $(BUILD)/fuzz/bin/fuzz_grants
$(MK_FUZZ_GRANTS_BIN): $(BUILD)/fuzz/$(MK_DIR)/fuzz/fuzz_grants.o $(BUILD)/fuzz/lib/libmkimage.a \
		$(BUILD)/fuzz/lib/libpolicy.a $(MK_FUZZ_SEEDS)/.done
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $(filter %.o %.a,$^) -lfdt
TEST_DEPS += $(MK_FUZZ_GRANTS_BIN)
TEST_SUITES += "tools/run-fuzzers 5 $(MK_FUZZ_GRANTS_BIN):$(MK_FUZZ_SEEDS)"
FUZZ_BINS += $(MK_FUZZ_GRANTS_BIN)
FUZZERS += $(MK_FUZZ_GRANTS_BIN):$(MK_FUZZ_SEEDS)
