// Multiply and divide: mul/imul with one operand, imul with two and three operands, div/idiv.
// Divisions get operands chosen so that the quotient fits (no #DE natively): the item loads the
// dividend and the divisor with known values first.
import { EAX, EDX, ESP, imm, reg, suffix, type Size } from '../asm.js';
import type { Gen } from '../context.js';
import { pickSize, value, withNoise, type Item } from '../item.js';
import { mem } from '../memory.js';

const mulOne: Item = {
  name: 'mul.one-operand', weight: 3,
  gen: (g) => {
    const s = pickSize(g);
    if (!g.canWrite(EAX) || (s > 1 && !g.canWrite(EDX))) return false;
    const op = g.rng.bool() ? 'mul' : 'imul';
    if (g.rng.bool(0.6)) {
      g.insn(`${op}${suffix(s)} ${reg(s, g.src(s))}`, { mnem: op });
    } else {
      const m = mem(g, { size: s });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}${op}${suffix(s)} ${m.text}`, { mnem: op });
      g.form(m.form);
    }
    return true;
  },
};

const imulMulti: Item = {
  name: 'imul.two-three-operand', weight: 3,
  gen: (g) => {
    const s: Size = g.rng.bool(0.7) ? 4 : 2;
    const d = g.dst(s);
    let src: string;
    let pre = '';
    if (g.rng.bool(0.6)) {
      src = reg(s, g.src(s));
    } else {
      const m = mem(g, { size: s });
      if (!m) return false;
      m.setup();
      src = m.text;
      pre = m.pre;
      g.form(m.form);
    }
    if (g.rng.bool()) {
      g.insn(`${pre}imul${suffix(s)} ${src}, ${reg(s, d)}`, { mnem: 'imul' });
    } else {
      const v = g.rng.bool() ? g.rng.int(-128, 127) : value(g, s);
      g.insn(`${pre}imul${suffix(s)} ${imm(v)}, ${src}, ${reg(s, d)}`, { mnem: 'imul' });
    }
    return true;
  },
};

/** Truncating division on BigInts, as the CPU does it (quotient rounds toward zero). */
function fits(signed: boolean, bitsN: number, dividend: bigint, divisor: bigint): boolean {
  if (divisor === 0n) return false;
  const q = dividend / divisor;
  if (signed) return q >= -(1n << BigInt(bitsN - 1)) && q < 1n << BigInt(bitsN - 1);
  return q >= 0n && q < 1n << BigInt(bitsN);
}

const asSigned = (v: bigint, n: number): bigint => BigInt.asIntN(n, v);

/**
 * Picks dividend halves and a divisor. When the divisor register is itself part of the dividend
 * (div %eax, div %al), the values are tied together; retries until the quotient fits.
 */
function pickDivision(g: Gen, s: Size, signed: boolean, divReg: number): { hi: number; lo: number; d: number } | null {
  const n = s * 8;
  for (let tries = 0; tries < 64; tries++) {
    let d = value(g, s);
    if (g.rng.bool(0.3)) d = g.rng.int(1, 9);
    if (signed && g.rng.bool(0.3)) d = Number(BigInt.asUintN(n, -BigInt(g.rng.int(1, 9))));
    let lo = value(g, s);
    // Often a dividend high half that keeps the quotient in range: 0, all ones, or below the divisor.
    let hi = g.rng.bool(0.5) ? value(g, s) : g.rng.pick([0, Number(BigInt.asUintN(n, -1n)), g.rng.int(0, Math.max(0, d - 1))]);
    if (divReg === EAX) lo = d; // divisor is AL/AX/EAX: the low half of the dividend
    if (s === 1 && divReg === 4) hi = d; // AH
    const width = s === 1 ? 8 : n;
    const dividend = (BigInt(hi) << BigInt(width)) | BigInt(lo);
    const dv = BigInt(d);
    const ok = signed
      ? fits(true, n, asSigned(dividend, 2 * n), asSigned(dv, n))
      : fits(false, n, dividend, dv);
    if (ok) return { hi, lo, d };
  }
  return null;
}

const divide: Item = {
  name: 'div', weight: 4,
  gen: (g) => {
    const s = pickSize(g);
    const signed = g.rng.bool();
    const op = signed ? 'idiv' : 'div';
    if (!g.canWrite(EAX) || (s > 1 && !g.canWrite(EDX))) return false;
    const inMem = g.rng.bool(0.35);
    // The divisor register: any but esp and, for word/dword, not EDX (dividend high half and
    // divisor at once cannot give a quotient that fits).
    let divReg = -1;
    if (!inMem) {
      const cands: number[] = [];
      for (let r = 0; r < 8; r++) {
        if (s > 1 && (r === ESP || r === EDX)) continue;
        const full = s === 1 ? r & 3 : r;
        if (full !== EAX && !g.canWrite(full)) continue;
        cands.push(r);
      }
      divReg = g.rng.pick(cands);
    }
    const v = pickDivision(g, s, signed, divReg);
    if (!v) return false;
    // Dividend: AX for bytes, DX:AX or EDX:EAX otherwise. Upper register halves get noise.
    if (s === 1) g.setReg(4, EAX, withNoise(g, 2, (v.hi << 8) | v.lo));
    else {
      g.setReg(4, EAX, withNoise(g, s, v.lo));
      g.setReg(4, EDX, withNoise(g, s, v.hi));
    }
    if (inMem) {
      const m = mem(g, { size: s, write: true, avoid: [EAX, EDX] });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}mov${suffix(s)} ${imm(v.d)}, ${m.text}`, { mnem: 'mov' });
      g.insn(`${m.pre}${op}${suffix(s)} ${m.text}`, { mnem: op });
      g.form(m.form);
    } else {
      const full = s === 1 ? divReg & 3 : divReg;
      if (full !== EAX) g.setReg(4, full, s === 1 && divReg >= 4 ? ((g.rng.u32() & 0xffff00ff) | (v.d << 8)) >>> 0 : withNoise(g, s, v.d));
      g.insn(`${op}${suffix(s)} ${reg(s, divReg)}`, { mnem: op });
    }
    return true;
  },
};

export const MULDIV_ITEMS: Item[] = [mulOne, imulMulti, divide];
