/* ktest: calls made on behalf of a VM (BW_INFO_AS_VM, bulwark/syscall.h).
 * This image has no policy, so who the receiver is told the caller is
 * (BW_SEC_CALLER) is checked on the device (tests/secadm); here: the call
 * is delivered like any other, and the kernel refuses a VM it cannot
 * accept: not a call, not a task, a task that is no VM, a VM handle that
 * does not let the caller run it, a forged handle. */
#include <bw/lib.h>
#include <bulwark/vcpu.h>

#define AS_VM_STACK 8192
#define AS_VM_LABEL 7

static _Alignas(16) uint8_t server_stack[AS_VM_STACK];
static bw_handle ep;
static volatile uint64_t seen_info, seen_mr0;

static void server(uint64_t arg)
{
	(void)arg;
	struct bw_msg m = {0};
	uint64_t err = bw_recv(ep, &m);
	while (err == BW_OK) {
		seen_info = m.info;
		seen_mr0 = m.mr[0];
		m = (struct bw_msg){.mr = {m.mr[0] + 1}};
		err = bw_reply_recv(ep, &m);
	}
	bw_thread_exit();
}

/* x0 = endpoint | vm << 32, the rest as bw_call would pass it. */
static uint64_t call_as(uint64_t nr, bw_handle vm, uint64_t mr0, uint64_t *reply_mr0)
{
	struct bw_regs r = {{ep | (uint64_t)vm << 32, bw_info(AS_VM_LABEL, 0, 0) | BW_INFO_AS_VM, mr0, 0, 0, 0, 0, 0}};
	uint64_t e = bw_syscall(nr, &r);
	if (reply_mr0)
		*reply_mr0 = r.x[2];
	return e;
}

void test_ipc_as_vm(void (*expect)(const char *, int), uint64_t prio)
{
	struct bw_regs r = {{0, 64 << 10, 0, 0, 0, 0, 0, 0}};
	uint64_t e = bw_syscall(BW_SYS_VM_CREATE, &r);
	bw_handle vm = (bw_handle)r.x[1];
	expect("as-VM: a VM to speak for", e == BW_OK);
	r = (struct bw_regs){{0, 64 << 10, 0, 0, 0, 0, 0, 0}};
	e = bw_syscall(BW_SYS_TASK_CREATE, &r);
	bw_handle plain = (bw_handle)r.x[1];
	expect("as-VM: a task that is no VM", e == BW_OK);
	r = (struct bw_regs){{vm, BW_R_SEND, 0, 0, 0, 0, 0, 0}};
	bw_handle weak = bw_syscall(BW_SYS_HANDLE_MINT, &r) == BW_OK ? (bw_handle)r.x[1] : 0;
	expect("as-VM: the VM's handle without manage", weak != 0);
	r = (struct bw_regs){{0, 0, 0, 0, 0, 0, 0, 0}};
	expect("as-VM: endpoint", bw_syscall(BW_SYS_ENDPOINT_CREATE, &r) == BW_OK);
	ep = (bw_handle)r.x[1];
	bw_handle th = 0;
	expect("as-VM: server thread",
	       bw_thread_create(0, server, server_stack + sizeof server_stack, prio, 0, &th) == BW_OK);
	bw_yield();

	uint64_t reply = 0;
	expect("as-VM: a call made as a VM the caller runs is delivered and answered",
	       call_as(BW_SYS_CALL, vm, 41, &reply) == BW_OK && reply == 42 && seen_mr0 == 41);
	expect("as-VM: the receiver sees the label, not the flag",
	       bw_info_label(seen_info) == AS_VM_LABEL && !(seen_info & BW_INFO_AS_VM));
	struct bw_msg m = {.info = bw_info(AS_VM_LABEL, 0, 0), .mr = {9}};
	expect("as-VM: a plain call afterwards is the caller's own", bw_call(ep, &m) == BW_OK && m.mr[0] == 10);
	expect("as-VM: a send (not a call) is refused", call_as(BW_SYS_SEND, vm, 1, NULL) == BW_E_INVAL);
	expect("as-VM: a task that is no VM is refused", call_as(BW_SYS_CALL, plain, 1, NULL) == BW_E_INVAL);
	expect("as-VM: a VM handle without manage (not the caller's to run) is refused",
	       call_as(BW_SYS_CALL, weak, 1, NULL) == BW_E_RIGHTS);
	expect("as-VM: an endpoint in place of the VM is refused", call_as(BW_SYS_CALL, ep, 1, NULL) == BW_E_TYPE);
	expect("as-VM: a forged VM handle is refused", call_as(BW_SYS_CALL, vm + 0x400, 1, NULL) == BW_E_BADHANDLE);
	expect("as-VM: no VM at all (upper half 0) is refused",
	       call_as(BW_SYS_CALL, 0, 1, NULL) != BW_OK && seen_mr0 == 9);

	bw_close(ep);
	bw_yield();
	bw_close(th);
	bw_close(weak);
	bw_close(plain);
	bw_close(vm);
}
