#!/bin/sh
# The security server's benchmarks (make bench), under -icount shift=0:
#   avc_hit_insns           the cache's hit path as compiled (aarch64 gcc -O2,
#                           kernel flags), counted in the disassembly
#   avc_hit_overhead_insns  ipc_call_reply_insns of the kernel with the cache
#                           minus the same with the allow-all stub; a
#                           call+reply makes 2 checks (call, receive)
#   avc_miss_insns          upcall round trip (tests/security/secbench)
#   policy_reload_us        policyd loading the device policy at run time,
#                           revocation scan included (instructions = ns)
#   policy_reload_large_us  the same for the toolchain benchmark's generated
#                           policy (tests/bench/policy/biggen.py, ~12 MiB),
#                           loaded in permissive mode (it knows none of the
#                           device's types)
set -u
BUILD=${BUILD:-build}
QEMU_CPU=${QEMU_CPU:-cortex-a53}
KCROSS=${KCROSS:-aarch64-linux-gnu-}
export BUILD QEMU_CPU
status=0

probe=$BUILD/security/avc_hit_probe.o
mkdir -p "$BUILD/security"
if ${KCROSS}gcc -std=c11 -O2 -ffreestanding -nostdlib -mgeneral-regs-only -fno-stack-protector -fno-pic \
	-Ikernel/include -Ikernel/arch/aarch64/include -Iinclude -I"$BUILD/gen" \
	-c tests/security/avc_hit_probe.c -o "$probe"; then
	n=$(${KCROSS}objdump -d "$probe" | awk '/<avc_hit_probe>:/{f=1;next} f&&/^$/{f=0} f&&/\t/{print}' |
		grep -vc '\sret')
	echo "BENCH avc_hit_insns $n instructions: every instruction of the hit-path probe but ret (static, aarch64 gcc -O2; the hit itself executes one fewer)"
else
	status=1
fi

ipc() {
	tests/qemu/run --icount --timeout 120 --until 'kbench done' --log "$BUILD/qemu-logs/$1-$QEMU_CPU.log" \
		"$BUILD/kernel/$1.elf" | sed -n 's/^\[kbench\] BENCH ipc_call_reply_insns \([0-9]*\).*/\1/p'
}
with=$(ipc bench)
stub=$(ipc bench-stub)
if [ -n "$with" ] && [ -n "$stub" ]; then
	echo "BENCH avc_hit_overhead_insns $((with - stub)) instructions added to ipc_call_reply_insns" \
		"($with with the cache, $stub with the allow-all stub; 2 checks per call+reply)"
else
	status=1
fi

out=$(tests/qemu/run --icount --timeout 120 --until 'secbench done' \
	--log "$BUILD/qemu-logs/sec-bench-$QEMU_CPU.log" "$BUILD/security/bench/sec-bench.elf") || status=1
echo "$out" | sed -n 's/^\[secbench\] \(BENCH .*\)$/\1/p'
insns=$(echo "$out" | sed -n 's/.*policyd: policy [0-9]* loaded (\([0-9]*\) bytes) in \([0-9]*\) instructions.*/\2 \1/p' | tail -1)
if [ -n "$insns" ]; then
	set -- $insns
	echo "BENCH policy_reload_us $(awk "BEGIN{printf \"%.1f\", $1/1000}") us, device policy ($2 bytes):" \
		"validate, rebind, new seq, flush, revocation scan ($1 instructions at 1 ns each)"
else
	status=1
fi
out=$(tests/qemu/run --icount --timeout 240 --until 'secbench done' \
	--log "$BUILD/qemu-logs/sec-bench-large-$QEMU_CPU.log" "$BUILD/security/bench-large/sec-bench.elf") || status=1
insns=$(echo "$out" | sed -n 's/.*policyd: policy [0-9]* loaded (\([0-9]*\) bytes) in \([0-9]*\) instructions.*/\2 \1/p' | tail -1)
if [ -n "$insns" ]; then
	set -- $insns
	echo "BENCH policy_reload_large_us $(awk "BEGIN{printf \"%.1f\", $1/1000}") us, generated policy ($2 bytes):" \
		"copy from the region, validate, rebind, new seq, flush, scan ($1 instructions at 1 ns each)"
else
	status=1
fi
exit $status
