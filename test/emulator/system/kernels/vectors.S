/* Interrupt entry stubs, the common trap path, and the ways in and out of a sub-test:
   try_call (ring 0), run_user (ring 3 via iret) and recover (back to the caller of either,
   from inside a trap handler, the way a kernel kills a faulting process). */
#include "layout.h"

/* Every stub leaves the same frame: error code (the CPU's, or 0), then the vector. */
#define STUB_NOERR(n) .globl vec_##n; vec_##n: pushl $0; pushl $n; jmp alltraps
#define STUB_ERR(n)   .globl vec_##n; vec_##n: pushl $n; jmp alltraps

.text
STUB_NOERR(0)
STUB_NOERR(1)
STUB_NOERR(2)
STUB_NOERR(3)
STUB_NOERR(4)
STUB_NOERR(5)
STUB_NOERR(6)
STUB_NOERR(7)
STUB_ERR(8)
STUB_NOERR(9)
STUB_ERR(10)
STUB_ERR(11)
STUB_ERR(12)
STUB_ERR(13)
STUB_ERR(14)
STUB_NOERR(15)
STUB_NOERR(16)
STUB_ERR(17)
STUB_NOERR(18)
STUB_NOERR(19)
STUB_NOERR(20)
STUB_NOERR(21)
STUB_NOERR(22)
STUB_NOERR(23)
STUB_NOERR(24)
STUB_NOERR(25)
STUB_NOERR(26)
STUB_NOERR(27)
STUB_NOERR(28)
STUB_NOERR(29)
STUB_NOERR(30)
STUB_NOERR(31)
STUB_NOERR(32)
STUB_NOERR(33)
STUB_NOERR(34)
STUB_NOERR(35)
STUB_NOERR(36)
STUB_NOERR(37)
STUB_NOERR(38)
STUB_NOERR(39)
STUB_NOERR(40)
STUB_NOERR(41)
STUB_NOERR(42)
STUB_NOERR(43)
STUB_NOERR(44)
STUB_NOERR(45)
STUB_NOERR(46)
STUB_NOERR(47)
STUB_NOERR(48)
STUB_NOERR(49)
STUB_NOERR(50)
STUB_NOERR(64)
STUB_NOERR(65)
STUB_NOERR(80)

/* Vectors with a stub, for idt_init (pairs: vector, entry). */
.section .rodata
.globl stub_table
stub_table:
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  .long \n, vec_\n
  .endr
  .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,64,65,80
  .long \n, vec_\n
  .endr
  .long -1, 0

.text
/* struct trapframe: pusha registers, gs fs es ds, vector, error code, then the CPU's frame. */
alltraps:
  pushl %ds
  pushl %es
  pushl %fs
  pushl %gs
  pushal
  mov $KDATA, %ax
  mov %ax, %ds
  mov %ax, %es
  pushl %esp
  call trap
  addl $4, %esp
  popal
  popl %gs
  popl %fs
  popl %es
  popl %ds
  addl $8, %esp
  iret

/* int try_call(void (*fn)(void)): -1 when fn returns, else the value given to recover(). */
.globl try_call
try_call:
  push %ebp
  push %ebx
  push %esi
  push %edi
  mov %esp, recover_esp
  movl $1, recover_armed
  call *20(%esp)
  movl $0, recover_armed
  mov $-1, %eax
  jmp restore

/* int run_user(eip, esp, eflags, eax): enters ring 3 there; returns the value given to recover()
   (the vector that ended it: 0x31 for the "back to the kernel" system call). */
.globl run_user
run_user:
  push %ebp
  push %ebx
  push %esi
  push %edi
  mov %esp, recover_esp
  movl $1, recover_armed
  mov 20(%esp), %ecx
  mov 24(%esp), %edx
  mov 28(%esp), %ebx
  mov 32(%esp), %eax
  mov $UDATA, %si
  mov %si, %ds
  mov %si, %es
  mov %si, %fs
  mov %si, %gs
  pushl $UDATA
  pushl %edx
  pushl %ebx
  pushl $UCODE
  pushl %ecx
  iret

/* void recover(int value): abandons the current trap and returns from try_call/run_user. */
.globl recover
recover:
  mov 4(%esp), %eax
  mov recover_esp, %esp
  movl $0, recover_armed
  mov $KDATA, %dx
  mov %dx, %ds
  mov %dx, %es
  mov %dx, %fs
  mov %dx, %gs
  mov %dx, %ss
  cld
restore:
  pop %edi
  pop %esi
  pop %ebx
  pop %ebp
  ret

.data
.globl recover_armed
recover_armed: .long 0
recover_esp: .long 0
