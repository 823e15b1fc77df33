/* The PIT's IRQ 0 through the 8259 reaches the CPU only when unmasked and EFLAGS.IF=1. Counts are
   timing-dependent (QEMU runs in real time), so only "zero" / "nonzero" is printed. */
#include "runtime.h"

extern char u_spin[];

static void busy(uint32_t n) {
  for (volatile uint32_t i = 0; i < n; i++) {
  }
}

/* Loops until IRQ 0 has fired `want` times or the loop limit passes. */
static void wait_ticks(uint32_t want) {
  for (volatile uint32_t i = 0; i < 20000000 && irq_count[0] < want; i++) {
  }
}

static volatile int np_seen;

static int np_hook(struct trapframe *tf) {
  if (tf->vector != 11 || np_seen) return 0;
  np_seen = 1;
  /* The SDM sets EXT (bit 0) here; QEMU 7.2 does not, so bit 0 is left out of the compared
     output and the harness checks it from the vector hook instead. */
  kprintf("IRQ 0 through a not-present gate: #NP vec=11 err&~1=0x%x\n", tf->err & ~1u);
  pic_eoi(0);
  tf->eflags &= ~FL_IF; /* back to the loop with IF=0: no second #NP */
  irq_count[0] = 1;     /* ends wait_ticks */
  return 1;
}

static const char *zero(uint32_t n) { return n ? "nonzero" : "zero"; }

void t_pit(void) {
  /* Counter 0, lobyte/hibyte, mode 2 (rate generator), binary; count 200 (~6 kHz). */
  outb(0x43, 0x34);
  outb(0x40, 200);
  outb(0x40, 0);

  irq_count[0] = 0;
  sti();
  busy(200000);
  cli();
  kprintf("IRQ 0 masked at the PIC, IF=1: %s\n", zero(irq_count[0]));

  outb(0x21, 0xfe); /* unmask IRQ 0 only */
  irq_count[0] = 0;
  busy(200000);
  kprintf("IRQ 0 unmasked, IF=0: %s\n", zero(irq_count[0]));

  sti();
  wait_ticks(5);
  cli();
  kprintf("IRQ 0 unmasked, IF=1: %s (at least 5: %s)\n", zero(irq_count[0]), irq_count[0] >= 5 ? "yes" : "no");
  kprintf("other IRQ vectors seen: %s\n", zero(irq_count[1] + irq_count[2] + irq_count[7] + irq_count[8] + irq_count[15]));

  /* From ring 3: the interrupt switches to the TSS stack and iret resumes the loop. */
  irq_count[0] = 0;
  int v = run_user(u_spin, USTACK_TOP, FL_IF | 0x2, 0);
  kprintf("IRQ 0 while ring 3 spins with IF=1: %s (at least 3: %s), ring 3 went on to int 0x%x\n", zero(irq_count[0]),
          irq_count[0] >= 3 ? "yes" : "no", v);

  /* An external interrupt through a not-present gate: #NP with EXT=1 (vector * 8 + 2 + 1). Where
     the interrupt lands is timing-dependent, so EIP is not printed. */
  irq_count[0] = 0;
  set_gate(0x20, stub_for(0x20), KCODE, 0, 0, 0);
  trap_hook = np_hook;
  sti();
  wait_ticks(1);
  cli();
  trap_hook = 0;
  set_gate(0x20, stub_for(0x20), KCODE, 0, 0, 1);

  outb(0x21, 0xff);
  irq_count[0] = 0;
  sti();
  busy(200000);
  cli();
  kprintf("masked again, IF=1: %s\n", zero(irq_count[0]));
}
