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
 * reported once per outage and shows in the doorbell page's status
 * register, so the guest's tool can say why instead of waiting forever.
 * A policy change can withdraw the channel and a later one give it back:
 * the kernel then checks each signal and wait afresh and unmaps a ring
 * whose mapping is no longer allowed, so this file keeps trying -- a
 * refused wait again after a backoff, a refused signal at the guest's next
 * doorbell, a lost ring mapping at the guest's next access to it -- and
 * the channel works again, with no restart, once it is allowed. */
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
/* A refused wait is tried again after this, doubling up to the maximum:
 * each try is an audited denial, so an outage costs one record a second,
 * yet a re-allowing load is noticed within a second. */
#define WAIT_RETRY_FIRST_MS 100
#define WAIT_RETRY_MAX_MS 1000

static enum chan_guest guest;
static struct vgic *gic;
static struct pl061 gpio;
static bw_handle vcpu_handle;
static uint32_t status; /* CHAN_STATUS_* as the guest reads it */
static bool send_refused_told, rings_missing_told, ring_lost_told;
static bw_handle vm_handle;
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

static void deliver_doorbell(void)
{
	if (guest == CHAN_GUEST_LINUX) {
		bool was_high = pl061_irq_status(&gpio) != 0;
		pl061_pulse(&gpio, LINUX_DOORBELL_LINE);
		gpio_line_update(was_high);
	} else {
		__atomic_store_n(&rtos_irq_due, true, __ATOMIC_RELEASE);
		rtos_irq_update();
	}
}

/* While a policy refuses our wait: tries again with a non-blocking poll
 * (checked as the wait is) after sleeping a backoff, so that the outage's end is
 * noticed, and reported, as soon as it is allowed, doorbell or not. */
static uint64_t wait_until_allowed(uint64_t *bits)
{
	bw_printf("vmm: channel: waiting for the peer's doorbell refused: error %lu (denied by policy); "
		  "retrying until it is allowed again\n",
		  (unsigned long)BW_E_DENIED);
	__atomic_fetch_and(&status, ~CHAN_STATUS_RECV, __ATOMIC_ACQ_REL);
	uint64_t retry_ms = WAIT_RETRY_FIRST_MS, err;
	for (;;) {
		bw_sleep_us(retry_ms * 1000);
		if ((err = bw_poll(CHAN_SLOT_BELL_IN, bits)) != BW_E_DENIED)
			break;
		if ((retry_ms *= 2) > WAIT_RETRY_MAX_MS)
			retry_ms = WAIT_RETRY_MAX_MS;
	}
	if (!err) {
		bw_printf("vmm: channel: waiting for the peer's doorbell allowed again\n");
		__atomic_fetch_or(&status, CHAN_STATUS_RECV, __ATOMIC_ACQ_REL);
	}
	return err;
}

/* Runs above the vCPU: a doorbell reaches the guest even while it spins.
 * A wait the policy refuses (at once, or by waking us when a load withdrew
 * it) is retried with a backoff; any other error is final. */
static void doorbell_thread(uint64_t arg)
{
	(void)arg;
	for (;;) {
		uint64_t bits, err = bw_wait(CHAN_SLOT_BELL_IN, &bits);
		if (err == BW_E_DENIED)
			err = wait_until_allowed(&bits);
		if (err) {
			bw_printf("vmm: channel: waiting for the peer's doorbell refused: error %lu\n",
				  (unsigned long)err);
			__atomic_fetch_and(&status, ~CHAN_STATUS_RECV, __ATOMIC_ACQ_REL);
			bw_thread_exit();
		}
		if (bits)
			deliver_doorbell();
	}
}

void chan_port_start(bw_handle vm, bw_handle vcpu, uint64_t prio)
{
	vcpu_handle = vcpu;
	vm_handle = vm;
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
	if ((err = bw_thread_start(doorbell_thread, thread_stack + sizeof thread_stack,
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
			if (send_refused_told)
				bw_printf("vmm: channel: ringing the peer's doorbell allowed again\n");
			send_refused_told = false; /* the next outage is reported too */
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

/* The guest touched a ring's window, so the ring is not mapped: never
 * mapped (refused at start), or unmapped by a policy change.  The latter
 * is mapped again if the policy allows it by now, and the access retried;
 * otherwise the access reads as zero and writes are ignored, so a guest
 * probing a withdrawn channel is told by the status register rather than
 * stopped. */
static bool retry_access;

static bool ring_access(uint64_t ipa, struct vmm_access *a)
{
	if (status & CHAN_STATUS_RINGS) {
		bool to_linux = ipa >= CHAN_RING_TO_LINUX_IPA;
		uint64_t err = bw_sys(BW_SYS_SHM_MAP, to_linux ? CHAN_SLOT_TO_LINUX : CHAN_SLOT_TO_RTOS, vm_handle,
				      to_linux ? CHAN_RING_TO_LINUX_IPA : CHAN_RING_TO_RTOS_IPA,
				      BW_R_READ | BW_R_WRITE, 0, NULL);
		if (!err) {
			if (ring_lost_told)
				bw_printf("vmm: channel: ring at %lx mapped into the guest again\n",
					  (unsigned long)(to_linux ? CHAN_RING_TO_LINUX_IPA : CHAN_RING_TO_RTOS_IPA));
			ring_lost_told = false;
			retry_access = true;
			return true;
		}
		if (!ring_lost_told)
			bw_printf("vmm: channel: the guest's ring mapping was withdrawn and mapping it again "
				  "is refused: error %lu%s; its accesses read as zero, writes ignored\n",
				  (unsigned long)err, err == BW_E_DENIED ? " (denied by policy)" : "");
		ring_lost_told = true;
	} else {
		if (!rings_missing_told)
			bw_printf("vmm: channel: the guest touched the rings, which are not mapped (ignored)\n");
		rings_missing_told = true;
	}
	if (!a->write)
		a->value = 0;
	return true;
}

bool chan_port_take_retry(void)
{
	bool r = retry_access;
	retry_access = false;
	return r;
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
	if (ipa >= CHAN_RING_TO_RTOS_IPA && ipa < CHAN_RING_TO_LINUX_IPA + CHAN_RING_SIZE) {
		*known = ring_access(ipa, a);
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
