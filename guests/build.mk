# guests: the partitions Bulwark runs.  guests/linux is Debian's arm64 cloud
# kernel with our initramfs; guests/rtos is our small RTOS on newlib.  Both
# are tested natively on QEMU first (tests/guests/), so that the VMM only has
# to reproduce the same virtual platform.

GUEST_CROSS ?= aarch64-linux-gnu-
GUEST_CC := $(GUEST_CROSS)gcc

# ---- Linux guest ------------------------------------------------------------
GL_OUT := $(BUILD)/guests/linux
GL_TOOLS := bwinfo cpuload ioload
GL_TOOL_BINS := $(GL_TOOLS:%=$(GL_OUT)/tools/%)
GL_TOOL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -O2 -static

$(GL_OUT)/tools/%: guests/linux/tools/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GL_TOOL_CFLAGS) -o $@ $<

# The script downloads on first use only and rewrites its outputs only when
# they change; the stamp keeps make from re-running it on every invocation.
GL_IMAGE := $(GL_OUT)/Image
GL_INITRD := $(GL_OUT)/initrd.gz
$(GL_OUT)/.done: guests/linux/build guests/linux/initramfs.py \
		$(wildcard guests/linux/rootfs/*) $(GL_TOOL_BINS)
	python3 guests/linux/build $(GL_TOOL_BINS)
	@touch $@

.PHONY: guest-linux
guest-linux: $(GL_OUT)/.done

TEST_DEPS += $(GL_OUT)/.done
TEST_SUITES += "python3 tests/guests/boot-linux"
