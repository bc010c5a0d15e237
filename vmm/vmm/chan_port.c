/* This guest's end of the Linux <-> RTOS channel (docs/ARCHITECTURE.md
 * "Channel").  The system description gives this VMM the two ring regions,
 * a send right to the peer's doorbell and a receive right to its own
 * (slots CHAN_SLOT_*).  The rings are mapped straight into the guest
 * (stage 2, checked as shm map_read/map_write on chan_ring_t), so messages
 * never pass through a VMM; only the doorbells do:
 *
 *   guest writes CHAN_REG_DOORBELL -> exit -> signal the peer's doorbell
 *   (checked as notification signal)
 *   our doorbell signalled -> this file's thread wakes (notification
 *   wait) -> Linux: a rising edge on PL061 line 0, the GPIO's SPI;
 *   RTOS: CHAN_RTOS_INTID.
 *
 * Whatever is refused (no handles, a policy without the channel) is
 * reported once and shows in the doorbell page's status register, so the
 * guest's tool can say why instead of waiting forever. */
#include "chan_port.h"
#include <bulwark/chanring.h>
#include <bulwark/vcpu.h>
#include <bw/lib.h>
#include <vmm/pl061.h>

#define CHAN_SLOT_TO_RTOS BW_BOOT_HANDLE(17)  /* slot 20 */
#define CHAN_SLOT_TO_LINUX BW_BOOT_HANDLE(18) /* slot 21 */
#define CHAN_SLOT_BELL_OUT BW_BOOT_HANDLE(19) /* slot 22 */
#define CHAN_SLOT_BELL_IN BW_BOOT_HANDLE(20)  /* slot 23 */
#define THREAD_STACK_SIZE 8192
#define LINUX_DOORBELL_LINE 0

static enum chan_guest guest;
static struct vgic *gic;
static struct pl061 gpio;
static bw_handle vcpu_handle;
static uint32_t status; /* CHAN_STATUS_* as the guest reads it */
static bool send_refused_told, rings_missing_told;
static bool rtos_irq_due; /* a doorbell came before the RTOS enabled its SPI */
static _Alignas(16) uint8_t thread_stack[THREAD_STACK_SIZE];

void chan_port_init(struct vgic *g, enum chan_guest which)
{
	gic = g;
	guest = which;
	pl061_init(&gpio);
}

static void inject(uint32_t intid)
{
	bw_sys3(BW_SYS_VCPU_INJECT, vcpu_handle, intid, 0, NULL);
}

/* Linux: the PL061's output is a level; the virtual GIC takes an
 * injection as an edge that stays pending, so inject whenever the line
 * may have risen (as for the PL011): it was low, or its SPI was off. */
static bool gpio_spi_enabled;

static void gpio_line_update(bool was_high)
{
	bool high = pl061_irq_status(&gpio) != 0;
	bool enabled = vgic_enabled(gic, CHAN_PL061_INTID);
	if (high && enabled && (!was_high || !gpio_spi_enabled))
		inject(CHAN_PL061_INTID);
	gpio_spi_enabled = enabled;
}

static void rtos_irq_update(void)
{
	if (__atomic_load_n(&rtos_irq_due, __ATOMIC_ACQUIRE) && vgic_enabled(gic, CHAN_RTOS_INTID)) {
		__atomic_store_n(&rtos_irq_due, false, __ATOMIC_RELEASE);
		inject(CHAN_RTOS_INTID);
	}
}

/* Runs above the vCPU: a doorbell reaches the guest even while it spins. */
static void doorbell_thread(uint64_t arg)
{
	(void)arg;
	for (;;) {
		uint64_t bits, err = bw_wait(CHAN_SLOT_BELL_IN, &bits);
		if (err) {
			bw_printf("vmm: channel: waiting for the peer's doorbell refused: error %lu%s\n",
				  (unsigned long)err, err == BW_E_DENIED ? " (denied by policy)" : "");
			__atomic_fetch_and(&status, ~CHAN_STATUS_RECV, __ATOMIC_ACQ_REL);
			bw_thread_exit();
		}
		if (guest == CHAN_GUEST_LINUX) {
			bool was_high = pl061_irq_status(&gpio) != 0;
			pl061_pulse(&gpio, LINUX_DOORBELL_LINE);
			gpio_line_update(was_high);
		} else {
			__atomic_store_n(&rtos_irq_due, true, __ATOMIC_RELEASE);
			rtos_irq_update();
		}
	}
}

void chan_port_start(bw_handle vm, bw_handle vcpu, uint64_t prio)
{
	vcpu_handle = vcpu;
	const uint64_t ring_ipa[2] = {CHAN_RING_TO_RTOS_IPA, CHAN_RING_TO_LINUX_IPA};
	const bw_handle ring[2] = {CHAN_SLOT_TO_RTOS, CHAN_SLOT_TO_LINUX};
	uint64_t err = 0;
	for (unsigned i = 0; i < 2 && !err; i++)
		err = bw_sys(BW_SYS_SHM_MAP, ring[i], vm, ring_ipa[i], BW_R_READ | BW_R_WRITE, 0, NULL);
	if (err == BW_E_BADHANDLE) {
		bw_printf("vmm: no channel in this system (no ring handles)\n");
		return;
	}
	if (err) {
		bw_printf("vmm: channel: mapping the rings into the guest refused: error %lu%s\n",
			  (unsigned long)err, err == BW_E_DENIED ? " (denied by policy)" : "");
		return;
	}
	status = CHAN_STATUS_RINGS | CHAN_STATUS_SEND | CHAN_STATUS_RECV;
	if ((err = bw_thread_create(BW_HANDLE_SELF_TASK, doorbell_thread, thread_stack + sizeof thread_stack,
				    prio, 0, NULL))) {
		bw_printf("vmm: channel: no doorbell thread: error %lu\n", (unsigned long)err);
		status &= ~CHAN_STATUS_RECV;
	}
	bw_printf("vmm: channel rings at %lx and %lx, doorbell page at %lx\n", (unsigned long)ring_ipa[0],
		  (unsigned long)ring_ipa[1], (unsigned long)CHAN_DOORBELL_IPA);
}

static bool doorbell_access(struct vmm_access *a)
{
	if (a->bytes != 4)
		return false;
	switch (a->offset) {
	case CHAN_REG_DOORBELL:
		if (!a->write)
			return false;
		if (!(status & CHAN_STATUS_RINGS))
			return true;
		uint64_t err = bw_signal(CHAN_SLOT_BELL_OUT);
		if (err) {
			__atomic_fetch_and(&status, ~CHAN_STATUS_SEND, __ATOMIC_ACQ_REL);
			if (!send_refused_told)
				bw_printf("vmm: channel: ringing the peer's doorbell refused: error %lu%s\n",
					  (unsigned long)err, err == BW_E_DENIED ? " (denied by policy)" : "");
			send_refused_told = true;
		} else {
			__atomic_fetch_or(&status, CHAN_STATUS_SEND, __ATOMIC_ACQ_REL);
		}
		return true;
	case CHAN_REG_STATUS:
		if (!a->write)
			a->value = __atomic_load_n(&status, __ATOMIC_ACQUIRE);
		return !a->write;
	case CHAN_REG_MAGIC:
		if (!a->write)
			a->value = CHAN_MAGIC;
		return !a->write;
	}
	return false;
}

bool chan_port_mmio(uint64_t ipa, struct vmm_access *a, bool *known)
{
	if (ipa >= CHAN_DOORBELL_IPA && ipa < CHAN_DOORBELL_IPA + CHAN_DOORBELL_SIZE) {
		a->offset = ipa - CHAN_DOORBELL_IPA;
		*known = doorbell_access(a);
		return true;
	}
	if (guest == CHAN_GUEST_LINUX && ipa >= CHAN_PL061_BASE && ipa < CHAN_PL061_BASE + PL061_SIZE) {
		a->offset = ipa - CHAN_PL061_BASE;
		bool was_high = pl061_irq_status(&gpio) != 0;
		*known = pl061_access(&gpio, a);
		if (a->write)
			gpio_line_update(was_high);
		return true;
	}
	/* The rings' window when they could not be mapped: reads as zero,
	 * writes ignored, so a guest probing a refused channel is told by the
	 * status register rather than stopped. */
	if (!(status & CHAN_STATUS_RINGS) && ipa >= CHAN_RING_TO_RTOS_IPA &&
	    ipa < CHAN_RING_TO_LINUX_IPA + CHAN_RING_SIZE) {
		if (!rings_missing_told)
			bw_printf("vmm: channel: the guest touched the rings, which are not mapped (ignored)\n");
		rings_missing_told = true;
		if (!a->write)
			a->value = 0;
		*known = true;
		return true;
	}
	return false;
}

void chan_port_gic_written(void)
{
	if (guest == CHAN_GUEST_LINUX)
		gpio_line_update(true); /* an SPI just enabled finds its line high */
	else
		rtos_irq_update();
}
