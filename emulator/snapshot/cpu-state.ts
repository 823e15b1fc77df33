/**
 * The processor's architectural and run state as a plain copy, for machine snapshots. The TLB
 * (Mmu.snapshot) and RAM (cow-pages.ts) are saved separately; decoded blocks are a cache and are
 * not saved at all (a restore drops the blocks of the pages it rewrites, as a guest write would).
 */
import type { Cpu, RingTransition } from '../cpu/cpu.js';
import type { Source, VectorEvent } from '../cpu/interrupts.js';

export interface CpuState {
  regs: Int32Array;
  segSel: Uint16Array;
  segBase: Int32Array;
  segLimit: Uint32Array;
  segAttr: Uint16Array;
  gdtBase: number;
  gdtLimit: number;
  idtBase: number;
  idtLimit: number;
  ldtSel: number;
  ldtBase: number;
  ldtLimit: number;
  trSel: number;
  trBase: number;
  trLimit: number;
  sysenterCs: number;
  sysenterEsp: number;
  sysenterEip: number;
  intrPending: boolean;
  interruptShadowUntil: number;
  ringStop: { from: number; to: number; how: RingTransition } | null;
  pendingVector: { vector: number; errorCode: number; source: Source } | null;
  lastVectorEvent: VectorEvent | null;
  vectorHookBypass: boolean;
  flags: number;
  lazy: number;
  lzKind: number;
  /** EIP, the lazy-flag operands and the block start (Cpu.hot). */
  hot: Int32Array;
  cr0: number;
  cr2: number;
  cr3: number;
  cr4: number;
  dr: Int32Array;
  cpl: number;
  icount: number;
  halted: boolean;
  stopRequested: boolean;
  breakpointHit: boolean;
  k: number;
  executing: boolean;
}

/**
 * Own fields of a Cpu that are not machine state: views of other fields, the attached parts
 * (saved on their own or caches), debugger configuration and hooks. With the keys of CpuState
 * (cplValue is saved as `cpl`) they must name every own field of a Cpu: a test checks that, so
 * a field added later cannot be silently left out of snapshots.
 */
export const CPU_FIELDS_NOT_SAVED = [
  'r16', 'r8', // views of regs
  'mem', 'io', 'mmio', 'blocks', 'mmu', 'watch', // RAM and TLB are saved apart, the rest is wiring or cache
  'vectorHook', 'ringHook', 'breakpoints', 'breakpointPages', 'compileThreshold', // debugger settings
] as const;

export function saveCpu(cpu: Cpu): CpuState {
  return {
    regs: cpu.regs.slice(),
    segSel: cpu.segSel.slice(),
    segBase: cpu.segBase.slice(),
    segLimit: cpu.segLimit.slice(),
    segAttr: cpu.segAttr.slice(),
    gdtBase: cpu.gdtBase,
    gdtLimit: cpu.gdtLimit,
    idtBase: cpu.idtBase,
    idtLimit: cpu.idtLimit,
    ldtSel: cpu.ldtSel,
    ldtBase: cpu.ldtBase,
    ldtLimit: cpu.ldtLimit,
    trSel: cpu.trSel,
    trBase: cpu.trBase,
    trLimit: cpu.trLimit,
    sysenterCs: cpu.sysenterCs,
    sysenterEsp: cpu.sysenterEsp,
    sysenterEip: cpu.sysenterEip,
    intrPending: cpu.intrPending,
    interruptShadowUntil: cpu.interruptShadowUntil,
    ringStop: cpu.ringStop && { ...cpu.ringStop },
    pendingVector: cpu.pendingVector && { ...cpu.pendingVector },
    lastVectorEvent: cpu.lastVectorEvent && { ...cpu.lastVectorEvent },
    vectorHookBypass: cpu.vectorHookBypass,
    flags: cpu.flags,
    lazy: cpu.lazy,
    lzKind: cpu.lzKind,
    hot: cpu.hot.slice(),
    cr0: cpu.cr0,
    cr2: cpu.cr2,
    cr3: cpu.cr3,
    cr4: cpu.cr4,
    dr: cpu.dr.slice(),
    cpl: cpu.cpl,
    icount: cpu.icount,
    halted: cpu.halted,
    stopRequested: cpu.stopRequested,
    breakpointHit: cpu.breakpointHit,
    k: cpu.k,
    executing: cpu.executing,
  };
}

/** Puts a saved state back (the snapshot's copy stays untouched, so it can be restored again). */
export function loadCpu(cpu: Cpu, s: CpuState): void {
  cpu.regs.set(s.regs);
  cpu.segSel.set(s.segSel);
  cpu.segBase.set(s.segBase);
  cpu.segLimit.set(s.segLimit);
  cpu.segAttr.set(s.segAttr);
  cpu.gdtBase = s.gdtBase;
  cpu.gdtLimit = s.gdtLimit;
  cpu.idtBase = s.idtBase;
  cpu.idtLimit = s.idtLimit;
  cpu.ldtSel = s.ldtSel;
  cpu.ldtBase = s.ldtBase;
  cpu.ldtLimit = s.ldtLimit;
  cpu.trSel = s.trSel;
  cpu.trBase = s.trBase;
  cpu.trLimit = s.trLimit;
  cpu.sysenterCs = s.sysenterCs;
  cpu.sysenterEsp = s.sysenterEsp;
  cpu.sysenterEip = s.sysenterEip;
  cpu.intrPending = s.intrPending;
  cpu.interruptShadowUntil = s.interruptShadowUntil;
  cpu.ringStop = s.ringStop && { ...s.ringStop };
  cpu.pendingVector = s.pendingVector && { ...s.pendingVector };
  cpu.lastVectorEvent = s.lastVectorEvent && { ...s.lastVectorEvent };
  cpu.vectorHookBypass = s.vectorHookBypass;
  cpu.flags = s.flags;
  cpu.lazy = s.lazy;
  cpu.lzKind = s.lzKind;
  cpu.hot.set(s.hot);
  cpu.cr0 = s.cr0;
  cpu.cr2 = s.cr2;
  cpu.cr3 = s.cr3;
  cpu.cr4 = s.cr4;
  cpu.dr.set(s.dr);
  // Through the setter: the MMU's access masks follow the CPL.
  cpu.cpl = s.cpl;
  cpu.icount = s.icount;
  cpu.halted = s.halted;
  cpu.stopRequested = s.stopRequested;
  cpu.breakpointHit = s.breakpointHit;
  cpu.k = s.k;
  cpu.executing = s.executing;
}
