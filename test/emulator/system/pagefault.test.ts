// Page faults on the protected-mode machine (SDM vol. 3, 4.7 and 6.15 "Interrupt 14"): the error
// code bits P (protection vs not-present), W/R, U/S for every combination, CR2, EIP left on the
// faulting instruction, and the instruction completing once the handler has mapped the page.
// The expected lines follow the SDM; the same kernel runs on QEMU and the outputs must match.
import { expect } from 'vitest';
import { lines, systemSuite } from './suite.js';

systemSuite('page faults', [
  {
    test: 'pf-notpresent',
    title: 'not-present PTE and PDE, read and write, ring 0 and ring 3: err 0x0 0x2 0x4 0x6',
    expected: lines(`
      pte not present ring0 read 0x40000000: #PF vec=14 err=0x0 cr2=0x40000000 eip=k_read_at cs=0x8
      pte not present ring0 write 0x40000000: #PF vec=14 err=0x2 cr2=0x40000000 eip=k_write_at cs=0x8
      pte not present ring3 read 0x40000000: #PF vec=14 err=0x4 cr2=0x40000000 eip=u_read_at cs=0x1b ss:esp=0x23:0x00800000
      pte not present ring3 write 0x40000000: #PF vec=14 err=0x6 cr2=0x40000000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
      pde not present ring0 read 0x50000000: #PF vec=14 err=0x0 cr2=0x50000000 eip=k_read_at cs=0x8
      pde not present ring0 write 0x50000000: #PF vec=14 err=0x2 cr2=0x50000000 eip=k_write_at cs=0x8
      pde not present ring3 read 0x50000000: #PF vec=14 err=0x4 cr2=0x50000000 eip=u_read_at cs=0x1b ss:esp=0x23:0x00800000
      pde not present ring3 write 0x50000000: #PF vec=14 err=0x6 cr2=0x50000000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
    `),
  },
  {
    test: 'pf-protection',
    title: 'U/S and R/W at PDE and PTE level; supervisor writes fault only with CR0.WP=1',
    expected: lines(`
      CR0.WP=1
      user read, supervisor page ring3 read 0x40001000: #PF vec=14 err=0x5 cr2=0x40001000 eip=u_read_at cs=0x1b ss:esp=0x23:0x00800000
      user write, supervisor page ring3 write 0x40001000: #PF vec=14 err=0x7 cr2=0x40001000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
      user read, user read-only page ring3 read 0x40002000: ok
      user write, user read-only page ring3 write 0x40002000: #PF vec=14 err=0x7 cr2=0x40002000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
      user read, supervisor PDE ring3 read 0x44000000: #PF vec=14 err=0x5 cr2=0x44000000 eip=u_read_at cs=0x1b ss:esp=0x23:0x00800000
      user write, read-only PDE ring3 write 0x44400000: #PF vec=14 err=0x7 cr2=0x44400000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
      kernel read, user read-only page ring0 read 0x40002000: ok
      kernel write, user read-only page ring0 write 0x40002000: #PF vec=14 err=0x3 cr2=0x40002000 eip=k_write_at cs=0x8
      kernel write, supervisor read-only page ring0 write 0x40003000: #PF vec=14 err=0x3 cr2=0x40003000 eip=k_write_at cs=0x8
      kernel write, read-only PDE ring0 write 0x44400000: #PF vec=14 err=0x3 cr2=0x44400000 eip=k_write_at cs=0x8
        [0x40003000] = 0x00000000
      CR0.WP=0
      kernel write, user read-only page ring0 write 0x40002000: ok
      kernel write, supervisor read-only page ring0 write 0x40003000: ok
      kernel write, read-only PDE ring0 write 0x44400000: ok
        [0x40003000] = 0x5a5a5a5a
      user write, user read-only page ring3 write 0x40002000: #PF vec=14 err=0x7 cr2=0x40002000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
    `),
  },
  {
    test: 'pf-fetch',
    title: 'instruction fetches: not-present, supervisor page from ring 3, instruction straddling a page',
    // With 32-bit paging and no SMEP the I/D bit stays 0 (SDM 4.7), so a fetch looks like a read.
    expected: lines(`
      fetch from a not-present page ring0 exec 0x40005000: #PF vec=14 err=0x0 cr2=0x40005000 eip=target cs=0x8
      fetch from a not-present page ring3 exec 0x40005000: #PF vec=14 err=0x4 cr2=0x40005000 eip=target cs=0x1b ss:esp=0x23:0x007ffffc
      fetch from a supervisor page ring3 exec 0x40006000: #PF vec=14 err=0x5 cr2=0x40006000 eip=target cs=0x1b ss:esp=0x23:0x007ffffc
      fetch from a supervisor page ring0 exec 0x40006000: ok
      fetch from a user page ring3 exec 0x40004000: ok
      fetch from a user page ring0 exec 0x40004000: ok
      instruction straddling into a not-present page: #PF vec=14 err=0x0 cr2=0x40008000 eip=straddling_insn cs=0x8
      same instruction once the page is mapped: ok
    `),
  },
  {
    test: 'pf-straddle',
    title: 'an access straddling into a missing page: CR2 is the first byte of that page, nothing is written',
    expected: lines(`
      dword write at page end - 2 ring0 write 0x40009ffe: #PF vec=14 err=0x2 cr2=0x4000a000 eip=k_write_at cs=0x8
        last 4 bytes of the present page: 11 11 11 11
      dword write at page end - 1 ring0 write 0x40009fff: #PF vec=14 err=0x2 cr2=0x4000a000 eip=k_write_at cs=0x8
        last 4 bytes of the present page: 11 11 11 11
      dword write at page end - 3 ring0 write 0x40009ffd: #PF vec=14 err=0x2 cr2=0x4000a000 eip=k_write_at cs=0x8
        last 4 bytes of the present page: 11 11 11 11
      word write at page end - 1 ring0 0x40009fff: #PF vec=14 err=0x2 cr2=0x4000a000 eip=k_write16_at cs=0x8
        last 4 bytes of the present page: 11 11 11 11
      dword write at page end - 2 ring3 write 0x40009ffe: #PF vec=14 err=0x6 cr2=0x4000a000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
        last 4 bytes of the present page: 11 11 11 11
      dword read at page end - 2 ring0 read 0x40009ffe: #PF vec=14 err=0x0 cr2=0x4000a000 eip=k_read_at cs=0x8
      dword read at page end - 1 ring3 read 0x40009fff: #PF vec=14 err=0x4 cr2=0x4000a000 eip=u_read_at cs=0x1b ss:esp=0x23:0x00800000
    `),
  },
  {
    test: 'pf-restart',
    title: 'the handler maps the page and returns: the faulting instruction (rep movsb mid-way) completes',
    expected: lines(`
      ring 0 store to a missing page:
        #PF vec=14 err=0x2 cr2=0x4000b010 eip=k_store_at cs=0x8
        handler maps 0x4000b000 and returns
        completed: [0x4000b010] = 0x12345678
      rep movsb of 200 bytes, 100 before the end of a page whose successor is missing:
        #PF vec=14 err=0x2 cr2=0x4000d000 eip=k_repmovsb_at cs=0x8
        at the fault: ecx=100 esi=rep_src+100 edi=0x4000d000
        handler maps 0x4000d000 and returns
        completed: ecx=0 esi=rep_src+200 edi=0x4000d064, destination equals source
      ring 3 load from a missing page:
        #PF vec=14 err=0x4 cr2=0x4000e000 eip=u_touch_at cs=0x1b ss:esp=0x23:0x00800000
        handler maps 0x4000e000 and returns
        completed: user loaded 0xfeedf00d
      ring 3 push onto a missing stack page (stack grows on demand):
        #PF vec=14 err=0x6 cr2=0x4000fffc eip=u_push_at cs=0x1b ss:esp=0x23:0x40010000
        handler maps 0x4000f000 and returns
        completed: [0x4000fffc] = 0xabcd1234, user esp was 0x4000fffc
    `),
    check(run, kernel) {
      // Each restart is a second execution of the same instruction: one #PF per missing page.
      const pf = run.events.filter((e) => e.vector === 14);
      expect(pf.map((e) => e.eip >>> 0)).toEqual(['k_store_at', 'k_repmovsb_at', 'u_touch_at', 'u_push_at'].map((s) => kernel.symbol(s)));
      expect(pf.map((e) => [e.errorCode, e.cplBefore, e.cplAfter])).toEqual([[2, 0, 0], [2, 0, 0], [4, 3, 0], [6, 3, 0]]);
    },
  },
]);
