// translate() against the access-rights rules of Intel SDM vol. 3, section 4.6 (32-bit paging,
// CR4.SMEP = CR4.SMAP = 0, so no execute-disable and no supervisor restrictions on user pages),
// for every combination of PDE U/S, R/W x PTE U/S, R/W x CPL 0/3 x read/write/fetch x CR0.WP.
//
// The SDM rules, as written there:
//  - "Every access to a linear address is either a supervisor-mode access or a user-mode access":
//    CPL < 3 -> supervisor-mode, CPL = 3 -> user-mode (implicit descriptor-table accesses aside).
//  - A linear address is a user-mode address if U/S = 1 in every paging-structure entry controlling
//    its translation, otherwise a supervisor-mode address. Writes: R/W = 1 in every entry.
//  - Supervisor-mode data reads: from any linear address with a valid translation.
//  - Supervisor-mode data writes: CR0.WP = 0 -> any address with a valid translation;
//    CR0.WP = 1 -> only addresses with R/W = 1 in every entry (user-mode or supervisor-mode).
//  - Supervisor-mode instruction fetches: any address (32-bit paging has no XD; SMEP is off).
//  - User-mode data reads and fetches: only user-mode addresses.
//  - User-mode data writes: only user-mode addresses with R/W = 1 in every entry.
// And section 4.7, the error code of the resulting #PF: P = 1 (protection, the page is present),
// W/R = 1 for a write, U/S = 1 for a user-mode access, RSVD = 0, I/D = 0 (only reported with
// SMEP or PAE+NXE; neither applies here).
//
// The truth table below is written out literally, one 16-character string per (CPL, access, WP):
// character k is 1 when the access is allowed, with k = PDE.U*8 + PDE.W*4 + PTE.U*2 + PTE.W.
import { describe, expect, it } from 'vitest';
import { translate, type Access } from '../../../emulator/inspect/index.js';
import { freshMemory, PG, PG_WP, CR4_PSE, sameBytes, Tables, U, W, P } from './helpers.js';

const TRUTH_4K: Record<string, string> = {
  //                 k:  0123456789abcdef
  'cpl0 read wp0':      '1111111111111111',
  'cpl0 read wp1':      '1111111111111111',
  'cpl0 execute wp0':   '1111111111111111',
  'cpl0 execute wp1':   '1111111111111111',
  'cpl0 write wp0':     '1111111111111111', // WP=0: the supervisor ignores R/W
  'cpl0 write wp1':     '0000010100000101', // WP=1: R/W=1 at both levels (k = 5, 7, 13, 15)
  'cpl3 read wp0':      '0000000000110011', // U/S=1 at both levels (k = 10, 11, 14, 15)
  'cpl3 read wp1':      '0000000000110011',
  'cpl3 execute wp0':   '0000000000110011',
  'cpl3 execute wp1':   '0000000000110011',
  'cpl3 write wp0':     '0000000000000001', // U/S=1 and R/W=1 at both levels (k = 15); WP irrelevant
  'cpl3 write wp1':     '0000000000000001',
};

/** For a 4 MiB page only the PDE controls the translation: k = PDE.U*2 + PDE.W. */
const TRUTH_4M: Record<string, string> = {
  'cpl0 read wp0': '1111', 'cpl0 read wp1': '1111',
  'cpl0 execute wp0': '1111', 'cpl0 execute wp1': '1111',
  'cpl0 write wp0': '1111', 'cpl0 write wp1': '0101',
  'cpl3 read wp0': '0011', 'cpl3 read wp1': '0011',
  'cpl3 execute wp0': '0011', 'cpl3 execute wp1': '0011',
  'cpl3 write wp0': '0001', 'cpl3 write wp1': '0001',
};

/** The first failing check's words (SDM order: user/supervisor before read/write). */
function expectedReason(cpl: number, access: Access, userAddr: boolean): string {
  if (cpl === 3 && !userAddr) return 'user access to a supervisor page';
  if (cpl === 3) return 'write to a read-only page from user mode';
  return 'write to a read-only page in supervisor mode with CR0.WP set';
}

const ACCESSES: Access[] = ['read', 'write', 'execute'];
const VA = 0x00801234; // PDE 2, PTE 1: away from the tables themselves
const PA = 0x00345000;

interface Case4k { cpl: number; access: Access; wp: number; pdeU: number; pdeW: number; pteU: number; pteW: number }
const cases4k: Case4k[] = [];
for (const cpl of [0, 3]) for (const access of ACCESSES) for (const wp of [0, 1])
  for (const pdeU of [0, 1]) for (const pdeW of [0, 1]) for (const pteU of [0, 1]) for (const pteW of [0, 1])
    cases4k.push({ cpl, access, wp, pdeU, pdeW, pteU, pteW });

describe('SDM 4.6 access rights, 4 KiB pages (192 combinations)', () => {
  it.each(cases4k)('CPL $cpl $access WP=$wp PDE U/S=$pdeU R/W=$pdeW PTE U/S=$pteU R/W=$pteW', (c) => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4k(VA, PA, P | (c.pdeU ? U : 0) | (c.pdeW ? W : 0), P | (c.pteU ? U : 0) | (c.pteW ? W : 0));
    const before = mem.u8.slice();
    const r = translate(mem, VA, t.cr3, { cr0: c.wp ? PG_WP : PG, cr4: 0 }, c.access, c.cpl);
    const k = c.pdeU * 8 + c.pdeW * 4 + c.pteU * 2 + c.pteW;
    const allowed = TRUTH_4K[`cpl${c.cpl} ${c.access} wp${c.wp}`][k] === '1';
    expect(r.ok).toBe(allowed);
    if (r.kind === 'ok') {
      expect(r.phys).toBe(PA + 0x234);
      expect(r.user).toBe(c.pdeU === 1 && c.pteU === 1);
      expect(r.writable).toBe(c.pdeW === 1 && c.pteW === 1);
    } else {
      if (r.kind !== 'fault') throw new Error('expected a fault');
      const expectedErr = 1 | (c.access === 'write' ? 2 : 0) | (c.cpl === 3 ? 4 : 0);
      expect(r.errorCode).toBe(expectedErr);
      expect(r.reason).toBe(expectedReason(c.cpl, c.access, c.pdeU === 1 && c.pteU === 1));
      // The entry named is the outermost one whose bit is clear.
      const bitOf = r.reason.startsWith('user access') ? [c.pdeU, c.pteU] : [c.pdeW, c.pteW];
      expect(r.level).toBe(bitOf[0] === 0 ? 'pde' : 'pte');
    }
    // Inspecting never sets accessed or dirty bits.
    expect(sameBytes(mem.u8, before)).toBe(true);
  });
});

interface Case4m { cpl: number; access: Access; wp: number; pdeU: number; pdeW: number }
const cases4m: Case4m[] = [];
for (const cpl of [0, 3]) for (const access of ACCESSES) for (const wp of [0, 1])
  for (const pdeU of [0, 1]) for (const pdeW of [0, 1]) cases4m.push({ cpl, access, wp, pdeU, pdeW });

describe('SDM 4.6 access rights, 4 MiB pages with CR4.PSE (48 combinations)', () => {
  it.each(cases4m)('CPL $cpl $access WP=$wp PDE U/S=$pdeU R/W=$pdeW', (c) => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4m(0xf0000000, 0x00400000, P | (c.pdeU ? U : 0) | (c.pdeW ? W : 0));
    const r = translate(mem, 0xf0123456, t.cr3, { cr0: c.wp ? PG_WP : PG, cr4: CR4_PSE }, c.access, c.cpl);
    const allowed = TRUTH_4M[`cpl${c.cpl} ${c.access} wp${c.wp}`][c.pdeU * 2 + c.pdeW] === '1';
    expect(r.ok).toBe(allowed);
    expect(r.steps).toHaveLength(1); // no PTE is read for a 4 MiB page
    if (r.kind === 'ok') {
      expect(r.phys).toBe(0x00523456);
      expect(r.pageSize).toBe(0x400000);
    } else if (r.kind === 'fault') {
      expect(r.errorCode).toBe(1 | (c.access === 'write' ? 2 : 0) | (c.cpl === 3 ? 4 : 0));
      expect(r.reason).toBe(expectedReason(c.cpl, c.access, c.pdeU === 1));
      expect(r.level).toBe('pde');
    } else {
      throw new Error('unexpected result kind');
    }
  });
});

describe('CPL 1 and 2 are supervisor-mode (SDM 4.6: only CPL 3 is user mode)', () => {
  it.each([1, 2])('CPL %i reads a supervisor page and is refused a read-only write under WP', (cpl) => {
    const mem = freshMemory();
    const t = new Tables(mem);
    t.map4k(VA, PA, P | W, P);
    expect(translate(mem, VA, t.cr3, { cr0: PG_WP, cr4: 0 }, 'read', cpl).ok).toBe(true);
    const w = translate(mem, VA, t.cr3, { cr0: PG_WP, cr4: 0 }, 'write', cpl);
    expect(w.kind === 'fault' && w.errorCode).toBe(0x3);
    expect(translate(mem, VA, t.cr3, { cr0: PG, cr4: 0 }, 'write', cpl).ok).toBe(true);
  });
});
