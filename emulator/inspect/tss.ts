// The 32-bit TSS (SDM vol. 3, 7.2.1, figure 7-2): the ring stacks the processor switches to on
// a privilege change (ss0:esp0 is what JOS and xv6 set), and the saved state of a hardware task.

import { hex4, hex8 } from './hex.js';
import type { LinearReader } from './linear.js';

export interface Tss32 {
  base: number;
  link: number;
  esp0: number; ss0: number;
  esp1: number; ss1: number;
  esp2: number; ss2: number;
  cr3: number;
  eip: number;
  eflags: number;
  eax: number; ecx: number; edx: number; ebx: number;
  esp: number; ebp: number; esi: number; edi: number;
  es: number; cs: number; ss: number; ds: number; fs: number; gs: number;
  ldt: number;
  /** T flag: raise #DB on a task switch into this task. */
  trap: boolean;
  /** Offset of the I/O permission bitmap from the TSS base. */
  iomapBase: number;
  /** False when the bitmap offset lies beyond the TSS limit (all port I/O above IOPL then faults). */
  iomapInside: boolean | undefined;
  /** [field, value text] in TSS order, for a view. */
  rows: Array<[string, string]>;
}

export type TssResult = { ok: true; tss: Tss32 } | { ok: false; reason: string };

/** Fields in TSS order: name, byte offset, and whether it is a 16-bit selector (high word reserved). */
const LAYOUT: ReadonlyArray<[string, number, boolean]> = [
  ['link', 0x00, true], ['esp0', 0x04, false], ['ss0', 0x08, true], ['esp1', 0x0c, false], ['ss1', 0x10, true],
  ['esp2', 0x14, false], ['ss2', 0x18, true], ['cr3', 0x1c, false], ['eip', 0x20, false], ['eflags', 0x24, false],
  ['eax', 0x28, false], ['ecx', 0x2c, false], ['edx', 0x30, false], ['ebx', 0x34, false], ['esp', 0x38, false],
  ['ebp', 0x3c, false], ['esi', 0x40, false], ['edi', 0x44, false], ['es', 0x48, true], ['cs', 0x4c, true],
  ['ss', 0x50, true], ['ds', 0x54, true], ['fs', 0x58, true], ['gs', 0x5c, true], ['ldt', 0x60, true],
];

/** Decodes the 104-byte TSS at linear `base`; `limit` (from its descriptor) places the I/O bitmap. */
export function decodeTss(reader: LinearReader, base: number, limit?: number): TssResult {
  const v = new Map<string, number>();
  const rows: Array<[string, string]> = [];
  for (const [name, off, selector] of LAYOUT) {
    const raw = reader.read32((base + off) >>> 0);
    if (raw === undefined) return { ok: false, reason: `TSS ${name} at ${hex8(base + off)} is not mapped` };
    const value = selector ? raw & 0xffff : raw >>> 0;
    v.set(name, value);
    rows.push([name, selector ? hex4(value) : hex8(value)]);
  }
  const last = reader.read32((base + 0x64) >>> 0);
  if (last === undefined) return { ok: false, reason: `TSS I/O map base at ${hex8(base + 0x64)} is not mapped` };
  const iomapBase = last >>> 16;
  const trap = (last & 1) !== 0;
  const iomapInside = limit === undefined ? undefined : iomapBase <= limit;
  rows.push(['T', trap ? '1' : '0']);
  rows.push(['iomap', `${hex4(iomapBase)}${iomapInside === false ? ' (beyond limit: no I/O bitmap)' : ''}`]);
  const f = (name: string): number => v.get(name) ?? 0;
  const tss: Tss32 = {
    base: base >>> 0, link: f('link'),
    esp0: f('esp0'), ss0: f('ss0'), esp1: f('esp1'), ss1: f('ss1'), esp2: f('esp2'), ss2: f('ss2'),
    cr3: f('cr3'), eip: f('eip'), eflags: f('eflags'),
    eax: f('eax'), ecx: f('ecx'), edx: f('edx'), ebx: f('ebx'), esp: f('esp'), ebp: f('ebp'), esi: f('esi'), edi: f('edi'),
    es: f('es'), cs: f('cs'), ss: f('ss'), ds: f('ds'), fs: f('fs'), gs: f('gs'), ldt: f('ldt'),
    trap, iomapBase, iomapInside, rows,
  };
  return { ok: true, tss };
}
