divert(-1)
# Permission sets for the device's object classes (policy/flask/classes.conf).
# Each expands to a brace list, so it may be combined with other
# permissions: allow a_t b_t:ipc { rw_ipc_perms grant };

# Kernel objects created and destroyed through the kernel (common kobject).
define(`manage_kobject_perms', `{ create destroy getattr }')

# IPC endpoints.
define(`r_ipc_perms', `{ receive }')
define(`w_ipc_perms', `{ send call }')
define(`rw_ipc_perms', `{ send call receive }')

# Notifications: a signal is the write side, wait the read side.
define(`signal_notification_perms', `{ signal }')
define(`wait_notification_perms', `{ wait }')
define(`rw_notification_perms', `{ signal wait }')

# Shared memory: map rights, as the page tables grant them.
define(`r_shm_perms', `{ map_read }')
define(`rw_shm_perms', `{ map_read map_write }')
define(`rx_shm_perms', `{ map_read map_exec }')

# Devices: a driver maps its registers and takes its interrupts.
define(`own_device_perms', `{ map_mmio bind_irq }')

# The security server's operations; only policyd holds policy_admin_perms.
define(`query_policy_perms', `{ compute_av compute_create }')
define(`policy_admin_perms', `{ load_policy setbool setenforce read_audit }')

# Virtual machines.
define(`run_vm_perms', `{ run inject_irq map_guest }')

divert(0)dnl
