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

$(BUILD)/bin/mkimage: $(BUILD)/host/$(MK_DIR)/cli/mkimage.o $(BUILD)/host/lib/libmkimage.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ -lfdt

# The sanitised command is what the corpus of broken descriptions runs.
$(BUILD)/san/bin/mkimage: $(BUILD)/san/$(MK_DIR)/cli/mkimage.o $(BUILD)/san/lib/libmkimage.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -lfdt

# Unit tests: one cmocka program per tests/mkimage/test_*.c.
MK_UNIT_SRCS := $(wildcard tests/mkimage/test_*.c)
MK_UNIT_BINS := $(MK_UNIT_SRCS:tests/mkimage/%.c=$(BUILD)/san/tests/mkimage/%)

$(MK_UNIT_BINS): $(BUILD)/san/tests/mkimage/%: $(BUILD)/san/tests/mkimage/%.o \
		$(BUILD)/san/tests/mkimage/helpers.o $(BUILD)/san/lib/libmkimage.a
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -lcmocka -lfdt

# Small aarch64 programs the tests feed to mkimage: task images (good and
# broken) and a stand-in kernel that boots, validates the payload and reports.
MK_AARCH64_CC ?= aarch64-linux-gnu-gcc
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
	aarch64-linux-gnu-objcopy --remove-section .bootptr $< $@

MK_TEST_IMAGES := $(MK_TEST_IMG)/task.elf $(MK_TEST_IMG)/rwx.elf $(MK_TEST_IMG)/notelf.elf \
	$(MK_TEST_IMG)/stubkernel.elf $(MK_TEST_IMG)/nobootptr.elf

# Fuzzer: DTB input straight into the reader and checker.  Seeds are the
# examples and the broken corpus, compiled by dtc at build time.
MK_FUZZ_BIN := $(BUILD)/fuzz/bin/fuzz_sysdesc
MK_FUZZ_SEEDS := $(BUILD)/fuzz-seeds/fuzz_sysdesc

$(MK_FUZZ_BIN): $(BUILD)/fuzz/$(MK_DIR)/fuzz/fuzz_sysdesc.o $(BUILD)/fuzz/lib/libmkimage.a \
		$(MK_FUZZ_SEEDS)/.done
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $(filter %.o %.a,$^) -lfdt

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

ALL_TARGETS += $(BUILD)/bin/mkimage
TEST_DEPS += $(BUILD)/san/bin/mkimage $(MK_UNIT_BINS) $(MK_TEST_IMAGES) $(MK_FUZZ_BIN)
TEST_SUITES += $(MK_UNIT_BINS)
TEST_SUITES += "python3 tests/mkimage/run-bad"
TEST_SUITES += "sh tests/mkimage/run-boot"
TEST_SUITES += "tools/run-fuzzers 5 $(MK_FUZZ_BIN):$(MK_FUZZ_SEEDS)"
FUZZ_BINS += $(MK_FUZZ_BIN)
FUZZERS += $(MK_FUZZ_BIN):$(MK_FUZZ_SEEDS)
