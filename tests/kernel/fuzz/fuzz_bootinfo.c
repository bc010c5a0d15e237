/* libFuzzer target for the kernel's boot-payload reader (kernel/core/
 * bootinfo.c), built for the host under ASan/UBSan: whatever the payload
 * holds, the reader must either translate it or stop with a panic, and
 * never read or write out of bounds. A panic here returns to the harness. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bulwark/bootinfo.h>
#include <kernel/boot.h>
#include <kernel/kernel.h>

struct percpu fake_cpu;
static jmp_buf on_panic;
static void *allocs[16];
static int nallocs;

_Noreturn void panic(const char *fmt, ...)
{
	(void)fmt;
	longjmp(on_panic, 1);
}

void *kpage_alloc(struct task *payer, u64 pages)
{
	(void)payer;
	if (nallocs == 16 || pages > (1u << 16))
		return NULL;
	void *p = calloc(pages, PAGE_SIZE);
	if (p)
		allocs[nallocs++] = p;
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The kernel reads the header from RAM whatever the payload's size:
	 * give it at least a header's worth, zero-padded. */
	size_t len = size < sizeof(struct bw_bootinfo) ? sizeof(struct bw_bootinfo) : size;
	uint8_t *buf = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	if (!buf)
		return 0;
	memset(buf, 0, (len + 4095) & ~(size_t)4095);
	memcpy(buf, data, size);
	/* mkimage writes these two truthfully and main.c relies on them: the
	 * payload's address and its exact size. */
	struct bw_bootinfo *h = (struct bw_bootinfo *)buf;
	h->payload_phys = (uint64_t)(uintptr_t)buf;
	h->payload_size = len;
	nallocs = 0;
	if (!setjmp(on_panic)) {
		const struct boot_desc *d = bootinfo_parse((paddr_t)buf);
		/* Touch everything the kernel would use. */
		volatile u64 sink = 0;
		for (u32 i = 0; i < d->ntasks; i++)
			sink += d->tasks[i].entry + (u64)d->tasks[i].name[0];
		for (u32 i = 0; i < d->nregions; i++)
			if (d->regions[i].file_size)
				sink += d->regions[i].data[d->regions[i].file_size - 1];
		for (u32 i = 0; i < d->nobjects; i++)
			sink += d->objects[i].a;
		for (u32 i = 0; i < d->ncaps; i++)
			sink += d->caps[i].badge;
		(void)sink;
	}
	for (int i = 0; i < nallocs; i++)
		free(allocs[i]);
	free(buf);
	return 0;
}
