/*
 * Swapping user pages to the block device (swap.c).
 */
#ifndef KERN_SWAP_H
#define KERN_SWAP_H

#include "types.h"
#include "memlayout.h"

struct Env;

extern uint32_t swap_nslots;		/* page-sized slots on the device (0: no swap) */
extern uint32_t swap_slots_used;
extern uint32_t swap_total_outs, swap_total_ins;

void swap_init(void);
int swap_out_one(void);
int swap_in(struct Env *e, uintptr_t va, pte_t *pte);
void swap_slot_incref(uint32_t slot);
void swap_slot_decref(uint32_t slot);

#endif
