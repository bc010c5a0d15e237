# policyd: the security server task, its libselinux-style client library,
# the device policy (policy/device) compiled into the security images, and
# the security scenario suite (tests/security).

POLC := $(BUILD)/bin/polc
PD_ENGINE := $(BUILD)/aarch64/lib/libpolengine.a

# ---- policies ---------------------------------------------------------------
DEVPOL_SRCS := $(addprefix policy/device/,$(shell grep -v '^\#' policy/device/sources))
DEVPOL_DEPS := $(wildcard policy/device/* policy/flask/* policy/support/*)

$(BUILD)/policy/device.bin: $(DEVPOL_DEPS) $(POLC)
	@mkdir -p $(@D)
	$(POLC) -o $@ $(DEVPOL_SRCS)

# The scenario's reload: the device policy without the attacker's mapping
# and channel, which the reload must therefore revoke.
$(BUILD)/policy/sec-reload.bin: $(DEVPOL_DEPS) tests/security/revoked.te $(POLC)
	@mkdir -p $(@D)
	$(POLC) -o $@ tests/security/revoked.te $(DEVPOL_SRCS)

# ---- policyd ----------------------------------------------------------------
PD_CFLAGS := -Ipolicyd/include -Ipolicy-lang/include
PD_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard policyd/*.c))
PD_CLIENT_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard policyd/client/*.c))
$(PD_OBJS) $(PD_CLIENT_OBJS): UCFLAGS += $(PD_CFLAGS)

$(BUILD)/user/policyd.elf: $(PD_OBJS) $(U_LIB_OBJS) $(U_LDS) $(PD_ENGINE)
	@mkdir -p $(@D)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(PD_OBJS) $(U_LIB_OBJS) $(PD_ENGINE) -lgcc

# ---- scenario tasks ---------------------------------------------------------
$(eval $(call user_program,secpeer,tests/security/secpeer))

SECT_ATTACK_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard tests/security/secattack/*.c))
SECT_ADMIN_OBJS := $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard tests/security/secadmin/*.c))
$(SECT_ATTACK_OBJS) $(SECT_ADMIN_OBJS): UCFLAGS += $(PD_CFLAGS)

$(BUILD)/user/secattack.elf: $(SECT_ATTACK_OBJS) $(PD_CLIENT_OBJS) $(U_LIB_OBJS) $(U_LDS)
	@mkdir -p $(@D)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(SECT_ATTACK_OBJS) $(PD_CLIENT_OBJS) $(U_LIB_OBJS) -lgcc

# secadmin carries the policy it loads on request, as a C array, and the
# boot policy, which it loads again to show a re-allow restoring a handle.
# sec_admin(variant, policy): $(BUILD)/security/<variant>/secadmin.elf
define sec_admin
$$(BUILD)/security/$(1)/reload_policy.c: $(2) policyd/bin2c.py
	@mkdir -p $$(@D)
	python3 policyd/bin2c.py sec_reload_policy $(2) $$@
$$(BUILD)/security/$(1)/reload_policy.o: $$(BUILD)/security/$(1)/reload_policy.c
	$$(KCC) $$(UCFLAGS) -c $$< -o $$@
$$(BUILD)/security/$(1)/boot_policy.c: $$(BUILD)/policy/device.bin policyd/bin2c.py
	@mkdir -p $$(@D)
	python3 policyd/bin2c.py sec_boot_policy $$< $$@
$$(BUILD)/security/$(1)/boot_policy.o: $$(BUILD)/security/$(1)/boot_policy.c
	$$(KCC) $$(UCFLAGS) -c $$< -o $$@
$$(BUILD)/security/$(1)/secadmin.elf: $$(SECT_ADMIN_OBJS) $$(BUILD)/security/$(1)/reload_policy.o \
		$$(BUILD)/security/$(1)/boot_policy.o $$(PD_CLIENT_OBJS) $$(U_LIB_OBJS) $$(U_LDS)
	$$(KCC) $$(KLDFLAGS) -T $$(U_LDS) -o $$@ $$(SECT_ADMIN_OBJS) $$(BUILD)/security/$(1)/reload_policy.o \
		$$(BUILD)/security/$(1)/boot_policy.o $$(PD_CLIENT_OBJS) $$(U_LIB_OBJS) -lgcc
endef

SEC_PROGS := policyd console secpeer secattack
SEC_PROG_ELFS := $(foreach p,$(SEC_PROGS),$(BUILD)/user/$(p).elf)

# sec_image(variant, reload policy): the scenario image whose secadmin
# loads that policy; mkimage checks every context against the boot policy
# (the attacker holds grants the policy denies on purpose: warnings only).
define sec_image
$(call sec_admin,$(1),$(2))
$$(BUILD)/security/$(1)/sec-test.elf: $$(BUILD)/kernel/bulwark.elf tests/security/sec-system.dts $$(MKIMAGE) \
		$$(BUILD)/policy/device.bin $$(SEC_PROG_ELFS) $$(BUILD)/security/$(1)/secadmin.elf
	$$(MKIMAGE) -k $$(BUILD)/kernel/bulwark.elf -o $$@ -p $$(BUILD)/policy/device.bin --allow-denied-grants \
		-L $$(BUILD)/security/$(1) -L $$(BUILD)/user tests/security/sec-system.dts
endef

$(eval $(call sec_image,revoke,$(BUILD)/policy/sec-reload.bin))
# The audit2allow test (tests/security/run) builds this variant with the
# policy it generates: make SEC_A2A_POLICY=FILE $(BUILD)/security/a2a/sec-test.elf
SEC_A2A_POLICY ?= $(BUILD)/policy/device.bin
$(eval $(call sec_image,a2a,$(SEC_A2A_POLICY)))

SEC_IMAGE := $(BUILD)/security/revoke/sec-test.elf
ALL_TARGETS += $(SEC_IMAGE)
TEST_DEPS += $(SEC_IMAGE) $(BUILD)/bin/polc $(BUILD)/san/tests/kernel/test_avc
TEST_SUITES += "QEMU_CPU=cortex-a53 tests/security/run --a2a $(SEC_IMAGE)" "QEMU_CPU=max tests/security/run $(SEC_IMAGE)"

.PHONY: test-security
test-security: $(SEC_IMAGE) $(BUILD)/bin/polc
	@python3 tests/run "tests/security/run $(SEC_IMAGE)"

# ---- the timing scenario (tests/security/timing, under -icount) -------------
# policyd with its test hooks (PD_TEST_STALL), found before the product one
# by mkimage's -L order; otherwise the same sources.
PD_TEST_OBJS := $(patsubst %.c,$(BUILD)/user-pdtest/%.o,$(wildcard policyd/*.c))
$(BUILD)/user-pdtest/%.o: %.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(UCFLAGS) $(PD_CFLAGS) -DPOLICYD_TEST_HOOKS -MMD -MP -c $< -o $@
$(BUILD)/security/timing/policyd.elf: $(PD_TEST_OBJS) $(U_LIB_OBJS) $(U_LDS) $(PD_ENGINE)
	@mkdir -p $(@D)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(PD_TEST_OBJS) $(U_LIB_OBJS) $(PD_ENGINE) -lgcc

$(eval $(call user_program,sectime,tests/security/sectime))
$(U_sectime_OBJS): UCFLAGS += $(PD_CFLAGS)
SEC_TIMING_IMAGE := $(BUILD)/security/timing/sec-timing.elf
$(SEC_TIMING_IMAGE): $(BUILD)/kernel/bulwark.elf tests/security/timing-system.dts $(MKIMAGE) \
		$(BUILD)/policy/device.bin $(BUILD)/security/timing/policyd.elf $(BUILD)/user/console.elf \
		$(BUILD)/user/sectime.elf
	$(MKIMAGE) -k $(BUILD)/kernel/bulwark.elf -o $@ -p $(BUILD)/policy/device.bin \
		-L $(BUILD)/security/timing -L $(BUILD)/user tests/security/timing-system.dts

ALL_TARGETS += $(SEC_TIMING_IMAGE)
TEST_DEPS += $(SEC_TIMING_IMAGE)
TEST_SUITES += "QEMU_CPU=cortex-a53 tests/security/timing $(SEC_TIMING_IMAGE)" \
	"QEMU_CPU=max tests/security/timing $(SEC_TIMING_IMAGE)"

# ---- benchmarks -------------------------------------------------------------
# The allow-all baseline: every kernel object built with the stub check.
K_STUB_OBJS := $(patsubst $(BUILD)/kernel/%,$(BUILD)/kernel-stub/%,$(K_OBJS))
$(BUILD)/kernel-stub/%.o: %.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -DBW_AVC_STUB -MMD -MP -c $< -o $@
$(BUILD)/kernel-stub/%.o: %.S
	@mkdir -p $(@D)
	$(KCC) $(KASFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/kernel/bulwark-stub.elf: $(K_STUB_OBJS) $(K_LDS)
	$(call kernel_link,$@,$(K_STUB_OBJS))
$(eval $(call system_image,bench-stub,$(BUILD)/kernel/bulwark-stub.elf,tests/kernel/bench-system.dts,$(K_BENCH_PROGS)))

# The security benchmark kernel: the cache-flush hook compiled in.
$(BUILD)/kernel-secbench/%.o: %.c | $(FLASK_GEN)
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -DBW_SEC_BENCH -MMD -MP -c $< -o $@
K_SECBENCH_OBJS := $(patsubst $(BUILD)/kernel/kernel/core/syscall.o,$(BUILD)/kernel-secbench/kernel/core/syscall.o,$(K_OBJS))
$(BUILD)/kernel/bulwark-secbench.elf: $(K_SECBENCH_OBJS) $(K_LDS)
	$(call kernel_link,$@,$(K_SECBENCH_OBJS))

$(eval $(call user_program,secbench,tests/security/secbench))
$(eval $(call sec_admin,bench,$(BUILD)/policy/device.bin))
$(BUILD)/security/bench/sec-bench.elf: $(BUILD)/kernel/bulwark-secbench.elf tests/security/bench-system.dts $(MKIMAGE) \
		$(BUILD)/policy/device.bin $(BUILD)/user/policyd.elf $(BUILD)/user/console.elf $(BUILD)/user/secbench.elf \
		$(BUILD)/security/bench/secadmin.elf
	$(MKIMAGE) -k $(BUILD)/kernel/bulwark-secbench.elf -o $@ -p $(BUILD)/policy/device.bin \
		-L $(BUILD)/security/bench -L $(BUILD)/user tests/security/bench-system.dts

# policy_reload_large_us: the same bench image, but its administrator loads
# the toolchain benchmark's generated policy (tests/bench/policy/biggen.py,
# about 12 MiB compiled), embedded with .incbin; the description gets room
# for it (a 16 MiB policy region, larger quotas).
$(BUILD)/policy/big.conf: tests/bench/policy/biggen.py
	@mkdir -p $(@D)
	python3 $< $@ 2>/dev/null
$(BUILD)/policy/big.bin: $(BUILD)/policy/big.conf $(POLC)
	$(POLC) -o $@ $<
$(BUILD)/security/bench-large/reload_policy.o: $(BUILD)/policy/big.bin
	@mkdir -p $(@D)
	printf '.section .rodata\n.global sec_reload_policy\n.global sec_reload_policy_size\n.balign 8\nsec_reload_policy:\n.incbin "%s"\n.balign 8\nsec_reload_policy_size:\n.quad %s\n' \
		"$(abspath $<)" "$$(stat -c %s $<)" > $(@D)/reload_policy.S
	$(KCC) -c $(@D)/reload_policy.S -o $@
$(BUILD)/security/bench-large/secadmin.elf: $(SECT_ADMIN_OBJS) $(BUILD)/security/bench-large/reload_policy.o \
		$(BUILD)/security/bench/boot_policy.o $(PD_CLIENT_OBJS) $(U_LIB_OBJS) $(U_LDS)
	$(KCC) $(KLDFLAGS) -T $(U_LDS) -o $@ $(SECT_ADMIN_OBJS) $(BUILD)/security/bench-large/reload_policy.o \
		$(BUILD)/security/bench/boot_policy.o $(PD_CLIENT_OBJS) $(U_LIB_OBJS) -lgcc
$(BUILD)/security/bench-large/bench-system.dts: tests/security/bench-system.dts
	@mkdir -p $(@D)
	sed -e 's/size = <0x40000>;/size = <0x1000000>;/' -e 's/memory-quota = <0x300000>;/memory-quota = <0x1800000>;/' \
		-e 's/memory-quota = <0x100000>;/memory-quota = <0x1400000>;/' $< > $@
$(BUILD)/security/bench-large/sec-bench.elf: $(BUILD)/kernel/bulwark-secbench.elf $(BUILD)/security/bench-large/bench-system.dts \
		$(MKIMAGE) $(BUILD)/policy/device.bin $(BUILD)/user/policyd.elf $(BUILD)/user/console.elf \
		$(BUILD)/user/secbench.elf $(BUILD)/security/bench-large/secadmin.elf
	$(MKIMAGE) -k $(BUILD)/kernel/bulwark-secbench.elf -o $@ -p $(BUILD)/policy/device.bin \
		-L $(BUILD)/security/bench-large -L $(BUILD)/user $(BUILD)/security/bench-large/bench-system.dts

SEC_BENCH_IMAGES := $(BUILD)/kernel/bench-stub.elf $(BUILD)/security/bench/sec-bench.elf \
	$(BUILD)/security/bench-large/sec-bench.elf $(BUILD)/kernel/bulwark-stub.elf
TEST_DEPS += $(SEC_BENCH_IMAGES)
BENCHES += "tests/security/bench.sh"

.PHONY: bench-security
bench-security: $(SEC_BENCH_IMAGES) $(BUILD)/kernel/bench.elf
	@python3 tests/bench/run tests/security/bench.sh
