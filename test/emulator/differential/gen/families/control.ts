// Control flow, kept structured so the generator always knows esp and the flag state: forward
// jcc/jmp (short and near, direct and indirect) over a few items, calls (direct, register,
// memory) of a function placed after the case that returns with ret or ret imm16, counted
// backward loops (loop/loope/loopne, also with CX under 0x67), and forward jecxz/jcxz/loop.
import { CC, CC_READS, ECX, ZF, imm, reg } from '../asm.js';
import type { Gen } from '../context.js';
import type { Item } from '../item.js';
import { mem } from '../memory.js';
import { STACK_HIGH } from '../../layout.js';

/** Items a forward branch may skip: no esp changes (both paths must agree on esp), no nested branches. */
function skipped(g: Gen, min = 0): void {
  g.restricted({ noStack: true, noBranch: true }, () => g.fill(g.rng.int(min, 3)));
}

const jccForward: Item = {
  name: 'jcc', weight: 5,
  gen: (g) => {
    if (g.noBranch) return false;
    const cc = g.rng.int(0, 15);
    const L = g.label();
    g.insn(`${g.rng.bool(0.4) ? '{disp32} ' : ''}j${CC[cc]} ${L}`, { mnem: 'j' + CC[cc], reads: CC_READS[cc] });
    g.jumpTo(L, true);
    skipped(g);
    g.place(L);
    return true;
  },
};

const jmpForward: Item = {
  name: 'jmp', weight: 2,
  gen: (g) => {
    if (g.noBranch) return false;
    const L = g.label();
    const kind = g.rng.int(0, 3);
    if (kind === 0) {
      g.insn(`jmp ${L}`, { mnem: 'jmp' });
    } else if (kind === 1) {
      g.insn(`{disp32} jmp ${L}`, { mnem: 'jmp' });
    } else if (kind === 2) {
      const r = g.dst(4);
      g.insn(`movl $${L}, ${reg(4, r)}`, { mnem: 'mov' });
      g.insn(`jmp *${reg(4, r)}`, { mnem: 'jmp' });
    } else {
      const m = mem(g, { size: 4, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}movl $${L}, ${m.text}`, { mnem: 'mov' });
      g.insn(`${m.pre}jmp *${m.text}`, { mnem: 'jmp' });
      g.form(m.form);
    }
    g.jumpTo(L, false);
    skipped(g, 1); // dead code: never runs, but must still be decoded past
    g.place(L);
    return true;
  },
};

const call: Item = {
  name: 'call', weight: 3,
  gen: (g) => {
    if (g.noBranch || g.noStack || !g.canMoveEsp(-4)) return false;
    const F = g.label();
    const kind = g.rng.int(0, 2);
    if (kind === 0) {
      g.insn(`call ${F}`, { mnem: 'call' });
    } else if (kind === 1) {
      const r = g.dst(4);
      g.insn(`movl $${F}, ${reg(4, r)}`, { mnem: 'mov' });
      g.insn(`call *${reg(4, r)}`, { mnem: 'call' });
    } else {
      const m = mem(g, { size: 4, write: true });
      if (!m) return false;
      m.setup();
      g.insn(`${m.pre}movl $${F}, ${m.text}`, { mnem: 'mov' });
      g.insn(`${m.pre}call *${m.text}`, { mnem: 'call' });
      g.form(m.form);
    }
    g.moveEsp(-4);
    // The function body: its return address must survive it.
    const ret = { lo: g.espOff, hi: g.espOff + 4 };
    g.protectedStack.push(ret);
    const main = g.lines;
    const body: string[] = [F + ':'];
    g.lines = body;
    try {
      g.restricted({ noStack: true, noBranch: true }, () => g.fill(g.rng.int(0, 3)));
      const room = STACK_HIGH - (g.espOff + 4);
      const k = g.rng.int(0, 3);
      if (k === 0 && room >= 0) {
        const n = g.rng.int(0, Math.min(room, 40));
        g.insn(`ret ${imm(n)}`, { mnem: 'ret' });
        g.moveEsp(4 + n);
      } else {
        g.insn(k === 1 ? 'rep ret' : 'ret', { mnem: 'ret' });
        g.moveEsp(4);
      }
    } finally {
      g.lines = main;
      g.protectedStack.pop();
    }
    g.funcs.push(body);
    return true;
  },
};

const LOOPS = [['loop', 0], ['loope', ZF], ['loopne', ZF]] as const;

/**
 * A counted loop: ECX (or CX under 0x67, with noise above it) = 1..5, then a body that leaves
 * ECX and esp alone. Flags are made defined before the loop and at the end of the body, so every
 * iteration starts from defined flags and loope/loopne read a defined ZF.
 */
const loopBack: Item = {
  name: 'loop', weight: 3,
  gen: (g) => {
    if (g.noBranch || !g.canWrite(ECX)) return false;
    const [mn, reads] = g.rng.pick(LOOPS);
    const cx16 = g.rng.bool(0.25);
    const n = g.rng.int(1, 5);
    g.setReg(4, ECX, cx16 ? ((g.rng.u32() & 0xffff0000) | n) >>> 0 : n);
    if (g.undef) g.sanitizeFlags();
    const L = g.label();
    g.lines.push(L + ':');
    g.restricted({ noWrite: 1 << ECX, noStack: true, noBranch: true }, () => g.fill(g.rng.int(1, 3)));
    if (g.undef) g.sanitizeFlags();
    g.insn(`${cx16 ? 'addr16 ' : ''}${mn} ${L}`, { mnem: mn, reads });
    return true;
  },
};

/** Forward jecxz/jcxz or loop: taken or not depending on ECX, over a few items. */
const countJump: Item = {
  name: 'jecxz-loop-forward', weight: 2,
  gen: (g) => {
    if (g.noBranch) return false;
    const useLoop = g.rng.bool(0.3);
    if (useLoop && !g.canWrite(ECX)) return false;
    if (g.canWrite(ECX) && g.rng.bool(0.7)) g.setReg(4, ECX, g.rng.pick([0, 1, 2, 0x10000, 0x10001, g.rng.u32()]));
    const cx16 = g.rng.bool(0.3);
    const L = g.label();
    const mn = useLoop ? 'loop' : 'jecxz';
    const text = useLoop ? `${cx16 ? 'addr16 ' : ''}loop ${L}` : `${cx16 ? 'jcxz' : 'jecxz'} ${L}`;
    g.insn(text, { mnem: mn });
    g.jumpTo(L, true);
    skipped(g);
    g.place(L);
    return true;
  },
};

export const CONTROL_ITEMS: Item[] = [jccForward, jmpForward, call, loopBack, countJump];
