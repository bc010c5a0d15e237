/* An ARM PL061 GPIO controller as the VMM emulates it (vmm/lib/pl061.c):
 * a pure function of each access, like the models in devices.h.  The VMM
 * drives input lines (pl061_set_input) to signal the guest: Linux's
 * gpio-pl061 driver turns an edge into an interrupt, and its GPIO
 * character device hands it to user space as a line event. */
#ifndef VMM_PL061_H
#define VMM_PL061_H

#include <vmm/devices.h>

#define PL061_SIZE 0x1000
#define PL061_LINES 8

struct pl061 {
	uint8_t dir;      /* 1 = output */
	uint8_t out;      /* what the guest drove on its output lines */
	uint8_t in;       /* input levels, driven by the VMM */
	uint8_t is;       /* interrupt sense: 1 = level, 0 = edge */
	uint8_t ibe;      /* both edges */
	uint8_t iev;      /* rising edge / high level */
	uint8_t ie;       /* interrupt mask: 1 = enabled */
	uint8_t afsel;
	uint8_t edges;    /* latched edge interrupts (GPIORIS for edge lines) */
};

void pl061_init(struct pl061 *g);
bool pl061_access(struct pl061 *g, struct vmm_access *a);
/* Drives input line `line` to `level`, latching an edge interrupt if the
 * line is configured for that edge.  Safe against a concurrent
 * pl061_access on another thread: the latch is one atomic OR. */
void pl061_set_input(struct pl061 *g, unsigned line, bool level);
/* A rising then a falling edge: "something happened" on an edge line. */
void pl061_pulse(struct pl061 *g, unsigned line);
/* GPIORIS and GPIOMIS: the interrupt line is high while MIS != 0. */
uint8_t pl061_raw_status(const struct pl061 *g);
uint8_t pl061_irq_status(const struct pl061 *g);

#endif
