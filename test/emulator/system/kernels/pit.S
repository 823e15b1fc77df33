/* Ring 3 busy loop for the PIT test (pit.c): spins until IRQ 0 has been counted 3 times. */
.text
.globl u_spin
u_spin:
  mov $20000000, %ecx
1:
  cmpl $3, irq_count
  jae 2f
  dec %ecx
  jnz 1b
2:
  int $0x31
