// Paging beyond the error codes: 4 MiB pages with CR4.PSE, the accessed and dirty bits (SDM
// vol. 3, 4.8: A in every entry used, D only in the entry that maps the page, and only when a
// write succeeds), and the TLB (4.10.4): a changed PTE is used only after invlpg or a CR3 write.
import { lines, systemSuite } from './suite.js';

systemSuite('paging', [
  {
    test: 'pse-ad',
    title: '4 MiB pages and A/D bits; invlpg drops every TLB entry of a 4 MiB page',
    // The last probe reads 0x80002000 (now cached), makes the 4 MiB page read-only and executes
    // invlpg 0x80000000: invlpg drops every TLB entry of the page containing the address, all of
    // a 4 MiB page (SDM 4.10.4.1), so the write to 0x80002000 must walk again and fault.
    expected: lines(`
      4 MiB page 0x80000000 -> 0x00400000:
        PDE before any access = 0x087: A=0 D=0
        read [0x80000000] = 0xcafe0001
        PDE after a read = 0x0a7: A=1 D=0
        read [0x800ff000] = 0xcafe0002
        PDE after a write = 0x0e7: A=1 D=1
        physical [0x00401000] = 0xcafe0003
      4 KiB page 0x40030000:
        PDE before = 0x007: A=0 D=0
        PTE before = 0x007: A=0 D=0
        PDE after a read = 0x027: A=1 D=0
        PTE after a read = 0x027: A=1 D=0
        PDE after a write = 0x027: A=1 D=0
        PTE after a write = 0x067: A=1 D=1
      4 KiB page 0x40031000, written first:
        PTE after a write = 0x067: A=1 D=1
      ring 3 read of a user 4 MiB page, then a write to a read-only one:
      probe ring3 read 0x80002000: ok
      probe ring3 write 0x80002000: #PF vec=14 err=0x7 cr2=0x80002000 eip=u_write_at cs=0x1b ss:esp=0x23:0x00800000
        PDE D=0
    `),
  },
  {
    test: 'tlb',
    title: 'stale translations and rights until invlpg / CR3 reload',
    expected: lines(`
      frames hold 0x11111111, 0x22222222, 0x33333333, 0x44444444
        mapped to frame 1: [0x40040000] = 0x11111111
        PTE -> frame 2, no invlpg (stale): [0x40040000] = 0x11111111
        after invlpg: [0x40040000] = 0x22222222
        PTE -> frame 3, no invlpg (stale): [0x40040000] = 0x22222222
        after reloading CR3: [0x40040000] = 0x33333333
        PTE cleared, no invlpg (stale): [0x40040000] = 0x33333333
      after invlpg ring0 read 0x40040000: #PF vec=14 err=0x0 cr2=0x40040000 eip=k_read_at cs=0x8
      write rights cached in the TLB:
      read-only PTE, no invlpg (stale) ring0 write 0x40040000: ok
        value: [0x40040000] = 0x5a5a5a5a
      read-only PTE, after invlpg ring0 write 0x40040000: #PF vec=14 err=0x3 cr2=0x40040000 eip=k_write_at cs=0x8
      ring 3 reads it ring3 read 0x40040000: ok
      supervisor PTE, no invlpg (stale) ring3 read 0x40040000: ok
      supervisor PTE, after invlpg ring3 read 0x40040000: #PF vec=14 err=0x5 cr2=0x40040000 eip=u_read_at cs=0x1b ss:esp=0x23:0x00800000
    `),
  },
]);
