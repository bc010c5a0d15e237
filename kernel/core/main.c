/* Boot sequence: console, MMU, CPU traps, memory, interrupt controller,
 * timer, then the boot-time system, then the first user thread. */
#include <bulwark/bootinfo.h>
#include <kernel/boot.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>

#define RAM_BASE 0x40000000ul
#define RAM_SIZE (1ul << 30)

/* mkimage writes the boot payload's physical address here (0: none). */
__attribute__((section(".bootptr"), used)) volatile u64 bw_boot_payload = 0;


static u64 page_bitmap[RAM_SIZE / PAGE_SIZE / 64];
static struct percpu cpu0;
static u8 kernel_stack[16384] __attribute__((aligned(16)));

extern char __text_start[], __kernel_end[];
void cpu_init(void);

_Noreturn void kmain(void)
{
	early_console_init();
	kputs("\nBulwark microkernel booting at EL2\n");
	mmu_init();
	cpu_init();

	cpu0.kstack_top = (u64)(kernel_stack + sizeof(kernel_stack));
	runq_init(&cpu0.rq);
	__asm__ volatile("msr tpidr_el2, %0" ::"r"(&cpu0));

	palloc_init(&kmem, RAM_BASE, RAM_SIZE / PAGE_SIZE, page_bitmap);
	/* The first 2 MiB hold what the loader placed below the kernel. */
	palloc_reserve(&kmem, RAM_BASE, ((u64)__kernel_end - RAM_BASE) / PAGE_SIZE);
	vmid_init(&vmids);
	gic_init();
	timer_init();
	kprintf("[kernel] memory: %lu MiB free, kernel %lu KiB\n", kmem.free * PAGE_SIZE >> 20,
		((u64)__kernel_end - (u64)__text_start) >> 10);

	if (!bw_boot_payload)
		panic("no system to boot: build an image with mkimage");
	{
		paddr_t pa = bw_boot_payload;
		if (pa < RAM_BASE || pa >= RAM_BASE + RAM_SIZE || !ALIGNED(pa, PAGE_SIZE))
			panic("boot payload address %lx is not in RAM", pa);
		/* Trust the size field only once the magic says this is a payload
		 * (bootinfo_parse then validates everything else). */
		if (*(volatile u64 *)pa != BW_BOOTINFO_MAGIC)
			panic("boot payload at %lx: bad magic", pa);
		u64 size = *(volatile u64 *)(pa + 16);
		if (size > RAM_BASE + RAM_SIZE - pa)
			panic("boot payload of %lx bytes does not fit in RAM", size);
		palloc_reserve(&kmem, pa, (size + PAGE_SIZE - 1) / PAGE_SIZE);
		kprintf("[kernel] boot payload at %lx, %lu KiB\n", pa, size >> 10);
		boot_system(bootinfo_parse(pa));
	}
	kputs("[kernel] starting user tasks\n");
	exit_to_user(schedule());
}
