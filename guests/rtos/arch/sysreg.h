/* System-register and MMIO access for the port. */
#ifndef RTOS_SYSREG_H
#define RTOS_SYSREG_H

#include <stdint.h>

#define read_sysreg(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define write_sysreg(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

/* Masks IRQs; returns the previous DAIF for irq_restore. */
static inline uint64_t irq_save(void)
{
	uint64_t flags = read_sysreg(daif);

	__asm__ volatile("msr daifset, #2" ::: "memory");
	return flags;
}

static inline void irq_restore(uint64_t flags)
{
	write_sysreg(daif, flags);
}

#endif
