/* The guest admin mailbox (include/bulwark/secadm.h) in the Linux VMM:
 * the guest's requests forwarded to policyd as calls made on behalf of
 * its VM, so policyd judges the guest's domain, not the VMM's. */
#ifndef VMM_SECADM_PORT_H
#define VMM_SECADM_PORT_H

#include <bw/sys.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/devices.h>

/* Maps the data window into this VMM and into vm (the VM's handle, which
 * the calls name).  Without the description's handles (a system with no
 * admin channel) it says so once and the register page reports not ready. */
void secadm_port_start(bw_handle vm);
/* An access that exited: false if ipa is not the mailbox's. */
bool secadm_port_mmio(uint64_t ipa, struct vmm_access *a, bool *known);

#endif
