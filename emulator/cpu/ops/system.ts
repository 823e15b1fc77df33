// System instructions: descriptor-table registers, control/debug registers, invlpg, cli/sti/hlt,
// int/int3/into/iret, MSRs, sysenter/sysexit, lar/lsl/verr/verw, hint nops.
import type { Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { CpuFault, GP, OF_, BP, UD } from '../fault.js';
import { IF, OF, RF, VM, ZF } from '../eflags.js';
import { CS, ECX, EDX, EAX, ESP, SS } from '../regs.js';
import { deliver, iret as doIret, Source } from '../interrupts.js';
import { CR0_PG, CR0_WP, CR0_PE, CR4_PSE } from '../mmu.js';
import { MSR_APIC_BASE, readApicBase, writeApicBase } from '../apic-msr.js';
import { dplOf, isCode, isCodeOrData, isConforming, isPresent, isReadable, parseDescriptor, readDescriptor, setSegmentCache } from '../segments.js';

/** Ring 3 (CPL > 0) executing a CPL-0-only instruction gets #GP(0). */
function requireCpl0(cpu: Cpu, what: string): void {
  if (cpu.cpl !== 0) throw new CpuFault(GP, 0, `${what} at CPL ${cpu.cpl} (privileged: CPL 0 only)`);
}
/** cli/sti and (without a TSS bitmap) in/out need CPL <= IOPL. */
export function requireIopl(cpu: Cpu, what: string): void {
  const iopl = (cpu.flags >> 12) & 3;
  if (cpu.cpl > iopl) throw new CpuFault(GP, 0, `${what} at CPL ${cpu.cpl} with IOPL ${iopl}`);
}

// ---- interrupts

// A fault while delivering a software interrupt (a DPL check, a not-present gate, a page fault on
// the kernel stack) is a fault of the int instruction itself: it propagates from here, EIP goes back
// to the int, and the run loop delivers it. Only exceptions have double-fault rules.
const intN: Handler = (cpu, i) => deliver(cpu, i.imm & 0xff, -1, Source.Software);
const int3: Handler = (cpu) => deliver(cpu, BP, -1, Source.Software);
const into: Handler = (cpu) => {
  if (cpu.getOF()) deliver(cpu, OF_, -1, Source.Software);
};
const iret: Handler = (cpu, i) => doIret(cpu, i.size);
const hlt: Handler = (cpu) => {
  requireCpl0(cpu, 'hlt');
  cpu.halted = true;
  cpu.stopRequested = true;
};
const cli: Handler = (cpu) => {
  requireIopl(cpu, 'cli');
  cpu.flags &= ~IF;
};
const sti: Handler = (cpu) => {
  requireIopl(cpu, 'sti');
  if (!(cpu.flags & IF)) cpu.holdInterrupts(); // taken after the next instruction, not this one
  cpu.flags |= IF;
};

// ---- descriptor-table registers

/** lgdt/lidt read a 6-byte pseudo-descriptor: 16-bit limit, 32-bit base (24 bits with a 16-bit operand). */
function readPseudoDescriptor(cpu: Cpu, i: Insn): { limit: number; base: number } {
  const a = cpu.ea(i);
  const limit = cpu.read16(a);
  let base = cpu.read32(a + 2);
  if (i.opsize16) base &= 0xffffff;
  return { limit, base };
}
const lgdt: Handler = (cpu, i) => {
  requireCpl0(cpu, 'lgdt');
  const { limit, base } = readPseudoDescriptor(cpu, i);
  cpu.gdtBase = base;
  cpu.gdtLimit = limit;
};
const lidt: Handler = (cpu, i) => {
  requireCpl0(cpu, 'lidt');
  const { limit, base } = readPseudoDescriptor(cpu, i);
  cpu.idtBase = base;
  cpu.idtLimit = limit;
};
const sgdt: Handler = (cpu, i) => {
  const a = cpu.ea(i);
  cpu.write16(a, cpu.gdtLimit);
  cpu.write32(a + 2, cpu.gdtBase);
};
const sidt: Handler = (cpu, i) => {
  const a = cpu.ea(i);
  cpu.write16(a, cpu.idtLimit);
  cpu.write32(a + 2, cpu.idtBase);
};
const lldt: Handler = (cpu, i) => {
  requireCpl0(cpu, 'lldt');
  const sel = cpu.readE(i, 2);
  if ((sel & 0xfffc) === 0) {
    cpu.ldtSel = 0;
    cpu.ldtBase = cpu.ldtLimit = 0;
    return;
  }
  if (sel & 4) throw new CpuFault(GP, sel & 0xfffc, 'lldt selector points into the LDT');
  const d = readDescriptor(cpu, sel);
  if ((d.access & 0x1f) !== 0x02) throw new CpuFault(GP, sel & 0xfffc, `lldt selector 0x${sel.toString(16)} is not an LDT descriptor`);
  if (!isPresent(d)) throw new CpuFault(11, sel & 0xfffc, 'LDT not present');
  cpu.ldtSel = sel;
  cpu.ldtBase = d.base;
  cpu.ldtLimit = d.limit;
};
const ltr: Handler = (cpu, i) => {
  requireCpl0(cpu, 'ltr');
  const sel = cpu.readE(i, 2);
  if ((sel & 0xfffc) === 0 || sel & 4) throw new CpuFault(GP, sel & 0xfffc, 'ltr needs a GDT selector');
  const d = readDescriptor(cpu, sel);
  const type = d.access & 0x1f;
  if (type !== 0x09 && type !== 0x01) throw new CpuFault(GP, sel & 0xfffc, `ltr selector 0x${sel.toString(16)} is not an available TSS`);
  if (!isPresent(d)) throw new CpuFault(11, sel & 0xfffc, 'TSS not present');
  // Mark the TSS busy in the GDT, as the processor does.
  cpu.writeSupervisor32(cpu.gdtBase + (sel & ~7) + 4, d.hi | 0x200);
  cpu.trSel = sel;
  cpu.trBase = d.base;
  cpu.trLimit = d.limit;
};
const sldt: Handler = (cpu, i) => cpu.writeE(i, i.isMem ? 2 : i.size, cpu.ldtSel);
const str: Handler = (cpu, i) => cpu.writeE(i, i.isMem ? 2 : i.size, cpu.trSel);
const smsw: Handler = (cpu, i) => cpu.writeE(i, i.isMem ? 2 : i.size, cpu.cr0 & (i.isMem ? 0xffff : -1));
const lmsw: Handler = (cpu, i) => {
  requireCpl0(cpu, 'lmsw');
  // lmsw changes only PE, MP, EM, TS and cannot clear PE.
  const v = cpu.readE(i, 2);
  writeCr0(cpu, (cpu.cr0 & ~0xe) | (v & 0xf) | (cpu.cr0 & CR0_PE));
};

/** lar/lsl/verr/verw: ZF says whether the selector is visible at this CPL/RPL (no fault). */
function visibleDescriptor(cpu: Cpu, sel: number, forLar: boolean): ReturnType<typeof parseDescriptor> | null {
  if ((sel & 0xfffc) === 0) return null;
  const table = sel & 4 ? cpu.ldtLimit : cpu.gdtLimit;
  if ((sel & ~7) + 7 > table) return null;
  const d = readDescriptor(cpu, sel);
  if (!isCodeOrData(d)) {
    const type = d.access & 0x1f;
    const ok = forLar ? [1, 2, 3, 4, 5, 9, 11, 12].includes(type) : [1, 2, 3, 9, 11].includes(type);
    if (!ok) return null;
  }
  if (!isConforming(d) && (dplOf(d) < cpu.cpl || dplOf(d) < (sel & 3))) return null;
  return d;
}
const lar: Handler = (cpu, i) => {
  const d = visibleDescriptor(cpu, cpu.readE(i, 2), true);
  cpu.setFlagBits(ZF, d ? ZF : 0);
  if (d) cpu.setReg(i.size, i.reg, d.hi & 0x00f0ff00);
};
const lsl: Handler = (cpu, i) => {
  const d = visibleDescriptor(cpu, cpu.readE(i, 2), false);
  cpu.setFlagBits(ZF, d ? ZF : 0);
  if (d) cpu.setReg(i.size, i.reg, d.limit);
};
const verr: Handler = (cpu, i) => {
  const d = visibleDescriptor(cpu, cpu.readE(i, 2), false);
  cpu.setFlagBits(ZF, d && isCodeOrData(d) && isReadable(d) ? ZF : 0);
};
const verw: Handler = (cpu, i) => {
  const d = visibleDescriptor(cpu, cpu.readE(i, 2), false);
  cpu.setFlagBits(ZF, d && isCodeOrData(d) && !isCode(d) && (d.access & 2) ? ZF : 0);
};

// ---- control and debug registers

export function writeCr0(cpu: Cpu, v: number): void {
  const changed = (cpu.cr0 ^ v) & (CR0_PG | CR0_WP | CR0_PE);
  if ((v & CR0_PG) && !(v & CR0_PE)) throw new CpuFault(GP, 0, 'CR0.PG set without CR0.PE');
  cpu.cr0 = v | 0x10; // ET is hard-wired to 1
  if (changed) cpu.mmu.flush();
}
const movFromCr: Handler = (cpu, i) => {
  requireCpl0(cpu, 'mov from CR' + i.reg);
  const v = [cpu.cr0, 0, cpu.cr2, cpu.cr3, cpu.cr4][i.reg];
  if (i.reg === 1 || i.reg > 4) throw new CpuFault(UD, -1, `CR${i.reg} does not exist`);
  cpu.regs[i.rm] = v;
};
const movToCr: Handler = (cpu, i) => {
  requireCpl0(cpu, 'mov to CR' + i.reg);
  const v = cpu.regs[i.rm];
  switch (i.reg) {
    case 0: writeCr0(cpu, v); break;
    case 2: cpu.cr2 = v; break;
    case 3: cpu.cr3 = v; cpu.mmu.flush(); break;
    case 4:
      if (v & ~0x3ff) throw new CpuFault(GP, 0, `CR4 value 0x${(v >>> 0).toString(16)} sets reserved or unsupported bits`);
      if ((v ^ cpu.cr4) & CR4_PSE) cpu.mmu.flush();
      cpu.cr4 = v;
      break;
    default: throw new CpuFault(UD, -1, `CR${i.reg} does not exist`);
  }
};
const movFromDr: Handler = (cpu, i) => {
  requireCpl0(cpu, 'mov from DR' + i.reg);
  cpu.regs[i.rm] = cpu.dr[i.reg === 4 ? 6 : i.reg === 5 ? 7 : i.reg];
};
const movToDr: Handler = (cpu, i) => {
  requireCpl0(cpu, 'mov to DR' + i.reg);
  cpu.dr[i.reg === 4 ? 6 : i.reg === 5 ? 7 : i.reg] = cpu.regs[i.rm];
};
const invlpg: Handler = (cpu, i) => {
  requireCpl0(cpu, 'invlpg');
  cpu.mmu.invalidate(cpu.ea(i));
};
const clts: Handler = (cpu) => {
  requireCpl0(cpu, 'clts');
  cpu.cr0 &= ~8;
};
const cacheOp = (name: string): Handler => (cpu) => requireCpl0(cpu, name);

// ---- MSRs and fast system calls

const MSR_TSC = 0x10, MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175, MSR_SYSENTER_EIP = 0x176;
const rdmsr: Handler = (cpu) => {
  requireCpl0(cpu, 'rdmsr');
  const r = cpu.regs;
  const msr = r[ECX] >>> 0;
  let lo: number, hi = 0;
  switch (msr) {
    case MSR_TSC: lo = cpu.icount % 0x100000000; hi = Math.floor(cpu.icount / 0x100000000); break;
    case MSR_SYSENTER_CS: lo = cpu.sysenterCs; break;
    case MSR_SYSENTER_ESP: lo = cpu.sysenterEsp; break;
    case MSR_SYSENTER_EIP: lo = cpu.sysenterEip; break;
    case MSR_APIC_BASE: lo = readApicBase(cpu); break;
    default: throw new CpuFault(GP, 0, `rdmsr of unknown MSR 0x${msr.toString(16)}`);
  }
  r[EAX] = lo;
  r[EDX] = hi;
};
const wrmsr: Handler = (cpu) => {
  requireCpl0(cpu, 'wrmsr');
  const r = cpu.regs;
  const msr = r[ECX] >>> 0;
  switch (msr) {
    case MSR_SYSENTER_CS: cpu.sysenterCs = r[EAX] & 0xffff; break;
    case MSR_SYSENTER_ESP: cpu.sysenterEsp = r[EAX]; break;
    case MSR_SYSENTER_EIP: cpu.sysenterEip = r[EAX]; break;
    case MSR_TSC: break; // the clock is the instruction count; writes are ignored
    case MSR_APIC_BASE: writeApicBase(cpu, r[EAX], r[EDX]); break;
    default: throw new CpuFault(GP, 0, `wrmsr of unknown MSR 0x${msr.toString(16)}`);
  }
};

/** Flat segments sysenter/sysexit load: base 0, limit 4 GiB, at the given DPL (SDM: fixed values). */
function flatSegment(cpu: Cpu, seg: number, sel: number, code: boolean, dpl: number): void {
  const access = 0x80 | (dpl << 5) | 0x10 | (code ? 0x0b : 0x03);
  setSegmentCache(cpu, seg, sel, { base: 0, limit: 0xffffffff, access, flags: 0xc, lo: 0, hi: 0 });
}
const sysenter: Handler = (cpu) => {
  if (!(cpu.cr0 & CR0_PE)) throw new CpuFault(GP, 0, 'sysenter in real mode');
  if ((cpu.sysenterCs & 0xfffc) === 0) throw new CpuFault(GP, 0, 'sysenter with IA32_SYSENTER_CS = 0');
  const from = cpu.cpl;
  cpu.materializeFlags();
  cpu.flags &= ~(VM | IF | RF);
  flatSegment(cpu, CS, cpu.sysenterCs & 0xfffc, true, 0);
  flatSegment(cpu, SS, (cpu.sysenterCs + 8) & 0xfffc, false, 0);
  cpu.cpl = 0;
  cpu.regs[ESP] = cpu.sysenterEsp;
  cpu.eip = cpu.sysenterEip;
  if (from !== 0) cpu.ringChanged(from, 0, 'sysenter');
};
const sysexit: Handler = (cpu) => {
  if (!(cpu.cr0 & CR0_PE) || cpu.cpl !== 0 || (cpu.sysenterCs & 0xfffc) === 0) {
    throw new CpuFault(GP, 0, 'sysexit needs CPL 0 in protected mode and IA32_SYSENTER_CS set');
  }
  flatSegment(cpu, CS, ((cpu.sysenterCs + 16) & 0xfffc) | 3, true, 3);
  flatSegment(cpu, SS, ((cpu.sysenterCs + 24) & 0xfffc) | 3, false, 3);
  cpu.cpl = 3;
  cpu.regs[ESP] = cpu.regs[ECX];
  cpu.eip = cpu.regs[EDX];
  cpu.ringChanged(0, 3, 'sysexit');
};

const nop: Handler = () => {};
const PRIV = 'CPL 0 only: ring 3 gets #GP(0)';
const sys = (d: Omit<OpDef, 'privileged' | 'ring3'>, privileged = true): OpDef => ({ ...d, ...(privileged ? { privileged: true, ring3: PRIV } : {}) });

export const SYSTEM_OPS: OpDef[] = [
  { opcode: 0xcd, mnemonic: 'int', operands: ['Ib'], exec: intN, branch: true, ring3: 'allowed through gates with DPL 3; a DPL 0 gate gives #GP(vector*8+2)', summary: 'INT n: call the interrupt handler of vector n through the IDT (a trap: EIP after the instruction is saved)' },
  { opcode: 0xcc, mnemonic: 'int3', operands: [], exec: int3, branch: true, summary: 'INT3: breakpoint trap, vector 3 (#BP)' },
  { opcode: 0xce, mnemonic: 'into', operands: [], exec: into, branch: true, summary: 'INTO: raise #OF (vector 4) if OF is set' },
  { opcode: 0xcf, mnemonic: 'iret', operands: [], size: 'v', exec: iret, branch: true, flags: { set: 'OSZAPC', undefined: '' }, summary: 'IRET: return from an interrupt: pop EIP, CS, EFLAGS (and ESP, SS when returning to an outer ring)' },
  sys({ opcode: 0xf4, mnemonic: 'hlt', operands: [], exec: hlt, branch: true, summary: 'HLT: stop until the next interrupt' }),
  { opcode: 0xfa, mnemonic: 'cli', operands: [], exec: cli, branch: true, privileged: true, ring3: 'needs CPL <= IOPL, else #GP(0)', summary: 'CLI: clear IF (mask maskable interrupts)' },
  { opcode: 0xfb, mnemonic: 'sti', operands: [], exec: sti, branch: true, privileged: true, ring3: 'needs CPL <= IOPL, else #GP(0)', summary: 'STI: set IF (interrupts are recognised after the next instruction)' },
  { opcode: 0x0f00, ext: 0, mnemonic: 'sldt', operands: ['Ew'], exec: sldt, summary: 'SLDT: store the LDT selector' },
  { opcode: 0x0f00, ext: 1, mnemonic: 'str', operands: ['Ew'], exec: str, summary: 'STR: store the task register selector' },
  sys({ opcode: 0x0f00, ext: 2, mnemonic: 'lldt', operands: ['Ew'], exec: lldt, summary: 'LLDT: load the LDT register from a GDT selector' }),
  sys({ opcode: 0x0f00, ext: 3, mnemonic: 'ltr', operands: ['Ew'], exec: ltr, summary: 'LTR: load the task register (marks the TSS busy)' }),
  { opcode: 0x0f00, ext: 4, mnemonic: 'verr', operands: ['Ew'], exec: verr, flags: { set: 'Z', undefined: '' }, summary: 'VERR: ZF=1 if the segment is readable at this CPL' },
  { opcode: 0x0f00, ext: 5, mnemonic: 'verw', operands: ['Ew'], exec: verw, flags: { set: 'Z', undefined: '' }, summary: 'VERW: ZF=1 if the segment is writable at this CPL' },
  { opcode: 0x0f01, ext: 0, modIs: 'mem', mnemonic: 'sgdt', operands: ['Ms'], exec: sgdt, summary: 'SGDT: store the GDT register (not privileged on IA-32)' },
  { opcode: 0x0f01, ext: 1, modIs: 'mem', mnemonic: 'sidt', operands: ['Ms'], exec: sidt, summary: 'SIDT: store the IDT register (not privileged on IA-32)' },
  sys({ opcode: 0x0f01, ext: 2, modIs: 'mem', mnemonic: 'lgdt', operands: ['Ms'], exec: lgdt, summary: 'LGDT: load the GDT register (base and limit)' }),
  sys({ opcode: 0x0f01, ext: 3, modIs: 'mem', mnemonic: 'lidt', operands: ['Ms'], exec: lidt, summary: 'LIDT: load the IDT register (base and limit)' }),
  { opcode: 0x0f01, ext: 4, mnemonic: 'smsw', operands: ['Ew'], exec: smsw, summary: 'SMSW: store the machine status word (low bits of CR0)' },
  sys({ opcode: 0x0f01, ext: 6, mnemonic: 'lmsw', operands: ['Ew'], exec: lmsw, branch: true, summary: 'LMSW: load the low four bits of CR0' }),
  sys({ opcode: 0x0f01, ext: 7, modIs: 'mem', mnemonic: 'invlpg', operands: ['M'], exec: invlpg, branch: true, summary: 'INVLPG: drop the TLB entry of one page' }),
  { opcode: 0x0f02, mnemonic: 'lar', operands: ['Gv', 'Ew'], exec: lar, flags: { set: 'Z', undefined: '' }, summary: 'LAR: load access rights of a selector (ZF=1 if visible)' },
  { opcode: 0x0f03, mnemonic: 'lsl', operands: ['Gv', 'Ew'], exec: lsl, flags: { set: 'Z', undefined: '' }, summary: 'LSL: load the segment limit of a selector (ZF=1 if visible)' },
  sys({ opcode: 0x0f06, mnemonic: 'clts', operands: [], exec: clts, summary: 'CLTS: clear CR0.TS' }),
  sys({ opcode: 0x0f08, mnemonic: 'invd', operands: [], exec: cacheOp('invd'), summary: 'INVD: invalidate caches (no effect here)' }),
  sys({ opcode: 0x0f09, mnemonic: 'wbinvd', operands: [], exec: cacheOp('wbinvd'), summary: 'WBINVD: write back and invalidate caches (no effect here)' }),
  sys({ opcode: 0x0f20, mnemonic: 'mov', operands: ['Rd', 'Cd'], exec: movFromCr, summary: 'MOV from CRn: read a control register' }),
  sys({ opcode: 0x0f22, mnemonic: 'mov', operands: ['Cd', 'Rd'], exec: movToCr, branch: true, summary: 'MOV to CRn: write a control register (CR3 flushes the TLB)' }),
  sys({ opcode: 0x0f21, mnemonic: 'mov', operands: ['Rd', 'Dd'], exec: movFromDr, summary: 'MOV from DRn: read a debug register' }),
  sys({ opcode: 0x0f23, mnemonic: 'mov', operands: ['Dd', 'Rd'], exec: movToDr, summary: 'MOV to DRn: write a debug register (hardware breakpoints are not emulated)' }),
  sys({ opcode: 0x0f30, mnemonic: 'wrmsr', operands: [], exec: wrmsr, summary: 'WRMSR: write model-specific register ECX from EDX:EAX' }),
  sys({ opcode: 0x0f32, mnemonic: 'rdmsr', operands: [], exec: rdmsr, summary: 'RDMSR: read model-specific register ECX into EDX:EAX' }),
  { opcode: 0x0f34, mnemonic: 'sysenter', operands: [], exec: sysenter, branch: true, summary: 'SYSENTER: fast system call to ring 0 at IA32_SYSENTER_CS:EIP with stack IA32_SYSENTER_ESP' },
  sys({ opcode: 0x0f35, mnemonic: 'sysexit', operands: [], exec: sysexit, branch: true, summary: 'SYSEXIT: fast return to ring 3 at EDX with stack ECX' }),
  ...Array.from({ length: 7 }, (_, k): OpDef => ({ opcode: 0x0f1f, ext: k + 1, mnemonic: 'nop', operands: ['Ev'], exec: nop, summary: 'NOP: hint no-op' })),
];
void OF; void SS;
