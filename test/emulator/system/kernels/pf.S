/* Snippets for the restart tests (pf.c). */
#include "layout.h"

.text
.globl k_store, k_store_at
k_store:
  mov $0x12345678, %eax
k_store_at:
  mov %eax, TESTVA + 0xb010
  ret

.globl k_repmovsb, k_repmovsb_at
k_repmovsb:
  push %esi
  push %edi
  cld
  mov $rep_src, %esi
  mov $(TESTVA + 0xcf9c), %edi
  mov $200, %ecx
k_repmovsb_at:
  rep movsb
  mov %ecx, rep_ecx
  mov %esi, rep_esi
  mov %edi, rep_edi
  pop %edi
  pop %esi
  ret

.globl u_touch, u_touch_at
u_touch:
u_touch_at:
  mov (%eax), %ebx
  mov %ebx, u_result
  int $0x31

.globl u_push, u_push_at
u_push:
u_push_at:
  push %eax
  mov %esp, u_result
  int $0x31

.data
.globl rep_src, rep_ecx, rep_esi, rep_edi, u_result
rep_src: .space 256
rep_ecx: .long 0
rep_esi: .long 0
rep_edi: .long 0
u_result: .long 0
