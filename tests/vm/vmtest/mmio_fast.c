/* The kernel's MMIO short path (bulwark/vcpu.h BW_SYS_VCPU_MMIO_FAST), from
 * a third test VM running tests/vm/guest/mmio_fast.c: registration refuses
 * malformed requests; data writes arrive in order whether the kernel
 * queued them or the ring was full and they exited; flag reads return the
 * published value, cut and sign-extended as the load asks; unlisted
 * registers still exit; a ring tail the VMM corrupted is refused (the write
 * exits) and nothing outside the shared page is touched. */
#include <bulwark/vcpu.h>
#include <bw/lib.h>
#include <bw/sys.h>
#include "../mmio_fast_dev.h"
#include "../testdev.h"
#include "mmio_fast.h"

#define WINDOW 0x12000000ul      /* this VM's guest RAM, in the VMM */
#define SHARED_VA 0x13000000ul   /* the shared page, then a canary page */
#define RAM_SIZE 0x10000ul       /* the test guest with its stack fits */
#define PRIO_GUEST 20
#define CANARY 0x5a
#define LOG_MAX (FASTDEV_BURST + 8)

extern const uint8_t guest_image[], guest_image_end[];

static void (*expect)(const char *, int);
static struct bw_mmio_fast *page = (struct bw_mmio_fast *)SHARED_VA;
static uint32_t tail;
static uint32_t log_values[LOG_MAX], log_n;
static uint64_t reports[4];
static unsigned reports_n, data_exits;
static bw_handle wake;
static bool bad_order;

static void record(uint32_t value)
{
	if (log_n < LOG_MAX && value != log_n && log_n < FASTDEV_BURST)
		bad_order = true;
	if (log_n < LOG_MAX)
		log_values[log_n++] = value;
}

/* As a VMM must: everything the kernel queued, before the exit at hand. */
static void drain(void)
{
	uint32_t head = __atomic_load_n(&page->head, __ATOMIC_ACQUIRE);
	for (; tail != head; tail++)
		record(page->ring[tail % BW_MMIO_FAST_SLOTS].value);
	__atomic_store_n(&page->tail, tail, __ATOMIC_RELEASE);
}

static bool canary_intact(void)
{
	const uint8_t *c = (const uint8_t *)(SHARED_VA + 4096);
	for (int i = 0; i < 4096; i++)
		if (c[i] != CANARY)
			return false;
	return true;
}

static void phase(uint64_t n)
{
	uint64_t bits = 0;
	switch (n) {
	case 1:
		page->read_value[0] = FASTDEV_PUBLISHED;
		break;
	case 2:
		expect("short path: the flag register reads the published value", reports[0] == FASTDEV_PUBLISHED);
		expect("short path: a halfword load of it is sign-extended",
		       reports[1] == (uint64_t)(int64_t)(int16_t)(FASTDEV_PUBLISHED & 0xffff));
		expect("short path: an unlisted register still exits", reports[2] == FASTDEV_OTHER_VALUE);
		expect("short path: data writes arrive in order", log_n == FASTDEV_BURST && !bad_order);
		expect("short path: a full ring falls back to an exit",
		       page->full_exits == 1 && data_exits == 1 && page->writes_absorbed == FASTDEV_BURST - 1);
		expect("short path: reads answered in the kernel", page->reads_answered == 2);
		expect("short path: the kernel woke the VMM", bw_poll(wake, &bits) == BW_OK && bits != 0);
		/* A tail ahead of the head: the kernel must not believe it. */
		__atomic_store_n(&page->tail, tail + 1000, __ATOMIC_RELEASE);
		break;
	case 3:
		expect("short path: a corrupt ring tail is refused (the write exits)",
		       page->refused_exits == 1 && data_exits == 2 && log_n == FASTDEV_BURST + 1 &&
			       log_values[FASTDEV_BURST] == FASTDEV_REFUSED && page->head == tail);
		expect("short path: nothing outside the shared page was written", canary_intact());
		__atomic_store_n(&page->tail, tail, __ATOMIC_RELEASE);
		break;
	case 4:
		expect("short path: queued again once the tail is sound",
		       log_n == FASTDEV_BURST + 2 && log_values[FASTDEV_BURST + 1] == FASTDEV_AFTER &&
			       data_exits == 2 && page->writes_absorbed == FASTDEV_BURST);
		break;
	}
}

/* One exit; false when the guest is done. */
static bool serve_one(const struct bw_msg *m, uint64_t *flags, uint64_t *value)
{
	uint64_t esr = m->mr[0], ipa = m->mr[1], stored = m->mr[3];
	drain();
	*flags = BW_VCPU_SKIP;
	*value = 0;
	if (bw_esr_ec(esr) != BW_EC_DABT_LOW || ipa < FASTDEV_BASE || ipa >= FASTDEV_BASE + 4096) {
		bw_printf("vmtest: short-path guest: unexpected exit esr %lx address %lx\n", (unsigned long)esr,
			  (unsigned long)ipa);
		return false;
	}
	uint64_t off = ipa - FASTDEV_BASE;
	bool write = bw_abort_is_write(esr);
	if (write && off == FASTDEV_DATA) {
		data_exits++;
		record((uint32_t)stored);
	} else if (write && off == FASTDEV_REPORT && reports_n < 4) {
		reports[reports_n++] = stored;
	} else if (write && off == FASTDEV_PHASE) {
		phase(stored);
	} else if (!write && off == FASTDEV_OTHER) {
		*flags |= BW_VCPU_LOAD;
		*value = FASTDEV_OTHER_VALUE;
	} else {
		return false; /* FASTDEV_DONE, or anything unexpected */
	}
	return true;
}

static uint64_t sys5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t *out1)
{
	struct bw_regs r;
	uint64_t e = bw_sys(nr, a0, a1, a2, a3, a4, &r);
	if (out1)
		*out1 = r.x[1];
	return e;
}

static bool make_guest(uint64_t *vm, uint64_t *ep, uint64_t *vcpu)
{
	uint64_t ram;
	uint64_t size = (uint64_t)(guest_image_end - guest_image);
	if (sys5(BW_SYS_SHM_CREATE, 0, RAM_SIZE, 0, 0, 0, &ram) || sys5(BW_SYS_SHM_MAP, ram, 0, WINDOW,
									   BW_R_READ | BW_R_WRITE, 0, NULL))
		return false;
	memcpy((void *)WINDOW, guest_image, size);
	for (uint64_t a = WINDOW; a < WINDOW + size; a += 64)
		__asm__ volatile("dc cvac, %0\n ic ivau, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb ish\n isb" ::: "memory");
	return sys5(BW_SYS_VM_CREATE, 0, 64 * 1024, 0, 0, 0, vm) == BW_OK &&
	       sys5(BW_SYS_SHM_MAP, ram, *vm, GUEST_RAM_BASE, BW_R_READ | BW_R_WRITE | BW_R_EXEC, 0, NULL) == BW_OK &&
	       sys5(BW_SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, ep) == BW_OK &&
	       sys5(BW_SYS_VCPU_CREATE, *vm, GUEST_RAM_BASE, SCENARIO_MMIO_FAST, PRIO_GUEST, *ep, vcpu) == BW_OK;
}

void vmtest_mmio_fast(void (*expect_fn)(const char *, int))
{
	expect = expect_fn;
	uint64_t vm, ep, vcpu, shared, n;
	bool made = make_guest(&vm, &ep, &vcpu);
	expect("short path: a third guest", made);
	if (!made)
		return;
	made = sys5(BW_SYS_SHM_CREATE, 0, 2 * 4096, 0, 0, 0, &shared) == BW_OK &&
	       sys5(BW_SYS_SHM_MAP, shared, 0, SHARED_VA, BW_R_READ | BW_R_WRITE, 0, NULL) == BW_OK &&
	       sys5(BW_SYS_NOTIFY_CREATE, 0, 0, 0, 0, 0, &n) == BW_OK;
	expect("short path: shared page and notification", made);
	if (!made)
		return;
	wake = (bw_handle)n;
	memset((void *)(SHARED_VA + 4096), CANARY, 4096);
	for (int i = 0; i < BW_MMIO_FAST_REGS; i++)
		page->write_offset[i] = page->read_offset[i] = BW_MMIO_FAST_UNUSED;
	page->write_offset[0] = FASTDEV_DATA;
	page->read_offset[0] = FASTDEV_FLAGS;

	expect("short path: only for a vCPU", sys5(BW_SYS_VCPU_MMIO_FAST, BW_HANDLE_SELF_THREAD, FASTDEV_BASE, shared,
						   n, 0, NULL) == BW_E_INVAL);
	expect("short path: a page-aligned MMIO page",
	       sys5(BW_SYS_VCPU_MMIO_FAST, vcpu, FASTDEV_BASE + 4, shared, n, 0, NULL) == BW_E_INVAL);
	expect("short path: known flags only", sys5(BW_SYS_VCPU_MMIO_FAST, vcpu, FASTDEV_BASE, shared, n, 1ul << 7,
						    NULL) == BW_E_INVAL);
	expect("short path: a region, not an endpoint",
	       sys5(BW_SYS_VCPU_MMIO_FAST, vcpu, FASTDEV_BASE, ep, n, 0, NULL) == BW_E_TYPE);
	page->read_offset[1] = 0x1002;
	expect("short path: register offsets inside the page, aligned",
	       sys5(BW_SYS_VCPU_MMIO_FAST, vcpu, FASTDEV_BASE, shared, n, 0, NULL) == BW_E_INVAL);
	page->read_offset[1] = BW_MMIO_FAST_UNUSED;
	expect("short path: registered", sys5(BW_SYS_VCPU_MMIO_FAST, vcpu, FASTDEV_BASE, shared, n,
					      BW_MMIO_FAST_WAKE_NEWLINE, NULL) == BW_OK);

	struct bw_msg m = {0};
	uint64_t err = bw_recv((bw_handle)ep, &m), flags, value;
	while (err == BW_OK && serve_one(&m, &flags, &value)) {
		m = (struct bw_msg){.info = bw_info(BW_FAULT_RESUME, 0, 0), .mr = {flags, value}};
		err = bw_reply_recv((bw_handle)ep, &m);
	}
	if (err == BW_OK) {
		struct bw_msg stop = {.info = bw_info(0, 0, 0)};
		bw_reply(&stop);
	}
	expect("short path: the guest went through every step", log_n == FASTDEV_BURST + 2 && reports_n == 3);
	bw_printf("vmtest: short path: %lu writes queued, %lu reads answered, %u full-ring exits, %u refused\n",
		  (unsigned long)page->writes_absorbed, (unsigned long)page->reads_answered, page->full_exits,
		  page->refused_exits);
}
