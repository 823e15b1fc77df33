// Interrupt delivery and EFLAGS.IF: an interrupt gate clears IF, a trap gate keeps it (SDM vol. 3,
// 6.12.1.3); the PIT's IRQ 0 reaches the CPU through the 8259 only when unmasked and IF=1.
import { expect } from 'vitest';
import { lines, systemSuite } from './suite.js';

systemSuite('interrupts', [
  {
    test: 'gates-if',
    title: 'interrupt gate clears IF, trap gate keeps it, iret restores it',
    expected: lines(`
      ring 0 sti; int $0x40 (interrupt gate): pushed EFLAGS.IF=1, EFLAGS.IF in the handler=0, after iret IF=1
      ring 0 sti; int $0x41 (trap gate): pushed EFLAGS.IF=1, EFLAGS.IF in the handler=1, after iret IF=1
      ring 3 (IF=1) int $0x30 (interrupt gate): pushed EFLAGS.IF=1, EFLAGS.IF in the handler=0, back in ring 3 IF=1
    `),
  },
  {
    test: 'pit',
    title: 'PIT channel 0 (mode 2) through the PIC: interrupts only when unmasked and IF=1, from ring 0 and 3, EXT in #NP',
    expected: lines(`
      IRQ 0 masked at the PIC, IF=1: zero
      IRQ 0 unmasked, IF=0: zero
      IRQ 0 unmasked, IF=1: nonzero (at least 5: yes)
      other IRQ vectors seen: zero
      IRQ 0 while ring 3 spins with IF=1: nonzero (at least 3: yes), ring 3 went on to int 0x31
      IRQ 0 through a not-present gate: #NP vec=11 err&~1=0x102
      masked again, IF=1: zero
    `),
    check(run) {
      const irq = run.events.filter((e) => e.vector === 0x20);
      expect(irq.length).toBeGreaterThanOrEqual(5);
      // External: no error code, into ring 0 from ring 0 or (the spinning user loop) ring 3,
      // and nothing but vector 0x20 from the PIC.
      expect(irq.every((e) => e.errorCode === -1 && e.cplAfter === 0)).toBe(true);
      expect(irq.some((e) => e.cplBefore === 3) && irq.some((e) => e.cplBefore === 0)).toBe(true);
      expect(run.events.filter((e) => e.vector > 0x20 && e.vector < 0x30)).toEqual([]);
      // The #NP raised while delivering IRQ 0 through a not-present gate: EXT=1, as the event is
      // external (SDM vol. 3, 6.13). QEMU 7.2 pushes 0x102, so the kernel prints err&~1 only.
      const np = run.events.filter((e) => e.vector === 11);
      expect(np.map((e) => e.errorCode)).toEqual([0x20 * 8 + 2 + 1]);
    },
  },
]);
