// What the firmware leaves in low memory (emulator/firmware): the BIOS data area, the EBDA, a
// blank text screen and the MP floating pointer and configuration table (Intel MP spec 1.4,
// chapter 4), found and checked the way kernels do it.
import { afterAll, describe, expect, it } from 'vitest';
import { Machine } from '../../../emulator/machine.js';
import { attachStandardDevices } from '../../../emulator/pc.js';
import { loadMultiboot } from '../../../emulator/loader/multiboot.js';
import { memoryMap } from '../../../emulator/loader/multiboot-info.js';
import { buildConfigTable, describeConfigTable, MP_BUS, MP_IOAPIC, MP_IOINTR, MP_LINTR, MP_PROCESSOR } from '../../../emulator/firmware/mp-table.js';
import { pcMpConfig } from '../../../emulator/firmware/bios.js';
import { screenText } from '../../../emulator/devices/cga.js';
import { buildKernel, makeTempDir, readBytes, removeDir, SPIN_KERNEL } from '../multiboot-fixtures.js';

const dir = makeTempDir('ringside-firmware-');
afterAll(() => removeDir(dir));

function machine(memory = 4 << 20, opts = {}) {
  const m = new Machine({ memory });
  const dev = attachStandardDevices(m, opts);
  const u8 = m.mem.u8;
  const view = new DataView(u8.buffer);
  const sum = (at: number, n: number): number => u8.subarray(at, at + n).reduce((a, b) => a + b, 0) & 0xff;
  return { m, dev, u8, view, sum };
}

/** The MP spec's search (4: EBDA first KiB, last KiB of base memory, 0xF0000-0xFFFFF), 16-byte steps. */
function findMp(u8: Uint8Array, view: DataView): number[] {
  const found: number[] = [];
  const ebda = view.getUint16(0x40e, true) << 4;
  const base = view.getUint16(0x413, true) * 1024;
  for (const [from, len] of [[ebda, 1024], [base - 1024, 1024], [0xf0000, 0x10000]] as const) {
    for (let p = from; p < from + len; p += 16) if (String.fromCharCode(...u8.subarray(p, p + 4)) === '_MP_') found.push(p);
  }
  return found;
}

describe('BIOS data area and EBDA', () => {
  it('names COM1, the EBDA segment, 639 KiB of base memory, the text mode and the disks', () => {
    const { view } = machine(4 << 20, { ideSlave: new Uint8Array(1024) });
    expect(view.getUint16(0x400, true)).toBe(0x3f8);
    expect(view.getUint16(0x40e, true)).toBe(0x9fc0);
    expect(view.getUint16(0x413, true)).toBe(639);
    expect(view.getUint8(0x449)).toBe(3);
    expect(view.getUint16(0x44a, true)).toBe(80);
    expect(view.getUint16(0x463, true)).toBe(0x3d4);
    expect(view.getUint8(0x475)).toBe(1);
    expect(view.getUint8(0x9fc00)).toBe(1); // EBDA size in KiB
  });

  it('clears the text screen to spaces, light grey on black', () => {
    const { m, u8 } = machine();
    expect(screenText(m).every((r) => r === ' '.repeat(80))).toBe(true);
    expect([u8[0xb8000], u8[0xb8001], u8[0xb8f9e], u8[0xb8f9f]]).toEqual([0x20, 0x07, 0x20, 0x07]);
  });
});

describe('MP tables', () => {
  it('has exactly one floating pointer, in the BIOS ROM area, valid (spec 1.4, no IMCR)', () => {
    const { u8, view, sum, dev } = machine();
    const found = findMp(u8, view);
    expect(found).toEqual([dev.firmware.floatingPointer]);
    const fp = found[0]!;
    expect(fp % 16).toBe(0);
    expect(sum(fp, 16)).toBe(0);
    expect(u8[fp + 8]).toBe(1); // length in paragraphs
    expect(u8[fp + 9]).toBe(4); // spec 1.4
    expect(u8[fp + 11]).toBe(0); // a configuration table, not a default configuration
    expect(u8[fp + 12]! & 0x80).toBe(0); // virtual wire mode
    expect(view.getUint32(fp + 4, true)).toBe(dev.firmware.configTable);
  });

  it('describes one processor, the ISA bus, I/O APIC 1 and the ISA IRQ wiring', () => {
    const { u8, view, sum, dev } = machine();
    const t = dev.firmware.configTable;
    const length = view.getUint16(t + 4, true);
    expect(length).toBe(dev.firmware.configTableLength);
    expect(String.fromCharCode(...u8.subarray(t, t + 4))).toBe('PCMP');
    expect(sum(t, length)).toBe(0);
    expect(u8[t + 6]).toBe(4);
    expect(String.fromCharCode(...u8.subarray(t + 8, t + 16))).toBe('RINGSIDE');
    expect(view.getUint32(t + 36, true)).toBe(0xfee00000);
    expect(view.getUint16(t + 40, true)).toBe(0); // no extended table
    const d = describeConfigTable(u8.slice(t, t + length));
    // 1 processor, 1 bus, 1 I/O APIC, 15 ISA interrupts (all but IRQ 2), 2 local interrupts.
    expect(d.entries).toEqual([MP_PROCESSOR, MP_BUS, MP_IOAPIC, ...Array(15).fill(MP_IOINTR), MP_LINTR, MP_LINTR]);
    expect(view.getUint16(t + 34, true)).toBe(d.entries.length);
    let at = t + 44;
    expect([...u8.subarray(at, at + 4)]).toEqual([0, 0, 0x14, 0x03]); // APIC 0, version 0x14, enabled + BSP
    expect(view.getUint32(at + 8, true) & (1 << 9)).toBe(1 << 9); // APIC feature flag
    at += 20;
    expect(String.fromCharCode(...u8.subarray(at + 2, at + 8))).toBe('ISA   ');
    at += 8;
    expect([...u8.subarray(at, at + 4)]).toEqual([2, 1, 0x11, 1]);
    expect(view.getUint32(at + 4, true)).toBe(0xfec00000);
    at += 8;
    const wiring: [number, number][] = [];
    for (let k = 0; k < 15; k++, at += 8) {
      expect(u8[at + 1]).toBe(0); // INT
      expect(u8[at + 6]).toBe(1); // to I/O APIC 1
      wiring.push([u8[at + 5]!, u8[at + 7]!]);
    }
    expect(wiring.slice(0, 4)).toEqual([[0, 2], [1, 1], [3, 3], [4, 4]]);
    expect(wiring.find(([irq]) => irq === 14)).toEqual([14, 14]);
    expect([...u8.subarray(at, at + 8)]).toEqual([4, 3, 0, 0, 0, 0, 0, 0]); // ExtINT -> LINT0 of APIC 0
    expect([...u8.subarray(at + 8, at + 16)]).toEqual([4, 1, 0, 0, 0, 0, 0xff, 1]); // NMI -> LINT1 of all
  });

  it('the I/O APIC and the local APIC report the IDs the table gives', () => {
    const { m } = machine();
    m.cpu.mmio.write(0xfec00000, 4, 0);
    expect(m.cpu.mmio.read(0xfec00010, 4) >>> 24).toBe(1);
    expect(m.cpu.mmio.read(0xfee00020, 4) >>> 24).toBe(0);
    expect(buildConfigTable(pcMpConfig())[6]).toBe(4);
  });

  it('survives a multiboot load, and the loader reports the areas reserved', () => {
    const { m, u8, view, sum } = machine(8 << 20);
    const before = u8.slice(0, 0x100000);
    loadMultiboot(m, readBytes(buildKernel(dir, 'spin', SPIN_KERNEL)), 'spin.elf', []);
    const fp = findMp(u8, view)[0]!;
    expect(sum(fp, 16)).toBe(0);
    // The loader wrote only its MBI (at 0x9000) below 1 MiB.
    const changed: number[] = [];
    for (let p = 0; p < 0x100000; p += 4096) {
      if (!Buffer.from(u8.subarray(p, p + 4096)).equals(Buffer.from(before.subarray(p, p + 4096)))) changed.push(p);
    }
    expect(changed).toEqual([0x9000]);
    const reserved = memoryMap(8 << 20).filter((r) => r.type === 2);
    expect(reserved.some((r) => r.base <= 0x9fc00 && r.base + r.length >= 0xa0000)).toBe(true);
    expect(reserved.some((r) => r.base <= fp && r.base + r.length > fp)).toBe(true);
  });
});
