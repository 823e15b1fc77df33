/* Page faults: every error-code combination (SDM vol. 3, 4.7), CR2, and restarting the faulting
   instruction once the handler has mapped the page. */
#include "probe.h"

#define NP_PTE   (TESTVA + 0x0000)  /* page table present, PTE 0 */
#define NP_PDE   0x50000000u        /* no page table at all */
#define SUP_RW   (TESTVA + 0x1000)  /* supervisor, writable */
#define USER_RO  (TESTVA + 0x2000)  /* user, read-only */
#define SUP_RO   (TESTVA + 0x3000)  /* supervisor, read-only */
#define PDE_SUP  0x44000000u        /* PTE user rw, but the PDE is supervisor */
#define PDE_RO   0x44400000u        /* PTE user rw, but the PDE is read-only */

void t_pf_notpresent(void) {
  unmap_page(NP_PTE);
  probe("pte not present", 0, READ, NP_PTE);
  probe("pte not present", 0, WRITE, NP_PTE);
  probe("pte not present", 3, READ, NP_PTE);
  probe("pte not present", 3, WRITE, NP_PTE);
  probe("pde not present", 0, READ, NP_PDE);
  probe("pde not present", 0, WRITE, NP_PDE);
  probe("pde not present", 3, READ, NP_PDE);
  probe("pde not present", 3, WRITE, NP_PDE);
}

static void show(uint32_t va) {
  kprintf("  [0x%8x] = 0x%8x\n", va, *(volatile uint32_t *)va);
}

void t_pf_protection(void) {
  map_page(SUP_RW, frame(1), PTE_P | PTE_W);
  map_page(USER_RO, frame(2), PTE_P | PTE_U);
  map_page(SUP_RO, frame(3), PTE_P);
  *pte_slot(PDE_SUP, PTE_P | PTE_W) = frame(4) | PTE_P | PTE_W | PTE_U;
  *pte_slot(PDE_RO, PTE_P | PTE_U) = frame(5) | PTE_P | PTE_W | PTE_U;
  invlpg(PDE_SUP);
  invlpg(PDE_RO);

  kprintf("CR0.WP=1\n");
  probe("user read, supervisor page", 3, READ, SUP_RW);
  probe("user write, supervisor page", 3, WRITE, SUP_RW);
  probe("user read, user read-only page", 3, READ, USER_RO);
  probe("user write, user read-only page", 3, WRITE, USER_RO);
  probe("user read, supervisor PDE", 3, READ, PDE_SUP);
  probe("user write, read-only PDE", 3, WRITE, PDE_RO);
  probe("kernel read, user read-only page", 0, READ, USER_RO);
  probe("kernel write, user read-only page", 0, WRITE, USER_RO);
  probe("kernel write, supervisor read-only page", 0, WRITE, SUP_RO);
  probe("kernel write, read-only PDE", 0, WRITE, PDE_RO);
  show(SUP_RO);

  lcr0(rcr0() & ~CR0_WP);
  kprintf("CR0.WP=0\n");
  probe("kernel write, user read-only page", 0, WRITE, USER_RO);
  probe("kernel write, supervisor read-only page", 0, WRITE, SUP_RO);
  probe("kernel write, read-only PDE", 0, WRITE, PDE_RO);
  show(SUP_RO);
  probe("user write, user read-only page", 3, WRITE, USER_RO);
  lcr0(rcr0() | CR0_WP);
}

/* A 5-byte "mov $0xc3c3c3c3, %eax" whose last 2 bytes lie on the next page, then "ret". */
#define STRADDLE_PAGE (TESTVA + 0x7000)
#define STRADDLE_INSN (STRADDLE_PAGE + 0xffd)

void t_pf_fetch(void) {
  map_page(TESTVA + 0x4000, frame(1), PTE_P | PTE_W | PTE_U); /* user page holding "ret" */
  *(volatile uint8_t *)(TESTVA + 0x4000) = 0xc3;
  unmap_page(TESTVA + 0x5000);
  map_page(TESTVA + 0x6000, frame(2), PTE_P | PTE_W);         /* supervisor page holding "ret" */
  *(volatile uint8_t *)(TESTVA + 0x6000) = 0xc3;

  probe("fetch from a not-present page", 0, EXEC, TESTVA + 0x5000);
  probe("fetch from a not-present page", 3, EXEC, TESTVA + 0x5000);
  probe("fetch from a supervisor page", 3, EXEC, TESTVA + 0x6000);
  probe("fetch from a supervisor page", 0, EXEC, TESTVA + 0x6000);
  probe("fetch from a user page", 3, EXEC, TESTVA + 0x4000);
  probe("fetch from a user page", 0, EXEC, TESTVA + 0x4000);

  /* An instruction that starts on a present page and ends on a missing one. */
  map_page(STRADDLE_PAGE, frame(3), PTE_P | PTE_W | PTE_U);
  unmap_page(STRADDLE_PAGE + 0x1000);
  volatile uint8_t *insn = (volatile uint8_t *)STRADDLE_INSN;
  insn[0] = 0xb8; insn[1] = 0xc3; insn[2] = 0xc3;
  probe_addr = STRADDLE_INSN;
  kprintf("instruction straddling into a not-present page: ");
  set_site("straddling_insn", (void *)STRADDLE_INSN);
  if (try_call((void (*)(void))k_exec) == -1) kprintf("ok\n");
  map_page(STRADDLE_PAGE + 0x1000, frame(4), PTE_P | PTE_W | PTE_U);
  volatile uint8_t *rest = (volatile uint8_t *)(STRADDLE_PAGE + 0x1000);
  rest[0] = 0xc3; rest[1] = 0xc3; rest[2] = 0xc3;
  kprintf("same instruction once the page is mapped: ");
  if (try_call((void (*)(void))k_exec) == -1) kprintf("ok\n");
}

#define STR_PAGE (TESTVA + 0x9000)  /* present; the page after it is not */

static void show_tail(void) {
  volatile uint8_t *p = (volatile uint8_t *)(STR_PAGE + 0xffc);
  kprintf("  last 4 bytes of the present page: %2x %2x %2x %2x\n", p[0], p[1], p[2], p[3]);
}

void t_pf_straddle(void) {
  map_page(STR_PAGE, frame(1), PTE_P | PTE_W | PTE_U);
  unmap_page(STR_PAGE + 0x1000);
  for (int i = 0; i < 4096; i++) ((volatile uint8_t *)STR_PAGE)[i] = 0x11;

  probe("dword write at page end - 2", 0, WRITE, STR_PAGE + 0xffe);
  show_tail();
  probe("dword write at page end - 1", 0, WRITE, STR_PAGE + 0xfff);
  show_tail();
  probe("dword write at page end - 3", 0, WRITE, STR_PAGE + 0xffd);
  show_tail();
  kprintf("word write at page end - 1 ring0 0x%8x: ", STR_PAGE + 0xfff);
  probe_addr = STR_PAGE + 0xfff;
  set_site("k_write16_at", k_write16_at);
  if (try_call((void (*)(void))k_write16) == -1) kprintf("ok\n");
  show_tail();
  probe("dword write at page end - 2", 3, WRITE, STR_PAGE + 0xffe);
  show_tail();
  probe("dword read at page end - 2", 0, READ, STR_PAGE + 0xffe);
  probe("dword read at page end - 1", 3, READ, STR_PAGE + 0xfff);
}

/* ---- restart: the handler maps the page and returns with iret */

static int next_frame = 10;
static int show_string_regs;
extern char rep_src[];
extern char k_repmovsb[], k_repmovsb_at[], k_store[], k_store_at[], u_touch[], u_touch_at[], u_push[], u_push_at[];
extern volatile uint32_t rep_ecx, rep_esi, rep_edi, u_result;

static int map_on_fault(struct trapframe *tf) {
  uint32_t va = rcr2();
  if (tf->vector != 14 || va < TESTVA || va >= TESTVA + 0x400000) return 0;
  kprintf("  ");
  report(tf);
  if (show_string_regs)
    kprintf("  at the fault: ecx=%d esi=rep_src+%d edi=0x%8x\n", tf->ecx, tf->esi - (uint32_t)rep_src, tf->edi);
  kprintf("  handler maps 0x%8x and returns\n", va & ~0xfffu);
  map_page(va & ~0xfffu, frame(next_frame++), PTE_P | PTE_W | PTE_U);
  return 1;
}

void t_pf_restart(void) {
  trap_hook = map_on_fault;

  kprintf("ring 0 store to a missing page:\n");
  set_site("k_store_at", k_store_at);
  if (try_call((void (*)(void))k_store) == -1)
    kprintf("  completed: [0x%8x] = 0x%8x\n", TESTVA + 0xb010, *(volatile uint32_t *)(TESTVA + 0xb010));

  kprintf("rep movsb of 200 bytes, 100 before the end of a page whose successor is missing:\n");
  map_page(TESTVA + 0xc000, frame(next_frame++), PTE_P | PTE_W | PTE_U);
  unmap_page(TESTVA + 0xd000);
  for (int i = 0; i < 200; i++) rep_src[i] = (char)(i + 1);
  show_string_regs = 1;
  set_site("k_repmovsb_at", k_repmovsb_at);
  if (try_call((void (*)(void))k_repmovsb) == -1) {
    int same = 1;
    for (int i = 0; i < 200; i++) same &= ((volatile char *)(TESTVA + 0xcf9c))[i] == rep_src[i];
    kprintf("  completed: ecx=%d esi=rep_src+%d edi=0x%8x, destination %s\n", rep_ecx,
            rep_esi - (uint32_t)rep_src, rep_edi, same ? "equals source" : "DIFFERS");
  }
  show_string_regs = 0;

  kprintf("ring 3 load from a missing page:\n");
  set_site("u_touch_at", u_touch_at);
  *(volatile uint32_t *)frame(next_frame) = 0xfeedf00d; /* the frame the handler will map */
  if (run_user(u_touch, USTACK_TOP, 0x2, TESTVA + 0xe000) == 0x31)
    kprintf("  completed: user loaded 0x%8x\n", u_result);

  kprintf("ring 3 push onto a missing stack page (stack grows on demand):\n");
  set_site("u_push_at", u_push_at);
  unmap_page(TESTVA + 0xf000);
  if (run_user(u_push, TESTVA + 0x10000, 0x2, 0xabcd1234) == 0x31)
    kprintf("  completed: [0x%8x] = 0x%8x, user esp was 0x%8x\n", TESTVA + 0xfffc,
            *(volatile uint32_t *)(TESTVA + 0xfffc), u_result);
  trap_hook = 0;
}
