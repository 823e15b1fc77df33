// Spelling of registers, sizes and numbers in GNU as (AT&T) syntax, and the few EFLAGS facts the
// generator needs to know which flags an instruction reads.

export type Size = 1 | 2 | 4;

export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;

const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];

/** Register `r` (ModRM numbering) at `size` bytes, with the % sign. */
export function reg(size: Size, r: number): string {
  return '%' + (size === 4 ? R32 : size === 2 ? R16 : R8)[r];
}

/** The 32-bit register that a register number at `size` lives in (ah..bh are in eax..ebx). */
export function fullReg(size: Size, r: number): number {
  return size === 1 ? r & 3 : r;
}

export function suffix(size: Size): string {
  return size === 4 ? 'l' : size === 2 ? 'w' : 'b';
}

export function bits(size: Size): number {
  return size * 8;
}

export function mask(size: Size): number {
  return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
}

/** A number as as(1) reads it: hex, with a minus sign for negative values. */
export function hex(v: number): string {
  return v < 0 ? '-0x' + (-v).toString(16) : '0x' + v.toString(16);
}

/** An immediate operand. */
export function imm(v: number): string {
  return '$' + hex(v);
}

/** Raw bytes for forms as(1) will not emit (its choice of encoding is fixed), e.g. `82 /0` or `C1 /4 01`. */
export function bytes(list: readonly number[]): string {
  return '.byte ' + list.map((b) => '0x' + (b & 0xff).toString(16)).join(', ');
}

/** Little-endian bytes of a `size`-byte value. */
export function le(v: number, size: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < size; k++) out.push(Number((BigInt.asUintN(32, BigInt(v)) >> BigInt(8 * k)) & 0xffn));
  return out;
}

// EFLAGS bits (SDM vol. 1, 3.4.3).
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
export const STATUS_FLAGS = CF | PF | AF | ZF | SF | OF;

/** Condition-code suffixes in encoding order (0x70 + cc). */
export const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

/** Flags a condition code tests (SDM vol. 1, appendix B). */
export const CC_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF];

const FLAG_LETTERS: Record<string, number> = { C: CF, P: PF, A: AF, Z: ZF, S: SF, O: OF, D: DF };

/** Parses the opcode table's flag strings ('OSZAPC') into an EFLAGS mask. */
export function parseFlagLetters(s: string): number {
  let m = 0;
  for (const ch of s.toUpperCase()) m |= FLAG_LETTERS[ch] ?? 0;
  return m;
}

/** 'CF PF ...' for a mask, to print which flags differ or are masked. */
export function flagNames(m: number): string {
  const names: string[] = [];
  const all: Array<[number, string]> = [
    [CF, 'CF'], [PF, 'PF'], [AF, 'AF'], [ZF, 'ZF'], [SF, 'SF'], [0x100, 'TF'], [0x200, 'IF'], [DF, 'DF'], [OF, 'OF'],
    [0x3000, 'IOPL'], [0x4000, 'NT'], [0x10000, 'RF'], [0x20000, 'VM'], [0x40000, 'AC'], [0x200000, 'ID'],
  ];
  for (const [bit, name] of all) if (m & bit) names.push(name);
  const known = all.reduce((acc, [bit]) => acc | bit, 0) | 2;
  if (m & ~known) names.push('0x' + ((m & ~known) >>> 0).toString(16));
  return names.join(' ');
}
