/* The EL1 identity map. */
#ifndef RTOS_MMU_H
#define RTOS_MMU_H

/* Memory types, each one slot of MAIR_EL1. */
enum mem_attr {
	MEM_DEVICE,   /* MMIO: Device-nGnRE */
	MEM_NORMAL,   /* RAM: write-back cacheable */
	MEM_UNCACHED, /* memory shared with another VM: Normal non-cacheable */
};

/* Builds the map from the region table and turns on the MMU and caches. */
void mmu_init(void);

#endif
