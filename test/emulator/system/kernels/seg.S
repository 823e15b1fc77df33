/* Segment register loads with a selector in %ax (seg.c). Ring 0 snippets return; a load that
   succeeds is undone before returning. Ring 3 snippets end with int $0x31. */
#include "layout.h"

.text
.globl load_ss, load_ss_at, load_ds, load_ds_at
load_ss:
  mov seg_selector, %eax
load_ss_at:
  mov %ax, %ss
  mov $KDATA, %ax
  mov %ax, %ss
  ret
load_ds:
  mov seg_selector, %eax
load_ds_at:
  mov %ax, %ds
  mov $KDATA, %ax
  mov %ax, %ds
  ret
.globl u_load_ds, u_load_ds_at, u_load_ss, u_load_ss_at
u_load_ds:
u_load_ds_at:
  mov %ax, %ds
  int $0x31
u_load_ss:
u_load_ss_at:
  mov %ax, %ss
  int $0x31

.data
.globl seg_selector
seg_selector: .long 0
