/* Multiboot v1 entry: a stack, then kmain(magic, mbi). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003 /* page-align modules, want memory info */

.section .multiboot, "a"
.align 4
.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

.text
.globl _start
_start:
  cli
  cld
  mov $bootstack_top, %esp
  push %ebx               /* multiboot information */
  push %eax               /* bootloader magic */
  call kmain
halt_forever:
  cli
  hlt
  jmp halt_forever

.bss
.align 16
.globl bootstack_top
bootstack:
  .space 32768
bootstack_top:

/* The TSS's ring 0 stack (trap entries from ring 3), its ring 1 stack, and sysenter's stack:
   apart from the boot stack, because kmain is still running on that one below them. */
.globl trapstack_top, ring1stack_top, sysstack_top
.align 16
  .space 16384
trapstack_top:
  .space 8192
ring1stack_top:
  .space 8192
sysstack_top:
