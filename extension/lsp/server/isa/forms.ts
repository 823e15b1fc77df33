// Operand forms of a table entry in AT&T notation (source first, `$` on immediates, `*` on indirect
// branches), and which forms a written operand list can be. Matching only narrows what a hover shows
// ("mov %eax,%cr3" is MOV to CRn); it is not an assembler and accepts anything gas might.
import type { OpDef } from '../../../../emulator/cpu/opdef.js';
import { MODRM_KINDS, type OperandKind } from '../../../../emulator/cpu/operands.js';
import { farName } from '../../../../emulator/disasm/classify.js';
import { lookupRegister } from './registers.js';

/** What a written operand is, as far as form matching needs to know. */
export type OperandShape =
  | { type: 'imm'; text: string }
  | { type: 'reg'; name: string; cls: string; bits: number }
  | { type: 'mem'; indirect: boolean; portDx?: boolean }
  | { type: 'expr'; indirect: boolean }
  | { type: 'unknown' };

/** Classifies one AT&T operand's text. */
export function shapeOf(text: string): OperandShape {
  let t = text.trim();
  let indirect = false;
  if (t.startsWith('*')) {
    indirect = true;
    t = t.slice(1).trim();
  }
  if (t.startsWith('$')) return { type: 'imm', text: t.slice(1).trim() };
  const reg = /^%([a-z0-9]+(?:\s*\(\s*[0-7]\s*\))?)$/i.exec(t);
  if (reg) {
    const r = lookupRegister(reg[1]);
    if (!r) return { type: 'unknown' };
    return { type: 'reg', name: r.name, cls: r.cls, bits: r.bits };
  }
  if (/^\(\s*%dx\s*\)$/i.test(t)) return { type: 'mem', indirect, portDx: true };
  if (t.includes('(') || /^%[a-z]s\s*:/i.test(t)) return { type: 'mem', indirect };
  if (t === '') return { type: 'unknown' };
  return { type: 'expr', indirect };
}

const SIZE_NAME: Readonly<Record<number, string>> = { 1: '8', 2: '16', 4: '32' };

/** The AT&T name of one operand kind at operand size `v` (2 or 4). */
function kindText(k: OperandKind, v: 2 | 4): string {
  const vs = SIZE_NAME[v];
  switch (k) {
    case 'Eb': return 'r/m8';
    case 'Ew': return 'r/m16';
    case 'Ed': return 'r/m32';
    case 'Ev': return `r/m${vs}`;
    case 'Gb': case 'Zb': return '%r8';
    case 'Gw': return '%r16';
    case 'Gv': case 'Zv': return `%r${vs}`;
    case 'Rd': return '%r32';
    case 'M': return 'mem';
    case 'Mp': return `m16:${vs}`;
    case 'Mq': return 'm64';
    case 'Ms': return 'm48 (limit16, base32)';
    case 'Cd': return '%crN';
    case 'Dd': return '%drN';
    case 'Sw': return '%sreg';
    case 'Bg': return '%bndN';
    case 'Be': return '%bndN/m64';
    case 'Ib': case 'Ibs': return '$imm8';
    case 'Iw': return '$imm16';
    case 'Iz': return `$imm${vs}`;
    case 'Jb': case 'Jz': return 'label';
    case 'Ap': return '$selector,$offset';
    case 'Ob': case 'Ov': return 'address';
    case 'AL': return '%al';
    case 'AX': return '%ax';
    case 'eAX': return v === 2 ? '%ax' : '%eax';
    case 'CL': return '%cl';
    case 'DX': return '(%dx)';
    case 'ONE': return '$1';
    case 'ES': case 'CS': case 'SS': case 'DS': case 'FS': case 'GS': return '%' + k.toLowerCase();
    case 'Xb': case 'Xv': return '%ds:(%esi)';
    case 'Yb': case 'Yv': return '%es:(%edi)';
    case 'BX_AL': return '%ds:(%ebx)';
  }
}

/** Whether an operand of a near jmp/call through r/m, or a far one through memory: written with `*`. */
function isIndirectBranch(def: OpDef): boolean {
  const m = farName(def) || def.mnemonic;
  return (m === 'jmp' || m === 'call' || m === 'ljmp' || m === 'lcall') && !def.operands.some((k) => k === 'Jb' || k === 'Jz' || k === 'Ap');
}

/** Operands in the order AT&T writes them: reversed, except enter's two immediates. */
export function atntOrder(def: OpDef): OperandKind[] {
  return def.opcode === 0xc8 ? [...def.operands] : [...def.operands].reverse();
}

/**
 * `mnemonic operands` in AT&T notation, e.g. `mov %r32,r/m32` or `jmp *r/m32`. `v` is the operand
 * size that 'v' kinds print at; the by-one shift count is left out, as gas lets one write it.
 */
export function formText(def: OpDef, mnemonic: string, v: 2 | 4 = 4): string {
  const star = isIndirectBranch(def) ? '*' : '';
  const ops = atntOrder(def).filter((k) => k !== 'ONE').map((k, i, all) => (star && i === all.length - 1 ? star : '') + kindText(k, v));
  return ops.length ? `${mnemonic} ${ops.join(',')}` : mnemonic;
}

/** Encoding of a form in the SDM's notation: opcode bytes, /digit (group) or /r (ModRM), a mandatory prefix. */
export function encodingText(def: OpDef): string {
  const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');
  const parts: string[] = [];
  if (def.mandatory !== undefined) parts.push(hex(def.mandatory));
  if (def.opcode > 0xff) parts.push('0F', hex(def.opcode & 0xff));
  else parts.push(hex(def.opcode));
  if (def.rm !== undefined && def.ext !== undefined) parts.push(hex(0xc0 | (def.ext << 3) | def.rm)); // F3 0F 1E FB
  else if (def.ext !== undefined) parts.push(`/${def.ext}`);
  else if (def.operands.some((k) => MODRM_KINDS.has(k))) parts.push('/r');
  else if (def.operands.some((k) => k === 'Zb' || k === 'Zv')) parts[parts.length - 1] += '+r';
  return parts.join(' ');
}

/** Kinds gas lets one leave out: implicit string operands and the by-one shift count. */
const OMITTABLE: ReadonlySet<OperandKind> = new Set<OperandKind>(['ONE', 'Xb', 'Xv', 'Yb', 'Yv', 'BX_AL']);

function regFits(s: OperandShape, bits: readonly number[]): boolean {
  return s.type === 'reg' && s.cls === 'general' && bits.includes(s.bits);
}
const isMem = (s: OperandShape): boolean => s.type === 'mem' || s.type === 'expr';

/** Whether one written operand can be the operand kind `k` (size: from the suffix, if any). */
function fits(k: OperandKind, s: OperandShape, size: number | undefined, indirect: boolean): boolean {
  if (s.type === 'unknown') return true;
  const v = size === 2 ? [16] : size === 4 ? [32] : [16, 32];
  if ((s.type === 'mem' || s.type === 'expr') && s.indirect !== indirect) return false;
  switch (k) {
    case 'Eb': return regFits(s, [8]) || isMem(s);
    case 'Ew': return regFits(s, [16, 32]) || isMem(s);
    case 'Ed': return regFits(s, [32]) || isMem(s);
    case 'Ev': return regFits(s, v) || isMem(s);
    case 'Gb': case 'Zb': return regFits(s, [8]);
    case 'Gw': return regFits(s, [16]);
    case 'Gv': case 'Zv': return regFits(s, v);
    case 'Rd': return regFits(s, [32]);
    case 'M': case 'Mp': case 'Mq': case 'Ms': case 'Ob': case 'Ov': return isMem(s);
    case 'Cd': return s.type === 'reg' && s.cls === 'control';
    case 'Dd': return s.type === 'reg' && s.cls === 'debug';
    case 'Sw': return s.type === 'reg' && s.cls === 'segment';
    case 'Bg': return s.type === 'reg' && s.cls === 'bound';
    case 'Be': return (s.type === 'reg' && s.cls === 'bound') || isMem(s);
    case 'Ib': case 'Ibs': case 'Iw': case 'Iz': case 'Ap': return s.type === 'imm';
    case 'ONE': return s.type === 'imm' && /^(1|0x0*1)$/i.test(s.text); // `shl $1,%eax` is the by-one form
    case 'Jb': case 'Jz': return s.type === 'expr' && !s.indirect;
    case 'AL': return s.type === 'reg' && s.name === 'al';
    case 'AX': return s.type === 'reg' && s.name === 'ax';
    case 'eAX': return s.type === 'reg' && (s.name === 'eax' || s.name === 'ax');
    case 'CL': return s.type === 'reg' && s.name === 'cl';
    case 'DX': return (s.type === 'mem' && s.portDx === true) || (s.type === 'reg' && s.name === 'dx');
    case 'ES': case 'CS': case 'SS': case 'DS': case 'FS': case 'GS': return s.type === 'reg' && s.name === k.toLowerCase();
    case 'Xb': case 'Xv': case 'Yb': case 'Yv': case 'BX_AL': return s.type === 'mem';
  }
}

/** Whether the written operands (AT&T order) can be this form. */
export function matchesForm(def: OpDef, written: readonly OperandShape[], size?: number): boolean {
  const kinds = atntOrder(def);
  const indirect = isIndirectBranch(def);
  // ljmp $sel,$off: one Ap kind, two written immediates.
  if (kinds.length === 1 && kinds[0] === 'Ap') return written.length === 2 && written.every((s) => s.type === 'imm' || s.type === 'unknown');
  const tryWith = (ks: readonly OperandKind[]): boolean =>
    ks.length === written.length && ks.every((k, i) => fits(k, written[i], size, indirect && i === ks.length - 1 && isMemKind(k)));
  if (tryWith(kinds)) return true;
  const required = kinds.filter((k) => !OMITTABLE.has(k));
  if (required.length !== kinds.length && tryWith(required)) return true;
  // gas: `in $1` / `out (%dx)` with the accumulator left out.
  if ((def.mnemonic === 'in' || def.mnemonic === 'out') && written.length === 1) {
    return tryWith(kinds.filter((k) => k !== 'AL' && k !== 'eAX'));
  }
  return false;
}

function isMemKind(k: OperandKind): boolean {
  return k === 'Eb' || k === 'Ew' || k === 'Ed' || k === 'Ev' || k === 'M' || k === 'Mp' || k === 'Mq' || k === 'Ms';
}
