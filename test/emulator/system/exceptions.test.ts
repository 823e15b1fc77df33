// Exceptions raised by instructions (SDM vol. 3, 6.15): faults leave EIP on the instruction
// (#DE, #UD, #NP), traps after it (#BP, #OF); a contributory fault while delivering one is #DF
// with error code 0 (table 6-5); a fault while delivering #DF is a triple fault (the machine
// stops; QEMU -no-reboot exits), so only what was printed before it is compared.
import { expect } from 'vitest';
import { lines, systemSuite } from './suite.js';

systemSuite('exceptions', [
  {
    test: 'exceptions',
    title: '#DE (zero, quotient overflow), #UD, #BP and #OF (traps), #NP through a not-present gate',
    expected: lines(`
      div by zero: #DE vec=0 eip=de_zero_at cs=0x8
      div quotient overflow: #DE vec=0 eip=de_overflow_at cs=0x8
      idiv -2^31 / -1: #DE vec=0 eip=de_idiv_at cs=0x8
      8-bit div overflow: #DE vec=0 eip=de_div8_at cs=0x8
      ud2: #UD vec=6 eip=ud_ud2_at cs=0x8
      int3 (trap: eip after it): #BP vec=3 eip=bp_int3_at+1 cs=0x8
      into with OF=1 (trap: eip after it): #OF vec=4 eip=of_into_at+1 cs=0x8
      into with OF=0: ok
      int $0x50 through a not-present gate: #NP vec=11 err=0x282 eip=np_int50_at cs=0x8
      div by zero in ring 3: #DE vec=0 eip=u_de_at+2 cs=0x1b ss:esp=0x23:0x00800000
      int3 in ring 3: #BP vec=3 eip=u_int3_at+1 cs=0x1b ss:esp=0x23:0x00800000
    `),
    check(run, kernel) {
      const bp = run.events.find((e) => e.vector === 3);
      expect(bp?.eip).toBe(kernel.symbol('bp_int3_at') + 1);
      const np = run.events.find((e) => e.vector === 11);
      expect(np && [np.eip, np.errorCode]).toEqual([kernel.symbol('np_int50_at'), 0x282]);
    },
  },
  {
    test: 'double-fault',
    title: '#GP while delivering #NP, and #PF on an unmapped esp0 while delivering #PF: #DF, error code 0',
    // The second case sends #DF to a ring 1 handler, which runs on the TSS's ss1:esp1 while esp0
    // is broken (the role a task gate plays in a real kernel), then repairs esp0.
    expected: lines(`
      #NP while the #NP gate's code selector is beyond the GDT limit:
        int $0x50: #DF vec=8 err=0x0
      #PF while the #PF handler's stack (tss.esp0) is unmapped, #DF gate to ring 1:
        #DF in the ring 1 handler: err=0x0, running with cs=0x31 ss=0x39, on ring1stack: yes
        interrupted ring 3 at cs=0x1b ss:esp=0x23:0x00800000
        back in ring 0 through int 0x31, esp0 repaired: yes, cr2=0x400ffffc (the failed push)
      the same #PF once esp0 is good again: read ring3 read 0x40000000: #PF vec=14 err=0x4 cr2=0x40000000 eip=u_read_at cs=0x1b ss:esp=0x23:0x00800000
    `),
    check(run) {
      const df = run.events.filter((e) => e.vector === 8);
      expect(df.map((e) => [e.errorCode, e.cplBefore, e.cplAfter])).toEqual([[0, 0, 0], [0, 3, 1]]);
    },
  },
  {
    test: 'triple-fault',
    title: '#PF while delivering #DF (esp0 unmapped): triple fault',
    ends: 'triple-fault',
    expected: lines(`
      #PF from ring 3 with tss.esp0 unmapped and the #DF gate in ring 0: the #DF cannot be delivered
    `),
    check(run) {
      expect(run.stop.kind === 'triple-fault' && run.stop.message).toMatch(/#PF while delivering #DF/);
      expect(run.events.slice(-2).map((e) => [e.vector, e.cplBefore])).toEqual([[14, 3], [8, 3]]);
    },
  },
]);
