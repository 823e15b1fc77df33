// Shifts and rotates (rol ror rcl rcr shl sal shr sar) by 1, by CL and by an immediate, and the
// double shifts shld/shrd. Counts are known to the generator (CL is loaded by the item), because
// which flags are defined depends on the count.
import { CF, ECX, bytes, imm, reg, suffix, type Size } from '../asm.js';
import type { Gen } from '../context.js';
import { pickSize, type Item } from '../item.js';
import { mem } from '../memory.js';

const NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];

/** A count biased to the interesting places: 0, 1, the operand width and its neighbours, > 31. */
function pickCount(g: Gen, s: Size): number {
  const w = s * 8;
  return g.rng.pick([0, 1, 1, 2, w - 1, w, w + 1, 31, 32, 33, g.rng.int(0, 31), g.rng.int(0, 255)]) & 0xff;
}

const shiftItem: Item = {
  name: 'shift', weight: 8,
  gen: (g) => {
    const ext = g.rng.int(0, 7);
    // /6 is SAL's undocumented duplicate of /4; as(1) spells sal as /4, so /6 only via raw bytes.
    const mn = ext === 6 ? 'sal' : NAMES[ext];
    const tableMn = ext === 6 ? 'shl' : mn;
    const s = pickSize(g);
    const reads = mn === 'rcl' || mn === 'rcr' ? CF : 0;
    const mode = g.rng.pick(['one', 'cl', 'imm', 'imm', 'raw']);
    let count: number;
    let countText: string;
    if (mode === 'one') {
      count = 1;
      countText = '';
    } else if (mode === 'cl') {
      if (!g.canWrite(ECX)) return false;
      count = pickCount(g, s);
      g.insn(`movb ${imm(count)}, %cl`, { mnem: 'mov' });
      countText = '%cl, ';
    } else {
      count = pickCount(g, s);
      countText = imm(count) + ', ';
    }
    if (mode === 'raw' || ext === 6) {
      // Register forms with encodings as(1) never picks: C0/C1 with a count of 1, and /6.
      const r = g.dst(s);
      const p66 = s === 2 ? [0x66] : [];
      const op = s === 1 ? 0xc0 : 0xc1;
      if (mode === 'cl') {
        g.insn(`${bytes([...p66, s === 1 ? 0xd2 : 0xd3, 0xc0 | (ext << 3) | r])}  # ${mn} %cl, ${reg(s, r)}`, { mnem: tableMn, reads, count, size: s });
      } else if (mode === 'one') {
        g.insn(`${bytes([...p66, s === 1 ? 0xd0 : 0xd1, 0xc0 | (ext << 3) | r])}  # ${mn} ${reg(s, r)}`, { mnem: tableMn, reads, count, size: s });
      } else {
        if (mode === 'raw') count = g.rng.bool() ? 1 : count;
        g.insn(`${bytes([...p66, op, 0xc0 | (ext << 3) | r, count])}  # ${mn} ${imm(count)}, ${reg(s, r)}`, { mnem: tableMn, reads, count, size: s });
      }
      return true;
    }
    if (g.rng.bool(0.6)) {
      g.insn(`${mn}${suffix(s)} ${countText}${reg(s, g.dst(s))}`, { mnem: tableMn, reads, count, size: s });
    } else {
      const m = mem(g, { size: s, write: true, avoid: mode === 'cl' ? [ECX] : [] });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}${mn}${suffix(s)} ${countText}${m.text}`, { mnem: tableMn, reads, count, size: s });
      g.form(m.form);
    }
    return true;
  },
};

/** shld/shrd by imm8 or CL; a 16-bit operand with a (masked) count above 16 is undefined, so avoided. */
const doubleShift: Item = {
  name: 'shld-shrd', weight: 3,
  gen: (g) => {
    const s: Size = pickSize(g, false);
    const mn = g.rng.bool() ? 'shld' : 'shrd';
    let count = g.rng.pick([0, 1, 2, s * 8 - 1, s * 8, g.rng.int(0, 31), g.rng.int(0, 255)]);
    if (s === 2 && (count & 31) > 16) count &= 15;
    const useCl = g.rng.bool() && g.canWrite(ECX);
    if (useCl) g.insn(`movb ${imm(count)}, %cl`, { mnem: 'mov' });
    const countText = useCl ? '%cl' : imm(count);
    const src = reg(s, g.src(s));
    if (g.rng.bool(0.6)) {
      g.insn(`${mn}${suffix(s)} ${countText}, ${src}, ${reg(s, g.dst(s))}`, { mnem: mn, count, size: s });
    } else {
      const m = mem(g, { size: s, write: true, avoid: useCl ? [ECX] : [] });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}${mn}${suffix(s)} ${countText}, ${src}, ${m.text}`, { mnem: mn, count, size: s });
      g.form(m.form);
    }
    return true;
  },
};

export const SHIFT_ITEMS: Item[] = [shiftItem, doubleShift];
