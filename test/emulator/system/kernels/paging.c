/* 4 MiB pages (CR4.PSE), accessed/dirty bits (SDM vol. 3, 4.8), and the TLB (4.10): a PTE changed
   without invlpg keeps being used until invlpg or a CR3 write; invlpg of any address in a 4 MiB
   page drops all the TLB's entries for that page (4.10.4.1). */
#include "probe.h"

static void flags(const char *what, uint32_t e) {
  kprintf("  %s = 0x%3x: A=%d D=%d\n", what, e & 0xfff, (e >> 5) & 1, (e >> 6) & 1);
}

#define BIG_VA 0x80000000u
#define BIG_PA 0x00400000u /* 4-8 MiB: identity-mapped too, so the kernel sees both views */

void t_pse_ad(void) {
  lcr4(rcr4() | CR4_PSE);
  volatile uint32_t *pde = &pgdir[BIG_VA >> 22];
  *pde = BIG_PA | PTE_PS | PTE_P | PTE_W | PTE_U;
  invlpg(BIG_VA);
  kprintf("4 MiB page 0x%8x -> 0x%8x:\n", BIG_VA, BIG_PA);
  flags("PDE before any access", *pde);
  *(volatile uint32_t *)BIG_PA = 0xcafe0001;     /* through the identity map */
  *(volatile uint32_t *)(BIG_PA + 0x0ff000) = 0xcafe0002;
  kprintf("  read [0x%8x] = 0x%8x\n", BIG_VA, *(volatile uint32_t *)BIG_VA);
  flags("PDE after a read", *pde);
  kprintf("  read [0x%8x] = 0x%8x\n", BIG_VA + 0x0ff000, *(volatile uint32_t *)(BIG_VA + 0x0ff000));
  *(volatile uint32_t *)(BIG_VA + 0x1000) = 0xcafe0003;
  flags("PDE after a write", *pde);
  kprintf("  physical [0x%8x] = 0x%8x\n", BIG_PA + 0x1000, *(volatile uint32_t *)(BIG_PA + 0x1000));

  kprintf("4 KiB page 0x%8x:\n", TESTVA + 0x30000);
  volatile uint32_t *pte = pte_slot(TESTVA + 0x30000, PTE_P | PTE_W | PTE_U);
  volatile uint32_t *tpde = &pgdir[TESTVA >> 22];
  *tpde &= ~(PTE_A | PTE_D);
  *pte = frame(1) | PTE_P | PTE_W | PTE_U;
  invlpg(TESTVA + 0x30000);
  flags("PDE before", *tpde);
  flags("PTE before", *pte);
  (void)*(volatile uint32_t *)(TESTVA + 0x30000);
  flags("PDE after a read", *tpde);
  flags("PTE after a read", *pte);
  *(volatile uint32_t *)(TESTVA + 0x30000) = 1;
  flags("PDE after a write", *tpde);
  flags("PTE after a write", *pte);

  kprintf("4 KiB page 0x%8x, written first:\n", TESTVA + 0x31000);
  pte = pte_slot(TESTVA + 0x31000, PTE_P | PTE_W | PTE_U);
  *pte = frame(2) | PTE_P | PTE_W | PTE_U;
  invlpg(TESTVA + 0x31000);
  *(volatile uint32_t *)(TESTVA + 0x31000) = 1;
  flags("PTE after a write", *pte);

  kprintf("ring 3 read of a user 4 MiB page, then a write to a read-only one:\n");
  probe("probe", 3, READ, BIG_VA + 0x2000);
  *pde = BIG_PA | PTE_PS | PTE_P | PTE_U;
  invlpg(BIG_VA);
  probe("probe", 3, WRITE, BIG_VA + 0x2000);
  /* Whether a faulting walk sets A is not pinned down by the SDM; that a failed write sets no D is. */
  kprintf("  PDE D=%d\n", (*pde >> 6) & 1);
}

static void show(const char *what, uint32_t va) {
  kprintf("  %s: [0x%8x] = 0x%8x\n", what, va, *(volatile uint32_t *)va);
}

void t_tlb(void) {
  uint32_t va = TESTVA + 0x40000;
  for (int k = 1; k <= 4; k++) *(volatile uint32_t *)frame(k) = 0x11111111u * (uint32_t)k;
  volatile uint32_t *pte = pte_slot(va, PTE_P | PTE_W | PTE_U);
  *pte = frame(1) | PTE_P | PTE_W | PTE_U;
  invlpg(va);
  kprintf("frames hold 0x11111111, 0x22222222, 0x33333333, 0x44444444\n");
  show("mapped to frame 1", va);
  *pte = frame(2) | PTE_P | PTE_W | PTE_U;
  show("PTE -> frame 2, no invlpg (stale)", va);
  invlpg(va);
  show("after invlpg", va);
  *pte = frame(3) | PTE_P | PTE_W | PTE_U;
  show("PTE -> frame 3, no invlpg (stale)", va);
  lcr3(rcr3());
  show("after reloading CR3", va);
  *pte = 0;
  show("PTE cleared, no invlpg (stale)", va);
  invlpg(va);
  probe("after invlpg", 0, READ, va);

  kprintf("write rights cached in the TLB:\n");
  *pte = frame(4) | PTE_P | PTE_W | PTE_U;
  invlpg(va);
  *(volatile uint32_t *)va = 0x44440001;
  *pte = frame(4) | PTE_P | PTE_U | PTE_A | PTE_D; /* read-only now */
  probe("read-only PTE, no invlpg (stale)", 0, WRITE, va);
  show("value", va);
  invlpg(va);
  probe("read-only PTE, after invlpg", 0, WRITE, va);
  probe("ring 3 reads it", 3, READ, va);
  *pte = frame(4) | PTE_P | PTE_W | PTE_A | PTE_D; /* supervisor now */
  probe("supervisor PTE, no invlpg (stale)", 3, READ, va);
  invlpg(va);
  probe("supervisor PTE, after invlpg", 3, READ, va);
}
