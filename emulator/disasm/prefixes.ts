// Which prefix bytes objdump prints by name, and what the used ones turn into.
//
// objdump prints every prefix byte the instruction does not consume, in byte order, by name
// (data16, addr16, cs, ..., lock, repz, repnz). A consumed prefix shows up elsewhere instead:
// 0x66/0x67 in operand and register widths, a segment override on the memory operand, 2E/3E on a
// conditional branch as a ,pn/,pt hint, 3E on an indirect jmp/call as `notrack`, F3/F2 on a string
// op as rep/repz/repnz, F2 on a near branch as `bnd`, F2/F3 on a locked memory update (and xchg,
// and F3 on a mov to memory) as the HLE hints xacquire/xrelease. Only the last byte of each kind
// takes effect; earlier repeats are always printed by name.
import type { Insn } from '../cpu/insn.js';
import type { OpDef } from '../cpu/opdef.js';
import { NO_SEG } from '../cpu/regs.js';
import {
  hleForm, isConditionalBranch, isIndirectNearBranch, isPrefixSelectedNop, isStringCompare, isStringOp, takesBnd,
  usesAddressSize, usesOperandSize, usesSegment,
} from './classify.js';

const SEG_PREFIX_NAMES: ReadonlyMap<number, string> = new Map([
  [0x26, 'es'], [0x2e, 'cs'], [0x36, 'ss'], [0x3e, 'ds'], [0x64, 'fs'], [0x65, 'gs'],
]);
const SEG_PREFIX_BYTE = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

export function isPrefixByte(b: number): boolean {
  return b === 0x66 || b === 0x67 || b === 0xf0 || b === 0xf2 || b === 0xf3 || SEG_PREFIX_NAMES.has(b);
}

/** The leading prefix bytes of an instruction's bytes. */
export function prefixBytesOf(bytes: ArrayLike<number>, len: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < len - 1 && k < bytes.length && isPrefixByte(bytes[k]); k++) out.push(bytes[k]);
  return out;
}

/**
 * The prefixes as the decoder recorded them, when the bytes are not at hand: one of each, in the
 * order gas emits them (segment, addr16, data16, rep, lock).
 */
export function prefixBytesFromInsn(insn: Insn): number[] {
  const out: number[] = [];
  if (insn.segOverride !== NO_SEG) out.push(SEG_PREFIX_BYTE[insn.segOverride]);
  if (insn.addr16) out.push(0x67);
  if (insn.opsize16) out.push(0x66);
  if (insn.rep) out.push(insn.rep);
  if (insn.lock) out.push(0xf0);
  return out;
}

export interface PrefixText {
  /** Names printed before the mnemonic, in byte order. */
  names: string[];
  /** Whether the segment override is printed on the memory operand. */
  showSeg: boolean;
  /** Branch hint appended to the mnemonic: ',pt' / ',pn' or ''. */
  hint: string;
}

/**
 * Prefix names for `insn` (def null: an undecodable instruction, every prefix printed).
 * `f3Consumed`: the F3 byte turned the instruction into another one (pause, tzcnt).
 */
export function prefixText(def: OpDef | null, insn: Insn, bytes: readonly number[], f3Consumed: boolean): PrefixText {
  const res: PrefixText = { names: [], showSeg: false, hint: '' };
  const lastSeg = lastIndex(bytes, (b) => SEG_PREFIX_NAMES.has(b));
  const last66 = bytes.lastIndexOf(0x66);
  const last67 = bytes.lastIndexOf(0x67);
  const lastF3 = bytes.lastIndexOf(0xf3);
  const lastF2 = bytes.lastIndexOf(0xf2);
  bytes.forEach((b, idx) => {
    const effective = b === 0x66 ? idx === last66
      : b === 0x67 ? idx === last67
        : b === 0xf3 ? idx === lastF3
          : b === 0xf2 ? idx === lastF2
            : b === 0xf0 ? true
              : idx === lastSeg;
    const text = effective && def ? effectiveName(def, insn, b, f3Consumed, res) : genericName(b);
    if (text) res.names.push(text);
  });
  return res;
}

/** How objdump names a prefix byte it does not consume. */
function genericName(b: number): string {
  switch (b) {
    case 0x66: return 'data16';
    case 0x67: return 'addr16';
    case 0xf0: return 'lock';
    case 0xf3: return 'repz';
    case 0xf2: return 'repnz';
    default: return SEG_PREFIX_NAMES.get(b) ?? '';
  }
}

/** The text of the effective (last) prefix byte of its kind; '' when it is consumed silently. */
function effectiveName(def: OpDef, insn: Insn, b: number, f3Consumed: boolean, res: PrefixText): string {
  switch (b) {
    case 0x66:
      if (isPrefixSelectedNop(def)) return 'data16';
      return def.mandatory === 0x66 || usesOperandSize(def, insn) ? '' : 'data16';
    case 0x67:
      return usesAddressSize(def, insn) ? '' : 'addr16';
    case 0xf0:
      // LOCK before mov to/from CRn selects CR8-CR15 (AMD's encoding); objdump shows it that way.
      return def.operands.includes('Cd') ? '' : 'lock';
    case 0xf3:
      if (isPrefixSelectedNop(def)) return 'repz';
      if (f3Consumed || def.mandatory === 0xf3) return '';
      if (hleForm(def, insn, insn.lock !== 0) !== '') return 'xrelease';
      if (isStringOp(def)) return isStringCompare(def) ? 'repz' : 'rep';
      return 'repz';
    case 0xf2:
      if (isPrefixSelectedNop(def)) return 'repnz';
      if (def.mandatory === 0xf2) return '';
      if (hleForm(def, insn, insn.lock !== 0) === 'both') return 'xacquire';
      if (!isStringOp(def) && takesBnd(def)) return 'bnd';
      return 'repnz';
    default:
      if (isConditionalBranch(def) && (b === 0x2e || b === 0x3e)) {
        res.hint = b === 0x2e ? ',pn' : ',pt';
        return '';
      }
      if (b === 0x3e && isIndirectNearBranch(def)) return 'notrack';
      if (usesSegment(def, insn)) {
        res.showSeg = true;
        return '';
      }
      return genericName(b);
  }
}

function lastIndex(bytes: readonly number[], pred: (b: number) => boolean): number {
  for (let k = bytes.length - 1; k >= 0; k--) if (pred(bytes[k])) return k;
  return -1;
}
