/* Ring 3 snippets for the privilege tests (priv.c). Each ends with int $0x31. */
#define COMMA ,
#include "layout.h"

.text
/* int n through a DPL 0 gate and through a DPL 3 gate. */
.globl u_int32, u_int30, u_int30_at, u_int30_back
u_int32:
  int $0x32
  int $0x31
u_int30:
  xor %eax, %eax          /* known flags: ZF and PF set */
u_int30_at:
  int $0x30
u_int30_back:
  mov %eax, back_eax
  movw %cs, back_cs
  movw %ss, back_ss
  movw %ds, back_ds
  mov %esp, back_esp
  pushf
  popl after_flags
  int $0x31

/* After an iret that could not keep DS/ES/GS (DPL 0), only SS-relative stores are safe. */
.globl u_int30_segs
u_int30_segs:
  int $0x30
  movw %ds, %ss:back_ds
  movw %es, %ss:back_es
  movw %gs, %ss:back_gs
  int $0x31

/* Ring 0: int $0x40 (interrupt gate) and int $0x41 (trap gate) with IF=1 before. */
.globl k_gate40, k_gate41
k_gate40:
  sti
  int $0x40
  pushf
  popl after_flags
  cli
  ret
k_gate41:
  sti
  int $0x41
  pushf
  popl after_flags
  cli
  ret

/* sysenter from ring 3 and sysexit back. */
.globl u_sysenter, u_sysenter_at, sysenter_entry
u_sysenter:
  mov $0x77, %eax
  mov $1f, %edx
  mov %esp, %ecx
u_sysenter_at:
  sysenter
1:
  movw %cs, back_cs
  movw %ss, back_ss
  mov %esp, back_esp
  mov %eax, back_eax
  pushf
  popl after_flags
  int $0x31
sysenter_entry:
  movw %cs, in_cs
  movw %ss, in_ss
  mov %esp, in_esp
  pushf
  popl in_flags
  mov %eax, in_eax
  inc %eax
  sysexit

/* Privileged instructions, one per snippet, each labelled p_<name>. */
#define PRIV(name, insn) .globl p_##name; p_##name: insn; int $0x31
PRIV(cli, cli)
PRIV(sti, sti)
PRIV(hlt, hlt)
PRIV(in_imm, in $0x80 COMMA %al)
PRIV(out_imm, out %al COMMA $0x80)
PRIV(in_dx, mov $0x3f8 COMMA %dx; in %dx COMMA %al)
PRIV(out_dx, mov $0x3f8 COMMA %dx; out %al COMMA %dx)
PRIV(mov_from_cr0, mov %cr0 COMMA %eax)
PRIV(mov_to_cr0, mov %eax COMMA %cr0)
PRIV(mov_from_cr3, mov %cr3 COMMA %eax)
PRIV(mov_to_cr3, mov %eax COMMA %cr3)
PRIV(mov_to_dr7, mov %eax COMMA %dr7)
PRIV(lgdt, lgdt (%esp))
PRIV(lidt, lidt (%esp))
PRIV(ltr, mov $TSSSEL COMMA %ax; ltr %ax)
PRIV(lldt, xor %eax COMMA %eax; lldt %ax)
PRIV(invlpg, invlpg (%esp))
PRIV(wrmsr, mov $0x174 COMMA %ecx; xor %eax COMMA %eax; xor %edx COMMA %edx; wrmsr)
PRIV(rdmsr, mov $0x174 COMMA %ecx; rdmsr)
PRIV(clts, clts)

/* popf in ring 3 with the value in %eax: IF changes only if CPL <= IOPL, IOPL only at CPL 0. */
.globl u_popf
u_popf:
  pushf
  popl before_flags
  push %eax
  popf
  pushf
  popl after_flags
  int $0x31

.data
.globl back_eax, back_cs, back_ss, back_ds, back_es, back_gs, back_esp, after_flags, before_flags
.globl in_cs, in_ss, in_esp, in_flags, in_eax
back_eax: .long 0
back_cs: .long 0
back_ss: .long 0
back_ds: .long 0
back_es: .long 0
back_gs: .long 0
back_esp: .long 0
after_flags: .long 0
before_flags: .long 0
in_cs: .long 0
in_ss: .long 0
in_esp: .long 0
in_flags: .long 0
in_eax: .long 0
