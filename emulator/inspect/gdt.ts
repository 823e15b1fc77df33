// The GDT (and an LDT, which has the same format): 8-byte descriptors at a linear base, bounded by
// the table limit (SDM vol. 3, 3.5.1). Entry 0 of the GDT is the null descriptor, never used.

import { decodeDescriptor, type Descriptor } from './descriptor.js';
import { hex4, hex8 } from './hex.js';
import { entriesWithin } from './idt.js';
import type { LinearReader } from './linear.js';

export interface GdtEntry {
  index: number;
  /** The selector that names this entry with RPL 0 (index * 8, plus 4 in an LDT). */
  selector: number;
  address: number;
  readable: boolean;
  /** Entry 0 of the GDT: the processor never loads it, whatever it holds. */
  isNull: boolean;
  descriptor: Descriptor | undefined;
  text: string;
}

function entry(reader: LinearReader, base: number, index: number, ldt: boolean): GdtEntry {
  const address = (base + index * 8) >>> 0;
  const selector = index * 8 + (ldt ? 4 : 0);
  const isNull = !ldt && index === 0;
  const lo = reader.read32(address);
  const hi = reader.read32((address + 4) >>> 0);
  const head = `${hex4(selector)}`;
  if (lo === undefined || hi === undefined) {
    return { index, selector, address, readable: false, isNull, descriptor: undefined, text: `${head} unmapped (${hex8(address)})` };
  }
  const descriptor = decodeDescriptor(lo, hi);
  const text = isNull ? `${head} null descriptor` : `${head} ${descriptor.text}`;
  return { index, selector, address, readable: true, isNull, descriptor, text };
}

/** Every descriptor inside the GDT limit. */
export function decodeGdt(reader: LinearReader, base: number, limit: number): GdtEntry[] {
  const n = entriesWithin(limit);
  const out: GdtEntry[] = [];
  for (let i = 0; i < n; i++) out.push(entry(reader, base, i, false));
  return out;
}

/** Every descriptor inside an LDT's limit (base and limit from the LDT's GDT descriptor). */
export function decodeLdt(reader: LinearReader, base: number, limit: number): GdtEntry[] {
  const n = entriesWithin(limit);
  const out: GdtEntry[] = [];
  for (let i = 0; i < n; i++) out.push(entry(reader, base, i, true));
  return out;
}

export interface DescriptorTables {
  gdtBase: number;
  gdtLimit: number;
  /** From LDTR's cached descriptor; absent when no LDT is loaded. */
  ldtBase?: number;
  ldtLimit?: number;
}

export type SelectorLookup =
  | { ok: true; entry: GdtEntry; descriptor: Descriptor }
  | { ok: false; reason: string };

/** The descriptor a selector names, or why there is none (for the Segments scope). */
export function descriptorForSelector(reader: LinearReader, tables: DescriptorTables, selector: number): SelectorLookup {
  const index = (selector >>> 3) & 0x1fff;
  const ldt = (selector & 4) !== 0;
  if (!ldt && index === 0) return { ok: false, reason: 'null selector' };
  const base = ldt ? tables.ldtBase : tables.gdtBase;
  const limit = ldt ? tables.ldtLimit : tables.gdtLimit;
  if (base === undefined || limit === undefined) return { ok: false, reason: 'no LDT loaded' };
  // The whole 8-byte descriptor must lie inside the limit (SDM 3.5.1).
  if (index * 8 + 7 > (limit & 0xffff)) return { ok: false, reason: `index ${index} beyond the ${ldt ? 'LDT' : 'GDT'} limit ${hex4(limit)}` };
  const e = entry(reader, base, index, ldt);
  if (!e.descriptor) return { ok: false, reason: `descriptor unmapped at ${hex8(e.address)}` };
  return { ok: true, entry: e, descriptor: e.descriptor };
}
