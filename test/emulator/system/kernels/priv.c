/* Privilege: int n DPL checks and the ring 3 -> 0 -> 3 round trip, interrupt vs trap gates,
   sysenter/sysexit, privileged instructions in ring 3, popf's IOPL rules. */
#include "probe.h"

extern char u_int30_segs[], u_int32[], u_int30[], u_int30_at[], u_int30_back[], k_gate40[], k_gate41[];
extern char u_sysenter[], u_sysenter_at[], sysenter_entry[], u_popf[];
extern volatile uint32_t back_eax, back_cs, back_ss, back_ds, back_es, back_gs, back_esp, after_flags, before_flags;
extern volatile uint32_t in_cs, in_ss, in_esp, in_flags, in_eax;

/* Prints the frame the CPU pushed for int $0x30 from ring 3, then returns 0x1234 in %eax. */
static int syscall_hook(struct trapframe *tf) {
  if (tf->vector != 0x30) return 0;
  uint16_t cs, ss;
  __asm__ volatile("mov %%cs, %0" : "=r"(cs));
  __asm__ volatile("mov %%ss, %0" : "=r"(ss));
  kprintf("\n  handler runs with cs=0x%x ss=0x%x (ss0 from the TSS)\n", cs, ss);
  kprintf("  CPU frame at tss.esp0-0x%x: eip=", (uint32_t)trapstack_top - (uint32_t)&tf->eip);
  print_eip(tf->eip);
  kprintf(" cs=0x%x eflags=0x%x esp=0x%8x ss=0x%x\n", tf->cs & 0xffff, tf->eflags, tf->esp, tf->ss & 0xffff);
  kprintf("  EFLAGS.IF in the handler: %d\n", (read_eflags() >> 9) & 1);
  tf->eax = 0x1234;
  return 1;
}

/* EFLAGS.RF in the image pushed for a fault is model-specific (SDM vol. 3, 17.3.1.1), so it is masked. */
static int pf_frame_hook(struct trapframe *tf) {
  if (tf->vector != 14) return 0;
  uint32_t *w = &tf->err;
  kprintf("\n  CPU frame at tss.esp0-0x%x, low to high:\n", (uint32_t)trapstack_top - (uint32_t)w);
  kprintf("  error code 0x%x\n  eip ", w[0]);
  print_eip(w[1]);
  kprintf("\n  cs 0x%x\n  eflags 0x%x\n  esp 0x%8x\n  ss 0x%x\n", w[2] & 0xffff, w[3] & ~0x10000u, w[4], w[5] & 0xffff);
  recover(14);
}

/* Returns to ring 3 with kernel data selectors in DS, ES and GS. */
static int kernel_segs_hook(struct trapframe *tf) {
  if (tf->vector != 0x30) return 0;
  tf->ds = tf->es = tf->gs = KDATA;
  return 1;
}

void t_int_dpl(void) {
  kprintf("int $0x32 (gate DPL 0) from ring 3: ");
  set_site("u_int32", u_int32);
  run_user(u_int32, USTACK_TOP, 0x2, 0);
  kprintf("int $0x30 (gate DPL 3) from ring 3:");
  trap_hook = syscall_hook;
  set_site("u_int30_at", u_int30_at);
  int v = run_user(u_int30, USTACK_TOP, FL_IF | 0x2, 0);
  trap_hook = 0;
  if (v == 0x31)
    kprintf("  back in ring 3 after iret: cs=0x%x ss=0x%x ds=0x%x esp=0x%8x eax=0x%x\n",
            back_cs & 0xffff, back_ss & 0xffff, back_ds & 0xffff, back_esp, back_eax);
  /* iret to an outer ring nulls data segment registers whose DPL is below the new CPL. */
  kprintf("int $0x30 whose handler returns with ds=es=gs=0x10: ");
  trap_hook = kernel_segs_hook;
  if (run_user(u_int30_segs, USTACK_TOP, 0x2, 0) == 0x31)
    kprintf("ring 3 sees ds=0x%x es=0x%x gs=0x%x\n", back_ds & 0xffff, back_es & 0xffff, back_gs & 0xffff);
  trap_hook = 0;
  /* A fault with an error code from ring 3: the six words as pushed. */
  kprintf("#PF from ring 3:");
  unmap_page(TESTVA);
  trap_hook = pf_frame_hook;
  set_site("u_read_at", u_read_at);
  run_user(u_read, USTACK_TOP, 0x2, TESTVA);
  trap_hook = 0;
}

static int gate_hook(struct trapframe *tf) {
  if (tf->vector != 0x40 && tf->vector != 0x41 && tf->vector != 0x30) return 0;
  kprintf("pushed EFLAGS.IF=%d, EFLAGS.IF in the handler=%d", (tf->eflags >> 9) & 1, (read_eflags() >> 9) & 1);
  return 1;
}

void t_gates_if(void) {
  trap_hook = gate_hook;
  kprintf("ring 0 sti; int $0x40 (interrupt gate): ");
  try_call((void (*)(void))k_gate40);
  kprintf(", after iret IF=%d\n", (after_flags >> 9) & 1);
  kprintf("ring 0 sti; int $0x41 (trap gate): ");
  try_call((void (*)(void))k_gate41);
  kprintf(", after iret IF=%d\n", (after_flags >> 9) & 1);
  kprintf("ring 3 (IF=1) int $0x30 (interrupt gate): ");
  run_user(u_int30, USTACK_TOP, FL_IF | 0x2, 0);
  kprintf(", back in ring 3 IF=%d\n", (after_flags >> 9) & 1);
  trap_hook = 0;
}

void t_sysenter(void) {
  wrmsr(0x174, KCODE, 0);
  wrmsr(0x175, (uint32_t)sysstack_top, 0);
  wrmsr(0x176, (uint32_t)sysenter_entry, 0);
  kprintf("IA32_SYSENTER_CS=0x%x, ESP is sysstack_top: %s, EIP is sysenter_entry: %s\n", rdmsr_lo(0x174),
          rdmsr_lo(0x175) == (uint32_t)sysstack_top ? "yes" : "no", rdmsr_lo(0x176) == (uint32_t)sysenter_entry ? "yes" : "no");
  set_site("u_sysenter_at", u_sysenter_at);
  if (run_user(u_sysenter, USTACK_TOP, FL_IF | 0x2, 0) != 0x31) return;
  kprintf("after sysenter: cs=0x%x ss=0x%x esp is sysstack_top: %s IF=%d eax=0x%x\n", in_cs & 0xffff, in_ss & 0xffff,
          in_esp == (uint32_t)sysstack_top ? "yes" : "no", (in_flags >> 9) & 1, in_eax);
  kprintf("after sysexit: cs=0x%x ss=0x%x esp=0x%8x IF=%d eax=0x%x\n", back_cs & 0xffff, back_ss & 0xffff, back_esp,
          (after_flags >> 9) & 1, back_eax);
  kprintf("sysexit from ring 3: ");
  set_site("sysenter_entry", sysenter_entry);
  run_user(sysenter_entry, USTACK_TOP, 0x2, 0);
  wrmsr(0x174, 0, 0);
  kprintf("sysenter with IA32_SYSENTER_CS=0: ");
  set_site("u_sysenter_at", u_sysenter_at);
  run_user(u_sysenter, USTACK_TOP, 0x2, 0);
}

#define P(name) extern char p_##name[];
P(cli) P(sti) P(hlt) P(in_imm) P(out_imm) P(in_dx) P(out_dx) P(mov_from_cr0) P(mov_to_cr0) P(mov_from_cr3)
P(mov_to_cr3) P(mov_to_dr7) P(lgdt) P(lidt) P(ltr) P(lldt) P(invlpg) P(wrmsr) P(rdmsr) P(clts)
#undef P

static const struct { const char *name; char *entry; } privileged[] = {
#define P(name) { #name, p_##name },
  P(cli) P(sti) P(hlt) P(in_imm) P(out_imm) P(in_dx) P(out_dx) P(mov_from_cr0) P(mov_to_cr0) P(mov_from_cr3)
  P(mov_to_cr3) P(mov_to_dr7) P(lgdt) P(lidt) P(ltr) P(lldt) P(invlpg) P(wrmsr) P(rdmsr) P(clts)
#undef P
};

static void popf_case(uint32_t entry_flags, uint32_t popped) {
  kprintf("popf 0x%4x with EFLAGS 0x%4x: ", popped, entry_flags);
  set_site("u_popf", u_popf);
  if (run_user(u_popf, USTACK_TOP - 16, entry_flags, popped) == 0x31)
    kprintf("before 0x%4x after 0x%4x\n", before_flags, after_flags);
}

void t_priv_ring3(void) {
  /* #GP(0) is a fault: EIP stays on the instruction ("name+N" when the snippet sets registers first). */
  for (unsigned i = 0; i < sizeof privileged / sizeof privileged[0]; i++) {
    char *at = privileged[i].entry;
    kprintf("%s: ", privileged[i].name);
    set_site(privileged[i].name, at);
    if (run_user(at, USTACK_TOP - 16, 0x2, 0) == 0x31) kprintf("ok\n");
  }
  popf_case(0x0002, 0x3203);  /* IOPL 0, CPL 3: IF and IOPL stay, CF changes */
  popf_case(0x0202, 0x0001);  /* IF stays set */
  popf_case(0x3002, 0x0203);  /* IOPL 3: IF changes, IOPL stays (CPL 3 is not 0) */
  kprintf("with IOPL 3: ");
  set_site("cli", p_cli);
  if (run_user(p_cli, USTACK_TOP - 16, FL_IOPL(3) | 0x2, 0) == 0x31) kprintf("cli ok, ");
  set_site("out_imm", p_out_imm);
  if (run_user(p_out_imm, USTACK_TOP - 16, FL_IOPL(3) | 0x2, 0) == 0x31) kprintf("out ok\n");
}
