// Every encoding of the hint-NOP opcodes 0F 18-0F 1F: each ModRM byte, under prefix combinations
// that change what objdump calls them (66, F3, F2 in both orders, repeats, 67, segments, LOCK).
// One instruction per SLOT bytes, padded with 0x90, as in random.ts.
import type { Machine } from '../../../emulator/machine.js';
import { SLOT } from './random.js';

export const HINT_NOP_PREFIXES: readonly (readonly number[])[] = [
  [], [0x66], [0xf3], [0xf2], [0x66, 0xf3], [0xf3, 0x66], [0x66, 0xf2], [0xf2, 0x66],
  [0xf3, 0xf2], [0xf2, 0xf3], [0xf3, 0xf3], [0x66, 0x66], [0x66, 0xf3, 0x66], [0xf3, 0x66, 0xf3],
  [0x67], [0x67, 0x66], [0x67, 0xf3], [0x66, 0x67, 0xf2], [0x64], [0x2e, 0xf3], [0x3e, 0x66],
  [0x65, 0x67], [0x26, 0xf2, 0x66], [0xf0], [0xf0, 0xf3], [0x66, 0xf0],
];

/** ModRM, then the SIB and displacement bytes its addressing form needs (varied by `salt`). */
function modrmBytes(modrm: number, addr16: boolean, salt: number): number[] {
  const mod = modrm >> 6, rm = modrm & 7;
  const out = [modrm];
  if (mod === 3) return out;
  const fill = (n: number): void => {
    for (let k = 0; k < n; k++) out.push((salt * 73 + k * 29 + 0x11) & 0xff);
  };
  if (addr16) {
    if (mod === 0 && rm === 6) fill(2);
    else if (mod === 1) fill(1);
    else if (mod === 2) fill(2);
    return out;
  }
  let base = rm;
  if (rm === 4) {
    const sib = (salt * 37 + modrm * 11 + 5) & 0xff;
    out.push(sib);
    base = sib & 7;
  }
  if (mod === 0 && (rm === 5 || (rm === 4 && base === 5))) fill(4);
  else if (mod === 1) fill(1);
  else if (mod === 2) fill(4);
  return out;
}

export interface HintNopSample {
  prefixes: readonly number[];
  opcode: number;
  modrm: number;
  bytes: number[];
}

/** Loads every sample into `m` at `base`, one per SLOT bytes; returns the code and the samples. */
export function hintNopCode(m: Machine, base: number): { code: Uint8Array; samples: HintNopSample[] } {
  const samples: HintNopSample[] = [];
  let salt = 0;
  for (const prefixes of HINT_NOP_PREFIXES) {
    for (let op = 0x18; op <= 0x1f; op++) {
      for (let modrm = 0; modrm < 256; modrm++) {
        const bytes = [...prefixes, 0x0f, op, ...modrmBytes(modrm, prefixes.includes(0x67), salt++)];
        samples.push({ prefixes, opcode: 0x0f00 | op, modrm, bytes });
      }
    }
  }
  const code = new Uint8Array(samples.length * SLOT).fill(0x90);
  samples.forEach((s, k) => code.set(s.bytes, k * SLOT));
  m.mem.load(base, code);
  return { code, samples };
}
