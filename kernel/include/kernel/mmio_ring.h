/* The MMIO short path's ring (bulwark/vcpu.h, struct bw_mmio_fast): the
 * pure part, shared by the kernel and its host unit test.
 *
 * The page belongs to the VMM, which the kernel does not trust: the only
 * index the kernel takes from it is the tail, and only to decide whether
 * there is room.  Where an entry goes is the kernel's own head, kept in
 * kernel memory and reduced modulo the ring size, so no value the VMM
 * writes can move a kernel store outside the page. */
#ifndef KERNEL_MMIO_RING_H
#define KERNEL_MMIO_RING_H

#include <bulwark/vcpu.h>
#include <kernel/types.h>

enum mmio_ring_result {
	MMIO_RING_QUEUED,   /* appended; the VMM may sleep on */
	MMIO_RING_WAKE,     /* appended; wake the VMM */
	MMIO_RING_FULL,     /* not appended: the write must exit */
	MMIO_RING_BAD_TAIL, /* not appended: the VMM's tail is not believable */
};

/* Entries the VMM has not consumed; more than BW_MMIO_FAST_SLOTS when its
 * tail is ahead of the head or too far behind it. */
static inline u32 mmio_ring_used(u32 head, const struct bw_mmio_fast *p)
{
	return head - __atomic_load_n(&p->tail, __ATOMIC_ACQUIRE);
}

static inline enum mmio_ring_result mmio_ring_append(u32 *head, struct bw_mmio_fast *p, u16 offset, u16 bytes,
						     u32 value, bool wake_on_newline)
{
	u32 used = mmio_ring_used(*head, p);
	if (used > BW_MMIO_FAST_SLOTS)
		return MMIO_RING_BAD_TAIL;
	if (used == BW_MMIO_FAST_SLOTS)
		return MMIO_RING_FULL;
	struct bw_mmio_fast_entry *e = &p->ring[*head % BW_MMIO_FAST_SLOTS];
	e->offset = offset;
	e->bytes = bytes;
	e->value = value;
	*head += 1;
	/* The entry before the head that publishes it. */
	__atomic_store_n(&p->head, *head, __ATOMIC_RELEASE);
	if (used + 1 >= BW_MMIO_FAST_SLOTS / 2 || (wake_on_newline && (value & 0xff) == '\n'))
		return MMIO_RING_WAKE;
	return MMIO_RING_QUEUED;
}

/* Offsets the VMM lists must be 4-byte aligned registers of the page. */
static inline bool mmio_ring_offset_ok(u16 offset)
{
	return offset == BW_MMIO_FAST_UNUSED || (offset < PAGE_SIZE && (offset & 3) == 0);
}

static inline int mmio_ring_find(const u16 *offsets, u16 offset)
{
	for (int i = 0; i < BW_MMIO_FAST_REGS; i++)
		if (offsets[i] == offset)
			return i;
	return -1;
}

#endif
