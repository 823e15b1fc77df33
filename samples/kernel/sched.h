/*
 * The scheduler (sched.c).
 */
#ifndef KERN_SCHED_H
#define KERN_SCHED_H

#include "env.h"

void sched_yield(void) __attribute__((noreturn));
void env_block(uint32_t reason) __attribute__((noreturn));
void env_wakeup(uint32_t reason);
void env_wakeup_one(struct Env *e);

#endif
