import { Cursor } from './cursor.js';
import { hex } from './error.js';
import type { DebugSections } from './sections.js';

/**
 * Call frame information (.debug_frame and .eh_frame, DWARF 5 section 6.4): for any pc, how to
 * find the canonical frame address (CFA) and where the caller's registers were saved. The
 * kernel and samples keep frame pointers, so the adapter can unwind through the ebp chain;
 * CFI is what makes the CFA (and so DW_OP_fbreg locals) right at a function's first
 * instructions, before `push %ebp; mov %esp,%ebp` has run.
 */

export type CfaRule = { readonly reg: number; readonly offset: number } | { readonly expr: Uint8Array };

export type RegisterRule =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'same' }
  /** Saved in memory at CFA + offset. */
  | { readonly kind: 'offset'; readonly offset: number }
  /** The value is CFA + offset. */
  | { readonly kind: 'val_offset'; readonly offset: number }
  | { readonly kind: 'register'; readonly reg: number }
  | { readonly kind: 'expression'; readonly expr: Uint8Array }
  | { readonly kind: 'val_expression'; readonly expr: Uint8Array };

export interface UnwindRow {
  /** First address the row applies to (the FDE's start, or an advance_loc target). */
  readonly loc: number;
  readonly cfa: CfaRule;
  /** Rules for registers that have one; others are unchanged ("same value") on i386 gcc. */
  readonly registers: ReadonlyMap<number, RegisterRule>;
  readonly returnAddressRegister: number;
}

interface Cie {
  readonly codeAlign: number;
  readonly dataAlign: number;
  readonly raReg: number;
  readonly fdeEncoding: number;
  readonly hasAugData: boolean;
  readonly addrSize: number;
  readonly initial: Uint8Array;
}

export interface Fde {
  readonly start: number;
  readonly end: number;
  readonly cie: Cie;
  readonly instructions: Uint8Array;
  /** Which section it came from, for error messages. */
  readonly section: string;
}

const MAX_STATE_STACK = 64;

export class CallFrameInfo {
  /** FDEs sorted by start address. */
  readonly fdes: readonly Fde[];

  constructor(private readonly file: string, fdes: Fde[]) {
    this.fdes = fdes.sort((a, b) => a.start - b.start);
  }

  fdeAt(pc: number): Fde | undefined {
    let lo = 0;
    let hi = this.fdes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.fdes[mid]!.start <= pc) lo = mid + 1;
      else hi = mid;
    }
    // FDEs may nest in corrupt files; take the nearest one that really covers pc.
    for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) {
      const f = this.fdes[i]!;
      if (pc >= f.start && pc < f.end) return f;
    }
    return undefined;
  }

  /** The unwind rules in force at `pc`, or undefined when no FDE covers it. */
  rowAt(pc: number): UnwindRow | undefined {
    const fde = this.fdeAt(pc >>> 0);
    if (fde === undefined) return undefined;
    return execute(fde, pc >>> 0, this.file);
  }

  /** The CFA at `pc` given the current register values (undefined for expression rules). */
  cfaAt(pc: number, reg: (n: number) => number): number | undefined {
    const row = this.rowAt(pc);
    if (row === undefined || !('reg' in row.cfa)) return undefined;
    return (reg(row.cfa.reg) + row.cfa.offset) >>> 0;
  }
}

/** Reads .debug_frame and .eh_frame (either may be absent). */
export function readCallFrameInfo(s: DebugSections): CallFrameInfo {
  const fdes: Fde[] = [];
  if (s.frame.length > 0) readSection(s.frame, s.file, '.debug_frame', 0, false, fdes);
  if (s.ehFrame.length > 0) readSection(s.ehFrame, s.file, '.eh_frame', s.ehFrameAddr, true, fdes);
  return new CallFrameInfo(s.file, fdes);
}

function readSection(bytes: Uint8Array, file: string, name: string, sectionAddr: number, eh: boolean, out: Fde[]): void {
  const c = new Cursor(bytes, file, name);
  const cies = new Map<number, Cie>();
  while (c.remaining >= 4) {
    const start = c.pos;
    const { offsetSize, end } = c.initialLength(`entry at ${hex(start)}`);
    if (end === c.pos) {
      if (eh) break; // a zero length terminates .eh_frame
      continue;
    }
    const e = c.slice(c.pos, end);
    const idPos = e.pos;
    const rawId = offsetSize === 8 ? e.u64big() : BigInt(e.u32());
    const isCie = eh ? rawId === 0n : rawId === (offsetSize === 8 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn);
    const id = Number(BigInt.asUintN(52, rawId));
    if (isCie) {
      cies.set(start, readCie(e, eh, name));
    } else {
      // .eh_frame: the id is the distance back to the CIE; .debug_frame: the CIE's offset.
      const cieOffset = eh ? idPos - id : id;
      let cie = cies.get(cieOffset);
      if (cie === undefined && cieOffset >= 0 && cieOffset < bytes.length && cieOffset !== start) {
        // A CIE after its FDE is legal; read it where it is.
        const cc = new Cursor(bytes, file, name, cieOffset);
        const { offsetSize: os, end: cend } = cc.initialLength(`CIE at ${hex(cieOffset)}`);
        const ce = cc.slice(cc.pos, cend);
        ce.skip(os);
        cie = readCie(ce, eh, name);
        cies.set(cieOffset, cie);
      }
      if (cie === undefined) return e.fail(`FDE at ${hex(start)} points at ${hex(cieOffset)}, which is not a CIE`, start);
      const fieldAddr = (pos: number) => sectionAddr + pos;
      const begin = readPointer(e, cie.fdeEncoding, fieldAddr, cie.addrSize);
      // The range is a length: same size and format as the start, never relative.
      const range = readPointer(e, cie.fdeEncoding === 0xff ? 0xff : cie.fdeEncoding & 0x0f, fieldAddr, cie.addrSize);
      if (cie.hasAugData) e.skip(e.uleb());
      if (range > 0) out.push({ start: begin >>> 0, end: Math.min(2 ** 32, (begin >>> 0) + range), cie, instructions: e.bytesOf(e.remaining), section: name });
    }
    c.seek(end);
  }
}

function readCie(e: Cursor, eh: boolean, name: string): Cie {
  const version = e.u8();
  if (version !== 1 && version !== 3 && version !== 4) e.fail(`CIE version ${version} is not supported`);
  const aug = e.cstring();
  let addrSize = 4;
  if (version === 4) {
    addrSize = e.u8();
    e.u8(); // segment selector size
  }
  if (aug.includes('eh')) e.uN(addrSize); // very old gcc: an eh_ptr before the alignment factors
  const codeAlign = e.uleb();
  const dataAlign = e.sleb();
  const raReg = version === 1 ? e.u8() : e.uleb();
  let fdeEncoding = eh ? 0x00 : 0xff; // 0xff: "absolute, address-sized" for .debug_frame
  const hasAugData = aug.startsWith('z');
  if (hasAugData) {
    const len = e.uleb();
    const augEnd = e.pos + len;
    for (const ch of aug.slice(1)) {
      if (ch === 'R') fdeEncoding = e.u8();
      else if (ch === 'L') e.u8();
      else if (ch === 'P') readPointer(e, e.u8(), () => 0, addrSize);
      else if (ch === 'S' || ch === 'B') continue;
      else break; // unknown augmentation: the rest of the data is skipped by length
    }
    e.seek(augEnd);
  } else if (aug !== '' && aug !== 'eh') {
    e.fail(`${name}: CIE augmentation "${aug}" is not understood`);
  }
  return { codeAlign, dataAlign, raReg, fdeEncoding, hasAugData, addrSize, initial: e.bytesOf(e.remaining) };
}

/** A pointer in DW_EH_PE_* encoding (.eh_frame), or 0xff for a plain address (.debug_frame). */
function readPointer(e: Cursor, enc: number, fieldAddr: (pos: number) => number, addrSize: number): number {
  if (enc === 0xff) return e.uN(addrSize);
  const pos = e.pos;
  let v: number;
  switch (enc & 0x0f) {
    case 0x00: v = e.uN(addrSize); break;
    case 0x01: v = e.uleb(); break;
    case 0x02: v = e.u16(); break;
    case 0x03: v = e.u32(); break;
    case 0x04: v = e.u64(); break;
    case 0x09: v = e.sleb(); break;
    case 0x0a: v = e.i16(); break;
    case 0x0b: v = e.i32(); break;
    case 0x0c: v = e.iN(8); break;
    default: return e.fail(`unknown pointer encoding ${hex(enc)}`);
  }
  switch (enc & 0x70) {
    case 0x00: break;
    case 0x10: v += fieldAddr(pos); break; // pcrel
    default: e.fail(`pointer encoding ${hex(enc)} is not supported`);
  }
  return v >>> 0;
}

type Rules = Map<number, RegisterRule>;

/** Runs the CIE's initial instructions, then the FDE's up to `pc`. */
function execute(fde: Fde, pc: number, file: string): UnwindRow {
  const { cie } = fde;
  let cfa: CfaRule = { reg: 4, offset: 4 };
  let regs: Rules = new Map();
  let loc = fde.start;
  const stack: { cfa: CfaRule; regs: Rules }[] = [];
  let initial: Rules = new Map();

  const run = (bytes: Uint8Array, isInitial: boolean): boolean => {
    const c = new Cursor(bytes, file, `${fde.section} instructions`);
    while (!c.atEnd) {
      const at = c.pos;
      const op = c.u8();
      const hi = op & 0xc0;
      const low = op & 0x3f;
      let advance = -1;
      if (hi === 0x40) advance = low * cie.codeAlign;
      else if (hi === 0x80) regs.set(low, { kind: 'offset', offset: c.uleb() * cie.dataAlign });
      else if (hi === 0xc0) restore(low);
      else {
        switch (op) {
          case 0x00: break; // nop
          case 0x01: {
            // gcc never emits set_loc; a pc-relative one would need the instruction's address.
            if (cie.fdeEncoding !== 0xff && (cie.fdeEncoding & 0x70) !== 0) c.fail('DW_CFA_set_loc with a relative encoding is not supported', at);
            const target = readPointer(c, cie.fdeEncoding, () => 0, cie.addrSize);
            if (!isInitial && target > pc) return true;
            loc = target;
            break;
          }
          case 0x02: advance = c.u8() * cie.codeAlign; break;
          case 0x03: advance = c.u16() * cie.codeAlign; break;
          case 0x04: advance = c.u32() * cie.codeAlign; break;
          case 0x05: { const r = c.uleb(); regs.set(r, { kind: 'offset', offset: c.uleb() * cie.dataAlign }); break; }
          case 0x06: restore(c.uleb()); break;
          case 0x07: regs.set(c.uleb(), { kind: 'undefined' }); break;
          case 0x08: regs.set(c.uleb(), { kind: 'same' }); break;
          case 0x09: { const r = c.uleb(); regs.set(r, { kind: 'register', reg: c.uleb() }); break; }
          case 0x0a:
            if (stack.length >= MAX_STATE_STACK) c.fail('remember_state nests too deep', at);
            stack.push({ cfa, regs: new Map(regs) });
            break;
          case 0x0b: {
            const s = stack.pop() ?? c.fail('restore_state without remember_state', at);
            cfa = s.cfa;
            regs = s.regs;
            break;
          }
          case 0x0c: { const r = c.uleb(); cfa = { reg: r, offset: c.uleb() }; break; }
          case 0x0d: cfa = { reg: c.uleb(), offset: 'reg' in cfa ? cfa.offset : 0 }; break;
          case 0x0e: cfa = { reg: 'reg' in cfa ? cfa.reg : 4, offset: c.uleb() }; break;
          case 0x0f: cfa = { expr: c.bytesOf(c.uleb()) }; break;
          case 0x10: { const r = c.uleb(); regs.set(r, { kind: 'expression', expr: c.bytesOf(c.uleb()) }); break; }
          case 0x11: { const r = c.uleb(); regs.set(r, { kind: 'offset', offset: c.sleb() * cie.dataAlign }); break; }
          case 0x12: { const r = c.uleb(); cfa = { reg: r, offset: c.sleb() * cie.dataAlign }; break; }
          case 0x13: cfa = { reg: 'reg' in cfa ? cfa.reg : 4, offset: c.sleb() * cie.dataAlign }; break;
          case 0x14: { const r = c.uleb(); regs.set(r, { kind: 'val_offset', offset: c.uleb() * cie.dataAlign }); break; }
          case 0x15: { const r = c.uleb(); regs.set(r, { kind: 'val_offset', offset: c.sleb() * cie.dataAlign }); break; }
          case 0x16: { const r = c.uleb(); regs.set(r, { kind: 'val_expression', expr: c.bytesOf(c.uleb()) }); break; }
          case 0x2e: c.uleb(); break; // GNU_args_size
          case 0x2f: { const r = c.uleb(); regs.set(r, { kind: 'offset', offset: -c.uleb() * cie.dataAlign }); break; }
          default: c.fail(`unknown call frame instruction ${hex(op)}`, at);
        }
      }
      if (advance >= 0) {
        if (!isInitial && loc + advance > pc) return true;
        loc += advance;
      }
    }
    return false;
  };
  const restore = (r: number) => {
    const rule = initial.get(r);
    if (rule === undefined) regs.delete(r);
    else regs.set(r, rule);
  };

  run(cie.initial, true);
  initial = new Map(regs);
  const initialCfa = cfa;
  loc = fde.start;
  cfa = initialCfa;
  run(fde.instructions, false);
  return { loc, cfa, registers: regs, returnAddressRegister: cie.raReg };
}
