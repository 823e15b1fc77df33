// translate(): the walk, its failures, and the error codes, checked against the SDM (vol. 3, 4.3
// formats and reserved bits, 4.7 error-code bits) and the scenarios of seed 000.
import { describe, expect, it } from 'vitest';
import { hex8, translate, type Translation, type TranslationFault } from '../../../emulator/inspect/index.js';
import { A, CR0_PE, CR4_PAE, CR4_PSE, CR4_SMAP, CR4_SMEP, D, freshMemory, P, PG, PG_WP, PS, sameBytes, Tables, U, W, write32 } from './helpers.js';

function fault(t: Translation): TranslationFault {
  if (t.kind !== 'fault') throw new Error(`expected a fault, got ${t.text}`);
  return t;
}

/** JOS's layout: KERNBASE 0xf0000000 -> physical 0 (kernel rw), one user page at 0x00800000. */
function josLike() {
  const mem = freshMemory();
  const t = new Tables(mem);
  for (let off = 0; off < 0x400000; off += 0x1000) t.map4k(0xf0000000 + off, off, P | W, P | W);
  t.map4k(0x00800000, 0x00300000, P | W | U, P | W | U);
  t.map4k(0xeebfd000, 0x00301000, P | W | U, P | W | U); // the one user stack page
  return { mem, t };
}

describe('seed 000 scenarios', () => {
  it('user write to kernel memory 0xf0100064: err 0x00000007 [user, write, protection]', () => {
    const { mem, t } = josLike();
    const f = fault(translate(mem, 0xf0100064, t.cr3, { cr0: PG_WP, cr4: 0 }, 'write', 3));
    expect(f.errorCode).toBe(7);
    expect(`err ${hex8(f.errorCode)} ${f.errorText}`).toBe('err 0x00000007 [user, write, protection]');
    expect(f.reason).toBe('user access to a supervisor page');
    expect(f.check).toBe('user-access-to-supervisor-page');
    // PDE has no U/S either, so the first entry to refuse is the PDE.
    expect(f.level).toBe('pde');
    expect(f.text).toBe('0xf0100064: user access to a supervisor page (PDE U/S=0); #PF error code 0x7 [user, write, protection]');
  });

  it('the kernel itself may write there', () => {
    const { mem, t } = josLike();
    const r = translate(mem, 0xf0100064, t.cr3, { cr0: PG_WP, cr4: 0 }, 'write', 0);
    expect(r.ok && r.phys).toBe(0x00100064);
    expect(r.text).toBe('0xf0100064 -> 0x00100064 (kernel rw, 4 KiB page)');
  });

  it('stack growth: write to 0xeebfcff0 below the stack page is [user, write, not-present]', () => {
    const { mem, t } = josLike();
    const f = fault(translate(mem, 0xeebfcff0, t.cr3, { cr0: PG_WP, cr4: 0 }, 'write', 3));
    expect(f.errorCode).toBe(6);
    expect(f.errorText).toBe('[user, write, not-present]');
    expect(f.reason).toBe('page table entry not present');
    expect(f.check).toBe('pte-not-present');
    expect(f.steps).toHaveLength(2);
  });

  it('a user read of an unmapped 4 MiB region fails at the PDE: [user, read, not-present]', () => {
    const { mem, t } = josLike();
    const f = fault(translate(mem, 0x40000000, t.cr3, { cr0: PG_WP, cr4: 0 }, 'read', 3));
    expect(f.reason).toBe('page directory entry not present');
    expect(f.errorCode).toBe(4);
    expect(f.steps).toHaveLength(1);
  });

  it('the kernel reading an unmapped address: [kernel, read, not-present], error code 0', () => {
    const { mem, t } = josLike();
    const f = fault(translate(mem, 0x40000000, t.cr3, { cr0: PG_WP, cr4: 0 }, 'read', 0));
    expect(f.errorCode).toBe(0);
    expect(f.errorText).toBe('[kernel, read, not-present]');
  });
});

describe('the walk record', () => {
  it('names indices, entry addresses, values and decoded bits', () => {
    const mem = freshMemory();
    const t = new Tables(mem, 0x1000, 0x5000);
    t.map4k(0xf0100000, 0x00100000, P | W | A, P | W | A | D | 0x800);
    const r = translate(mem, 0xf0100064, t.cr3, { cr0: PG, cr4: 0 }, 'read', 0);
    if (r.kind !== 'ok') throw new Error(r.text);
    const [pde, pte] = r.steps;
    if (pde.kind !== 'entry' || pte.kind !== 'entry') throw new Error('entry steps expected');
    expect(pde.index).toBe(0x3c0);
    expect(pde.address).toBe(0x1000 + 0x3c0 * 4);
    expect(pde.value).toBe(0x5000 | P | W | A);
    expect(pde.entry).toMatchObject({ present: true, writable: true, user: false, accessed: true, pageSize: false, frame: 0x5000, kind: 'table', avl: 0 });
    expect(pde.text).toBe('PDE[0x3c0] at 0x00001f00 = 0x00005023 (P R/W A) -> page table at 0x00005000');
    expect(pte.index).toBe(0x100);
    expect(pte.address).toBe(0x5000 + 0x100 * 4);
    expect(pte.entry).toMatchObject({ dirty: true, avl: 4, frame: 0x100000, kind: 'page4k' });
    expect(pte.text).toBe('PTE[0x100] at 0x00005400 = 0x00100863 (P R/W A D AVL=4) -> page at 0x00100000');
    expect(r.wouldSet).toEqual({ pdeAccessed: false, pteAccessed: false, dirty: false });
  });

  it('decodes PWT, PCD, G and AVL bits 9-11', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4k(0x1000000, 0x200000, P | 0x18 | 0xe00, P | 0x18 | 0x100 | 0xa00);
    const r = translate(mem, 0x1000000, t.cr3, { cr0: PG, cr4: 0 }, 'read', 0);
    const [pde, pte] = r.steps;
    if (pde.kind !== 'entry' || pte.kind !== 'entry') throw new Error('entry steps expected');
    expect(pde.entry).toMatchObject({ pwt: true, pcd: true, avl: 7 });
    expect(pte.entry).toMatchObject({ pwt: true, pcd: true, global: true, avl: 5 });
    expect(pte.entry.flags).toEqual(['P', 'PWT', 'PCD', 'G', 'AVL=5']);
  });

  it('reports the accessed and dirty bits the processor would set, without setting them', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4k(0x00800000, 0x00300000, P | W | U, P | W | U);
    const before = mem.u8.slice();
    const r = translate(mem, 0x00800010, t.cr3, { cr0: PG, cr4: 0 }, 'write', 3);
    expect(r.ok && r.wouldSet).toEqual({ pdeAccessed: true, pteAccessed: true, dirty: true });
    expect(sameBytes(mem.u8, before)).toBe(true);
  });

  it('with paging off the translation is identity, with one step saying so', () => {
    const mem = freshMemory();
    const r = translate(mem, 0x000b8000, 0, { cr0: CR0_PE, cr4: 0 }, 'write', 3);
    expect(r.ok && r.phys).toBe(0x000b8000);
    expect(r.paging).toBe(false);
    expect(r.steps).toEqual([{ kind: 'identity', text: 'paging disabled (CR0.PG=0): physical address = linear address' }]);
  });

  it('refuses to walk PAE paging rather than walking it wrongly', () => {
    const mem = freshMemory();
    const r = translate(mem, 0x1000, 0x1000, { cr0: PG, cr4: CR4_PAE }, 'read', 0);
    expect(r.kind).toBe('unsupported');
  });
});

describe('4 MiB pages (CR4.PSE)', () => {
  it('maps with the PDE alone when CR4.PSE=1 and PS=1', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4m(0xf0000000, 0, P | W);
    const r = translate(mem, 0xf03ffffc, t.cr3, { cr0: PG, cr4: CR4_PSE }, 'read', 0);
    expect(r.ok && r.phys).toBe(0x003ffffc);
    const [pde] = r.steps;
    expect(pde.kind === 'entry' && pde.text).toBe('PDE[0x3c0] at 0x00001f00 = 0x00000083 (P R/W PS) -> 4 MiB page at 0x00000000');
    expect(r.ok && r.wouldSet).toEqual({ pdeAccessed: true, pteAccessed: false, dirty: false });
  });

  it('ignores PS when CR4.PSE=0 and walks a page table at the PDE frame (SDM 4.3)', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.pde(0, 0x3000 | PS | P | W);
    write32(mem, 0x3000 + 5 * 4, 0x00222000 | P | W);
    const r = translate(mem, 0x5123, t.cr3, { cr0: PG, cr4: 0 }, 'read', 0);
    expect(r.ok && r.phys).toBe(0x00222123);
    expect(r.steps).toHaveLength(2);
    expect(r.steps[0].text).toContain('[PS ignored: CR4.PSE=0]');
  });
});

describe('reserved bits (SDM 4.3: with 32-bit paging only when CR4.PSE=1)', () => {
  it('a 4 MiB PDE with bit 13 set faults with RSVD (no PSE-36 on this CPU: bits 21:13 reserved)', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4m(0x00400000, 0x00400000, P | W | U | (1 << 13));
    const f = fault(translate(mem, 0x00400000, t.cr3, { cr0: PG, cr4: CR4_PSE }, 'read', 3));
    expect(f.check).toBe('pde-reserved');
    expect(f.reason).toBe('reserved bit set in page directory entry (bits 0x00002000 must be 0)');
    // P=1: the entry is present; RSVD=1; U/S=1 for the user access.
    expect(f.errorCode).toBe(0x1 | 0x4 | 0x8);
    expect(f.errorText).toBe('[user, read, protection, reserved]');
  });

  it('bit 12 (PAT) of a 4 MiB PDE is reserved without PAT, allowed with it', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4m(0x00400000, 0x00400000, P | W | (1 << 12));
    const regs = { cr0: PG, cr4: CR4_PSE };
    expect(fault(translate(mem, 0x00400000, t.cr3, regs, 'write', 0)).errorCode).toBe(0x1 | 0x2 | 0x8);
    expect(translate(mem, 0x00400000, t.cr3, regs, 'write', 0, { model: { pat: true } }).ok).toBe(true);
  });

  it('PTE bit 7 is reserved without PAT when CR4.PSE=1, and nothing is reserved when CR4.PSE=0', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4k(0x00800000, 0x00300000, P | W | U, P | W | U | PS);
    const f = fault(translate(mem, 0x00800000, t.cr3, { cr0: PG, cr4: CR4_PSE }, 'read', 3));
    expect(f.check).toBe('pte-reserved');
    expect(f.errorCode).toBe(0xd);
    expect(translate(mem, 0x00800000, t.cr3, { cr0: PG, cr4: 0 }, 'read', 3).ok).toBe(true);
    expect(translate(mem, 0x00800000, t.cr3, { cr0: PG, cr4: CR4_PSE }, 'read', 3, { model: { pat: true } }).ok).toBe(true);
  });

  it('PSE-36: bits 20:13 hold physical address bits 39:32 and only 21:(M-19) stay reserved', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4m(0x00400000, 0x00c00000, P | W | (1 << 13));
    const r = translate(mem, 0x00400010, t.cr3, { cr0: PG, cr4: CR4_PSE }, 'read', 0, { model: { pse36: true, maxPhysAddr: 36, pat: true } });
    expect(r.ok && r.phys).toBe(0x1_00c0_0010);
    expect(r.ok && r.physBeyondMemory).toBe(true);
    expect(r.text).toBe('0x00400010 -> 0x100c00010 (kernel rw, 4 MiB page) [beyond physical memory]');
    t.map4m(0x00400000, 0x00c00000, P | W | (1 << 17));
    expect(fault(translate(mem, 0x00400010, t.cr3, { cr0: PG, cr4: CR4_PSE }, 'read', 0, { model: { pse36: true, maxPhysAddr: 36, pat: true } })).check).toBe('pde-reserved');
  });

  it('a reserved-bit fault outranks the access rights, and a not-present entry outranks both', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4m(0x00400000, 0, P | (1 << 15)); // supervisor, read-only, reserved bit 15
    const f = fault(translate(mem, 0x00400000, t.cr3, { cr0: PG_WP, cr4: CR4_PSE }, 'write', 3));
    expect(f.check).toBe('pde-reserved');
    expect(f.errorCode).toBe(0xf);
    t.map4m(0x00400000, 0, 1 << 15); // not present: the other bits are the OS's
    const g = fault(translate(mem, 0x00400000, t.cr3, { cr0: PG_WP, cr4: CR4_PSE }, 'write', 3));
    expect(g.check).toBe('pde-not-present');
    expect(g.errorCode).toBe(0x6);
  });
});

describe('physical addresses beyond memory (read as all-ones)', () => {
  it('a directory beyond RAM reads 0xffffffff entries: with PSE a reserved-bit fault', () => {
    const mem = freshMemory(); // 4 MiB
    const f = fault(translate(mem, 0x1234, 0x7ffff000, { cr0: PG, cr4: CR4_PSE }, 'read', 0));
    const [pde] = f.steps;
    expect(pde.kind === 'entry' && pde.value).toBe(0xffffffff);
    expect(pde.kind === 'entry' && pde.beyondMemory).toBe(true);
    expect(f.check).toBe('pde-reserved');
    expect(f.errorCode).toBe(0x9);
  });

  it('without PSE the all-ones PDE leads to an all-ones PTE: mapped to 0xfffff000', () => {
    const mem = freshMemory();
    const r = translate(mem, 0x1234, 0x7ffff000, { cr0: PG, cr4: 0 }, 'write', 3);
    expect(r.ok && r.phys).toBe(0xfffff234);
    expect(r.ok && r.physBeyondMemory).toBe(true);
    expect(r.steps.every((s) => s.kind === 'entry' && s.beyondMemory)).toBe(true);
    expect(r.steps[0].text).toContain('[entry beyond physical memory: reads as all-ones]');
  });

  it('a PTE pointing past the end of RAM still translates, flagged', () => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4k(0x00800000, 0x10000000, P | W | U, P | W | U);
    const r = translate(mem, 0x00800008, t.cr3, { cr0: PG, cr4: 0 }, 'read', 3);
    expect(r.ok && r.phys).toBe(0x10000008);
    expect(r.ok && r.physBeyondMemory).toBe(true);
  });
});

describe('instruction fetches and the I/D bit (SDM 4.7)', () => {
  it('without SMEP a failing fetch reports I/D=0 (32-bit paging has no NX)', () => {
    const { mem, t } = josLike();
    expect(fault(translate(mem, 0x00900000, t.cr3, { cr0: PG, cr4: 0 }, 'execute', 3)).errorCode).toBe(0x4);
    expect(fault(translate(mem, 0xf0100000, t.cr3, { cr0: PG, cr4: 0 }, 'execute', 3)).errorCode).toBe(0x5);
  });

  it('with CR4.SMEP a failing fetch reports I/D=1, and a supervisor fetch from a user page fails', () => {
    const { mem, t } = josLike();
    const f = fault(translate(mem, 0x00800000, t.cr3, { cr0: PG, cr4: CR4_SMEP }, 'execute', 0));
    expect(f.check).toBe('supervisor-fetch-from-user-page-smep');
    expect(f.errorCode).toBe(0x11);
    expect(f.errorText).toBe('[kernel, read, protection, instruction fetch]');
    expect(fault(translate(mem, 0x00900000, t.cr3, { cr0: PG, cr4: CR4_SMEP }, 'execute', 3)).errorCode).toBe(0x14);
    expect(translate(mem, 0xf0100000, t.cr3, { cr0: PG, cr4: CR4_SMEP }, 'execute', 0).ok).toBe(true);
    expect(translate(mem, 0x00800000, t.cr3, { cr0: PG, cr4: CR4_SMEP }, 'read', 0).ok).toBe(true);
  });
});

describe('SMAP and implicit supervisor-mode accesses (SDM 4.6)', () => {
  it('SMAP refuses supervisor data accesses to user pages unless EFLAGS.AC is set', () => {
    const { mem, t } = josLike();
    const regs = { cr0: PG_WP, cr4: CR4_SMAP };
    const f = fault(translate(mem, 0x00800000, t.cr3, regs, 'read', 0));
    expect(f.check).toBe('supervisor-access-to-user-page-smap');
    expect(f.errorCode).toBe(0x1);
    expect(translate(mem, 0x00800000, t.cr3, regs, 'write', 0, { eflags: 1 << 18 }).ok).toBe(true);
    // Implicit accesses (e.g. reading a GDT placed in a user page) are refused whatever AC says.
    expect(translate(mem, 0x00800000, t.cr3, regs, 'read', 0, { eflags: 1 << 18, implicit: true }).ok).toBe(false);
    // Fetches are SMEP's business, not SMAP's.
    expect(translate(mem, 0x00800000, t.cr3, regs, 'execute', 0).ok).toBe(true);
  });

  it('an implicit access at CPL 3 uses supervisor rules and pushes U/S=0', () => {
    const { mem, t } = josLike();
    expect(translate(mem, 0xf0100000, t.cr3, { cr0: PG_WP, cr4: 0 }, 'read', 3, { implicit: true }).ok).toBe(true);
    const f = fault(translate(mem, 0x40000000, t.cr3, { cr0: PG_WP, cr4: 0 }, 'read', 3, { implicit: true }));
    expect(f.errorCode).toBe(0);
    expect(f.userMode).toBe(false);
  });
});
