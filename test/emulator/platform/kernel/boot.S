/* Multiboot v1 entry and interrupt stubs of the platform test kernel (see platform.c). */
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

/* One stub per vector 0-63 and 255: push the vector (and a 0 where the CPU pushes no error
   code), then the common path calls trap(vector, error code). */
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
  push 36(%esp)             /* error code (above the 32 bytes of pushal and the vector) */
  push 36(%esp)             /* vector (the push above moved it by 4) */
  call trap
  add $8, %esp
  popal
  add $8, %esp              /* vector and error code */
  iret

/* The stubs' addresses, vector by vector (0-63, then 255). */
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
