/* The devices a Bulwark VMM emulates for its guest, as pure functions of
 * an access: no system calls, so the same code runs in the VMM task and in
 * host unit tests (tests/vm/host).  A VM exit's decoded MMIO access goes to
 * the device that owns the address; the result says whether the device
 * knew the register (an access it does not know stops the guest). */
#ifndef VMM_DEVICES_H
#define VMM_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

struct vmm_access {
	uint64_t offset; /* from the device's base */
	unsigned bytes;  /* 1, 2, 4 or 8 */
	bool write;
	uint64_t value;  /* in: the stored value; out: the loaded one */
};

/* ---- PL011 UART ---------------------------------------------------------
 * Transmit completes at once; received bytes wait in a ring that one
 * thread fills (pl011_rx_push: the VMM's input thread, fed by the console
 * driver) while another drains it through guest loads of UARTDR (the
 * thread serving exits). Single producer, single consumer: each index has
 * one writer, so neither side takes a lock or waits for the other. */
#define PL011_SIZE 0x1000
#define PL011_RX_RING 256 /* a power of two */
#define PL011_INT_RX (1u << 4)  /* RXIS: at least the trigger level waits */
#define PL011_INT_TX (1u << 5)  /* TXIS: a byte went out (cleared by ICR) */
#define PL011_INT_RT (1u << 6)  /* RTIS: fewer bytes wait (timeout at once) */
struct pl011 {
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, tx_status;
	void (*out)(void *ctx, char c); /* each transmitted byte */
	void *ctx;
	uint32_t rx_head; /* written by the producer only */
	uint32_t rx_tail; /* written by the consumer only */
	uint64_t rx_dropped; /* bytes that found the ring full */
	uint8_t rx[PL011_RX_RING];
};
void pl011_init(struct pl011 *u, void (*out)(void *ctx, char c), void *ctx);
bool pl011_access(struct pl011 *u, struct vmm_access *a);
/* Queues up to n received bytes; returns how many fit (the rest are
 * counted in rx_dropped). */
unsigned pl011_rx_push(struct pl011 *u, const uint8_t *bytes, unsigned n);
/* The interrupt line: raw status masked by IMSC (UARTMIS), nonzero = high. */
uint32_t pl011_irq_status(const struct pl011 *u);
/* UARTFR: the transmit FIFO always empty, RXFE/RXFF from the receive ring. */
uint32_t pl011_flags(const struct pl011 *u);

/* ---- GICv3 distributor and one redistributor (one vCPU) ---------------- */
#define VGIC_SPIS 64                       /* INTIDs 32..95 */
#define VGIC_LINES (32 + VGIC_SPIS)
#define VGIC_DIST_SIZE 0x10000
#define VGIC_REDIST_SIZE 0x20000           /* RD_base + SGI_base frames */
struct vgic {
	uint32_t dist_ctlr;
	uint32_t group[VGIC_LINES / 32];
	uint32_t enabled[VGIC_LINES / 32];
	uint32_t cfg[VGIC_LINES / 16];
	uint8_t prio[VGIC_LINES];
	uint64_t route[VGIC_LINES];
	uint32_t redist_ctlr, waker;
};
void vgic_init(struct vgic *g);
bool vgic_dist_access(struct vgic *g, struct vmm_access *a);
bool vgic_redist_access(struct vgic *g, struct vmm_access *a);
/* Whether the guest enabled this INTID: the VMM injects only those. */
bool vgic_enabled(const struct vgic *g, uint32_t intid);

/* ---- PSCI 1.1 over HVC/SMC (SMC Calling Convention) -------------------- */
#define PSCI_VERSION_FN        0x84000000u
#define PSCI_CPU_SUSPEND_64    0xc4000001u
#define PSCI_CPU_OFF_FN        0x84000002u
#define PSCI_CPU_ON_32         0x84000003u
#define PSCI_CPU_ON_64         0xc4000003u
#define PSCI_AFFINITY_INFO_32  0x84000004u
#define PSCI_AFFINITY_INFO_64  0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF_FN     0x84000008u
#define PSCI_SYSTEM_RESET_FN   0x84000009u
#define PSCI_FEATURES_FN       0x8400000au

#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON         (-4)

enum psci_action {
	PSCI_RESUME,    /* return the value in x0 and continue */
	PSCI_POWER_OFF, /* the guest is done: stop it */
	PSCI_RESET,     /* the guest asks to be restarted */
};
struct psci_result {
	int64_t x0;
	enum psci_action action;
};
/* fn = x0, a1..a3 = x1..x3 of the guest's call; one vCPU, MPIDR 0. */
struct psci_result psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
