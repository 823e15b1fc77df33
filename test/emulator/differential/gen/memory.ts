// Memory operands: every 32-bit addressing form (absolute, base, base+disp8/32, base+index*scale
// [+disp], index*scale+disp32, esp- and ebp-based), aimed at a chosen byte of the data or stack
// window. Base and index registers are loaded just before the instruction, so the address is known
// whatever ran before. Values may wrap around 2^32: the CPU computes addresses modulo 2^32.
import { DATA_SIZE, DATA_WIN, STACK_SIZE, STACK_WIN } from '../layout.js';
import { ESP, hex, reg } from './asm.js';
import type { Gen } from './context.js';

export interface MemOperand {
  /** The operand in AT&T syntax, segment override included. */
  text: string;
  /** Pseudo-prefix for the instruction line (`{disp32} ` to force a 32-bit displacement), or ''. */
  pre: string;
  /** Absolute address the operand designates. */
  addr: number;
  /** Registers the address reads. */
  regs: number[];
  /** The same addressing form `k` bytes further on (for the second dword of cmpxchg8b etc.). */
  plus(k: number): string;
  /** Emits the register loads the address needs. Call right before the instruction. */
  setup(): void;
  form: string;
}

export interface MemOptions {
  /** Bytes accessed from the address on. */
  size: number;
  /** The instruction writes the operand: no %cs override, no protected stack bytes. */
  write?: boolean;
  /** Registers the operand must not use (the item sets or needs them). */
  avoid?: readonly number[];
  region?: 'data' | 'stack';
  /** Offset range within the region the address must start in (defaults: whole region). */
  lo?: number;
  hi?: number;
  /** esp changes by this much before the CPU computes the address (pop m: +size). */
  espBias?: number;
  /** Forbid segment overrides (e.g. string operands have their own rules). */
  noOverride?: boolean;
  /** Only forms without registers (moffs). */
  absolute?: boolean;
}

const u32 = (v: number): number => v >>> 0;
const s32 = (v: number): number => v | 0;

function dispText(d: number): string {
  return d === 0 ? '' : hex(s32(d));
}

/** A displacement: none, 8-bit, a small value forced to 32 bits, or a large one (addresses wrap). */
function pickDisp(g: Gen): { d: number; force32: boolean } {
  switch (g.rng.int(0, 5)) {
    case 0: return { d: 0, force32: false };
    case 1: case 2: return { d: g.rng.int(-128, 127), force32: false };
    case 3: return { d: g.rng.int(-128, 127), force32: true };
    case 4: return { d: s32(g.rng.u32()), force32: false };
    default: return { d: g.rng.int(-4096, 4096), force32: false };
  }
}

export function mem(g: Gen, opts: MemOptions): MemOperand | null {
  const rng = g.rng;
  const region = opts.region ?? (opts.absolute || rng.bool(0.8) ? 'data' : 'stack');
  const base0 = region === 'data' ? DATA_WIN : STACK_WIN;
  const size = region === 'data' ? DATA_SIZE : STACK_SIZE;
  const lo = opts.lo ?? 0;
  const hi = Math.min(opts.hi ?? size - opts.size, size - opts.size);
  if (hi < lo) return null;
  let off = -1;
  for (let tries = 0; tries < 8; tries++) {
    const o = rng.int(lo, hi);
    if (region === 'stack' && opts.write && !g.stackWritable(o, opts.size)) continue;
    off = o;
    break;
  }
  if (off < 0) return null;
  const addr = base0 + off;

  const avoid = new Set<number>([ESP, ...(opts.avoid ?? [])]);
  const free: number[] = [];
  for (let r = 0; r < 8; r++) if (!avoid.has(r) && g.canWrite(r)) free.push(r);

  let override = '';
  if (!opts.noOverride && rng.bool(0.12)) {
    override = rng.pick(opts.write ? ['%ds:', '%es:', '%ss:'] : ['%ds:', '%es:', '%ss:', '%cs:']) + '';
  }

  type Form = 'abs' | 'base' | 'sib' | 'index' | 'esp' | 'espsib';
  const forms: Array<[number, Form]> = [[1, 'abs']];
  if (!opts.absolute) {
    if (free.length >= 1) forms.push([4, 'base'], [1, 'index']);
    if (free.length >= 2) forms.push([4, 'sib']);
    if (region === 'stack' && !(opts.avoid ?? []).includes(ESP)) {
      forms.push([3, 'esp']);
      if (free.length >= 1) forms.push([1, 'espsib']);
    }
  }
  const form = rng.weighted(forms);
  const loads: Array<[number, number]> = [];
  let fmt: (extra: number) => string;
  let pre = '';
  const regs: number[] = [];

  if (form === 'abs') {
    fmt = (k) => hex(addr + k);
  } else if (form === 'base') {
    const b = rng.pick(free);
    const { d, force32 } = pickDisp(g);
    if (force32) pre = '{disp32} ';
    loads.push([b, u32(addr - d)]);
    regs.push(b);
    fmt = (k) => `${dispText(d + k)}(${reg(4, b)})`;
  } else if (form === 'sib') {
    const b = rng.pick(free);
    const i = rng.bool(0.15) ? b : rng.pick(free.filter((r) => r !== b));
    const scale = rng.pick([1, 2, 4, 8]);
    const picked = pickDisp(g);
    let d = i === b ? g.rng.int(-128, 127) : picked.d;
    if (picked.force32) pre = '{disp32} ';
    let iv: number, bv: number;
    if (i === b) {
      // One register as base and index: value*(1+scale) + d must hit addr; adjust d to make it divide.
      const rem = ((addr - d) % (1 + scale) + (1 + scale)) % (1 + scale);
      d += rem;
      bv = u32((addr - d) / (1 + scale));
      iv = bv;
    } else {
      iv = rng.bool(0.6) ? u32(rng.int(-64, 64)) : rng.u32();
      bv = u32(addr - d - Math.imul(iv, scale));
      loads.push([i, iv]);
    }
    loads.push([b, bv]);
    regs.push(b, i);
    fmt = (k) => `${dispText(d + k)}(${reg(4, b)},${reg(4, i)},${scale})`;
  } else if (form === 'index') {
    const i = rng.pick(free);
    const scale = rng.pick([1, 2, 4, 8]);
    const iv = rng.bool(0.6) ? u32(rng.int(-64, 64)) : rng.u32();
    const d = s32(addr - Math.imul(iv, scale));
    loads.push([i, iv]);
    regs.push(i);
    fmt = (k) => `${hex(s32(d + k))}(,${reg(4, i)},${scale})`;
  } else if (form === 'esp') {
    const d = addr - (g.esp + (opts.espBias ?? 0));
    if (rng.bool(0.2)) pre = '{disp32} ';
    regs.push(ESP);
    fmt = (k) => `${dispText(d + k)}(%esp)`;
  } else {
    const i = rng.pick(free);
    const scale = rng.pick([1, 2, 4, 8]);
    const iv = u32(rng.int(-16, 16));
    const d = addr - (g.esp + (opts.espBias ?? 0)) - Math.imul(iv, scale);
    loads.push([i, iv]);
    regs.push(ESP, i);
    fmt = (k) => `${dispText(d + k)}(%esp,${reg(4, i)},${scale})`;
  }
  return {
    text: override + fmt(0),
    pre,
    addr,
    regs,
    plus: (k) => override + fmt(k),
    setup: () => {
      for (const [r, v] of loads) g.setReg(4, r, v);
    },
    form: `mem.${form}${override ? '.seg' : ''}`,
  };
}
