// Instructions with 16-bit addressing (0x67) that access memory in the low window: loads, stores,
// read-modify-write arithmetic, push/pop, and string instructions counting with SI, DI and CX
// (whose upper halves hold noise the CPU must leave alone).
import { CF, EAX, ECX, EDI, ESI, imm, reg, suffix } from '../asm.js';
import type { Gen } from '../context.js';
import { pickSize, value, type Item } from '../item.js';
import { mem16 } from '../memory16.js';
import { LOW_SIZE, LOW_WIN } from '../../layout.js';

const OPS = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];

const access: Item = {
  name: 'addr16.access', weight: 3, needsLowWindow: true,
  gen: (g) => {
    const s = pickSize(g);
    const kind = g.rng.int(0, 6);
    const writes = kind === 1 || kind === 2 || kind === 3 || kind === 4;
    const m = mem16(g, { size: s, write: writes });
    if (!m) return false;
    m.setup();
    const sx = suffix(s);
    switch (kind) {
      case 0: g.insn(`${m.pre}mov${sx} ${m.text}, ${reg(s, g.dst(s))}`, { mnem: 'mov' }); break;
      case 1: g.insn(`${m.pre}mov${sx} ${reg(s, g.src(s))}, ${m.text}`, { mnem: 'mov' }); break;
      case 2: {
        const op = g.rng.pick(OPS.slice(0, 7));
        g.insn(`${m.pre}${op}${sx} ${g.rng.bool() ? imm(value(g, s)) : reg(s, g.src(s))}, ${m.text}`, { mnem: op, reads: op === 'adc' || op === 'sbb' ? CF : 0 });
        break;
      }
      case 3: {
        const op = g.rng.pick(['inc', 'dec', 'neg', 'not']);
        g.insn(`${m.pre}${op}${sx} ${m.text}`, { mnem: op });
        break;
      }
      case 4: {
        const c = g.rng.int(0, 31);
        const op = g.rng.pick(['shl', 'shr', 'sar', 'rol', 'ror']);
        g.insn(`${m.pre}${op}${sx} ${imm(c)}, ${m.text}`, { mnem: op, count: c, size: s });
        break;
      }
      case 5: {
        const op = g.rng.pick(OPS);
        const d = op === 'cmp' ? g.src(s) : g.dst(s);
        g.insn(`${m.pre}${op}${sx} ${m.text}, ${reg(s, d)}`, { mnem: op, reads: op === 'adc' || op === 'sbb' ? CF : 0 });
        break;
      }
      default:
        if (s === 4) return false;
        g.insn(`${m.pre}movz${sx}l ${m.text}, ${reg(4, g.dst(4))}`, { mnem: `movz${sx}` });
    }
    g.form(m.form);
    return true;
  },
};

const pushPop: Item = {
  name: 'addr16.push-pop', weight: 1, needsLowWindow: true,
  gen: (g) => {
    const s = g.rng.bool(0.7) ? 4 : 2;
    const push = g.rng.bool();
    if (!g.canMoveEsp(push ? -s : s)) return false;
    const m = mem16(g, { size: s, write: !push });
    if (!m) return false;
    m.setup();
    g.insn(`${m.pre}${push ? 'push' : 'pop'}${suffix(s)} ${m.text}`, { mnem: push ? 'push' : 'pop' });
    g.moveEsp(push ? -s : s);
    g.form(m.form);
    return true;
  },
};

/** String instructions with 0x67: SI/DI/CX are the pointers and counter; only their low halves change. */
const string16: Item = {
  name: 'addr16.string', weight: 2, needsLowWindow: true,
  gen: (g) => {
    const op = g.rng.pick(['movs', 'stos', 'lods', 'cmps', 'scas']);
    const s = pickSize(g);
    const compares = op === 'cmps' || op === 'scas';
    const prefix = g.rng.pick(compares ? ['', 'repe ', 'repne '] : ['', 'rep ']);
    const count = prefix ? g.rng.int(0, 10) : 1;
    const usesSi = op === 'movs' || op === 'lods' || op === 'cmps';
    const usesDi = op !== 'lods';
    const writes = [...(usesSi ? [ESI] : []), ...(usesDi ? [EDI] : []), ...(prefix ? [ECX] : []), ...(op === 'lods' ? [EAX] : [])];
    if (!g.canWriteAll(writes)) return false;
    const span = Math.max(count, 1) * s;
    const ptr = (): number => ((g.rng.u32() & 0xffff0000) | (LOW_WIN + g.rng.int(span, LOW_SIZE - span - s))) >>> 0;
    if (g.rng.bool(0.6)) {
      const d = g.rng.pick(['cld', 'std']);
      g.insn(d, { mnem: d });
    }
    if (usesSi) g.setReg(4, ESI, ptr());
    if (usesDi) g.setReg(4, EDI, ptr());
    if (prefix) g.setReg(4, ECX, ((g.rng.u32() & 0xffff0000) | count) >>> 0);
    g.insn(`addr16 ${prefix}${op}${suffix(s)}`, { mnem: op, flagsUnchanged: prefix !== '' && count === 0 });
    return true;
  },
};

/** xlat with 0x67: AL = [BX + AL] with a 16-bit sum. */
const xlat16: Item = {
  name: 'addr16.xlat', weight: 1, needsLowWindow: true,
  gen: (g) => {
    if (!g.canWriteAll([EAX, 3])) return false;
    g.setReg(4, 3, ((g.rng.u32() & 0xffff0000) | (LOW_WIN + g.rng.int(0, LOW_SIZE - 256))) >>> 0);
    g.insn('addr16 xlat', { mnem: 'xlat' });
    return true;
  },
};

export const ADDR16_ITEMS: Item[] = [access, pushPop, string16, xlat16];
