// Data movement: mov (register, memory, immediate, moffs, segment registers), movzx/movsx, lea
// (32- and 16-bit addressing), xchg, cmpxchg, cmpxchg8b, xadd, bswap.
import { EAX, EDX, bytes, hex, imm, le, reg, suffix, type Size } from '../asm.js';
import type { Gen } from '../context.js';
import { pickSize, value, type Item } from '../item.js';
import { mem } from '../memory.js';

const loadStore = (g: Gen): string => g.rng.pick(['', '{load} ', '{store} ']);

const movRegReg: Item = {
  name: 'mov.reg-reg', weight: 3,
  gen: (g) => {
    const s = pickSize(g);
    g.insn(`${loadStore(g)}mov${suffix(s)} ${reg(s, g.src(s))}, ${reg(s, g.dst(s))}`, { mnem: 'mov' });
    return true;
  },
};

const movRegMem: Item = {
  name: 'mov.mem', weight: 4,
  gen: (g) => {
    const s = pickSize(g);
    const store = g.rng.bool();
    const m = mem(g, { size: s, write: store });
    if (!m) return false;
    m.setup();
    if (store) g.insn(`${m.pre}mov${suffix(s)} ${reg(s, g.src(s))}, ${m.text}`, { mnem: 'mov' });
    else g.insn(`${m.pre}mov${suffix(s)} ${m.text}, ${reg(s, g.dst(s))}`, { mnem: 'mov' });
    g.form(m.form);
    return true;
  },
};

const movImm: Item = {
  name: 'mov.imm', weight: 3,
  gen: (g) => {
    const s = pickSize(g);
    const v = value(g, s);
    if (g.rng.bool(0.5)) {
      g.insn(`mov${suffix(s)} ${imm(v)}, ${reg(s, g.dst(s))}`, { mnem: 'mov' });
    } else if (g.rng.bool(0.5)) {
      // C6/C7 /0 with a register operand: as(1) always picks B0+r/B8+r, so spell it out.
      const r = g.dst(s);
      const pre = s === 2 ? [0x66] : [];
      g.insn(`${bytes([...pre, s === 1 ? 0xc6 : 0xc7, 0xc0 | r, ...le(v, s)])}  # mov ${imm(v)}, ${reg(s, r)}`, { mnem: 'mov' });
    } else {
      const m = mem(g, { size: s, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}mov${suffix(s)} ${imm(v)}, ${m.text}`, { mnem: 'mov' });
    }
    return true;
  },
};

/** A0-A3: the accumulator to or from an absolute address (as(1) picks moffs for these). */
const movMoffs: Item = {
  name: 'mov.moffs', weight: 2,
  gen: (g) => {
    const s = pickSize(g);
    const store = g.rng.bool();
    if (!store && !g.canWrite(EAX)) return false;
    const m = mem(g, { size: s, write: store, absolute: true });
    if (!m) return false;
    if (store) g.insn(`mov${suffix(s)} ${reg(s, EAX)}, ${m.text}`, { mnem: 'mov' });
    else g.insn(`mov${suffix(s)} ${m.text}, ${reg(s, EAX)}`, { mnem: 'mov' });
    if (g.rng.bool(0.3)) {
      // The ModRM form of the same absolute access (8B 05 disp32), which as(1) never emits for eax.
      const op = store ? (s === 1 ? 0x88 : 0x89) : s === 1 ? 0x8a : 0x8b;
      g.insn(`${bytes([...(s === 2 ? [0x66] : []), op, 0x05])}; .long ${hex(m.addr)}  # mov modrm-absolute`, { mnem: 'mov' });
    }
    return true;
  },
};

/** mov Sreg -> r16/m16 (the 32-bit register form's upper half is model specific, so not used). */
const movFromSeg: Item = {
  name: 'mov.sreg', weight: 1,
  gen: (g) => {
    const sreg = g.rng.pick(['%es', '%cs', '%ss', '%ds', '%fs', '%gs']);
    if (g.rng.bool()) {
      g.insn(`movw ${sreg}, ${reg(2, g.dst(2))}`, { mnem: 'mov' });
    } else {
      const m = mem(g, { size: 2, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}movw ${sreg}, ${m.text}`, { mnem: 'mov' });
    }
    return true;
  },
};

const movExtend: Item = {
  name: 'movzx-movsx', weight: 3,
  gen: (g) => {
    const zero = g.rng.bool();
    const from: Size = g.rng.bool() ? 1 : 2;
    const to: Size = from === 2 ? 4 : g.rng.bool(0.7) ? 4 : 2;
    const mn = `mov${zero ? 'z' : 's'}${suffix(from)}${suffix(to)}`;
    const tableMn = `mov${zero ? 'z' : 's'}${suffix(from)}`;
    if (g.rng.bool()) {
      g.insn(`${mn} ${reg(from, g.src(from))}, ${reg(to, g.dst(to))}`, { mnem: tableMn });
    } else {
      const m = mem(g, { size: from });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}${mn} ${m.text}, ${reg(to, g.dst(to))}`, { mnem: tableMn });
      g.form(m.form);
    }
    return true;
  },
};

/** lea computes without accessing memory, so any register values and displacements will do. */
const lea: Item = {
  name: 'lea', weight: 3,
  gen: (g) => {
    const to: Size = g.rng.bool(0.75) ? 4 : 2;
    const d = g.rng.pick([0, g.rng.int(-128, 127), g.rng.u32() | 0]);
    const b = g.rng.int(0, 7);
    const i = g.rng.pick([0, 1, 2, 3, 5, 6, 7]);
    const scale = g.rng.pick([1, 2, 4, 8]);
    const dt = d === 0 ? '' : hex(d);
    const forms = [`${dt}(${reg(4, b)})`, `${dt}(${reg(4, b)},${reg(4, i)},${scale})`, `${hex(d)}(,${reg(4, i)},${scale})`, hex(d)];
    const a = g.rng.pick(forms);
    g.insn(`lea${suffix(to)} ${a}, ${reg(to, g.dst(to))}`, { mnem: 'lea' });
    return true;
  },
};

/** lea with a 0x67 prefix: the eight 16-bit addressing forms (the sum wraps at 64 KiB). */
const lea16: Item = {
  name: 'lea.addr16', weight: 1,
  gen: (g) => {
    const to: Size = g.rng.bool() ? 4 : 2;
    const pairs = ['%bx,%si', '%bx,%di', '%bp,%si', '%bp,%di', '%si', '%di', '%bp', '%bx'];
    const d = g.rng.pick([0, g.rng.int(-128, 127), g.rng.int(-32768, 32767)]);
    const a = g.rng.bool(0.15) ? `addr16 lea${suffix(to)} ${hex(d & 0xffff)}` : `lea${suffix(to)} ${d === 0 ? '' : hex(d)}(${g.rng.pick(pairs)})`;
    g.insn(`${a}, ${reg(to, g.dst(to))}`, { mnem: 'lea' });
    return true;
  },
};

const xchg: Item = {
  name: 'xchg', weight: 2,
  gen: (g) => {
    const s = pickSize(g);
    const a = g.dst(s);
    if (g.rng.bool(0.6)) {
      const b = g.rng.bool(0.3) ? (s === 1 ? g.dst(s) : EAX) : g.dst(s);
      if (!g.canWrite(s === 1 ? b & 3 : b)) return false;
      g.insn(`xchg${suffix(s)} ${reg(s, b)}, ${reg(s, a)}`, { mnem: 'xchg' });
    } else {
      const m = mem(g, { size: s, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}${g.rng.bool(0.2) ? 'lock ' : ''}xchg${suffix(s)} ${reg(s, a)}, ${m.text}`, { mnem: 'xchg' });
    }
    return true;
  },
};

const cmpxchg: Item = {
  name: 'cmpxchg', weight: 2,
  gen: (g) => {
    if (!g.canWrite(EAX)) return false;
    const s = pickSize(g);
    const srcR = g.src(s);
    const equal = g.rng.bool();
    if (g.rng.bool()) {
      const d = g.dst(s);
      if (equal) g.insn(`mov${suffix(s)} ${reg(s, d)}, ${reg(s, EAX)}`, { mnem: 'mov' });
      g.insn(`cmpxchg${suffix(s)} ${reg(s, srcR)}, ${reg(s, d)}`, { mnem: 'cmpxchg' });
    } else {
      const m = mem(g, { size: s, write: true, avoid: [EAX] });
      if (!m) return false;
      m.setup();
      if (equal) g.insn(`${m.pre}mov${suffix(s)} ${m.text}, ${reg(s, EAX)}`, { mnem: 'mov' });
      g.insn(`${m.pre}${g.rng.bool(0.3) ? 'lock ' : ''}cmpxchg${suffix(s)} ${reg(s, srcR)}, ${m.text}`, { mnem: 'cmpxchg' });
    }
    return true;
  },
};

const cmpxchg8b: Item = {
  name: 'cmpxchg8b', weight: 1,
  gen: (g) => {
    if (!g.canWriteAll([EAX, EDX])) return false;
    const m = mem(g, { size: 8, write: true, avoid: [EAX, EDX] });
    if (!m) return false;
    m.setup();
    if (g.rng.bool()) {
      g.insn(`movl ${m.text}, %eax`, { mnem: 'mov' });
      g.insn(`movl ${m.plus(4)}, %edx`, { mnem: 'mov' });
    } else if (g.rng.bool()) {
      g.insn(`movl ${m.text}, %eax`, { mnem: 'mov' });
    }
    g.insn(`${m.pre}${g.rng.bool(0.3) ? 'lock ' : ''}cmpxchg8b ${m.text}`, { mnem: 'cmpxchg8b' });
    return true;
  },
};

const xadd: Item = {
  name: 'xadd', weight: 2,
  gen: (g) => {
    const s = pickSize(g);
    const r = g.dst(s);
    if (g.rng.bool()) {
      g.insn(`xadd${suffix(s)} ${reg(s, r)}, ${reg(s, g.dst(s))}`, { mnem: 'xadd' });
    } else {
      const m = mem(g, { size: s, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}${g.rng.bool(0.3) ? 'lock ' : ''}xadd${suffix(s)} ${reg(s, r)}, ${m.text}`, { mnem: 'xadd' });
    }
    return true;
  },
};

/** bswap of a 32-bit register (the 16-bit form is undefined in the SDM, so not generated). */
const bswap: Item = {
  name: 'bswap', weight: 1,
  gen: (g) => {
    g.insn(`bswap ${reg(4, g.dst(4))}`, { mnem: 'bswap' });
    return true;
  },
};

export const DATA_ITEMS: Item[] = [movRegReg, movRegMem, movImm, movMoffs, movFromSeg, movExtend, lea, lea16, xchg, cmpxchg, cmpxchg8b, xadd, bswap];
