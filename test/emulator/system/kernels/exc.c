/* Exceptions raised by instructions (#DE #UD #BP #OF #NP), double fault, triple fault. */
#include "probe.h"

#define SNIP(name) extern char name[], name##_at[];
SNIP(de_zero) SNIP(de_overflow) SNIP(de_idiv) SNIP(de_div8) SNIP(ud_ud2) SNIP(bp_int3) SNIP(of_into)
SNIP(of_into_clear) SNIP(np_int50) SNIP(u_de) SNIP(u_int3)
#undef SNIP
extern char df_ring1_entry[];

#define K(label, name) kernel(label, (void (*)(void))name, #name "_at", name##_at)

void t_exceptions(void) {
  K("div by zero", de_zero);
  K("div quotient overflow", de_overflow);
  K("idiv -2^31 / -1", de_idiv);
  K("8-bit div overflow", de_div8);
  K("ud2", ud_ud2);
  K("int3 (trap: eip after it)", bp_int3);
  K("into with OF=1 (trap: eip after it)", of_into);
  K("into with OF=0", of_into_clear);
  K("int $0x50 through a not-present gate", np_int50);
  kprintf("div by zero in ring 3: ");
  set_site("u_de_at", u_de_at);
  run_user(u_de, USTACK_TOP, 0x2, 0);
  kprintf("int3 in ring 3: ");
  set_site("u_int3_at", u_int3_at);
  run_user(u_int3, USTACK_TOP, 0x2, 0);
}

/* Runs in ring 1 on the TSS's ring 1 stack: only unprivileged instructions here (I/O by IOPL 1). */
void df_ring1_report(uint32_t *frame) {
  uint16_t cs, ss;
  __asm__ volatile("mov %%cs, %0" : "=r"(cs));
  __asm__ volatile("mov %%ss, %0" : "=r"(ss));
  kprintf("  #DF in the ring 1 handler: err=0x%x, running with cs=0x%x ss=0x%x, on ring1stack: %s\n", frame[0], cs, ss,
          (uint32_t)frame > (uint32_t)ring1stack_top - 64 && (uint32_t)frame < (uint32_t)ring1stack_top ? "yes" : "no");
  kprintf("  interrupted ring 3 at cs=0x%x ss:esp=0x%x:0x%8x\n", frame[2] & 0xffff, frame[5] & 0xffff, frame[4]);
}

#define BAD_ESP0 (TESTVA + 0x100000) /* top of an unmapped page */

void t_double_fault(void) {
  kprintf("#NP while the #NP gate's code selector is beyond the GDT limit:\n  ");
  set_gate_selector(11, 0x1f8);
  K("int $0x50", np_int50);
  set_gate_selector(11, KCODE);

  kprintf("#PF while the #PF handler's stack (tss.esp0) is unmapped, #DF gate to ring 1:\n");
  unmap_page(BAD_ESP0 - 0x1000);
  unmap_page(TESTVA);
  set_gate(8, (void (*)(void))df_ring1_entry, R1CODE, 0, 0, 1);
  tss.esp0 = BAD_ESP0;
  int v = run_user(u_read, USTACK_TOP, FL_IOPL(1) | 0x2, TESTVA);
  set_gate(8, stub_for(8), KCODE, 0, 0, 1);
  kprintf("  back in ring 0 through int 0x%x, esp0 repaired: %s, cr2=0x%8x (the failed push)\n", v,
          tss.esp0 == (uint32_t)trapstack_top ? "yes" : "no", rcr2());
  kprintf("the same #PF once esp0 is good again: ");
  probe("read", 3, READ, TESTVA);
}

void t_triple_fault(void) {
  kprintf("#PF from ring 3 with tss.esp0 unmapped and the #DF gate in ring 0: the #DF cannot be delivered\n");
  unmap_page(BAD_ESP0 - 0x1000);
  unmap_page(TESTVA);
  tss.esp0 = BAD_ESP0;
  run_user(u_read, USTACK_TOP, 0x2, TESTVA);
  kprintf("still running: no triple fault\n");
}
