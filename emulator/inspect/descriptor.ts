// One 8-byte segment or gate descriptor (SDM vol. 3, 3.4.5 and 6.11), shared by the GDT, LDT and
// IDT decoders. The type field means different things for code/data (S=1) and system (S=0)
// descriptors, and gates carry a selector:offset instead of a base and limit.

import { hex4, hex8 } from './hex.js';

interface Common {
  /** The two dwords as stored, low first. */
  lo: number;
  hi: number;
  /** S flag: 1 for code/data, 0 for system descriptors. */
  codeOrData: boolean;
  /** The 4-bit type field. */
  type: number;
  dpl: number;
  present: boolean;
  /** The type in words: "code, execute/read, accessed", "32-bit TSS (busy)". */
  typeText: string;
  text: string;
}

/** Code, data, TSS and LDT descriptors: they describe memory with a base and a limit. */
export interface SegmentDescriptor extends Common {
  kind: 'code' | 'data' | 'tss' | 'ldt';
  base: number;
  /** The 20-bit limit field as stored. */
  rawLimit: number;
  /** The limit in bytes with granularity applied (G=1: field * 4096 + 4095). */
  limit: number;
  granularity: boolean;
  /** D/B: default operand size (code), big (stack/expand-down data). */
  db: boolean;
  avl: boolean;
  /** L (bit 21): 64-bit code; reserved in IA-32. */
  long: boolean;
  accessed: boolean;
  readable: boolean;
  writable: boolean;
  conforming: boolean;
  expandDown: boolean;
  /** TSS only. */
  busy: boolean;
  /** TSS only: 16 or 32; 0 otherwise. */
  bits: 0 | 16 | 32;
}

export interface GateDescriptor extends Common {
  kind: 'interrupt-gate' | 'trap-gate' | 'call-gate' | 'task-gate';
  bits: 16 | 32;
  selector: number;
  /** Entry point offset (unused by task gates; 16 bits for 16-bit gates). */
  offset: number;
  /** Call gates: dwords (or words) copied to the new stack. */
  paramCount: number;
}

export interface ReservedDescriptor extends Common {
  kind: 'reserved';
}

export type Descriptor = SegmentDescriptor | GateDescriptor | ReservedDescriptor;

/** System descriptor types (S=0), SDM table 3-2 (32-bit). */
const SYSTEM_TYPES: Readonly<Record<number, ['tss' | 'ldt' | GateDescriptor['kind'], string, 0 | 16 | 32]>> = {
  0x1: ['tss', '16-bit TSS (available)', 16],
  0x2: ['ldt', 'LDT', 0],
  0x3: ['tss', '16-bit TSS (busy)', 16],
  0x4: ['call-gate', '16-bit call gate', 16],
  0x5: ['task-gate', 'task gate', 32],
  0x6: ['interrupt-gate', '16-bit interrupt gate', 16],
  0x7: ['trap-gate', '16-bit trap gate', 16],
  0x9: ['tss', '32-bit TSS (available)', 32],
  0xb: ['tss', '32-bit TSS (busy)', 32],
  0xc: ['call-gate', '32-bit call gate', 32],
  0xe: ['interrupt-gate', '32-bit interrupt gate', 32],
  0xf: ['trap-gate', '32-bit trap gate', 32],
};

export function decodeDescriptor(loIn: number, hiIn: number): Descriptor {
  const lo = loIn >>> 0, hi = hiIn >>> 0;
  const type = (hi >>> 8) & 0xf;
  const common = {
    lo, hi, type,
    codeOrData: (hi & 0x1000) !== 0,
    dpl: (hi >>> 13) & 3,
    present: (hi & 0x8000) !== 0,
  };
  if (common.codeOrData) return segment(common, type & 8 ? 'code' : 'data', 0);
  const sys = SYSTEM_TYPES[type];
  if (!sys) {
    const typeText = `reserved system type ${type}`;
    return { ...common, kind: 'reserved', typeText, text: `${typeText}${presence(common.present)}` };
  }
  const [kind, typeText, bits] = sys;
  if (kind === 'tss' || kind === 'ldt') return segment(common, kind, bits, typeText);
  const selector = lo >>> 16;
  const offset = bits === 16 ? lo & 0xffff : ((hi & 0xffff0000) | (lo & 0xffff)) >>> 0;
  const target = kind === 'task-gate' ? `TSS selector ${hex4(selector)}` : `${hex4(selector)}:${hex8(offset)}`;
  const paramCount = kind === 'call-gate' ? hi & 0x1f : 0;
  const params = kind === 'call-gate' ? `, ${paramCount} params` : '';
  return {
    ...common, kind, typeText, bits: bits === 16 ? 16 : 32, selector, offset, paramCount,
    text: `${typeText} -> ${target}, DPL ${common.dpl}${params}${presence(common.present)}`,
  };
}

function presence(present: boolean): string {
  return present ? ', present' : ', not present';
}

type CommonFields = Pick<Common, 'lo' | 'hi' | 'type' | 'codeOrData' | 'dpl' | 'present'>;

function segment(c: CommonFields, kind: SegmentDescriptor['kind'], bits: 0 | 16 | 32, systemText?: string): SegmentDescriptor {
  const { lo, hi, type } = c;
  const base = ((hi & 0xff000000) | ((hi & 0xff) << 16) | (lo >>> 16)) >>> 0;
  const rawLimit = (hi & 0x000f0000) | (lo & 0xffff);
  const granularity = (hi & 0x00800000) !== 0;
  const limit = granularity ? (rawLimit * 4096 + 4095) : rawLimit;
  const code = kind === 'code';
  const data = kind === 'data';
  const d: SegmentDescriptor = {
    ...c, kind, base, rawLimit, limit, granularity, bits,
    db: (hi & 0x00400000) !== 0,
    long: (hi & 0x00200000) !== 0,
    avl: (hi & 0x00100000) !== 0,
    accessed: (code || data) && (type & 1) !== 0,
    readable: data || (code && (type & 2) !== 0),
    writable: data && (type & 2) !== 0,
    conforming: code && (type & 4) !== 0,
    expandDown: data && (type & 4) !== 0,
    busy: kind === 'tss' && (type & 2) !== 0,
    typeText: systemText ?? '',
    text: '',
  };
  if (code) d.typeText = ['code', d.readable ? 'execute/read' : 'execute-only', d.conforming && 'conforming', d.accessed && 'accessed'].filter(Boolean).join(', ');
  if (data) d.typeText = ['data', d.writable ? 'read/write' : 'read-only', d.expandDown && 'expand-down', d.accessed && 'accessed'].filter(Boolean).join(', ');
  d.text = `${d.typeText}, base ${hex8(base)}, limit ${hex8(limit)}, DPL ${d.dpl}, D/B=${d.db ? 1 : 0}, G=${granularity ? 1 : 0}${presence(d.present)}`;
  return d;
}
