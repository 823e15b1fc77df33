// Random instructions built from the opcode table: random prefixes, a table opcode, a ModRM that
// selects the entry, and random SIB/displacement/immediate bytes. Seeded, so failures reproduce.
import { decode } from '../../../emulator/cpu/decode.js';
import { OPCODE_TABLE } from '../../../emulator/cpu/optable.js';
import type { Machine } from '../../../emulator/machine.js';

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGS = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

/** Where every sample starts: one per slot, the rest of the slot filled with nops. */
export const SLOT = 32;

/**
 * Byte combinations where objdump reads a newer instruction than the 32-bit integer set the
 * decoder implements: F2 0F BC/BD is "(bad)" to objdump, a plain bsf/bsr on the CPU; F3 0F 09 is
 * wbnoinvd and 66/F2 0F 09 "(bad)" to objdump, wbinvd on the CPU; and see mpxReadsShorter.
 */
export function objdumpReadsOtherwise(prefixes: readonly number[], opcode: number, modrm: number): boolean {
  if (opcode === 0x0fbc || opcode === 0x0fbd) return prefixes.includes(0xf2);
  if (opcode === 0x0f09) return prefixes.some((p) => p === 0x66 || p === 0xf2 || p === 0xf3);
  return mpxReadsShorter(prefixes, opcode, modrm);
}

/**
 * 0F 1A/0F 1B with a memory operand are MPX instructions to objdump, which has them only with 32-bit
 * addressing: after a 67 prefix it prints `(bad)` for the operand and ends the instruction at the
 * ModRM byte. A CPU without MPX runs a hint NOP that decodes the 16-bit form in full, displacement
 * included (the host CPU agrees: test/emulator/cpu-differential.test.ts, item hint-nop). The text is
 * the same; only the length differs, when the 16-bit form has a displacement.
 */
export function mpxReadsShorter(prefixes: readonly number[], opcode: number, modrm: number): boolean {
  if ((opcode !== 0x0f1a && opcode !== 0x0f1b) || !prefixes.includes(0x67)) return false;
  const mod = modrm >> 6;
  return mod === 1 || mod === 2 || (mod === 0 && (modrm & 7) === 6);
}

function randomPrefixes(rnd: () => number, mandatory: number | undefined): number[] {
  const p: number[] = [];
  if (rnd() < 0.3) p.push(0x66);
  if (rnd() < 0.15) p.push(0x67);
  if (rnd() < 0.25) p.push(SEGS[Math.floor(rnd() * SEGS.length)]);
  if (rnd() < 0.15 && mandatory === undefined) p.push(rnd() < 0.5 ? 0xf3 : 0xf2);
  if (rnd() < 0.05) p.push(0xf0);
  if (rnd() < 0.03) p.push(p.length ? p[Math.floor(rnd() * p.length)] : 0x66); // a repeat
  for (let k = p.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1));
    [p[k], p[j]] = [p[j], p[k]];
  }
  if (mandatory !== undefined) p.push(mandatory);
  return p;
}

/**
 * Fills `m` at base with `perEntry` random samples of every table entry, one per SLOT bytes.
 * Returns the code bytes (what objdump reads) and the number of samples.
 */
export function randomCode(m: Machine, base: number, perEntry: number, seed: number): { code: Uint8Array; count: number } {
  const rnd = prng(seed);
  const byte = (): number => Math.floor(rnd() * 256);
  const samples: number[][] = [];
  for (const def of OPCODE_TABLE) {
    for (let n = 0; n < perEntry; n++) {
      for (;;) {
        const prefixes = randomPrefixes(rnd, def.mandatory);
        const bytes = [...prefixes];
        if (def.opcode >= 0x0f00) bytes.push(0x0f, def.opcode & 0xff);
        else bytes.push(def.opcode);
        // Mostly the entry's own group member (and ModRM byte, for endbr32); sometimes any, to reach the undefined ones.
        const reg = def.ext !== undefined && rnd() < 0.85 ? def.ext : Math.floor(rnd() * 8);
        const mod = def.modIs === 'reg' ? 3 : def.modIs === 'mem' ? Math.floor(rnd() * 3) : Math.floor(rnd() * 4);
        const rm = def.rm !== undefined && rnd() < 0.85 ? def.rm : Math.floor(rnd() * 8);
        const modrm = (mod << 6) | (reg << 3) | rm;
        if (objdumpReadsOtherwise(prefixes, def.opcode, modrm)) continue;
        bytes.push(modrm);
        while (bytes.length < SLOT) bytes.push(byte());
        // Let the decoder say how long it is; objdump then checks that length.
        const addr = base + samples.length * SLOT;
        m.mem.load(addr, Uint8Array.from(bytes));
        let len: number;
        try {
          len = decode(m.cpu, addr).len;
        } catch {
          continue; // longer than 15 bytes with these prefixes: draw again
        }
        samples.push(bytes.map((b, k) => (k < len ? b : 0x90)));
        break;
      }
    }
  }
  const code = new Uint8Array(samples.length * SLOT);
  samples.forEach((s, k) => code.set(s, k * SLOT));
  m.mem.load(base, code);
  return { code, count: samples.length };
}
