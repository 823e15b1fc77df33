/* Multiboot v1 entry and interrupt stubs of the compatibility test kernel (see compat.c).
   Each stub pushes an error code where the CPU pushes none, then its vector; the common path
   saves the registers and calls trap() with a pointer to the whole frame, which the handler may
   change (the probes move the saved EIP past an instruction that faulted). */
.section .multiboot, "a"
.align 4
.long 0x1BADB002, 0x00000003, -(0x1BADB002 + 0x00000003)

.text
.globl _start
_start:
  cli
  cld
  mov $stack_top, %esp
  push %ebx                 /* multiboot information */
  call kmain
1:
  cli
  hlt
  jmp 1b

.macro stub n
vec_\n:
  .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
  .else
  pushl $0
  .endif
  pushl $\n
  jmp alltraps
.endm

.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  stub \n
.endr
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,255
  stub \n
.endr

alltraps:
  pushal
  push %esp                 /* struct frame * */
  call trap
  add $4, %esp
  popal
  add $8, %esp              /* vector and error code */
  iret

.section .rodata
.globl vector_stubs
vector_stubs:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  .long vec_\n
.endr
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,255
  .long vec_\n
.endr

.bss
.align 16
  .space 16384
stack_top:
