/*
 * The 8259A interrupt controllers (picirq.c).
 */
#ifndef KERN_PICIRQ_H
#define KERN_PICIRQ_H

#include "types.h"

void pic_init(void);
void irq_setmask_8259A(uint16_t mask);
void irq_enable(int irq);
void irq_eoi(int irq);

#endif
