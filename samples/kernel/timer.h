/*
 * The timer: 8254 PIT channel 0 at HZ interrupts per second, and the UTIME page (timer.c).
 */
#ifndef KERN_TIMER_H
#define KERN_TIMER_H

#include "types.h"

#define HZ 100

extern volatile uint32_t ticks;

void timer_init(void);
void timer_tick(void);

#endif
