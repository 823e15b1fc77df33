// Integer arithmetic and logic: add adc sub sbb and or xor cmp (every encoding: r/m,r  r,r/m
// acc,imm  80/81/82/83 groups), test, inc, dec, neg, not; byte, word and dword; lock on memory.
import { CF, EAX, bytes, imm, le, reg, suffix, type Size } from '../asm.js';
import type { Gen } from '../context.js';
import { pickSize, value, type Item } from '../item.js';
import { mem } from '../memory.js';

const OPS = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];

function pickOp(g: Gen): { op: string; ext: number; reads: number; writes: boolean } {
  const ext = g.rng.int(0, 7);
  const op = OPS[ext];
  return { op, ext, reads: op === 'adc' || op === 'sbb' ? CF : 0, writes: op !== 'cmp' };
}

/** Sign-extendable imm8 (83 form) or a full-size immediate. */
function pickImm(g: Gen, s: Size): number {
  if (s > 1 && g.rng.bool(0.4)) return g.rng.int(-128, 127) & (s === 2 ? 0xffff : 0xffffffff);
  return value(g, s);
}

const aluRegReg: Item = {
  name: 'alu.reg-reg', weight: 6,
  gen: (g) => {
    const { op, reads, writes } = pickOp(g);
    const s = pickSize(g);
    const d = writes ? g.dst(s) : g.src(s);
    g.insn(`${g.rng.pick(['', '{load} ', '{store} '])}${op}${suffix(s)} ${reg(s, g.src(s))}, ${reg(s, d)}`, { mnem: op, reads });
    return true;
  },
};

const aluMem: Item = {
  name: 'alu.mem', weight: 6,
  gen: (g) => {
    const { op, reads, writes } = pickOp(g);
    const s = pickSize(g);
    const toMem = g.rng.bool();
    const m = mem(g, { size: s, write: toMem && writes });
    if (!m) return false;
    m.setup();
    if (toMem) {
      const lock = writes && g.rng.bool(0.15) ? 'lock ' : '';
      g.insn(`${m.pre}${lock}${op}${suffix(s)} ${reg(s, g.src(s))}, ${m.text}`, { mnem: op, reads });
    } else {
      const d = writes ? g.dst(s) : g.src(s);
      g.insn(`${m.pre}${op}${suffix(s)} ${m.text}, ${reg(s, d)}`, { mnem: op, reads });
    }
    g.form(m.form);
    return true;
  },
};

const aluImm: Item = {
  name: 'alu.imm', weight: 6,
  gen: (g) => {
    const { op, ext, reads, writes } = pickOp(g);
    const s = pickSize(g);
    const v = pickImm(g, s);
    const kind = g.rng.int(0, 9);
    if (kind < 5) {
      const d = writes ? g.dst(s) : g.src(s);
      g.insn(`${op}${suffix(s)} ${imm(v)}, ${reg(s, d)}`, { mnem: op, reads });
    } else if (kind < 8) {
      const m = mem(g, { size: s, write: writes });
      if (!m) return false;
      m.setup();
      const lock = writes && g.rng.bool(0.15) ? 'lock ' : '';
      g.insn(`${m.pre}${lock}${op}${suffix(s)} ${imm(v)}, ${m.text}`, { mnem: op, reads });
      g.form(m.form);
    } else {
      // Encodings as(1) does not choose by itself: 82 /op ib (an alias of 80 valid in 32-bit
      // code), 81 /op with an immediate that would fit in a byte, and the accumulator form with one.
      const p66 = s === 2 ? [0x66] : [];
      const form = g.rng.int(0, 2);
      if (form === 0) {
        const r = writes ? g.dst(1) : g.src(1);
        g.insn(`${bytes([0x82, 0xc0 | (ext << 3) | r, v & 0xff])}  # ${op}b ${imm(v & 0xff)}, ${reg(1, r)}`, { mnem: op, reads });
      } else if (form === 1 && s > 1) {
        const r = writes ? g.dst(s) : g.src(s);
        const small = g.rng.int(-128, 127);
        g.insn(`${bytes([...p66, 0x81, 0xc0 | (ext << 3) | r, ...le(small, s)])}  # ${op} ${imm(small)}, ${reg(s, r)} (81 form)`, { mnem: op, reads });
      } else {
        if (writes && !g.canWrite(EAX)) return false;
        const small = g.rng.int(0, 127);
        g.insn(`${bytes([...p66, (ext << 3) | (s === 1 ? 4 : 5), ...le(small, s)])}  # ${op} ${imm(small)}, ${reg(s, EAX)} (acc form)`, { mnem: op, reads });
      }
    }
    return true;
  },
};

const test: Item = {
  name: 'test', weight: 3,
  gen: (g) => {
    const s = pickSize(g);
    switch (g.rng.int(0, 3)) {
      case 0:
        g.insn(`test${suffix(s)} ${reg(s, g.src(s))}, ${reg(s, g.src(s))}`, { mnem: 'test' });
        break;
      case 1:
        g.insn(`test${suffix(s)} ${imm(value(g, s))}, ${reg(s, g.src(s))}`, { mnem: 'test' });
        break;
      default: {
        const m = mem(g, { size: s });
        if (!m) return false;
        m.setup();
        const src = g.rng.bool() ? imm(value(g, s)) : reg(s, g.src(s));
        g.insn(`${m.pre}test${suffix(s)} ${src}, ${m.text}`, { mnem: 'test' });
        g.form(m.form);
      }
    }
    return true;
  },
};

/** inc dec neg not, on a register (both inc/dec encodings) or memory. */
const unary: Item = {
  name: 'alu.unary', weight: 5,
  gen: (g) => {
    const op = g.rng.pick(['inc', 'dec', 'neg', 'not']);
    const s = pickSize(g);
    const k = g.rng.int(0, 9);
    if (k < 5) {
      g.insn(`${op}${suffix(s)} ${reg(s, g.dst(s))}`, { mnem: op });
    } else if (k < 6 && s > 1 && (op === 'inc' || op === 'dec')) {
      // FF /0, FF /1 with a register: as(1) prefers the one-byte 40+r/48+r forms.
      const r = g.dst(s);
      g.insn(`${bytes([...(s === 2 ? [0x66] : []), 0xff, 0xc0 | (op === 'dec' ? 8 : 0) | r])}  # ${op} ${reg(s, r)} (FF form)`, { mnem: op });
    } else {
      const m = mem(g, { size: s, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}${g.rng.bool(0.15) ? 'lock ' : ''}${op}${suffix(s)} ${m.text}`, { mnem: op });
      g.form(m.form);
    }
    return true;
  },
};

/**
 * Prefixes in orders as(1) never emits (it always writes segment, then 0x66, then lock/rep): the
 * operand-size, segment and lock prefixes are emitted as raw bytes, in random order, before a
 * dword memory form. With 0x66 the instruction works on 16 bits.
 */
const prefixOrder: Item = {
  name: 'alu.prefix-order', weight: 1,
  gen: (g) => {
    const { op, reads, writes } = pickOp(g);
    const opsize = g.rng.bool(0.7);
    const m = mem(g, { size: 4, write: writes, noOverride: true });
    if (!m) return false;
    const prefixes: number[] = [];
    if (opsize) prefixes.push(0x66);
    if (g.rng.bool(0.6)) prefixes.push(g.rng.pick(writes ? [0x26, 0x36, 0x3e] : [0x26, 0x2e, 0x36, 0x3e]));
    if (writes && g.rng.bool(0.4)) prefixes.push(0xf0);
    if (prefixes.length === 0) prefixes.push(0x3e);
    for (let k = prefixes.length - 1; k > 0; k--) {
      const j = g.rng.int(0, k);
      [prefixes[k], prefixes[j]] = [prefixes[j], prefixes[k]];
    }
    m.setup();
    g.insn(`${bytes(prefixes)}; ${m.pre}${op}l ${reg(4, g.src(4))}, ${m.text}`, { mnem: op, reads });
    g.form(m.form);
    return true;
  },
};

export const ALU_ITEMS: Item[] = [aluRegReg, aluMem, aluImm, test, unary, prefixOrder];
