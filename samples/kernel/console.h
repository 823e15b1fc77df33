/*
 * The console: COM1, a 16550 UART (console.c).
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include "types.h"

void cons_init(void);
void cons_putc(int c);
void cons_write(const char *buf, int n);
int cons_read(char *buf, int n);
void serial_intr(void);

#endif
