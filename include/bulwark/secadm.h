/* The guest admin mailbox: how `secadm` inside the Linux guest asks
 * policyd to load a policy, set a boolean, switch enforcing or read the
 * audit log (docs/SECURITY-SERVER.md "The guest admin channel").
 *
 * Two windows outside the guest's RAM, both named by the guest's device
 * tree (node bulwark-secadm, compatible "bulwark,secadm"):
 *   - a register page the VMM traps: every access exits, so a request is
 *     one store to SECADM_REG_CMD, which completes when policyd has
 *     answered (the vCPU waits in the VMM meanwhile);
 *   - a data window, shared memory mapped into the guest at stage 2, that
 *     carries what does not fit in a register: the policy to load (handed
 *     to policyd as it is, without a copy in the VMM), a boolean's name,
 *     the audit lines policyd returns.
 * The VMM forwards each request as a call made on behalf of its VM
 * (BW_INFO_AS_VM), so policyd decides against the VM's label
 * (linux_vm_t), never the VMM's: the whole guest is one subject.
 *
 * Linux maps both through /dev/mem as Device memory: 32-bit aligned
 * accesses only, in the register page and in the window alike. */
#ifndef BULWARK_SECADM_H
#define BULWARK_SECADM_H

#define SECADM_REGS_IPA 0x0c400000ul
#define SECADM_REGS_SIZE 0x1000ul
#define SECADM_WINDOW_IPA 0x0c600000ul
#define SECADM_WINDOW_SIZE 0x40000ul /* the largest policy: 256 KiB, the most policyd keeps for a restart */

/* Registers, 32 bits each. */
#define SECADM_REG_MAGIC 0x00  /* r: SECADM_MAGIC */
#define SECADM_REG_STATUS 0x04 /* r: SECADM_STATUS_* */
#define SECADM_REG_ARG 0x08    /* rw: the request's number (boolean value, enforcing, first audit line) */
#define SECADM_REG_LEN 0x0c    /* rw: bytes of the request in the window; after it, bytes of the answer */
#define SECADM_REG_CMD 0x10    /* w: SECADM_CMD_*: runs the request */
#define SECADM_REG_RESULT 0x14 /* r: the last request's BW_E_* code (bulwark/errors.h) */
#define SECADM_REG_OUT0 0x18   /* r: status: policy sequence number; audit: lines returned */
#define SECADM_REG_OUT1 0x1c   /* r: status: 1 enforcing; audit: the index after the last line logged */

#define SECADM_MAGIC 0x41535742u     /* "BWSA" */
#define SECADM_STATUS_READY 0x1u     /* the window is mapped and policyd's endpoint is held */

enum secadm_cmd {
	SECADM_CMD_STATUS = 1,  /* -> OUT0 sequence, OUT1 enforcing; needs compute_av */
	SECADM_CMD_LOAD = 2,    /* window: LEN bytes of polc output; needs load_policy */
	SECADM_CMD_SETBOOL = 3, /* window: the name (LEN bytes, no NUL needed), ARG 0/1; needs setbool */
	SECADM_CMD_ENFORCE = 4, /* ARG 0/1; needs setenforce */
	SECADM_CMD_AUDIT = 5,   /* ARG first line -> window: LEN bytes of lines, OUT0, OUT1; needs read_audit */
};

#define SECADM_NAME_MAX 255 /* a boolean's name */

#endif
