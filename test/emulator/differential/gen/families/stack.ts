// The stack: push/pop of registers (both encodings), memory (esp-relative addresses included, with
// pop's "address after the increment" rule), immediates and segment registers; pusha/popa,
// pushf/popf, enter/leave, and direct esp arithmetic. Every item keeps esp inside the window.
import { EBP, ESP, STATUS_FLAGS, bytes, imm, reg, suffix, type Size } from '../asm.js';
import type { Gen } from '../context.js';
import { value, type Item } from '../item.js';
import { mem } from '../memory.js';
import { CASE_FLAGS, STACK_HIGH, STACK_LOW, USER_FIXED_FLAGS } from '../../layout.js';

const stackSize = (g: Gen): Size => (g.rng.bool(0.75) ? 4 : 2);

const pushReg: Item = {
  name: 'push.reg', weight: 3,
  gen: (g) => {
    const s = stackSize(g);
    if (!g.canMoveEsp(-s)) return false;
    const r = g.rng.int(0, 7);
    if (g.rng.bool(0.2)) g.insn(`${bytes([...(s === 2 ? [0x66] : []), 0xff, 0xf0 | r])}  # push ${reg(s, r)} (FF /6)`, { mnem: 'push' });
    else g.insn(`push${suffix(s)} ${reg(s, r)}`, { mnem: 'push' });
    g.moveEsp(-s);
    return true;
  },
};

const popReg: Item = {
  name: 'pop.reg', weight: 3,
  gen: (g) => {
    const s = stackSize(g);
    if (!g.canMoveEsp(s)) return false;
    const r = g.dst(s);
    if (g.rng.bool(0.2)) g.insn(`${bytes([...(s === 2 ? [0x66] : []), 0x8f, 0xc0 | r])}  # pop ${reg(s, r)} (8F /0)`, { mnem: 'pop' });
    else g.insn(`pop${suffix(s)} ${reg(s, r)}`, { mnem: 'pop' });
    g.moveEsp(s);
    return true;
  },
};

const pushMem: Item = {
  name: 'push.mem', weight: 2,
  gen: (g) => {
    const s = stackSize(g);
    if (!g.canMoveEsp(-s)) return false;
    const m = mem(g, { size: s });
    if (!m) return false;
    m.setup();
    g.insn(`${m.pre}push${suffix(s)} ${m.text}`, { mnem: 'push' });
    g.moveEsp(-s);
    g.form(m.form);
    return true;
  },
};

const popMem: Item = {
  name: 'pop.mem', weight: 2,
  gen: (g) => {
    const s = stackSize(g);
    if (!g.canMoveEsp(s)) return false;
    // SDM POP: with esp in the address, the address uses esp after the increment.
    const m = mem(g, { size: s, write: true, espBias: s });
    if (!m) return false;
    m.setup();
    g.insn(`${m.pre}pop${suffix(s)} ${m.text}`, { mnem: 'pop' });
    g.moveEsp(s);
    g.form(m.form);
    return true;
  },
};

const pushImm: Item = {
  name: 'push.imm', weight: 2,
  gen: (g) => {
    const s = stackSize(g);
    if (!g.canMoveEsp(-s)) return false;
    const v = g.rng.bool() ? g.rng.int(-128, 127) : value(g, s);
    g.insn(`push${suffix(s)} ${imm(v)}`, { mnem: 'push' });
    g.moveEsp(-s);
    return true;
  },
};

/**
 * push Sreg. With a 32-bit operand size, CPUs either zero-extend the selector or write only its 16
 * bits (SDM, PUSH); both are allowed, so the slot's upper half is zeroed first to make them agree.
 */
const pushSeg: Item = {
  name: 'push.sreg', weight: 2,
  gen: (g) => {
    const s = stackSize(g);
    if (!g.canMoveEsp(-s)) return false;
    const sreg = g.rng.pick(['%es', '%cs', '%ss', '%ds', '%fs', '%gs']);
    if (s === 4) {
      g.insn('movw $0, -2(%esp)', { mnem: 'mov' });
      g.insn(`push ${sreg}`, { mnem: 'push' });
    } else {
      g.insn(`pushw ${sreg}`, { mnem: 'push' });
    }
    g.moveEsp(-s);
    return true;
  },
};

/** push %esp pushes the old value; pop %esp loads the popped value (the increment is overwritten). */
const pushPopEsp: Item = {
  name: 'push-pop.esp', weight: 1,
  gen: (g) => {
    const s = stackSize(g);
    g.insn(`push${suffix(s)} ${reg(s, ESP)}`, { mnem: 'push' });
    g.insn(`pop${suffix(s)} ${reg(s, ESP)}`, { mnem: 'pop' });
    return true;
  },
};

const pusha: Item = {
  name: 'pusha-popa', weight: 2,
  gen: (g) => {
    const s = stackSize(g);
    const push = g.rng.bool(0.6);
    const delta = push ? -8 * s : 8 * s;
    if (!g.canMoveEsp(delta)) return false;
    if (!push && g.noWrite !== 1 << ESP) return false;
    g.insn(`${push ? 'pusha' : 'popa'}${suffix(s)}`, { mnem: push ? 'pusha' : 'popa' });
    g.moveEsp(delta);
    return true;
  },
};

const pushf: Item = {
  name: 'pushf', weight: 2,
  gen: (g) => {
    const s = stackSize(g);
    if (!g.canMoveEsp(-s)) return false;
    g.insn(`pushf${suffix(s)}`, { mnem: 'pushf', reads: STATUS_FLAGS });
    g.moveEsp(-s);
    return true;
  },
};

/** popf of a value with the status flags and DF varied, plus bits user mode cannot change. */
const popf: Item = {
  name: 'popf', weight: 2,
  gen: (g) => {
    // Net zero: allowed where esp must not move (the push only dips below esp).
    const s = stackSize(g);
    let v = (g.rng.u32() & CASE_FLAGS) | USER_FIXED_FLAGS;
    // At CPL 3 with IOPL 0, popf silently keeps IF and IOPL (SDM, POPF): try to change them. ID is
    // freely writable. (TF, AC and NT stay clear: they would trap or upset the host.)
    if (g.rng.bool(0.3)) v &= ~0x200;
    if (g.rng.bool(0.3)) v |= g.rng.int(1, 3) << 12;
    if (s === 4 && g.rng.bool(0.2)) v |= 0x200000;
    if (g.rng.bool(0.7)) {
      g.insn(`push${suffix(s)} ${imm(v)}`, { mnem: 'push' });
    } else {
      // Flip some flags of the live image.
      g.insn(`pushf${suffix(s)}`, { mnem: 'pushf', reads: STATUS_FLAGS });
      g.insn(`xor${suffix(s)} ${imm((v ^ USER_FIXED_FLAGS) & (CASE_FLAGS | 0x203200) & (s === 2 ? 0xffff : -1))}, (%esp)`, { mnem: 'xor' });
    }
    g.insn(`popf${suffix(s)}`, { mnem: 'popf' });
    return true;
  },
};

/** leave: esp = ebp, pop ebp. ebp is pointed into the stack window first. */
const leave: Item = {
  name: 'leave', weight: 2,
  gen: (g) => {
    if (g.noStack || !g.canWrite(EBP)) return false;
    const s = stackSize(g);
    // After leave esp = ebp + s; keep it in the band.
    const kLo = STACK_LOW - g.espOff - s, kHi = STACK_HIGH - g.espOff - s;
    if (kHi < kLo) return false;
    const k = g.rng.int(Math.max(kLo, -64), Math.min(kHi, 64));
    g.insn(`lea ${k}(%esp), %ebp`, { mnem: 'lea' });
    g.insn(`leave${suffix(s)}`, { mnem: 'leave' });
    g.moveEsp(k + s);
    return true;
  },
};

/**
 * enter $size, $level. With level > 1 the CPU copies level-1 frame pointers from [ebp - s*i],
 * so ebp is pointed into the window first. Level is taken mod 32 by the CPU.
 */
const enter: Item = {
  name: 'enter', weight: 2,
  gen: (g) => {
    if (g.noStack || !g.canWrite(EBP)) return false;
    const s = stackSize(g);
    const level = g.rng.pick([0, 0, 1, 1, 2, 3, 4, 33]);
    const L = level & 31;
    const frame = g.rng.pick([0, 4, 8, g.rng.int(0, 48)]);
    const delta = -s - (L > 0 ? s * L : 0) - frame;
    if (!g.canMoveEsp(delta)) return false;
    if (L > 1) {
      // ebp somewhere above the reads [ebp - s*(L-1)] and inside the window.
      const k = g.rng.int(0, 64);
      if (g.espOff + k - s * L < 0) return false;
      g.insn(`lea ${k}(%esp), %ebp`, { mnem: 'lea' });
    }
    g.insn(`enter${suffix(s)} ${imm(frame)}, ${imm(level)}`, { mnem: 'enter' });
    g.moveEsp(delta);
    return true;
  },
};

/** gcc-style direct esp arithmetic: sub/add/lea/and. */
const espArith: Item = {
  name: 'esp-arith', weight: 2,
  gen: (g) => {
    if (g.noStack) return false;
    const kind = g.rng.int(0, 3);
    if (kind === 3) {
      const al = g.rng.pick([4, 8, 16, 32]);
      const newOff = g.espOff & ~(al - 1); // STACK_WIN is page aligned, so the offset's alignment is esp's
      if (!g.canMoveEsp(newOff - g.espOff)) return false;
      g.insn(`and ${imm(-al)}, %esp`, { mnem: 'and' });
      g.moveEsp(newOff - g.espOff);
      return true;
    }
    const d = g.rng.pick([4, 8, 12, 16, 28, g.rng.int(-40, 40)]) * (g.rng.bool() ? 1 : -1);
    if (!g.canMoveEsp(d)) return false;
    if (kind === 0) g.insn(`sub ${imm(-d)}, %esp`, { mnem: 'sub' });
    else if (kind === 1) g.insn(`add ${imm(d)}, %esp`, { mnem: 'add' });
    else g.insn(`lea ${d}(%esp), %esp`, { mnem: 'lea' });
    g.moveEsp(d);
    return true;
  },
};

export const STACK_ITEMS: Item[] = [pushReg, popReg, pushMem, popMem, pushImm, pushSeg, pushPopEsp, pusha, pushf, popf, leave, enter, espArith];
