/* Snippets for the exception tests (exc.c). Ring 0 ones return; ring 3 ones end with int $0x31. */
#include "layout.h"

.text
#define SNIP(name) .globl name, name##_at; name:
SNIP(de_zero)
  mov $1, %eax
  xor %edx, %edx
  xor %ecx, %ecx
de_zero_at:
  div %ecx
  ret
SNIP(de_overflow)
  mov $2, %edx            /* edx:eax = 2 << 32: the quotient does not fit in 32 bits */
  xor %eax, %eax
  mov $1, %ecx
de_overflow_at:
  div %ecx
  ret
SNIP(de_idiv)
  mov $0x80000000, %eax   /* -2^31 / -1 = 2^31: does not fit */
  cdq
  mov $-1, %ecx
de_idiv_at:
  idiv %ecx
  ret
SNIP(de_div8)
  mov $0x1000, %ax        /* 0x1000 / 2 = 0x800: does not fit in AL */
  mov $2, %cl
de_div8_at:
  div %cl
  ret
SNIP(ud_ud2)
ud_ud2_at:
  ud2
  ret
SNIP(bp_int3)
bp_int3_at:
  int3
  ret
SNIP(of_into)
  mov $0x7fffffff, %eax
  add $1, %eax            /* OF=1 */
of_into_at:
  into
  ret
SNIP(of_into_clear)
  mov $1, %eax
  add $1, %eax            /* OF=0: into does nothing */
of_into_clear_at:
  into
  ret
SNIP(np_int50)
np_int50_at:
  int $0x50               /* the gate is not present */
  ret
SNIP(u_de)
u_de_at:
  xor %edx, %edx
  div %edx
  int $0x31
SNIP(u_int3)
u_int3_at:
  int3
  int $0x31

/* The #DF handler of the double-fault test: a ring 1 code segment, so the CPU switches to the
   TSS's ss1:esp1 while ss0:esp0 is broken. It reports, repairs esp0 and goes back to ring 0. */
.globl df_ring1_entry
df_ring1_entry:
  push %esp
  call df_ring1_report
  add $4, %esp
  movl $trapstack_top, tss + 4
  int $0x31
