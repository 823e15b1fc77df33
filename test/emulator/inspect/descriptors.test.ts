// IDT, GDT and TSS decoding, read through the page tables as the processor reads them. Truth:
// SDM vol. 3 figure 3-8 (segment descriptor), table 3-1 and 3-2 (types), figure 6-2 (IDT gates),
// figure 7-2 (32-bit TSS), and the well-known flat-segment descriptor values every x86 kernel uses.
import { describe, expect, it } from 'vitest';
import {
  decodeDescriptor, decodeGdt, decodeIdt, decodeLdt, decodeTss, descriptorForSelector, linearReader, vectorMnemonic, vectorName,
} from '../../../emulator/inspect/index.js';
import type { PhysicalMemory } from '../../../emulator/memory/physical.js';
import { CR0_PE, freshMemory, P, PG, sameBytes, Tables, W, write32 } from './helpers.js';

/** A gate as JOS's SETGATE builds it (inc/mmu.h struct Gatedesc). */
function gate(type: number, sel: number, off: number, dpl: number, present = true): [number, number] {
  const lo = ((sel & 0xffff) << 16) | (off & 0xffff);
  const hi = (off & 0xffff0000) | (present ? 0x8000 : 0) | (dpl << 13) | (type << 8);
  return [lo >>> 0, hi >>> 0];
}

/** A segment descriptor from its fields, laid out as SDM figure 3-8. */
function seg(base: number, limit: number, type: number, s: boolean, dpl: number, p: boolean, db: boolean, g: boolean): [number, number] {
  const lo = ((base & 0xffff) << 16) | (limit & 0xffff);
  const hi = (base & 0xff000000) | (g ? 1 << 23 : 0) | (db ? 1 << 22 : 0) | (limit & 0xf0000) |
    (p ? 1 << 15 : 0) | (dpl << 13) | (s ? 1 << 12 : 0) | (type << 8) | ((base >>> 16) & 0xff);
  return [lo >>> 0, hi >>> 0];
}

function put(mem: PhysicalMemory, addr: number, [lo, hi]: [number, number]): void {
  write32(mem, addr, lo);
  write32(mem, addr + 4, hi);
}

describe('decodeDescriptor', () => {
  it('the flat segments of JOS/xv6/Linux (0x00cf9a000000ffff and friends)', () => {
    const kcode = decodeDescriptor(0x0000ffff, 0x00cf9a00);
    expect(kcode).toMatchObject({ kind: 'code', base: 0, limit: 0xffffffff, rawLimit: 0xfffff, granularity: true, db: true, dpl: 0, present: true, readable: true, conforming: false, accessed: false });
    expect(kcode.text).toBe('code, execute/read, base 0x00000000, limit 0xffffffff, DPL 0, D/B=1, G=1, present');
    expect(decodeDescriptor(0x0000ffff, 0x00cf9200).typeText).toBe('data, read/write');
    expect(decodeDescriptor(0x0000ffff, 0x00cffa00)).toMatchObject({ kind: 'code', dpl: 3 });
    expect(decodeDescriptor(0x0000ffff, 0x00cff300)).toMatchObject({ kind: 'data', dpl: 3, writable: true, accessed: true, typeText: 'data, read/write, accessed' });
  });

  it('every code/data type in words (SDM table 3-1)', () => {
    const words = Array.from({ length: 16 }, (_, type) => decodeDescriptor(...seg(0, 0, type, true, 0, true, true, false)).typeText);
    expect(words).toEqual([
      'data, read-only', 'data, read-only, accessed', 'data, read/write', 'data, read/write, accessed',
      'data, read-only, expand-down', 'data, read-only, expand-down, accessed',
      'data, read/write, expand-down', 'data, read/write, expand-down, accessed',
      'code, execute-only', 'code, execute-only, accessed', 'code, execute/read', 'code, execute/read, accessed',
      'code, execute-only, conforming', 'code, execute-only, conforming, accessed',
      'code, execute/read, conforming', 'code, execute/read, conforming, accessed',
    ]);
  });

  it('every system type in words (SDM table 3-2, 32-bit mode)', () => {
    const words = Array.from({ length: 16 }, (_, type) => decodeDescriptor(...seg(0, 0, type, false, 0, true, false, false)).typeText);
    expect(words).toEqual([
      'reserved system type 0', '16-bit TSS (available)', 'LDT', '16-bit TSS (busy)', '16-bit call gate', 'task gate',
      '16-bit interrupt gate', '16-bit trap gate', 'reserved system type 8', '32-bit TSS (available)',
      'reserved system type 10', '32-bit TSS (busy)', '32-bit call gate', 'reserved system type 13',
      '32-bit interrupt gate', '32-bit trap gate',
    ]);
  });

  it('a TSS descriptor as JOS builds it (SEG16 of STS_T32A, limit sizeof(Taskstate)-1, then ltr marks it busy)', () => {
    const [lo, hi] = seg(0xf0218e60, 0x67, 0x9, false, 0, true, true, false);
    expect(decodeDescriptor(lo, hi)).toMatchObject({ kind: 'tss', base: 0xf0218e60, limit: 0x67, busy: false, bits: 32 });
    expect(decodeDescriptor(lo, hi | 0x200)).toMatchObject({ kind: 'tss', busy: true, typeText: '32-bit TSS (busy)' });
  });

  it('granularity: limit * 4096 + 4095', () => {
    expect(decodeDescriptor(...seg(0x10000, 0x0000f, 0x2, true, 0, true, true, true))).toMatchObject({ base: 0x10000, limit: 0xffff });
    expect(decodeDescriptor(...seg(0x10000, 0x0000f, 0x2, true, 0, true, true, false))).toMatchObject({ limit: 0xf });
  });

  it('a call gate carries selector, offset and parameter count', () => {
    const [lo, hi] = gate(0xc, 0x08, 0xf0101234, 3);
    const d = decodeDescriptor(lo, hi | 2);
    expect(d).toMatchObject({ kind: 'call-gate', bits: 32, selector: 8, offset: 0xf0101234, paramCount: 2, dpl: 3 });
    expect(d.text).toBe('32-bit call gate -> 0x0008:0xf0101234, DPL 3, 2 params, present');
  });
});

/** Paging on: the IDT page at linear 0xf0118000 is physical 0x118000; 0xf0119000 is unmapped. */
function pagedMachine() {
  const mem = freshMemory();
  const t = new Tables(mem);
  t.map4k(0xf0118000, 0x00118000, P | W, P | W);
  t.map4k(0xf0120000, 0x00130000, P | W, P | W); // two pages, physically apart
  t.map4k(0xf0121000, 0x00140000, P | W, P | W);
  return { mem, t, reader: linearReader(mem, t.cr3, PG, 0) };
}

describe('decodeIdt', () => {
  it('decodes JOS-style gates through the page tables', () => {
    const { mem, reader } = pagedMachine();
    const base = 0xf0118000;
    const pa = 0x00118000;
    put(mem, pa + 3 * 8, gate(0xf, 0x08, 0xf0103e90, 3)); // T_BRKPT: trap gate, user may int3
    put(mem, pa + 8 * 8, gate(0x5, 0x28, 0, 0)); // task gate (no offset)
    put(mem, pa + 14 * 8, gate(0xe, 0x08, 0xf0103f2a, 0)); // T_PGFLT
    put(mem, pa + 48 * 8, gate(0xe, 0x08, 0xf0103fa0, 3)); // T_SYSCALL int $0x30
    put(mem, pa + 0x80 * 8, gate(0x6, 0x10, 0x1234, 0)); // 16-bit interrupt gate
    put(mem, pa + 0x81 * 8, gate(0x7, 0x10, 0x5678, 0)); // 16-bit trap gate
    put(mem, pa + 2 * 8, gate(0xe, 0x08, 0xf0103e00, 0, false)); // not present
    put(mem, pa + 9 * 8, seg(0, 0xfffff, 0xa, true, 0, true, true, true)); // a code segment: invalid here
    const idt = decodeIdt(reader, base, 0x7ff, { names: { 48: 'System call' } });
    expect(idt).toHaveLength(256);
    expect(idt[14]).toMatchObject({ vector: 14, mnemonic: '#PF', name: 'Page Fault', usable: true });
    expect(idt[14].descriptor).toMatchObject({ kind: 'interrupt-gate', bits: 32, selector: 8, offset: 0xf0103f2a, dpl: 0, present: true });
    expect(idt[14].text).toBe(' 14 0x0e #PF Page Fault: 32-bit interrupt gate -> 0x0008:0xf0103f2a, DPL 0, present');
    expect(idt[3].descriptor).toMatchObject({ kind: 'trap-gate', dpl: 3, offset: 0xf0103e90 });
    expect(idt[8].descriptor).toMatchObject({ kind: 'task-gate', selector: 0x28 });
    expect(idt[8].text).toBe('  8 0x08 #DF Double Fault: task gate -> TSS selector 0x0028, DPL 0, present');
    expect(idt[48]).toMatchObject({ name: 'System call', usable: true });
    expect(idt[48].descriptor).toMatchObject({ dpl: 3 });
    expect(idt[0x80].descriptor).toMatchObject({ kind: 'interrupt-gate', bits: 16, offset: 0x1234 });
    expect(idt[0x81].descriptor).toMatchObject({ kind: 'trap-gate', bits: 16, offset: 0x5678 });
    expect(idt[2]).toMatchObject({ validGate: true, usable: false });
    expect(idt[9]).toMatchObject({ validGate: false, usable: false });
    expect(idt[9].text).toBe('  9 0x09 #CSO Coprocessor Segment Overrun: invalid in the IDT: code, execute/read');
    expect(idt[0].descriptor?.kind).toBe('reserved'); // zeroed entry
  });

  it('stops at the limit and reports unmapped gates instead of faulting', () => {
    const { reader } = pagedMachine();
    expect(decodeIdt(reader, 0xf0118000, 0x17f)).toHaveLength(48);
    expect(decodeIdt(reader, 0xf0118000, 0x183)).toHaveLength(48); // a partial 49th entry does not count
    const idt = decodeIdt(reader, 0xf0118c00, 0x7ff);
    expect(idt[127].readable).toBe(true);
    expect(idt[128]).toMatchObject({ readable: false, descriptor: undefined });
    expect(idt[128].text).toBe('128 0x80 Interrupt 0x80: unmapped (0xf0119000)');
  });

  it('names all 32 processor vectors', () => {
    const names = Array.from({ length: 32 }, (_, v) => vectorName(v));
    expect(names.slice(0, 22)).toEqual([
      'Divide Error', 'Debug', 'Non-Maskable Interrupt', 'Breakpoint', 'Overflow', 'BOUND Range Exceeded',
      'Invalid Opcode', 'Device Not Available', 'Double Fault', 'Coprocessor Segment Overrun', 'Invalid TSS',
      'Segment Not Present', 'Stack-Segment Fault', 'General Protection', 'Page Fault', 'Reserved (15)',
      'x87 FPU Floating-Point Error', 'Alignment Check', 'Machine Check', 'SIMD Floating-Point Exception',
      'Virtualization Exception', 'Control Protection Exception',
    ]);
    expect(names.slice(22)).toEqual(Array.from({ length: 10 }, (_, k) => `Reserved (${22 + k})`));
    expect([0, 1, 3, 6, 13, 14, 19].map(vectorMnemonic)).toEqual(['#DE', '#DB', '#BP', '#UD', '#GP', '#PF', '#XM']);
    expect(vectorName(0x30)).toBe('Interrupt 0x30');
  });
});

describe('decodeGdt and descriptorForSelector', () => {
  function jos() {
    const { mem, t, reader } = pagedMachine();
    const pa = 0x00118000, base = 0xf0118000;
    put(mem, pa + 0x08, [0x0000ffff, 0x00cf9a00]);
    put(mem, pa + 0x10, [0x0000ffff, 0x00cf9200]);
    put(mem, pa + 0x18, [0x0000ffff, 0x00cffa00]);
    put(mem, pa + 0x20, [0x0000ffff, 0x00cff200]);
    put(mem, pa + 0x28, seg(0xf0218e60, 0x67, 0xb, false, 0, true, true, false));
    return { mem, t, reader, base };
  }

  it('decodes JOS\'s GDT (null, kernel code/data, user code/data, TSS)', () => {
    const { reader, base } = jos();
    const gdt = decodeGdt(reader, base, 0x2f);
    expect(gdt.map((e) => e.text)).toEqual([
      '0x0000 null descriptor',
      '0x0008 code, execute/read, base 0x00000000, limit 0xffffffff, DPL 0, D/B=1, G=1, present',
      '0x0010 data, read/write, base 0x00000000, limit 0xffffffff, DPL 0, D/B=1, G=1, present',
      '0x0018 code, execute/read, base 0x00000000, limit 0xffffffff, DPL 3, D/B=1, G=1, present',
      '0x0020 data, read/write, base 0x00000000, limit 0xffffffff, DPL 3, D/B=1, G=1, present',
      '0x0028 32-bit TSS (busy), base 0xf0218e60, limit 0x00000067, DPL 0, D/B=1, G=0, present',
    ]);
    expect(gdt[0].isNull).toBe(true);
  });

  it('finds the descriptor a selector names, or says why not', () => {
    const { reader, base } = jos();
    const tables = { gdtBase: base, gdtLimit: 0x2f };
    const uc = descriptorForSelector(reader, tables, 0x1b);
    expect(uc.ok && uc.descriptor).toMatchObject({ kind: 'code', dpl: 3 });
    expect(descriptorForSelector(reader, tables, 0x03)).toEqual({ ok: false, reason: 'null selector' });
    expect(descriptorForSelector(reader, tables, 0x30)).toEqual({ ok: false, reason: 'index 6 beyond the GDT limit 0x002f' });
    expect(descriptorForSelector(reader, tables, 0x0f)).toEqual({ ok: false, reason: 'no LDT loaded' });
    const ldt = descriptorForSelector(reader, { ...tables, ldtBase: base + 8, ldtLimit: 0xf }, 0x0f);
    expect(ldt.ok && ldt.entry.selector).toBe(0x0c);
    expect(decodeLdt(reader, base + 8, 0xf).map((e) => [e.selector, e.isNull])).toEqual([[0x04, false], [0x0c, false]]);
  });
});

describe('linearReader', () => {
  it('composes a dword across two physically separate pages', () => {
    const { mem, reader } = pagedMachine();
    write32(mem, 0x00130ffc, 0x44332211);
    write32(mem, 0x00140000, 0x88776655);
    expect(reader.read32(0xf0120ffe)).toBe(0x66554433);
    expect(reader.read16(0xf0120fff)).toBe(0x5544);
    expect(reader.read8(0xf0121000)).toBe(0x55);
    expect(reader.physical(0xf0121003)).toBe(0x00140003);
    expect(reader.read32(0xf0121ffe)).toBeUndefined(); // runs into an unmapped page
  });

  it('reads kernel pages (implicit supervisor access), is identity with paging off, and writes nothing', () => {
    const { mem, t, reader } = pagedMachine();
    write32(mem, 0x00118010, 0xdeadbeef);
    const before = mem.u8.slice();
    expect(reader.read32(0xf0118010)).toBe(0xdeadbeef);
    expect(reader.read32(0x40000000)).toBeUndefined();
    expect(sameBytes(mem.u8, before)).toBe(true);
    expect(linearReader(mem, t.cr3, CR0_PE, 0).read32(0x00118010)).toBe(0xdeadbeef);
  });
});

describe('decodeTss', () => {
  it('decodes every field of a 32-bit TSS (SDM figure 7-2 offsets)', () => {
    const { mem, reader } = pagedMachine();
    const pa = 0x00118000 + 0xe60;
    // Each field gets a distinct value; selector fields get junk in the reserved high word.
    for (let off = 0; off < 0x64; off += 4) write32(mem, pa + off, 0xabcd0000 | (0x1000 + off));
    write32(mem, pa + 0x04, 0xf0220000); // esp0 = KSTACKTOP
    write32(mem, pa + 0x08, 0xabcd0010); // ss0 = GD_KD
    write32(mem, pa + 0x64, (0x68 << 16) | 1); // iomap base = sizeof(struct Taskstate), T set
    const r = decodeTss(reader, 0xf0118e60, 0x67);
    if (!r.ok) throw new Error(r.reason);
    const s = r.tss;
    expect(s).toMatchObject({ esp0: 0xf0220000, ss0: 0x10, link: 0x1000, esp1: 0xabcd100c, ss1: 0x1010, cr3: 0xabcd101c, eip: 0xabcd1020, eflags: 0xabcd1024 });
    expect([s.eax, s.ecx, s.edx, s.ebx, s.esp, s.ebp, s.esi, s.edi].map((v) => v & 0xffff)).toEqual([0x1028, 0x102c, 0x1030, 0x1034, 0x1038, 0x103c, 0x1040, 0x1044]);
    expect([s.es, s.cs, s.ss, s.ds, s.fs, s.gs, s.ldt]).toEqual([0x1048, 0x104c, 0x1050, 0x1054, 0x1058, 0x105c, 0x1060]);
    expect(s).toMatchObject({ trap: true, iomapBase: 0x68, iomapInside: false });
    expect(s.rows.slice(0, 3)).toEqual([['link', '0x1000'], ['esp0', '0xf0220000'], ['ss0', '0x0010']]);
    expect(s.rows[s.rows.length - 1]).toEqual(['iomap', '0x0068 (beyond limit: no I/O bitmap)']);
  });

  it('says which field is unmapped', () => {
    const { reader } = pagedMachine();
    const r = decodeTss(reader, 0xf0118fc0);
    expect(r).toEqual({ ok: false, reason: 'TSS esi at 0xf0119000 is not mapped' });
  });
});
