// The hint-NOP space 0F 18-0F 1F (prefetch, MPX, CLDEMOTE, CET's endbr32/rdsspd, multi-byte nop):
// on a CPU without those extensions every ModRM form is a NOP that decodes its SIB and displacement
// but never touches the address, so a memory operand may point anywhere, mapped or not. The host
// runs them in a 32-bit Linux process, where CET is off, as a CPU without it does.
import { bytes, le } from '../asm.js';
import type { Gen } from '../context.js';
import type { Item } from '../item.js';

const SEGMENTS = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

/** Addresses no user program has mapped: the null page, the kernel's half, the last page. */
const UNMAPPED = [0x00000000, 0x00000ffc, 0xc0000000, 0xdead0000, 0xfffff000, 0xfffffffc];

/** Random legacy prefixes in random order (no LOCK: it makes these #UD). */
function prefixes(g: Gen): number[] {
  const p: number[] = [];
  if (g.rng.bool(0.3)) p.push(0x66);
  if (g.rng.bool(0.2)) p.push(0x67);
  if (g.rng.bool(0.2)) p.push(g.rng.pick(SEGMENTS));
  if (g.rng.bool(0.45)) p.push(g.rng.pick([0xf3, 0xf2]));
  if (g.rng.bool(0.1)) p.push(g.rng.pick([0xf3, 0xf2, 0x66]));
  for (let k = p.length - 1; k > 0; k--) {
    const j = g.rng.int(0, k);
    [p[k], p[j]] = [p[j], p[k]];
  }
  return p;
}

/** ModRM and the SIB and displacement bytes its addressing form needs (random, or an unmapped address). */
function operandBytes(g: Gen, modrm: number, addr16: boolean): number[] {
  const mod = modrm >> 6, rm = modrm & 7;
  const out = [modrm];
  if (mod === 3) return out;
  const disp = (n: number): void => {
    out.push(...le(g.rng.bool(0.5) ? g.rng.pick(UNMAPPED) : g.rng.u32(), n));
  };
  if (addr16) {
    if (mod === 0 && rm === 6) disp(2);
    else if (mod === 1) disp(1);
    else if (mod === 2) disp(2);
    return out;
  }
  let base = rm;
  if (rm === 4) {
    const sib = g.rng.int(0, 255);
    out.push(sib);
    base = sib & 7;
  }
  if (mod === 0 && (rm === 5 || (rm === 4 && base === 5))) disp(4);
  else if (mod === 1) disp(1);
  else if (mod === 2) disp(4);
  return out;
}

const anyForm: Item = {
  name: 'hint-nop.any', weight: 3,
  gen: (g) => {
    const p = prefixes(g);
    const op = g.rng.int(0x18, 0x1f);
    const modrm = g.rng.int(0, 255);
    g.insn(bytes([...p, 0x0f, op, ...operandBytes(g, modrm, p.includes(0x67))]), { mnem: 'nop' });
    return true;
  },
};

/** A base register loaded with an unmapped address, then a hint NOP addressing through it. */
const unmappedBase: Item = {
  name: 'hint-nop.unmapped', weight: 1,
  gen: (g) => {
    // Not esp or ebp: rm 4 means a SIB byte, and mod 0 rm 5 a bare disp32.
    const free = [0, 1, 2, 3, 6, 7].filter((x) => g.canWrite(x));
    if (free.length === 0) return false;
    const r = g.rng.pick(free);
    g.setReg(4, r, g.rng.pick(UNMAPPED));
    const p = prefixes(g).filter((b) => b !== 0x67);
    const op = g.rng.int(0x18, 0x1f);
    const modrm = (g.rng.int(0, 2) << 6) | (g.rng.int(0, 7) << 3) | r;
    g.insn(bytes([...p, 0x0f, op, ...operandBytes(g, modrm, false)]), { mnem: 'nop' });
    return true;
  },
};

/** What gcc -fcf-protection emits, and CET's register form: endbr32, endbr64, rdsspd %reg. */
const cet: Item = {
  name: 'hint-nop.cet', weight: 2,
  gen: (g) => {
    const extra = g.rng.bool(0.2) ? [g.rng.pick([0x66, 0x67, ...SEGMENTS])] : [];
    const modrm = g.rng.weighted<number>([[6, 0xfb], [1, 0xfa], [2, 0xc8 | g.rng.int(0, 7)]]);
    g.insn(bytes([...extra, 0xf3, 0x0f, 0x1e, modrm]), { mnem: 'nop' });
    return true;
  },
};

export const HINT_NOP_ITEMS: Item[] = [anyForm, unmappedBase, cet];
