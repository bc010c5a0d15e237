/* The MMIO short-path check of the VM test (mmio_fast.c). */
#ifndef TESTS_VM_VMTEST_MMIO_FAST_H
#define TESTS_VM_VMTEST_MMIO_FAST_H

void vmtest_mmio_fast(void (*expect)(const char *name, int ok));

#endif
