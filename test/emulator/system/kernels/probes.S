/* Single-access probes. Each marks its access with a *_at label, which is where a fault must
   leave EIP (faults restart the instruction). Ring 0 probes take the address from probe_addr
   and return; ring 3 probes take it in %eax and end with int $0x31 ("back to the kernel"). */
#include "layout.h"

.text
.globl k_read, k_read_at, k_write, k_write_at, k_write16, k_write16_at, k_exec
k_read:
  mov probe_addr, %eax
k_read_at:
  mov (%eax), %eax
  mov %eax, probe_value
  ret
k_write:
  mov probe_addr, %eax
k_write_at:
  movl $0x5a5a5a5a, (%eax)
  ret
k_write16:
  mov probe_addr, %eax
k_write16_at:
  movw $0x5a5a, (%eax)
  ret
k_exec:
  mov probe_addr, %eax
  call *%eax
  ret

.globl u_read, u_read_at, u_write, u_write_at, u_exec
u_read:
u_read_at:
  mov (%eax), %ebx
  mov %ebx, probe_value
  int $0x31
u_write:
u_write_at:
  movl $0x5a5a5a5a, (%eax)
  int $0x31
u_exec:
  call *%eax
  int $0x31

.data
.globl probe_addr, probe_value
probe_addr: .long 0
probe_value: .long 0
