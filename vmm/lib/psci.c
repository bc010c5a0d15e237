/* PSCI for a one-vCPU guest.  Linux probes VERSION, FEATURES and
 * MIGRATE_INFO_TYPE at boot and uses SYSTEM_OFF/RESET for poweroff and
 * reboot; CPU_ON has no second vCPU to start, so it is an error until
 * guests get several. */
#include <vmm/devices.h>

static struct psci_result resume(int64_t x0)
{
	return (struct psci_result){x0, PSCI_RESUME};
}

static bool implemented(uint64_t fn)
{
	switch (fn) {
	case PSCI_VERSION_FN:
	case PSCI_CPU_OFF_FN:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF_FN:
	case PSCI_SYSTEM_RESET_FN:
	case PSCI_FEATURES_FN:
		return true;
	}
	return false;
}

/* The only vCPU has MPIDR affinity 0. */
static bool is_boot_cpu(uint64_t mpidr)
{
	return (mpidr & 0xff00ffffffull) == 0;
}

struct psci_result psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a2;
	(void)a3;
	/* SMC32 calls carry 32-bit arguments: the upper halves are not ours. */
	if (!(fn & 0x40000000u))
		a1 &= 0xffffffffu;
	switch (fn) {
	case PSCI_VERSION_FN:
		return resume(0x10001); /* 1.1 */
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		return resume(is_boot_cpu(a1) ? PSCI_ALREADY_ON : PSCI_INVALID_PARAMETERS);
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		/* Level 0 only; the boot vCPU is ON (0) while it can ask. */
		return resume(a2 == 0 && is_boot_cpu(a1) ? 0 : PSCI_INVALID_PARAMETERS);
	case PSCI_MIGRATE_INFO_TYPE:
		return resume(2); /* no trusted OS that would need migrating */
	case PSCI_FEATURES_FN:
		return resume(implemented(a1) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED);
	case PSCI_CPU_OFF_FN:
	case PSCI_SYSTEM_OFF_FN:
		/* The last vCPU going off is the machine going off. */
		return (struct psci_result){PSCI_SUCCESS, PSCI_POWER_OFF};
	case PSCI_SYSTEM_RESET_FN:
		return (struct psci_result){PSCI_SUCCESS, PSCI_RESET};
	}
	return resume(PSCI_NOT_SUPPORTED);
}
