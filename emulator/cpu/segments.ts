// Protected-mode segmentation: descriptor reads, segment-register loads with their checks
// (SDM vol. 3, 5.x and the MOV/POP/LDS/far-transfer pseudocode of vol. 2).
import type { Cpu } from './cpu.js';
import { CpuFault, GP, NP, SS_, TS } from './fault.js';
import { CS, SS } from './regs.js';

/** A segment descriptor, decoded. */
export interface Descriptor {
  base: number;
  /** Limit in bytes - 1, granularity applied. */
  limit: number;
  /** Access byte: P, DPL, S, type. */
  access: number;
  /** Flags nibble: G, D/B, L, AVL. */
  flags: number;
  /** Raw words, for gates (selector and offset live elsewhere in them). */
  lo: number;
  hi: number;
}

export function parseDescriptor(lo: number, hi: number): Descriptor {
  const base = ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
  let limit = (lo & 0xffff) | (hi & 0xf0000);
  const flags = (hi >>> 20) & 0xf;
  if (flags & 8) limit = ((limit << 12) | 0xfff) >>> 0;
  return { base, limit, access: (hi >>> 8) & 0xff, flags, lo, hi };
}

export const isPresent = (d: Descriptor): boolean => (d.access & 0x80) !== 0;
export const dplOf = (d: Descriptor): number => (d.access >> 5) & 3;
/** S=1: code or data (not a system descriptor). */
export const isCodeOrData = (d: Descriptor): boolean => (d.access & 0x10) !== 0;
export const isCode = (d: Descriptor): boolean => (d.access & 0x18) === 0x18;
export const isConforming = (d: Descriptor): boolean => isCode(d) && (d.access & 4) !== 0;
export const isReadable = (d: Descriptor): boolean => !isCode(d) || (d.access & 2) !== 0;
export const isWritableData = (d: Descriptor): boolean => (d.access & 0x1a) === 0x12;

/** The flat 4 GiB descriptors the multiboot loader leaves in the segment caches. */
export const FLAT_CODE_ATTR = 0x9b | (0xc << 8);
export const FLAT_DATA_ATTR = 0x93 | (0xc << 8);

/**
 * Reads the descriptor a selector names (GDT or LDT), as a supervisor access whatever the CPL.
 * Raises `vector`(selector) when the index is beyond the table limit.
 */
export function readDescriptor(cpu: Cpu, sel: number, vector = GP): Descriptor {
  const ldt = (sel & 4) !== 0;
  const base = ldt ? cpu.ldtBase : cpu.gdtBase;
  const limit = ldt ? cpu.ldtLimit : cpu.gdtLimit;
  const off = sel & ~7;
  if ((ldt && cpu.ldtSel === 0) || off + 7 > limit) {
    throw new CpuFault(vector, sel & 0xfffc, `selector 0x${sel.toString(16)} is beyond the ${ldt ? 'LDT' : 'GDT'} limit`);
  }
  return parseDescriptor(cpu.readSupervisor32(base + off), cpu.readSupervisor32(base + off + 4));
}

/** Sets the accessed bit of a code/data descriptor, as the processor does on a load. */
function markAccessed(cpu: Cpu, sel: number, d: Descriptor): void {
  if (d.access & 1) return;
  const base = sel & 4 ? cpu.ldtBase : cpu.gdtBase;
  cpu.writeSupervisor32(base + (sel & ~7) + 4, d.hi | 0x100);
}

/** Puts a descriptor into a segment register's hidden cache. */
export function setSegmentCache(cpu: Cpu, seg: number, sel: number, d: Descriptor | null): void {
  cpu.segSel[seg] = sel & 0xffff;
  cpu.segBase[seg] = d ? d.base | 0 : 0;
  cpu.segLimit[seg] = d ? d.limit : 0;
  cpu.segAttr[seg] = d ? d.access | (d.flags << 8) : 0;
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

/**
 * mov/pop/lds... into a data or stack segment register, with the protected-mode checks.
 * Before any GDT has been loaded (the multiboot boot state) only the selector changes.
 */
export function loadDataSegment(cpu: Cpu, seg: number, sel: number): void {
  sel &= 0xffff;
  if (!(cpu.cr0 & 1) || cpu.gdtLimit === 0) {
    cpu.segSel[seg] = sel;
    return;
  }
  const rpl = sel & 3;
  if (seg === SS) {
    if ((sel & 0xfffc) === 0) throw new CpuFault(GP, 0, 'null selector loaded into SS');
    const d = readDescriptor(cpu, sel);
    if (rpl !== cpu.cpl) throw new CpuFault(GP, sel & 0xfffc, `SS selector ${hex(sel)} has RPL ${rpl}, CPL is ${cpu.cpl}`);
    if (!isWritableData(d)) throw new CpuFault(GP, sel & 0xfffc, `SS selector ${hex(sel)} is not a writable data segment`);
    if (dplOf(d) !== cpu.cpl) throw new CpuFault(GP, sel & 0xfffc, `SS selector ${hex(sel)} has DPL ${dplOf(d)}, CPL is ${cpu.cpl}`);
    if (!isPresent(d)) throw new CpuFault(SS_, sel & 0xfffc, `stack segment ${hex(sel)} not present`);
    markAccessed(cpu, sel, d);
    setSegmentCache(cpu, seg, sel, d);
    return;
  }
  if ((sel & 0xfffc) === 0) {
    // A null selector may be loaded into DS/ES/FS/GS; using it later is what faults.
    setSegmentCache(cpu, seg, sel, null);
    return;
  }
  const d = readDescriptor(cpu, sel);
  if (!isCodeOrData(d) || !isReadable(d)) throw new CpuFault(GP, sel & 0xfffc, `selector ${hex(sel)} is not a data or readable code segment`);
  if (!isConforming(d) && dplOf(d) < Math.max(cpu.cpl, rpl)) {
    throw new CpuFault(GP, sel & 0xfffc, `selector ${hex(sel)} has DPL ${dplOf(d)}, but CPL ${cpu.cpl} / RPL ${rpl} need DPL >= ${Math.max(cpu.cpl, rpl)}`);
  }
  if (!isPresent(d)) throw new CpuFault(NP, sel & 0xfffc, `segment ${hex(sel)} not present`);
  markAccessed(cpu, sel, d);
  setSegmentCache(cpu, seg, sel, d);
}

/**
 * Checks a code segment that a far jmp/call (same privilege) or a return/iret (to `newCpl`)
 * transfers to, and returns its descriptor.
 */
export function checkCodeSegment(cpu: Cpu, sel: number, newCpl: number, returning: boolean): Descriptor {
  if ((sel & 0xfffc) === 0) throw new CpuFault(GP, 0, 'null code segment selector');
  const d = readDescriptor(cpu, sel);
  if (!isCode(d)) throw new CpuFault(GP, sel & 0xfffc, `selector ${hex(sel)} is not a code segment (gates and task switches by far jmp/call are not supported)`);
  const rpl = sel & 3, dpl = dplOf(d);
  if (returning) {
    if (rpl < cpu.cpl) throw new CpuFault(GP, sel & 0xfffc, `return to ${hex(sel)}: RPL ${rpl} is more privileged than CPL ${cpu.cpl}`);
    if (isConforming(d) ? dpl > rpl : dpl !== rpl) throw new CpuFault(GP, sel & 0xfffc, `return to ${hex(sel)}: DPL ${dpl} does not match RPL ${rpl}`);
  } else if (isConforming(d)) {
    if (dpl > cpu.cpl) throw new CpuFault(GP, sel & 0xfffc, `conforming code ${hex(sel)} has DPL ${dpl} > CPL ${cpu.cpl}`);
  } else if (rpl > cpu.cpl || dpl !== cpu.cpl) {
    throw new CpuFault(GP, sel & 0xfffc, `far transfer to ${hex(sel)}: DPL ${dpl}, RPL ${rpl}, CPL ${cpu.cpl} (must be equal privilege)`);
  }
  if (!isPresent(d)) throw new CpuFault(NP, sel & 0xfffc, `code segment ${hex(sel)} not present`);
  void newCpl;
  return d;
}

/** Loads CS after the checks, with RPL = the new CPL. */
export function loadCodeSegment(cpu: Cpu, sel: number, d: Descriptor, newCpl: number): void {
  if (cpu.gdtLimit === 0) {
    cpu.segSel[CS] = (sel & ~3) | newCpl;
  } else {
    markAccessed(cpu, sel, d);
    setSegmentCache(cpu, CS, (sel & ~3) | newCpl, d);
  }
  cpu.cpl = newCpl;
}

/**
 * After a return to an outer (less privileged) level, data segment registers the new CPL may not
 * use are made null (SDM, RET/IRET: "for each of ES, FS, GS, DS ...").
 */
export function nullInaccessibleSegments(cpu: Cpu): void {
  for (const seg of [0, 3, 4, 5]) {
    const attr = cpu.segAttr[seg];
    const dpl = (attr >> 5) & 3;
    const conformingCode = (attr & 0x1c) === 0x1c;
    if ((cpu.segSel[seg] & 0xfffc) !== 0 && !conformingCode && dpl < cpu.cpl) setSegmentCache(cpu, seg, 0, null);
  }
}

/** Reads the inner-level stack (SSn:ESPn) from the current 32-bit TSS. */
export function tssStack(cpu: Cpu, level: number): { ss: number; esp: number } {
  const off = 4 + level * 8;
  if (cpu.trSel === 0 || off + 5 > cpu.trLimit) throw new CpuFault(TS, cpu.trSel & 0xfffc, `the TSS has no stack for ring ${level}`);
  return { esp: cpu.readSupervisor32(cpu.trBase + off), ss: cpu.readSupervisor32(cpu.trBase + off + 4) & 0xffff };
}

/** Checks the SS a stack switch loads (errors are #TS, as the SDM says for inter-privilege switches). */
export function checkStackForLevel(cpu: Cpu, ss: number, level: number): Descriptor {
  if ((ss & 0xfffc) === 0) throw new CpuFault(TS, 0, 'null SS in the TSS');
  const d = readDescriptor(cpu, ss, TS);
  if ((ss & 3) !== level || dplOf(d) !== level || !isWritableData(d)) {
    throw new CpuFault(TS, ss & 0xfffc, `TSS stack segment ${hex(ss)} is not a writable ring-${level} data segment`);
  }
  if (!isPresent(d)) throw new CpuFault(SS_, ss & 0xfffc, `TSS stack segment ${hex(ss)} not present`);
  return d;
}
