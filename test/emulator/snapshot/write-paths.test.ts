// Every way guest RAM changes must leave snapshots their bytes: writes through the TLB (first write
// to a page after a snapshot), supervisor writes made at any CPL (interrupt frames, descriptor
// accessed bits), the page walker's A and D bits, loads, and the debugger's writePhysical. And a
// snapshot must not change what the TLB shows: stale entries stay stale across snapshot and restore.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../emulator/machine.js';
import { CR0_PG, PTE_A, PTE_D, PTE_P, PTE_W, TLB_OWNED } from '../../../emulator/cpu/mmu.js';
import { hash } from './harness.js';

const PD = 0x10000;
const PT = 0x11000;
const LIN = 0x00400000;
const FRAME_A = 0x20000;
const FRAME_B = 0x21000;

/** Paging on, with one mapped page: LIN -> FRAME_A, writable, A and D clear. */
function pagedMachine(): Machine {
  const m = new Machine({ memory: 1 << 20 });
  const { cpu, mem } = m;
  mem.i32[(PD + (LIN >>> 22) * 4) >>> 2] = PT | PTE_P | PTE_W;
  mem.i32[(PT + ((LIN >>> 12) & 0x3ff) * 4) >>> 2] = FRAME_A | PTE_P | PTE_W; // A and D clear
  cpu.cr3 = PD;
  cpu.cr0 |= CR0_PG;
  cpu.mmu.flush();
  return m;
}

const pteOf = (m: Machine): number => m.mem.i32[(PT + ((LIN >>> 12) & 0x3ff) * 4) >>> 2]!;

describe('write paths and snapshots', () => {
  it('the first write after a snapshot saves the page; the ones after it are free', () => {
    const m = new Machine({ memory: 1 << 20 });
    const { cpu, mem } = m;
    cpu.write32(0x5000, 1);
    const before = hash(mem.u8);
    const s = m.snapshot();
    expect(cpu.mmu.tlb[5]! & TLB_OWNED).toBe(0); // the snapshot took write permission away
    cpu.write32(0x5000, 2);
    expect(cpu.mmu.tlb[5]! & TLB_OWNED).toBe(TLB_OWNED);
    for (let k = 0; k < 1024; k++) cpu.write32(0x5000 + 4 * k, k);
    expect(m.snapshotStats().ram).toMatchObject({ pagesSaved: 1, pagesHeld: 1 });
    m.restore(s);
    expect(hash(mem.u8)).toBe(before);
    expect(mem.i32[0x5000 >>> 2]).toBe(1);
  });

  it('supervisor writes (interrupt frames, accessed bits) respect snapshots', () => {
    const m = new Machine({ memory: 1 << 20 });
    const { cpu, mem } = m;
    cpu.cpl = 3;
    const before = hash(mem.u8);
    const s = m.snapshot();
    cpu.writeSupervisor32(0x6000, 0x12345678);
    cpu.writeSupervisor16(0x7001, 0xabcd); // unaligned: byte by byte
    m.restore(s);
    expect(hash(mem.u8)).toBe(before);
    expect(cpu.cpl).toBe(3);
  });

  it('A and D bits set by the page walker come back on restore', () => {
    const m = pagedMachine();
    const pte = pteOf(m);
    const s = m.snapshot();
    m.cpu.write32(LIN, 0x55aa55aa);
    expect(pteOf(m)).toBe(pte | PTE_A | PTE_D);
    expect(m.mem.i32[FRAME_A >>> 2]).toBe(0x55aa55aa);
    m.restore(s);
    expect(pteOf(m)).toBe(pte);
    expect(m.mem.i32[FRAME_A >>> 2]).toBe(0);
  });

  it('a stale TLB entry stays stale through snapshot, first write and restore', () => {
    const m = pagedMachine();
    const { cpu, mem } = m;
    // A write fills the TLB with LIN -> FRAME_A, dirty (a read would leave D clear, and the next
    // write would then walk to set it, snapshot or not).
    cpu.write32(LIN, 0);
    // The PTE now says FRAME_B, but without invlpg the TLB keeps FRAME_A (as on hardware).
    mem.i32[(PT + ((LIN >>> 12) & 0x3ff) * 4) >>> 2] = FRAME_B | PTE_P | PTE_W | PTE_A | PTE_D;
    const s = m.snapshot();
    cpu.write32(LIN, 7); // the first write after the snapshot must not re-walk
    expect(mem.i32[FRAME_A >>> 2]).toBe(7);
    expect(mem.i32[FRAME_B >>> 2]).toBe(0);
    m.restore(s);
    expect(cpu.mmu.translate(LIN, 0)).toBe(FRAME_A);
    cpu.write32(LIN, 9);
    expect(mem.i32[FRAME_A >>> 2]).toBe(9);
    expect(mem.i32[FRAME_B >>> 2]).toBe(0);
    cpu.mmu.invalidate(LIN);
    expect(cpu.mmu.translate(LIN, 0)).toBe(FRAME_B);
  });

  it('loads and debugger writes respect snapshots; debugger writes drop decoded code', () => {
    const m = new Machine({ memory: 1 << 20 });
    const { cpu, mem } = m;
    // mov eax, 1; hlt at 0x1000 (flat protected mode).
    mem.load(0x1000, Uint8Array.from([0xb8, 1, 0, 0, 0, 0xf4]));
    cpu.eip = 0x1000;
    const s = m.snapshot();
    expect(m.run(10)).toEqual({ kind: 'halt', interruptsEnabled: false });
    expect(cpu.regs[0]).toBe(1);

    m.restore(s);
    m.writePhysical(0x1001, Uint8Array.from([2])); // the debugger patches the immediate
    m.run(10);
    expect(cpu.regs[0]).toBe(2); // the block decoded before the patch was dropped

    m.restore(s);
    expect(mem.u8[0x1001]).toBe(1);
    m.run(10);
    expect(cpu.regs[0]).toBe(1); // ...and the restore dropped the patched one

    mem.load(0x3000, new Uint8Array(100).fill(0xcc));
    m.writePhysical((1 << 20) - 2, Uint8Array.from([1, 2, 3, 4])); // the part past RAM is ignored
    m.restore(s);
    expect(mem.peek(0x3000, 100).every((b) => b === 0)).toBe(true);
    expect(mem.peek((1 << 20) - 2, 2)).toEqual(Uint8Array.from([0, 0]));
  });

  it('with no snapshot left, writes go straight to RAM again', () => {
    const m = new Machine({ memory: 1 << 20 });
    const s = m.snapshot();
    m.cpu.write32(0x5000, 1);
    m.release(s);
    expect(m.mem.guard).toBeNull();
    m.cpu.write32(0x6000, 1);
    expect(m.cpu.mmu.tlb[6]! & TLB_OWNED).toBe(TLB_OWNED);
    expect(m.snapshotStats()).toMatchObject({ snapshots: 0, ram: { pagesSaved: 1, pagesHeld: 0 } });
  });

  it('refuses handles it does not know', () => {
    const a = new Machine({ memory: 1 << 20 });
    const b = new Machine({ memory: 1 << 20 });
    const s = a.snapshot();
    b.snapshot();
    expect(() => b.restore(s)).toThrow(/unknown snapshot/);
    a.release(s);
    expect(() => a.restore(s)).toThrow(/unknown snapshot/);
    expect(() => new Machine({ memory: 1 << 20 }).restore(s)).toThrow(/unknown snapshot/);
  });
});
