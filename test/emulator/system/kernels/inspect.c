/* Page tables with every U/W combination at both levels, 4 MiB pages, not-present entries; each
   address probed for read/write/execute from ring 0 and ring 3 with CR0.WP on and off. The
   harness stops at inspect_done() and checks that the inspectors predict every outcome. */
#include "probe.h"

#define COMBO_BASE 0x48000000u  /* PDE combo c (bit 0 U, bit 1 W) at + c * 4 MiB, PTE combo d at + d * 4 KiB */
#define NP_PTE     (COMBO_BASE + 0x4000)
#define NP_PDE     0x49000000u
#define BIG_BASE   0x4a000000u  /* 4 MiB pages, combo k at + k * 4 MiB -> 16 MiB + k * 4 MiB */
#define BIG_PHYS   0x01000000u

static uint32_t rights(int combo) { return (combo & 1 ? PTE_U : 0) | (combo & 2 ? PTE_W : 0); }

static uint32_t addrs[32];
static int naddrs;

void __attribute__((noinline)) inspect_done(void) {
  __asm__ volatile("" ::: "memory");
}

void t_inspect(void) {
  lcr4(rcr4() | CR4_PSE);
  for (int c = 0; c < 4; c++) {
    for (int d = 0; d < 4; d++) {
      uint32_t va = COMBO_BASE + (uint32_t)c * 0x400000 + (uint32_t)d * 0x1000;
      uint32_t pa = frame(20 + c * 4 + d);
      *pte_slot(va, PTE_P | rights(c)) = pa | PTE_P | rights(d);
      *(volatile uint8_t *)pa = 0xc3; /* ret, for the fetch probes */
      invlpg(va);
      addrs[naddrs++] = va;
    }
  }
  addrs[naddrs++] = NP_PTE;
  addrs[naddrs++] = NP_PDE;
  lcr0(rcr0() & ~CR0_WP);
  for (int k = 0; k < 4; k++) {
    uint32_t va = BIG_BASE + (uint32_t)k * 0x400000;
    pgdir[va >> 22] = (BIG_PHYS + (uint32_t)k * 0x400000) | PTE_PS | PTE_P | rights(k);
    invlpg(va);
    *(volatile uint8_t *)va = 0xc3;
    addrs[naddrs++] = va;
  }
  for (int wp = 1; wp >= 0; wp--) {
    lcr0(wp ? rcr0() | CR0_WP : rcr0() & ~CR0_WP);
    for (int i = 0; i < naddrs; i++)
      for (int cpl = 0; cpl <= 3; cpl += 3)
        for (int a = READ; a <= EXEC; a++)
          probe(wp ? "wp=1" : "wp=0", cpl, (enum access)a, a == EXEC ? addrs[i] : addrs[i] + 0x10);
  }
  lcr0(rcr0() | CR0_WP);
  inspect_done();
  kprintf("%d addresses probed\n", naddrs);
}
