#!/bin/sh
# Kernel benchmarks (make bench): boots the bench image under -icount
# shift=0 (instruction counts are then deterministic), then the bench-split
# image for the entry/logic/exit split, and prints the BENCH lines.
set -u
BUILD=${BUILD:-build}
QEMU_CPU=${QEMU_CPU:-cortex-a53}
export BUILD QEMU_CPU
status=0
for img in bench bench-split; do
	out=$(tests/qemu/run --icount --timeout 120 --until 'kbench done' \
		--log "$BUILD/qemu-logs/$img-$QEMU_CPU.log" "$BUILD/kernel/$img.elf") || status=1
	if [ "$img" = bench ]; then
		echo "$out" | sed -n 's/^\[kbench\] \(BENCH .*\)$/\1/p' | grep -v '_\(entry\|logic\|exit\)_insns'
	else
		echo "$out" | sed -n 's/^\[kbench\] \(BENCH [a-z_]*_\(entry\|logic\|exit\)_insns .*\)$/\1/p'
	fi
done
exit $status
