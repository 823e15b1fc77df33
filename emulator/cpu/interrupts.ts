// Interrupt and exception delivery through the IDT, and iret (SDM vol. 3, chapter 6; INT n / IRET
// pseudocode in vol. 2).
import type { Cpu } from './cpu.js';
import { CpuFault, DF_, GP, NP, VECTOR_MNEMONICS } from './fault.js';
import { AC, IF, NT, RF, TF, VM } from './eflags.js';
import { CS, ESP, SS } from './regs.js';
import { taskSwitchThroughGate } from './task.js';
import {
  checkCodeSegment, checkStackForLevel, dplOf, isCode, isConforming, isPresent, loadCodeSegment,
  nullInaccessibleSegments, readDescriptor, setSegmentCache, tssStack, loadDataSegment,
} from './segments.js';

/** Where a vector comes from: it decides DPL checks, EXT in error codes and the pushed EIP. */
export const enum Source {
  /** A fault or trap raised by an instruction (EIP as the exception class says). */
  Exception = 0,
  /** int n, int3, into: the gate's DPL is checked against CPL. */
  Software = 1,
  /** A hardware interrupt from the interrupt controller. */
  External = 2,
}

/** What a debugger hook sees before a vector is delivered. */
export interface VectorEvent {
  vector: number;
  errorCode: number;
  source: Source;
  cr2: number;
  cplBefore: number;
  cplAfter: number;
  /** EIP that the frame will hold (the faulting instruction for faults, the next one for traps). */
  eip: number;
  /** Instructions retired before this vector. */
  icount: number;
  cs: number;
}

/** Raised when an exception occurs while a double fault is being delivered: the machine stops. */
export class TripleFault {
  constructor(readonly detail: string) {}
}

const CONTRIBUTORY = new Set([0, 10, 11, 12, 13]);

/**
 * Delivers an exception with the double-fault rules: a contributory exception or a page fault
 * raised while delivering a contributory exception or a page fault becomes #DF; a fault while
 * delivering #DF is a triple fault. Benign ones are delivered one after the other.
 */
export function deliverException(cpu: Cpu, vector: number, errorCode: number, source: Source): void {
  try {
    deliver(cpu, vector, errorCode, source);
  } catch (e) {
    if (!(e instanceof CpuFault)) throw e;
    const name = (v: number): string => VECTOR_MNEMONICS[v] ?? `vector ${v}`;
    if (vector === DF_) throw new TripleFault(`${name(e.vector)} while delivering #DF${e.detail ? ': ' + e.detail : ''}`);
    const firstPf = vector === 14, firstC = CONTRIBUTORY.has(vector);
    const secondPf = e.vector === 14, secondC = CONTRIBUTORY.has(e.vector);
    if ((firstC && secondC) || (firstPf && (secondPf || secondC))) {
      deliverException(cpu, DF_, 0, Source.Exception);
    } else {
      deliverException(cpu, e.vector, e.errorCode, Source.Exception);
    }
  }
}

/** Reads the IDT gate for `vector` and returns what delivery needs, applying the gate checks. */
function readGate(cpu: Cpu, vector: number, source: Source) {
  const ext = source === Source.External ? 1 : 0;
  const idtErr = vector * 8 + 2 + ext;
  if (vector * 8 + 7 > cpu.idtLimit) throw new CpuFault(GP, idtErr, `vector ${vector} is beyond the IDT limit`);
  const lo = cpu.readSupervisor32(cpu.idtBase + vector * 8);
  const hi = cpu.readSupervisor32(cpu.idtBase + vector * 8 + 4);
  const type = (hi >>> 8) & 0x1f;
  const dpl = (hi >>> 13) & 3;
  if (type !== 0x0e && type !== 0x0f && type !== 0x06 && type !== 0x07 && type !== 0x05) {
    throw new CpuFault(GP, idtErr, `vector ${vector}: IDT entry type 0x${type.toString(16)} is not a gate`);
  }
  if (source === Source.Software && dpl < cpu.cpl) {
    throw new CpuFault(GP, idtErr, `int ${vector} from ring ${cpu.cpl} through a DPL ${dpl} gate`);
  }
  if (!(hi & 0x8000)) throw new CpuFault(NP, idtErr, `IDT entry ${vector} not present`);
  const sel = lo >>> 16;
  if (type === 0x05) return { taskGate: true as const, sel };
  const offset = ((lo & 0xffff) | (hi & 0xffff0000)) >>> 0;
  if ((sel & 0xfffc) === 0) throw new CpuFault(GP, ext, `IDT entry ${vector} has a null code selector`);
  const code = readDescriptor(cpu, sel);
  if (!isCode(code) || dplOf(code) > cpu.cpl) throw new CpuFault(GP, (sel & 0xfffc) + ext, `IDT entry ${vector}: selector 0x${sel.toString(16)} is not a code segment at DPL <= CPL`);
  if (!isPresent(code)) throw new CpuFault(NP, (sel & 0xfffc) + ext, `IDT entry ${vector}: code segment not present`);
  const newCpl = isConforming(code) ? cpu.cpl : dplOf(code);
  return { taskGate: false as const, sel, offset, code, newCpl, trapGate: (type & 1) === 1, gate32: (type & 8) === 8 };
}

/** Delivers one vector; exceptions raised on the way propagate (deliverException handles them). */
export function deliver(cpu: Cpu, vector: number, errorCode: number, source: Source): void {
  let g: ReturnType<typeof readGate>;
  try {
    g = readGate(cpu, vector, source);
  } catch (e) {
    // The debugger still sees an exception whose gate is broken (the fault that follows is shown
    // to it next). A software int whose gate check fails is not delivered at all: the #GP is the
    // int instruction's own fault, and that is what the hook sees.
    if (source !== Source.Software) askHook(cpu, vector, errorCode, source, cpu.cpl);
    throw e;
  }
  if (g.taskGate) {
    if (!askHook(cpu, vector, errorCode, source, 0)) return;
    const from = cpu.cpl;
    taskSwitchThroughGate(cpu, g.sel, errorCode);
    cpu.halted = false;
    if (cpu.cpl !== from) cpu.ringChanged(from, cpu.cpl, 'interrupt');
    return;
  }
  const gate = g;
  if (!askHook(cpu, vector, errorCode, source, gate.newCpl)) return;
  const flags = cpu.getEflags();
  const oldCs = cpu.segSel[CS], oldEip = cpu.eip, oldCpl = cpu.cpl;
  const size = gate.gate32 ? 4 : 2;
  if (gate.newCpl < oldCpl) {
    // Inter-privilege: switch to the inner stack from the TSS, then push the outer SS:ESP there.
    const { ss, esp } = tssStack(cpu, gate.newCpl);
    const ssDesc = checkStackForLevel(cpu, ss, gate.newCpl);
    const oldSs = cpu.segSel[SS], oldEsp = cpu.regs[ESP];
    const base = ssDesc.base;
    const frame = size === 4
      ? [oldSs, oldEsp, flags, oldCs, oldEip, ...(errorCode >= 0 ? [errorCode] : [])]
      : [oldSs, oldEsp & 0xffff, flags & 0xffff, oldCs, oldEip & 0xffff, ...(errorCode >= 0 ? [errorCode & 0xffff] : [])];
    // Write the frame as a supervisor before changing any register, so a fault leaves state intact.
    let sp = esp;
    for (const v of frame) {
      sp = (sp - size) | 0;
      if (size === 4) cpu.writeSupervisor32(base + sp, v);
      else cpu.writeSupervisor16(base + sp, v);
    }
    setSegmentCache(cpu, SS, (ss & ~3) | gate.newCpl, ssDesc);
    cpu.regs[ESP] = sp;
  } else {
    let sp = cpu.regs[ESP];
    const base = cpu.segBase[SS];
    const frame = [flags, oldCs, oldEip, ...(errorCode >= 0 ? [errorCode] : [])];
    for (const v of frame) {
      sp = (sp - size) | 0;
      if (size === 4) cpu.writeSupervisor32(base + sp, v);
      else cpu.writeSupervisor16(base + sp, v);
    }
    cpu.regs[ESP] = sp;
  }
  loadCodeSegment(cpu, gate.sel, gate.code, gate.newCpl);
  cpu.eip = gate.offset | 0;
  cpu.materializeFlags();
  cpu.flags &= ~(TF | NT | RF | VM | (gate.trapGate ? 0 : IF));
  cpu.halted = false;
  if (gate.newCpl !== oldCpl) cpu.ringChanged(oldCpl, gate.newCpl, 'interrupt');
}

/**
 * Shows the vector to the debugger's hook before delivery. A stop leaves the vector pending (it is
 * delivered when execution resumes) and unwinds with VectorStop. Returns true to go on delivering.
 */
function askHook(cpu: Cpu, vector: number, errorCode: number, source: Source, cplAfter: number): boolean {
  const hook = cpu.vectorHook;
  if (hook && !cpu.vectorHookBypass) {
    const event: VectorEvent = {
      vector, errorCode, source, cr2: cpu.cr2 >>> 0, cplBefore: cpu.cpl, cplAfter,
      eip: cpu.eip >>> 0, cs: cpu.segSel[CS], icount: cpu.retired,
    };
    if (hook(event)) {
      cpu.lastVectorEvent = event;
      cpu.pendingVector = { vector, errorCode, source };
      throw new VectorStop();
    }
  }
  cpu.vectorHookBypass = false;
  return true;
}

/** Thrown when the vector hook asks to stop before delivery; the run loop returns to its caller. */
export class VectorStop {}

/** iret: return from an interrupt, within a ring or to an outer ring (stack switch back). */
export function iret(cpu: Cpu, size: number): void {
  if (cpu.flags & NT) throw new CpuFault(GP, 0, 'iret with NT set (task return) is not supported');
  const eip = cpu.peekStack(size, 0);
  const cs = cpu.peekStack(size, size) & 0xffff;
  const flags = cpu.peekStack(size, 2 * size);
  if (!(cpu.cr0 & 1)) throw new CpuFault(GP, 0, 'iret in real mode is not supported');
  const rpl = cs & 3;
  const oldCpl = cpu.cpl;
  if (flags & VM && oldCpl === 0 && size === 4) throw new CpuFault(GP, 0, 'iret to virtual-8086 mode is not supported');
  const code = checkCodeSegment(cpu, cs, rpl, true);
  if (rpl > oldCpl) {
    const esp = cpu.peekStack(size, 3 * size);
    const ss = cpu.peekStack(size, 4 * size) & 0xffff;
    // The flags are written with the old CPL's rights, then CS and SS change.
    cpu.writeFlagsFromIret(flags, size);
    loadCodeSegment(cpu, cs, code, rpl);
    loadDataSegment(cpu, SS, ss);
    cpu.regs[ESP] = size === 4 ? esp : (cpu.regs[ESP] & ~0xffff) | (esp & 0xffff);
    nullInaccessibleSegments(cpu);
  } else {
    cpu.writeFlagsFromIret(flags, size);
    loadCodeSegment(cpu, cs, code, rpl);
    cpu.regs[ESP] = (cpu.regs[ESP] + 3 * size) | 0;
  }
  cpu.eip = size === 4 ? eip : eip & 0xffff;
  if (rpl !== oldCpl) cpu.ringChanged(oldCpl, rpl, 'iret');
  void AC;
}
