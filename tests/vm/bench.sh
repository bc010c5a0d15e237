#!/bin/sh
# VM benchmarks (make bench): the VM test image under -icount shift=0, where
# instruction counts are deterministic; prints its BENCH lines.
set -u
BUILD=${BUILD:-build}
QEMU_CPU=${QEMU_CPU:-cortex-a53}
export BUILD QEMU_CPU
out=$(tests/qemu/run --icount --timeout 120 --log "$BUILD/qemu-logs/vm-bench-$QEMU_CPU.log" \
	"$BUILD/kernel/vm-test.elf")
status=$?
echo "$out" | sed -n 's/^\[vmtest\] \(BENCH .*\)$/\1/p'
exit $status
