/* aarch64 system-register fields the kernel programs. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <kernel/types.h>
#include <kernel/percpu.h>

#define SCTLR_EL2_RES1 0x30c50830ull
#define SCTLR_M   (1ull << 0)
#define SCTLR_C   (1ull << 2)
#define SCTLR_SA  (1ull << 3)
#define SCTLR_I   (1ull << 12)
#define SCTLR_WXN (1ull << 19)

#define TCR_EL2_RES1 ((1ull << 31) | (1ull << 23))

#define HCR_VM   (1ull << 0)
#define HCR_FMO  (1ull << 3)
#define HCR_IMO  (1ull << 4)
#define HCR_AMO  (1ull << 5)
#define HCR_DC   (1ull << 12)
#define HCR_TWI  (1ull << 13)
#define HCR_TWE  (1ull << 14)
#define HCR_TSC  (1ull << 19)
#define HCR_TGE  (1ull << 27)
#define HCR_RW   (1ull << 31)

#define CPTR_EL2_RES1 0x32ffull
#define CPTR_TFP (1ull << 10)

/* ESR_EL2 exception classes. */
#define EC_UNKNOWN  0x00
#define EC_WFX      0x01
#define EC_FP       0x07
#define EC_ILLEGAL  0x0e
#define EC_SVC64    0x15
#define EC_SYSREG   0x18
#define EC_IABT_LOW 0x20
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_SP_ALIGN 0x26
#define EC_BRK      0x3c

#define SPSR_EL0T 0x0ull

#endif
