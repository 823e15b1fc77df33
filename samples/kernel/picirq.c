/*
 * The two 8259A programmable interrupt controllers of a PC. The master (ports 0x20-0x21)
 * takes IRQs 0-7, the slave (0xA0-0xA1) IRQs 8-15 and is wired to the master's IRQ 2.
 *
 * At power-on the master delivers IRQ 0-7 at vectors 8-15, on top of the CPU's own
 * exceptions (8 is the double fault!). pic_init() moves them to IRQ_OFFSET (32) and up, and
 * masks every line except the ones this kernel handles.
 */
#include "x86.h"
#include "picirq.h"
#include "trap.h"

#define IO_PIC1		0x20	/* master */
#define IO_PIC2		0xA0	/* slave */

/* Mask of enabled lines: a 1 bit masks (disables) the line. Slave cascade always on. */
static uint16_t irq_mask_8259A = 0xFFFF & ~(1 << IRQ_SLAVE);

void
pic_init(void)
{
	/* Mask everything while we reprogram. */
	outb(IO_PIC1 + 1, 0xFF);
	outb(IO_PIC2 + 1, 0xFF);

	/* ICW1: edge triggered, cascade mode, ICW4 follows. */
	outb(IO_PIC1, 0x11);
	/* ICW2: vector offset. */
	outb(IO_PIC1 + 1, IRQ_OFFSET);
	/* ICW3: (master) bit mask of lines with slaves. */
	outb(IO_PIC1 + 1, 1 << IRQ_SLAVE);
	/* ICW4: 8086 mode, normal (not automatic) end of interrupt. */
	outb(IO_PIC1 + 1, 0x01);

	/* The same for the slave; ICW3 is its cascade identity (2). */
	outb(IO_PIC2, 0x11);
	outb(IO_PIC2 + 1, IRQ_OFFSET + 8);
	outb(IO_PIC2 + 1, IRQ_SLAVE);
	outb(IO_PIC2 + 1, 0x01);

	/* OCW3: reads of the command port return the IRR (interrupt request register). */
	outb(IO_PIC1, 0x0a);
	outb(IO_PIC2, 0x0a);

	irq_setmask_8259A(irq_mask_8259A);
}

void
irq_setmask_8259A(uint16_t mask)
{
	irq_mask_8259A = mask;
	outb(IO_PIC1 + 1, (uint8_t) mask);
	outb(IO_PIC2 + 1, (uint8_t) (mask >> 8));
}

void
irq_enable(int irq)
{
	irq_setmask_8259A(irq_mask_8259A & ~(1 << irq));
}

/* End of interrupt: the controller may deliver this line (and lower ones) again. */
void
irq_eoi(int irq)
{
	if (irq >= 8)
		outb(IO_PIC2, 0x20);
	outb(IO_PIC1, 0x20);
}
