// Bit instructions and condition-code consumers: bt/bts/btr/btc (register and immediate bit
// offsets; memory forms whose register offset reaches outside the addressed word), bsf/bsr,
// setcc, cmovcc.
import { CC, CC_READS, imm, reg, suffix, type Size } from '../asm.js';
import type { Gen } from '../context.js';
import { pickSize, value, withNoise, type Item } from '../item.js';
import { mem } from '../memory.js';
import { DATA_SIZE, DATA_WIN } from '../../layout.js';

const BT = ['bt', 'bts', 'btr', 'btc'];

const btReg: Item = {
  name: 'bt.register', weight: 2,
  gen: (g) => {
    const mn = g.rng.pick(BT);
    const s: Size = pickSize(g, false);
    const d = mn === 'bt' ? g.src(s) : g.dst(s);
    const off = g.rng.bool() ? imm(g.rng.int(0, 255)) : reg(s, g.src(s));
    g.insn(`${mn}${suffix(s)} ${off}, ${reg(s, d)}`, { mnem: mn });
    return true;
  },
};

const btMemImm: Item = {
  name: 'bt.memory-imm', weight: 2,
  gen: (g) => {
    const mn = g.rng.pick(BT);
    const s: Size = pickSize(g, false);
    const m = mem(g, { size: s, write: mn !== 'bt' });
    if (!m) return false;
    m.setup();
    g.insn(`${m.pre}${g.rng.bool(0.15) && mn !== 'bt' ? 'lock ' : ''}${mn}${suffix(s)} ${imm(g.rng.int(0, 255))}, ${m.text}`, { mnem: mn });
    g.form(m.form);
    return true;
  },
};

/**
 * bt m, reg: the register is a signed bit offset from the operand's address, so the accessed
 * word is address + size * (offset >> log2(bits)). The item picks the word inside the data window
 * and derives the offset, often far from the operand itself.
 */
const btMemReg: Item = {
  name: 'bt.memory-reg', weight: 3,
  gen: (g) => {
    const mn = g.rng.pick(BT);
    const s: Size = pickSize(g, false);
    const offReg = g.dst(4);
    const m = mem(g, { size: s, write: mn !== 'bt', region: 'data', avoid: [offReg] });
    if (!m) return false;
    const rel = m.addr - DATA_WIN;
    const kLo = Math.ceil(-rel / s), kHi = Math.floor((DATA_SIZE - s - rel) / s);
    const k = g.rng.bool(0.3) ? 0 : g.rng.int(kLo, kHi);
    const bitsN = s * 8;
    const offset = k * bitsN + g.rng.int(0, bitsN - 1);
    // A 16-bit offset register only counts its low 16 bits (signed): noise above them.
    g.setReg(4, offReg, s === 2 ? withNoise(g, 2, offset & 0xffff) : offset >>> 0);
    m.setup();
    g.insn(`${m.pre}${g.rng.bool(0.15) && mn !== 'bt' ? 'lock ' : ''}${mn}${suffix(s)} ${reg(s, offReg)}, ${m.text}`, { mnem: mn });
    g.form(m.form);
    return true;
  },
};

/** bsf/bsr of a nonzero source (with a zero source the destination is undefined). */
const bitScan: Item = {
  name: 'bsf-bsr', weight: 2,
  gen: (g) => {
    const mn = g.rng.bool() ? 'bsf' : 'bsr';
    const s: Size = pickSize(g, false);
    let v = value(g, s);
    if (v === 0) v = 1 << g.rng.int(0, s * 8 - 1);
    const d = g.dst(s);
    if (g.rng.bool()) {
      const sr = g.dst(s);
      g.setReg(4, sr, withNoise(g, s, v));
      g.insn(`${mn}${suffix(s)} ${reg(s, sr)}, ${reg(s, d)}`, { mnem: mn });
    } else {
      const m = mem(g, { size: s, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}mov${suffix(s)} ${imm(v)}, ${m.text}`, { mnem: 'mov' });
      g.insn(`${m.pre}${mn}${suffix(s)} ${m.text}, ${reg(s, d)}`, { mnem: mn });
      g.form(m.form);
    }
    return true;
  },
};

const setcc: Item = {
  name: 'setcc', weight: 3,
  gen: (g) => {
    const cc = g.rng.int(0, 15);
    if (g.rng.bool(0.6)) {
      g.insn(`set${CC[cc]} ${reg(1, g.dst(1))}`, { mnem: 'set' + CC[cc], reads: CC_READS[cc] });
    } else {
      const m = mem(g, { size: 1, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}set${CC[cc]} ${m.text}`, { mnem: 'set' + CC[cc], reads: CC_READS[cc] });
      g.form(m.form);
    }
    return true;
  },
};

const cmovcc: Item = {
  name: 'cmovcc', weight: 3,
  gen: (g) => {
    const cc = g.rng.int(0, 15);
    const s: Size = pickSize(g, false);
    const d = g.dst(s);
    if (g.rng.bool(0.6)) {
      g.insn(`cmov${CC[cc]}${suffix(s)} ${reg(s, g.src(s))}, ${reg(s, d)}`, { mnem: 'cmov' + CC[cc], reads: CC_READS[cc] });
    } else {
      const m = mem(g, { size: s });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}cmov${CC[cc]}${suffix(s)} ${m.text}, ${reg(s, d)}`, { mnem: 'cmov' + CC[cc], reads: CC_READS[cc] });
      g.form(m.form);
    }
    return true;
  },
};

export const BIT_ITEMS: Item[] = [btReg, btMemImm, btMemReg, bitScan, setcc, cmovcc];
