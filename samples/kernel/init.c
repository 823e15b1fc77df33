/*
 * init.c: the kernel's C entry point, called by entry.S once paging is on, and the ways
 * out: panic() and shutdown().
 */
#include "kernel.h"
#include "x86.h"
#include "console.h"
#include "multiboot.h"
#include "pmap.h"
#include "env.h"
#include "trap.h"
#include "picirq.h"
#include "timer.h"
#include "swap.h"
#include "sched.h"

/* QEMU's isa-debug-exit device (also in Ringside): writing v ends the run with (v << 1) | 1. */
#define DEBUG_EXIT_PORT 0xF4

void
i386_init(uint32_t magic, physaddr_t mbi_pa)
{
	extern char edata[], kernel_gap_start[];
	char init[MODNAMELEN];
	const struct Module *first;
	physaddr_t reserved_end;
	int r;

	/* Clear the bss and envs[]: a boot loader should have, but make sure. */
	memset(edata, 0, kernel_gap_start - edata);
	memset(envs, 0, sizeof(envs));

	cons_init();
	reserved_end = multiboot_init(magic, mbi_pa);
	mem_init(boot_mem_upper_kib, reserved_end);
	env_init();
	trap_init();
	pic_init();
	timer_init();
	irq_enable(IRQ_SERIAL);
	/*
	 * Anything typed before now is still in the UART. Its interrupt line may have gone
	 * up while the PIC was being programmed, and the PIC triggers on edges: take what is
	 * there, so the line drops and the next byte raises it again.
	 */
	serial_intr();
	swap_init();

	cprintf("Ringside teaching kernel: %u KiB of memory, %u pages free, ",
		(uint32_t) (npages * (PGSIZE / 1024)), (uint32_t) npages_free);
	if (swap_nslots)
		cprintf("swap %u KiB\n", swap_nslots * (PGSIZE / 1024));
	else
		cprintf("no swap device\n");
	cprintf("modules:");
	for (int i = 0; i < nmodules; i++)
		cprintf(" %s", modules[i].name);
	cprintf("%s\n", nmodules ? "" : " none");

	/* The first program: init=NAME on the kernel command line, else the first module. */
	if (cmdline_option("init", init, sizeof(init))) {
		if (!(first = module_find(init))) {
			cprintf("[kernel] init=%s: no module with that name\n", init);
			shutdown(2);
		}
	} else if (nmodules > 0) {
		first = &modules[0];
	} else {
		cprintf("[kernel] no program to run: give user programs as multiboot modules\n");
		shutdown(2);
	}
	if ((r = env_create(first)) < 0) {
		cprintf("[kernel] cannot start %s: %s\n", first->name,
			r == -EINVAL ? "not an i386 ELF executable" : "out of memory");
		shutdown(2);
	}

	/* Off we go: from here on the kernel only runs when something traps into it. */
	sched_yield();
}

/* Set once a panic is under way, so a panic while panicking does not recurse. */
const char *panicstr;

void
_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	cli();
	if (!panicstr) {
		panicstr = fmt;
		va_start(ap, fmt);
		cprintf("kernel panic at %s:%d: ", file, line);
		vcprintf(fmt, ap);
		cprintf("\n");
		va_end(ap);
	}
	shutdown(1);
}

void
_warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cprintf("kernel warning at %s:%d: ", file, line);
	vcprintf(fmt, ap);
	cprintf("\n");
	va_end(ap);
}

/*
 * Stop the machine. Under QEMU (-device isa-debug-exit,iobase=0xf4) or Ringside the run
 * ends with exit status (code << 1) | 1: 0 -> 1 (all environments exited), 1 -> 3 (kernel
 * panic), 2 -> 5 (nothing to run). Anywhere else, halt forever.
 */
void
shutdown(int code)
{
	cli();
	outb(DEBUG_EXIT_PORT, code);
	for (;;)
		hlt();
}
