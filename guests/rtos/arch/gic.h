/* The interrupt controller as the RTOS needs it.  Natively this is a GICv3;
 * under Bulwark the same ICC_* system registers reach the virtual CPU
 * interface and the distributor/redistributor are emulated, so only
 * gic.c knows which registers are touched. */
#ifndef RTOS_GIC_H
#define RTOS_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_SPURIOUS 1023

void gic_init(void);
void gic_enable_ppi(unsigned intid, uint8_t priority);
void gic_enable_spi(unsigned intid, uint8_t priority, bool edge);
unsigned gic_ack(void);
void gic_eoi(unsigned intid);

#endif
