/* The identification registers that end every ARM PrimeCell's 4 KiB frame:
 * PeriphID0..3 then CellID0..3 at 0xfe0..0xffc, one byte per word.  Linux's
 * AMBA bus reads them before it binds a driver, so each model answers
 * them; the cell ID is the same for every PrimeCell. */
#ifndef VMM_PRIMECELL_H
#define VMM_PRIMECELL_H

#include <stdint.h>

#define PRIMECELL_ID_BASE 0xfe0
#define PRIMECELL_CELL_ID 0xb105f00du

/* The ID register at `off` (PRIMECELL_ID_BASE <= off < 0x1000) of a cell
 * whose PeriphID0..3 hold the bytes of `periph_id`, lowest first (part
 * number, designer, revision). */
static inline uint32_t primecell_id(uint32_t periph_id, uint64_t off)
{
	unsigned word = (unsigned)((off - PRIMECELL_ID_BASE) / 4);
	return ((word < 4 ? periph_id : PRIMECELL_CELL_ID) >> (8 * (word & 3))) & 0xff;
}

#endif
