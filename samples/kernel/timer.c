/*
 * Time. The 8254 programmable interval timer counts down from a divisor at 1.193182 MHz
 * and raises IRQ 0 each time it wraps: with divisor 11932 that is HZ = 100 times a second.
 * Each tick preempts the running environment (trap.c -> sched_yield) and updates the clock.
 *
 * The clock is also published in the UTIME page (struct utime_page in abi.h), mapped
 * read-only into every address space at UTIME: a program reads the time with a plain load,
 * no system call at all. That is the idea behind Linux's vDSO.
 *
 * (In Ringside the machine's clock counts instructions, about 100 million per emulated
 * second, so a run is exactly reproducible: same program, same ticks.)
 */
#include "kernel.h"
#include "x86.h"
#include "pmap.h"
#include "picirq.h"
#include "timer.h"
#include "trap.h"

#define PIT_CH0		0x40	/* channel 0 data port */
#define PIT_CMD		0x43	/* mode/command register */
#define PIT_HZ		1193182
#define PIT_DIVISOR	((PIT_HZ + HZ / 2) / HZ)	/* 11932 */

volatile uint32_t ticks;		/* timer interrupts since boot */
static struct utime_page *utime;	/* the kernel's (writable) view of the UTIME page */

void
timer_init(void)
{
	struct PageInfo *pp = page_alloc(ALLOC_ZERO | ALLOC_NOSWAP);

	/* The clock page: user-readable (PTE_U), not writeable, in kern_pgdir above UTOP. */
	if (!pp || page_insert(kern_pgdir, pp, (void *) UTIME, PTE_U) < 0)
		panic("timer_init: no memory for the UTIME page");
	utime = page2kva(pp);
	utime->hz = HZ;

	/* Channel 0, low byte then high byte, mode 2 (rate generator), binary. */
	outb(PIT_CMD, 0x34);
	outb(PIT_CH0, PIT_DIVISOR & 0xff);
	outb(PIT_CH0, PIT_DIVISOR >> 8);
	irq_enable(IRQ_TIMER);
}

/* IRQ 0. */
void
timer_tick(void)
{
	ticks++;
	utime->ticks = ticks;
	utime->seconds = ticks / HZ;
}
