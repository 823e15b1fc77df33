/*
 * System calls (syscall.c). The numbers and the register conventions are in
 * samples/include/abi.h, shared with the user library.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include "trap.h"

void syscall_trap(struct Trapframe *tf);
int32_t syscall(uint32_t num, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);

#endif
