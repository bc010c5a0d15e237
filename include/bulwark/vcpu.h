/* Virtual CPUs: the ABI between the kernel and a VMM (issue 5).
 *
 * A VM is a task whose address space is the guest's intermediate physical
 * address space: the VMM creates it (BW_SYS_TASK_CREATE), maps guest RAM
 * into it (BW_SYS_SHM_MAP with the VM task; checked as shm map_* and as
 * vm map_guest, and, unlike a native space, read+write+exec is allowed
 * because the guest enforces W^X in its own stage 1), then turns it into a
 * VM by creating its vCPU.  A vCPU is a thread that runs at EL1 with the
 * guest's own system registers; everything it cannot do alone is a VM exit
 * delivered to the VMM as a fault message on the vCPU's fault endpoint:
 *
 *   label  BW_FAULT_LABEL, info has BW_INFO_FAULT
 *   mr0    ESR_EL2 of the exit (its EC says what kind; helpers below)
 *   mr1    data/instruction abort: the faulting guest physical address
 *          HVC/SMC: guest x0 (the PSCI function)       system register: Rt's value
 *   mr2    guest PC of the exiting instruction
 *   mr3    abort, write: the value stored (already cut to the access width)
 *          HVC/SMC: guest x1                            otherwise 0
 *
 * The VMM answers with a reply: label BW_FAULT_RESUME resumes the vCPU
 * (anything else stops it, and the kernel reports it), mr0 holds
 * BW_VCPU_* flags and mr1 a value:
 *   BW_VCPU_SKIP  the exiting instruction is complete: continue after it
 *   BW_VCPU_LOAD  write the value: abort read -> the load's register
 *                 (zero- or sign-extended as the load asks), HVC/SMC -> x0,
 *                 system register read -> Rt
 */
#ifndef BULWARK_VCPU_H
#define BULWARK_VCPU_H

#include <bulwark/syscall.h>
#include <stdint.h>

/* x1 kernel-memory quota (bytes, from the caller's) -> x1 handle of a new,
 * empty VM task (all rights).  Checked as vm create. */
#define BW_SYS_VM_CREATE 30
/* x0 VM task (BW_R_MANAGE), x1 entry PC (guest physical), x2 guest x0
 * (the DTB for Linux), x3 priority, x4 fault endpoint (BW_R_SEND) for the
 * exits -> x1 handle of the vCPU thread (BW_R_MANAGE).  The vCPU starts at
 * EL1h with interrupts masked and its MMU off (the arm64 boot protocol). */
#define BW_SYS_VCPU_CREATE 31
/* x0 vCPU thread (BW_R_MANAGE), x1 virtual INTID (16..1019): make it
 * pending in the guest's virtual GIC; wakes a vCPU waiting in WFI. */
#define BW_SYS_VCPU_INJECT 32

/* The MMIO short path (a console's data and flag registers, say): x0 vCPU
 * thread (BW_R_MANAGE), x1 guest-physical address of a 4 KiB MMIO page,
 * x2 shared-memory region (BW_R_WRITE) whose first page becomes the
 * struct bw_mmio_fast below, x3 notification (BW_R_SEND) the kernel
 * signals to wake the VMM, x4 BW_MMIO_FAST_* flags.  The kernel copies the
 * register lists from the shared page at this call (later changes to them
 * are ignored).  Decoded accesses of 1..4 bytes to a listed offset then
 * stay in the kernel: a write is appended to the ring, a read returns
 * read_value[i] (cut and extended as the load asks).  Every other access
 * to the page still exits.  The kernel signals the notification when a
 * written low byte is a newline (BW_MMIO_FAST_WAKE_NEWLINE), when the ring
 * reaches half full, when the vCPU blocks in WFI or exits to the VMM while
 * the ring holds entries, and at the kernel's tick for entries that have
 * waited a whole tick.  A write that finds the ring full, or a
 * tail the kernel cannot believe, exits as usual.  A second call replaces
 * the registration; x2 = 0 removes it.  Checked as vm run on the vCPU's
 * VM, shm map_write on the region and notification signal. */
#define BW_SYS_VCPU_MMIO_FAST 33

#define BW_MMIO_FAST_REGS 4
#define BW_MMIO_FAST_SLOTS 256 /* a power of two */
#define BW_MMIO_FAST_UNUSED 0xffff
#define BW_MMIO_FAST_WAKE_NEWLINE (1ul << 0)

struct bw_mmio_fast_entry {
	uint16_t offset; /* in the MMIO page */
	uint16_t bytes;  /* access width */
	uint32_t value;  /* the value stored, cut to the width */
};

struct bw_mmio_fast {
	/* Set by the VMM before registering: 4-byte aligned offsets, or
	 * BW_MMIO_FAST_UNUSED. */
	uint16_t write_offset[BW_MMIO_FAST_REGS];
	uint16_t read_offset[BW_MMIO_FAST_REGS];
	/* Published by the VMM, read by the kernel at each access. */
	uint32_t read_value[BW_MMIO_FAST_REGS];
	uint32_t head; /* kernel: entries appended so far (wraps) */
	uint32_t tail; /* VMM: entries consumed so far (wraps) */
	/* Kept by the kernel, for the VMM's reports. */
	uint64_t writes_absorbed, reads_answered;
	uint32_t full_exits, refused_exits; /* writes that exited: ring full, tail unbelievable */
	uint8_t reserved[4096 - 64 - BW_MMIO_FAST_SLOTS * sizeof(struct bw_mmio_fast_entry)];
	struct bw_mmio_fast_entry ring[BW_MMIO_FAST_SLOTS];
};
_Static_assert(sizeof(struct bw_mmio_fast) == 4096, "the shared page is one page");

#define BW_VCPU_SKIP (1ul << 0)
#define BW_VCPU_LOAD (1ul << 1)
/* Restart the vCPU as BW_SYS_VCPU_CREATE made it (entry PC, x0, EL1 and
 * virtual GIC/timer state reset): PSCI SYSTEM_RESET, after the VMM has
 * reloaded the guest's images.  The other flags and the value are ignored. */
#define BW_VCPU_RESET (1ul << 2)

/* Exit kinds: ESR_EL2.EC. */
#define BW_EC_WFX      0x01
#define BW_EC_HVC64    0x16
#define BW_EC_SMC64    0x17
#define BW_EC_SYSREG   0x18
#define BW_EC_IABT_LOW 0x20
#define BW_EC_DABT_LOW 0x24

#define BW_VIRQ_VTIMER 27 /* the guest's virtual timer (CNTV) PPI */

static inline unsigned bw_esr_ec(unsigned long esr) { return (unsigned)(esr >> 26) & 0x3f; }

/* Data aborts: valid only when bw_abort_decoded(esr); a load/store pair or
 * a write-back access gives no syndrome, and a VMM cannot emulate it. */
static inline int bw_abort_decoded(unsigned long esr) { return (esr >> 24) & 1; }
static inline unsigned bw_abort_bytes(unsigned long esr) { return 1u << ((esr >> 22) & 3); }
static inline int bw_abort_is_write(unsigned long esr) { return (esr >> 6) & 1; }
static inline unsigned bw_abort_reg(unsigned long esr) { return (esr >> 16) & 31; }
static inline int bw_abort_sign_extend(unsigned long esr) { return (esr >> 21) & 1; }

/* Trapped MSR/MRS: op0, op1, CRn, CRm, op2 packed as in the instruction
 * encoding (S<op0>_<op1>_C<n>_C<m>_<op2>), and the direction. */
static inline unsigned bw_sysreg_id(unsigned long esr)
{
	unsigned iss = (unsigned)esr & 0x1ffffff;
	unsigned op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7;
	unsigned crn = (iss >> 10) & 15, crm = (iss >> 1) & 15;
	return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}
#define BW_SYSREG(op0, op1, crn, crm, op2) (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
static inline int bw_sysreg_is_read(unsigned long esr) { return esr & 1; }

#endif
