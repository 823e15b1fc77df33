// The kernel's print_trapframe against the machine itself: the registers the CPU held when it
// delivered the page fault (seen through the emulator's vector hook) must be, field by field, what
// the kernel prints from its struct Trapframe.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../emulator/machine.js';
import { attachStandardDevices } from '../../emulator/pc.js';
import { loadMultiboot } from '../../emulator/loader/multiboot.js';
import type { VectorEvent } from '../../emulator/cpu/interrupts.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const KERNEL = resolve(ROOT, 'samples/build/kernel/kernel.elf');
const PROGRAM = resolve(ROOT, 'samples/build/user/kernel_write.elf');

describe('print_trapframe equals the state the CPU delivered', () => {
  it('kernel_write: every printed field matches the registers at the #PF', () => {
    if (!existsSync(KERNEL) || !existsSync(PROGRAM)) throw new Error('samples are not built: run make -C samples');
    const m = new Machine({ memory: 32 << 20 });
    const dev = attachStandardDevices(m);
    let out = '';
    dev.com1.onTransmit = (b) => (out += String.fromCharCode(b));
    loadMultiboot(m, new Uint8Array(readFileSync(KERNEL)), 'kernel.elf', [{ name: 'kernel_write', bytes: new Uint8Array(readFileSync(PROGRAM)) }]);
    let seen: { e: VectorEvent; regs: number[]; eflags: number; segs: number[] } | null = null;
    m.cpu.vectorHook = (e) => {
      if (e.vector === 14 && e.cplBefore === 3 && !seen) {
        seen = { e, regs: Array.from(m.cpu.regs.subarray(0, 8), (v) => v >>> 0), eflags: m.cpu.getEflags() >>> 0, segs: Array.from(m.cpu.segSel) };
      }
      return false;
    };
    for (let i = 0; i < 100; i++) {
      const r = m.run(1e7);
      if (r.kind === 'debug-exit') break;
      if (r.kind !== 'budget') throw new Error(`unexpected stop ${JSON.stringify(r)}`);
    }
    expect(seen).not.toBeNull();
    const s = seen as unknown as { e: VectorEvent; regs: number[]; eflags: number; segs: number[] };
    const field = (name: string): string => {
      const line = out.split('\n').find((l) => new RegExp(`^  ${name}\\s`).test(l));
      if (!line) throw new Error(`no "${name}" line in:\n${out}`);
      return line.trim().split(/\s+/)[1];
    };
    const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
    const sel = (v: number): string => '0x----' + v.toString(16).padStart(4, '0');
    // Registers pushed by pushal (all but oesp, the kernel's own esp).
    const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
    for (const [k, n] of names.entries()) if (n !== 'esp') expect(field(n), n).toBe(hex(s.regs[k]));
    expect(field('es')).toBe(sel(s.segs[0]));
    expect(field('ds')).toBe(sel(s.segs[3]));
    expect(field('trap')).toBe(hex(14));
    expect(field('cr2')).toBe(hex(s.e.cr2));
    expect(field('err')).toBe(hex(s.e.errorCode));
    expect(field('eip')).toBe(hex(s.e.eip));
    expect(field('cs')).toBe(sel(s.e.cs));
    expect(field('flag')).toBe(hex(s.eflags));
    expect(field('esp')).toBe(hex(s.regs[4]));
    expect(field('ss')).toBe(sel(s.segs[2]));
    // And the lecture's values.
    expect(field('cr2')).toBe('0xf0100064');
    expect(out).toContain('  err  0x00000007 [user, write, protection]');
  });
});
