// The page-table tree, its lazy pieces, and the folded view, over tables a JOS- or xv6-style
// kernel would build (JOS: KERNBASE 0xf0000000 maps physical 0..256 MiB, kernel rw; UVPT
// 0xef400000 maps the page directory itself, user ro; PTE_COW = 0x800).
import { describe, expect, it } from 'vitest';
import {
  foldedView, foldMappings, formatRun, listDirectory, listTable, mappings, pageTableTree,
} from '../../../emulator/inspect/index.js';
import { CR4_PSE, freshMemory, P, PS, sameBytes, Tables, U, W, write32 } from './helpers.js';

const KERNBASE = 0xf0000000;

function josKernel(): Tables {
  const t = new Tables(freshMemory(), 0x1000, 0x2000);
  for (let pa = 0; pa < 0x10000000; pa += 0x1000) t.map4k(KERNBASE + pa, pa, P | W, P | W);
  return t;
}

describe('folded view', () => {
  it('folds JOS\'s 256 MiB KERNBASE map into the one row of the design', () => {
    const t = josKernel();
    expect(foldedView(t.mem, t.cr3, 0).map((r) => r.text)).toEqual([
      '0xf0000000-0xffffffff -> 0x00000000-0x0fffffff, kernel rw, 65536 pages',
    ]);
  });

  it('folds xv6-style 4 MiB pages the same way', () => {
    const t = new Tables(freshMemory());
    for (let pa = 0; pa < 0x10000000; pa += 0x400000) t.map4m(KERNBASE + pa, pa, P | W);
    const runs = foldedView(t.mem, t.cr3, CR4_PSE);
    expect(runs.map((r) => r.text)).toEqual(['0xf0000000-0xffffffff -> 0x00000000-0x0fffffff, kernel rw, 65536 pages']);
    expect(runs[0]).toMatchObject({ vaStart: 0xf0000000, vaEnd: 0xffffffff, physStart: 0, physEnd: 0x0fffffff, pages: 65536, user: false, writable: true, cow: false });
  });

  it('splits on a physical gap, a change of rights, and copy-on-write', () => {
    const t = new Tables(freshMemory());
    // .text: three read-only user pages, physically contiguous.
    for (let k = 0; k < 3; k++) t.map4k(0x00800000 + k * 0x1000, 0x00300000 + k * 0x1000, P | W | U, P | U);
    // .data: next linear page, next physical page, but writable.
    t.map4k(0x00803000, 0x00303000, P | W | U, P | W | U);
    // .bss: next linear page, a physical gap.
    t.map4k(0x00804000, 0x00310000, P | W | U, P | W | U);
    // Shared after fork: read-only + PTE_COW.
    t.map4k(0x00805000, 0x00311000, P | W | U, P | U | 0x800);
    // One user stack page under USTACKTOP.
    t.map4k(0xeebfd000, 0x00320000, P | W | U, P | W | U);
    expect(foldedView(t.mem, t.cr3, 0).map((r) => r.text)).toEqual([
      '0x00800000-0x00802fff -> 0x00300000-0x00302fff, user ro, 3 pages',
      '0x00803000-0x00803fff -> 0x00303000-0x00303fff, user rw, 1 page',
      '0x00804000-0x00804fff -> 0x00310000-0x00310fff, user rw, 1 page',
      '0x00805000-0x00805fff -> 0x00311000-0x00311fff, user ro, cow, 1 page',
      '0xeebfd000-0xeebfdfff -> 0x00320000-0x00320fff, user rw, 1 page',
    ]);
  });

  it('uses rights combined over both levels (a kernel-only PDE hides user PTEs)', () => {
    const t = new Tables(freshMemory());
    t.map4k(0x00800000, 0x00300000, P | W, P | W | U);
    expect(foldedView(t.mem, t.cr3, 0)[0].text).toBe('0x00800000-0x00800fff -> 0x00300000-0x00300fff, kernel rw, 1 page');
  });

  it('formatRun pads to 8 hex digits and says "page" for one', () => {
    expect(formatRun({ vaStart: 0, vaEnd: 0xfff, physStart: 0xb8000, physEnd: 0xb8fff, pages: 1, user: true, writable: false, cow: false }))
      .toBe('0x00000000-0x00000fff -> 0x000b8000-0x000b8fff, user ro, 1 page');
  });

  it('foldMappings works on any list of mappings (4 MiB and 4 KiB pages join when contiguous)', () => {
    const runs = foldMappings([
      { va: 0xf0000000, phys: 0, pages: 1024, user: false, writable: true, cow: false },
      { va: 0xf0400000, phys: 0x400000, pages: 1, user: false, writable: true, cow: false },
    ]);
    expect(runs.map((r) => r.text)).toEqual(['0xf0000000-0xf0400fff -> 0x00000000-0x00400fff, kernel rw, 1025 pages']);
  });
});

describe('lazy tree', () => {
  it('listDirectory gives present PDEs with their ranges; listTable one table on demand', () => {
    const t = new Tables(freshMemory());
    t.map4k(0x00800000, 0x00300000, P | W | U, P | W | U);
    t.map4m(0xf0000000, 0, P | W);
    const dir = listDirectory(t.mem, t.cr3, CR4_PSE);
    expect(dir.map((d) => [d.index, d.kind, d.vaStart, d.vaEnd])).toEqual([
      [2, 'table', 0x00800000, 0x00bfffff],
      [0x3c0, 'page4m', 0xf0000000, 0xf03fffff],
    ]);
    expect(dir[0].text).toBe('PDE[0x2] 0x00800000-0x00bfffff -> page table 0x00002000 (P R/W U/S)');
    expect(dir[1].text).toBe('PDE[0x3c0] 0xf0000000-0xf03fffff -> 0x00000000 4 MiB kernel rw (P R/W PS)');
    const table = listTable(t.mem, t.cr3, CR4_PSE, 2);
    expect(table?.map((e) => e.text)).toEqual(['PTE[0x0] 0x00800000 -> 0x00300000 user rw (P R/W U/S)']);
    expect(listTable(t.mem, t.cr3, CR4_PSE, 0x3c0)).toBeUndefined(); // a 4 MiB page has no table
    expect(listTable(t.mem, t.cr3, CR4_PSE, 5)).toBeUndefined(); // not present
    // Without CR4.PSE the PS bit is ignored and the PDE references a "table" at its frame.
    expect(listDirectory(t.mem, t.cr3, 0)[1].kind).toBe('table');
  });

  it('pageTableTree nests each table under its PDE', () => {
    const t = new Tables(freshMemory());
    t.map4k(0x00800000, 0x00300000, P | W | U, P | W | U);
    t.map4k(0x00801000, 0x00301000, P | W | U, P | U);
    t.map4m(0xf0000000, 0, P | W);
    const tree = pageTableTree(t.mem, t.cr3, CR4_PSE);
    expect(tree.cr3).toBe(0x1000);
    expect(tree.directory).toHaveLength(2);
    expect(tree.directory[0].table?.map((e) => [e.va, e.entry.frame, e.writable])).toEqual([
      [0x00800000, 0x00300000, true], [0x00801000, 0x00301000, false],
    ]);
    expect(tree.directory[1].table).toBeUndefined();
  });

  it('shows JOS\'s UVPT self-map: the directory read as a page table', () => {
    const t = new Tables(freshMemory());
    t.map4k(0x00800000, 0x00300000, P | W | U, P | W | U);
    t.pde(0x3bd, t.cr3 | U | P); // kern_pgdir[PDX(UVPT)] = PADDR(kern_pgdir) | PTE_U | PTE_P
    const table = listTable(t.mem, t.cr3, 0, 0x3bd) ?? [];
    expect(table.map((e) => [e.index, e.va, e.entry.frame, e.user, e.writable])).toEqual([
      [2, 0xef402000, 0x2000, true, false],
      [0x3bd, 0xef7bd000, 0x1000, true, false],
    ]);
  });

  it('marks swapped and copy-on-write entries, with pluggable conventions', () => {
    const t = new Tables(freshMemory());
    t.map4k(0x00800000, 0x00300000, P | W | U, P | U | 0x800);
    t.pte(0x00801000, 42 << 1); // not present, non-zero: swapped by the default convention
    t.map4k(0x00802000, 0x00302000, P | W | U, P | U | 0x200);
    const table = listTable(t.mem, t.cr3, 0, 2) ?? [];
    expect(table.map((e) => e.text)).toEqual([
      'PTE[0x0] 0x00800000 -> 0x00300000 user ro, copy-on-write (P U/S AVL=4)',
      'PTE[0x1] 0x00801000 swapped (slot 42)',
      'PTE[0x2] 0x00802000 -> 0x00302000 user ro (P U/S AVL=1)',
    ]);
    expect(table[1]).toMatchObject({ state: 'swapped', swapSlot: 42 });

    const custom = listTable(t.mem, t.cr3, 0, 2, {
      swapSlot: (pte) => (pte & 0x100 ? pte >>> 12 : undefined), // a kernel that tags swap entries with bit 8
      isCow: (e) => (e & 0x200) !== 0,
    }) ?? [];
    expect(custom.map((e) => [e.state, e.cow])).toEqual([['present', false], ['not-present', false], ['present', true]]);
    expect(custom[1].text).toBe('PTE[0x1] 0x00801000 not present (0x00000054)');

    const plain = listTable(t.mem, t.cr3, 0, 2, { swapSlot: null, isCow: null }) ?? [];
    expect(plain.map((e) => [e.state, e.cow])).toEqual([['present', false], ['not-present', false], ['present', false]]);
    // The folded view skips what is not present and keeps copy-on-write apart.
    expect(mappings(t.mem, t.cr3, 0).map((m) => m.cow)).toEqual([true, false]);
  });

  it('reads without writing, even over a whole kernel', () => {
    const t = josKernel();
    write32(t.mem, 0x3ff000, PS);
    const before = t.mem.u8.slice();
    pageTableTree(t.mem, t.cr3, CR4_PSE);
    foldedView(t.mem, t.cr3, CR4_PSE);
    expect(sameBytes(t.mem.u8, before)).toBe(true);
  });
});
