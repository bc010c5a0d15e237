# tests/blk: the clock and block drivers end to end (tests/blk/run), the
# VMM's virtio-blk and PL031 models on the host (cmocka, ASan+UBSan), and
# a fuzzer that plays a hostile guest against the virtio-blk model.
# Included after vmm/build.mk: the restart test's image uses its macros.

BLK_UNIT := $(BUILD)/san/tests/blk/test_vblk
$(BLK_UNIT): tests/blk/test_vblk.c vmm/lib/virtio_blk.c vmm/lib/pl031.c vmm/include/vmm/virtio_blk.h \
		vmm/include/vmm/pl031.h include/hw/virtio.h
	@mkdir -p $(@D)
	$(HOSTCC) $(SAN_CFLAGS) -Ivmm/include -Iinclude -o $@ $< vmm/lib/virtio_blk.c vmm/lib/pl031.c -lcmocka

BLK_FUZZ_BIN := $(BUILD)/fuzz/bin/fuzz_vblk
BLK_FUZZ_SEEDS := $(BUILD)/fuzz-seeds/fuzz_vblk
$(BLK_FUZZ_BIN): tests/blk/fuzz_vblk.c vmm/lib/virtio_blk.c vmm/include/vmm/virtio_blk.h include/hw/virtio.h
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -Ivmm/include -Iinclude -o $@ $< vmm/lib/virtio_blk.c
$(BLK_FUZZ_SEEDS)/.done: tests/blk/fuzz-seeds.py
	python3 $< $(@D)
	@touch $@

# The restart test's device: the device itself, with the supervisor that
# carries the driver built with its crash hook (drivers/build.mk).  The
# VMMs are the device's own: the description differs in nothing they see.
$(BUILD)/blk/device-blkcrash-system.dts: tests/vm/device-system.dts
	@mkdir -p $(@D)
	sed 's/"supervisor-blk.elf"/"supervisor-blk-crashtest.elf"/' $< > $@
$(eval $(call device_image,device-blkcrash,$(BUILD)/blk/device-blkcrash-system.dts,console vmm-device-linux vmm-device-rtos supervisor-rtc supervisor-blk-crashtest))

# Whatever else the device image needs (other fragments add to its
# prerequisites), this one needs too.
$(BUILD)/kernel/device-blkcrash.elf: $(BUILD)/kernel/device.elf
BLK_IMAGES := $(BUILD)/kernel/device.elf $(BUILD)/kernel/device-blkcrash.elf
.PHONY: test-blk
test-blk: $(BUILD)/bin/polc $(BLK_UNIT) $(BLK_FUZZ_BIN) $(BLK_FUZZ_SEEDS)/.done $(BLK_IMAGES)
	@python3 tests/run $(BLK_UNIT) "tools/run-fuzzers 5 $(BLK_FUZZ_BIN):$(BLK_FUZZ_SEEDS)" "python3 tests/blk/policy-goals" \
		"python3 tests/blk/run --cpu cortex-a53 --cpu max,pauth-impdef=on"

ALL_TARGETS += $(BUILD)/kernel/device-blkcrash.elf
TEST_DEPS += $(BLK_UNIT) $(BLK_FUZZ_BIN) $(BLK_FUZZ_SEEDS)/.done $(BLK_IMAGES)
TEST_SUITES += $(BLK_UNIT)
TEST_SUITES += "tools/run-fuzzers 5 $(BLK_FUZZ_BIN):$(BLK_FUZZ_SEEDS)"
TEST_SUITES += "python3 tests/blk/policy-goals"
TEST_SUITES += "python3 tests/blk/run --cpu cortex-a53 --cpu max,pauth-impdef=on"
FUZZ_BINS += $(BLK_FUZZ_BIN) $(BLK_FUZZ_SEEDS)/.done
FUZZERS += $(BLK_FUZZ_BIN):$(BLK_FUZZ_SEEDS)
BENCHES += "python3 tests/blk/run --bench"
