/* The test device the test VMM (tests/vm/vmtest) emulates for the test
 * guest (tests/vm/guest): the guest's only way to report, besides the
 * PL011 it prints on. */
#ifndef TESTS_VM_TESTDEV_H
#define TESTS_VM_TESTDEV_H

#define TESTDEV_BASE    0x0a000000ul
#define TESTDEV_RESULT  0x00 /* write: (check number << 1) | passed */
#define TESTDEV_PATTERN 0x10 /* read: TESTDEV_PATTERN_VALUE, any width */
#define TESTDEV_INJECT  0x20 /* write N: the VMM injects SPIs 40..40+N-1 */
#define TESTDEV_DONE    0x28 /* write: the scenario's checks are over */
#define TESTDEV_COUNT   0x30 /* write: a heartbeat (the spinning scenario) */
#define TESTDEV_BENCH   0x38 /* write n = 0..BENCH_EXITS-1: timed exits */
#define TESTDEV_EXITS   0x40 /* read: the exits the VMM has served so far */
#define TESTDEV_TICKER  0x48 /* write 0: the VMM's ticker thread pauses; 1: it runs again */
#define TESTDEV_B_GONE  0x50 /* read: 1 once the other VM's vCPU is stopped */
#define BENCH_EXITS     1001
#define TESTDEV_PATTERN_VALUE 0x8000000180402010ul

#define GUEST_RAM_BASE  0x40000000ul
#define GUEST_RAM_SIZE  0x100000ul
#define GUEST_OUTSIDE   0x80000000ul /* guest-physical, mapped to nothing */
#define GUEST_SPI_FIRST 40

#define SCENARIO_CHECKS 0 /* x0 at entry: run the checks, then touch GUEST_OUTSIDE */
#define SCENARIO_SPIN   1 /* x0 at entry: heartbeats forever */
#define SCENARIO_HOLD_TIMER 2 /* x0 at entry: keep a timer interrupt active, then spin */

#define PSCI_VERSION 0x84000000ul

#endif
