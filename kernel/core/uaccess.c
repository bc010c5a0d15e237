/* Access to user memory. The kernel never dereferences a user address: it
 * walks the task's stage-2 table in software, checks the access rights and
 * the memory type (device memory is refused), and copies through its own
 * mapping of physical memory, one page at a time. Any other task's memory
 * is reachable the same way, which IPC buffer transfer uses. */
#include <kernel/kernel.h>

static bool user_page(struct task *t, u64 va, unsigned need, u8 **kva, u64 *room)
{
	paddr_t pa;
	unsigned attrs;
	if (va < BW_USER_BASE || va >= BW_USER_END || !pt_lookup(&t->s2, va, &pa, &attrs))
		return false;
	if ((attrs & need) != need || (attrs & PT_DEV))
		return false;
	*kva = phys_to_virt(pa);
	*room = PAGE_SIZE - (va & PAGE_MASK);
	return true;
}

bool copy_from_user(struct task *t, void *dst, u64 uva, u64 n)
{
	u8 *d = dst;
	while (n) {
		u8 *src;
		u64 room;
		if (!user_page(t, uva, PT_R, &src, &room))
			return false;
		u64 k = n < room ? n : room;
		for (u64 i = 0; i < k; i++)
			d[i] = src[i];
		d += k;
		uva += k;
		n -= k;
	}
	return true;
}

bool copy_to_user(struct task *t, u64 uva, const void *src, u64 n)
{
	const u8 *s = src;
	while (n) {
		u8 *dst;
		u64 room;
		if (!user_page(t, uva, PT_W, &dst, &room))
			return false;
		u64 k = n < room ? n : room;
		for (u64 i = 0; i < k; i++)
			dst[i] = s[i];
		s += k;
		uva += k;
		n -= k;
	}
	return true;
}

bool copy_user_to_user(struct task *dt, u64 dva, struct task *st, u64 sva, u64 n)
{
	u8 bounce[128];
	while (n) {
		u64 k = n < sizeof(bounce) ? n : sizeof(bounce);
		if (!copy_from_user(st, bounce, sva, k) || !copy_to_user(dt, dva, bounce, k))
			return false;
		sva += k;
		dva += k;
		n -= k;
	}
	return true;
}

bool user_range_ok(struct task *t, u64 uva, u64 n, unsigned need)
{
	while (n) {
		u8 *kva;
		u64 room;
		if (!user_page(t, uva, need, &kva, &room))
			return false;
		u64 k = n < room ? n : room;
		uva += k;
		n -= k;
	}
	return true;
}
