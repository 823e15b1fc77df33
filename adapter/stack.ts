// Call stacks across trap boundaries: kernel frames, then a label frame for each trap, then the
// interrupted frames (user frames through that environment's page tables, or the kernel frames a
// nested trap interrupted). Frames are unwound along the ebp chain (everything is built with
// -fno-omit-frame-pointer), with the function prologue handled from the symbol table.
import type { Machine } from '../emulator/machine.js';
import { VECTOR_MNEMONICS, VECTOR_NAMES } from '../emulator/cpu/fault.js';
import { decodePageFaultError } from '../emulator/inspect/index.js';
import type { ProgramSymbols } from './symbols/index.js';
import { readVirtual32 } from './vm.js';

export interface Frame {
  kind: 'code' | 'trap';
  /** Code frames: the instruction (for callers: the return address). */
  pc: number;
  esp: number;
  ebp: number;
  /** 0 or 3. */
  ring: number;
  cr3: number | null;
  symbols: ProgramSymbols | undefined;
  /** Function name (or symbol+offset, or the address). */
  name: string;
  /** Trap frames: what the label says; the trap frame's kernel address. */
  label?: string;
  trapFrame?: number;
  /** Whether this is a caller frame (pc is a return address: look up pc - 1). */
  caller: boolean;
}

export interface UnwindContext {
  machine: Machine;
  kernel: ProgramSymbols | undefined;
  /** Symbols of the program running in user mode in the current environment. */
  user: ProgramSymbols | undefined;
  /** The address space of the current environment. */
  cr3: number | null;
  /** The kernel's top-of-stack for traps from ring 3 (TSS esp0). */
  esp0: number;
  /** The last vector delivered, for naming a trap whose frame the entry code has not built yet. */
  lastVector?: { vector: number; errorCode: number; cr2: number };
  /** Unwind from this state instead of the CPU's (an environment that is not on the CPU). */
  from?: { pc: number; esp: number; ebp: number; ring: number };
}

const TRAPFRAME_SIZE = 68;
const MAX_FRAMES = 64;

/** The lowest user address; at and above ULIM addresses belong to the kernel. */
const ULIM = 0xef800000;

function symbolsFor(ctx: UnwindContext, pc: number, ring: number): ProgramSymbols | undefined {
  if (ring === 0 || pc >>> 0 >= ULIM) return ctx.kernel;
  return ctx.user;
}

function nameAt(sym: ProgramSymbols | undefined, pc: number): string {
  return sym?.symbolize(pc) ?? `0x${(pc >>> 0).toString(16).padStart(8, '0')}`;
}

/** A trap's one-line label: "#PF page fault from ring 3, err 0x7 [user, write, protection], cr2 0x...". */
export function trapLabel(trapno: number, err: number, fromRing: number, cr2: number | undefined): string {
  const mnem = VECTOR_MNEMONICS[trapno];
  const name = (VECTOR_NAMES[trapno] ?? (trapno === 0x30 || trapno === 0x80 ? 'system call' : trapno >= 32 ? 'interrupt' : `vector ${trapno}`)).toLowerCase();
  let s = `${mnem ? mnem + ' ' : ''}${trapno === 0x30 || trapno === 0x80 ? `system call int $0x${trapno.toString(16)}` : name} from ring ${fromRing}`;
  if (trapno === 14) s += `, err 0x${err.toString(16)} ${decodePageFaultError(err)}${cr2 !== undefined ? `, cr2 0x${(cr2 >>> 0).toString(16).padStart(8, '0')}` : ''}`;
  else if (trapno < 32 && [8, 10, 11, 12, 13, 17].includes(trapno)) s += `, err 0x${err.toString(16)}`;
  return s;
}

/** Unwinds the stack of the CPU as it is now. */
export function unwind(ctx: UnwindContext): Frame[] {
  const cpu = ctx.machine.cpu;
  const frames: Frame[] = [];
  let pc = ctx.from ? ctx.from.pc : cpu.eip >>> 0;
  let esp = ctx.from ? ctx.from.esp : cpu.regs[4] >>> 0;
  let ebp = ctx.from ? ctx.from.ebp : cpu.regs[5] >>> 0;
  let ring = ctx.from ? ctx.from.ring : cpu.cpl;
  let caller = false;
  const read = (a: number): number | undefined => readVirtual32(ctx.machine, a, ring === 3 ? ctx.cr3 : null);
  const seen = new Set<string>();
  while (frames.length < MAX_FRAMES) {
    const key = `${pc}:${esp}:${ebp}`;
    if (seen.has(key)) break;
    seen.add(key);
    const sym = symbolsFor(ctx, pc, ring);
    const fn = sym?.functionAt(caller ? pc - 1 : pc);
    frames.push({ kind: 'code', pc, esp, ebp, ring, cr3: ctx.cr3, symbols: sym, name: fn?.name ?? nameAt(sym, pc), caller });

    // A trap boundary: kernel code without debug information (the vector stubs and alltraps)
    // sits between the handler's C frames and the interrupted code.
    if (ring === 0 && (!fn || fn.source === 'symbol')) {
      const trap = findTrapFrame(ctx, esp);
      if (!trap) break;
      frames.push(trap.frame);
      ({ pc, esp, ebp, ring } = trap.resume);
      caller = false;
      continue;
    }
    // Prologue: before `push %ebp; mov %esp,%ebp` completes, ebp is still the caller's.
    const start = fn?.info?.lowPc ?? fn?.start;
    const inPrologue = !caller && start !== undefined && pc - start < 3;
    let ret: number | undefined, nextEbp: number | undefined, nextEsp: number;
    if (inPrologue && pc === start) {
      ret = read(esp);
      nextEbp = ebp;
      nextEsp = (esp + 4) >>> 0;
    } else if (inPrologue) {
      ret = read(esp + 4);
      nextEbp = ebp;
      nextEsp = (esp + 8) >>> 0;
    } else {
      if (ebp === 0) break;
      ret = read(ebp + 4);
      nextEbp = read(ebp);
      nextEsp = (ebp + 8) >>> 0;
    }
    if (ret === undefined || nextEbp === undefined || ret === 0) break;
    // Returning into alltraps (the common trap path) means the caller frame is the trap itself.
    const retSym = symbolsFor(ctx, ret, ring);
    const retFn = retSym?.functionAt(ret - 1);
    if (ring === 0 && (!retFn || retFn.source === 'symbol')) {
      // trap(tf) was called with tf as its argument: the word at the caller's esp.
      const tfAddr = read(nextEsp);
      const trap = tfAddr !== undefined ? trapFrameAt(ctx, tfAddr) : undefined;
      if (!trap) break;
      frames.push(trap.frame);
      ({ pc, esp, ebp, ring } = trap.resume);
      caller = false;
      continue;
    }
    pc = ret;
    ebp = nextEbp;
    esp = nextEsp;
    caller = true;
  }
  return frames;
}

/** Reads a struct Trapframe (JOS layout) at `tf` and makes the label frame and where to resume. */
function trapFrameAt(ctx: UnwindContext, tf: number): { frame: Frame; resume: { pc: number; esp: number; ebp: number; ring: number } } | undefined {
  const r = (off: number): number | undefined => readVirtual32(ctx.machine, tf + off);
  const trapno = r(40), err = r(44), eip = r(48), cs = r(52), ebp = r(8);
  if (trapno === undefined || err === undefined || eip === undefined || cs === undefined || ebp === undefined) return undefined;
  const fromRing = cs & 3;
  const userEsp = fromRing === 3 ? r(60) : (tf + 60) >>> 0;
  if (userEsp === undefined) return undefined;
  const cr2 = trapno === 14 ? ctx.machine.cpu.cr2 : undefined;
  const sym = symbolsFor(ctx, eip, fromRing);
  const line = sym?.lineForAddress(eip);
  const where = line ? ` at ${line.file.split('/').pop()}:${line.line}` : ` at 0x${(eip >>> 0).toString(16)}`;
  const label = trapLabel(trapno, err, fromRing, cr2) + where;
  return {
    frame: { kind: 'trap', pc: eip, esp: userEsp, ebp, ring: 0, cr3: ctx.cr3, symbols: undefined, name: label, label, trapFrame: tf, caller: false },
    resume: { pc: eip, esp: userEsp, ebp, ring: fromRing },
  };
}

/**
 * Inside the vector stubs (before trap() is called) the frame is being built: the hardware part
 * is at the top of the kernel stack (TSS esp0) for a trap from ring 3.
 */
function findTrapFrame(ctx: UnwindContext, esp: number): ReturnType<typeof trapFrameAt> {
  const top = ctx.esp0 >>> 0;
  if (!top || esp > top || top - esp > 0x2000) return undefined;
  const r = (a: number): number | undefined => readVirtual32(ctx.machine, a);
  const cs = r(top - 16);
  if (cs === undefined || (cs & 3) !== 3) return undefined;
  const eip = r(top - 20), userEsp = r(top - 8);
  if (eip === undefined || userEsp === undefined) return undefined;
  // Once pushal has run, the saved ebp is in the frame; before, the register still holds it.
  const built = esp <= top - TRAPFRAME_SIZE;
  const ebp = built ? r(top - TRAPFRAME_SIZE + 8) : ctx.machine.cpu.regs[5] >>> 0;
  const trapno = built ? r(top - TRAPFRAME_SIZE + 40) : ctx.lastVector?.vector;
  const err = built ? r(top - TRAPFRAME_SIZE + 44) : Math.max(0, ctx.lastVector?.errorCode ?? 0);
  if (ebp === undefined) return undefined;
  const sym = ctx.user;
  const line = sym?.lineForAddress(eip);
  const where = line ? ` at ${line.file.split('/').pop()}:${line.line}` : ` at 0x${(eip >>> 0).toString(16)}`;
  const label = (trapno !== undefined && err !== undefined ? trapLabel(trapno, err, 3, trapno === 14 ? ctx.machine.cpu.cr2 : undefined) : 'trap from ring 3') + where;
  return {
    frame: { kind: 'trap', pc: eip, esp: userEsp, ebp, ring: 0, cr3: ctx.cr3, symbols: undefined, name: label, label, trapFrame: built ? top - TRAPFRAME_SIZE : undefined, caller: false },
    resume: { pc: eip, esp: userEsp, ebp, ring: 3 },
  };
}
