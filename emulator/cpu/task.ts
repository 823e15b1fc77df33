// The task switch of a task gate in the IDT (SDM vol. 3, 7.3), as far as a double-fault handler
// needs it: the classic way to survive a #DF caused by a broken kernel stack is a task gate, whose
// switch loads a fresh stack from another TSS. Far jmp/call to TSS descriptors are not supported.
import type { Cpu } from './cpu.js';
import { CpuFault, GP, NP, TS } from './fault.js';
import { NT } from './eflags.js';
import { CS, DS, ES, FS, GS, SS, ESP } from './regs.js';
import { isPresent, loadCodeSegment, loadDataSegment, readDescriptor } from './segments.js';

// 32-bit TSS field offsets.
const LINK = 0x00, CR3 = 0x1c, EIP = 0x20, EFLAGS = 0x24, GPR = 0x28, SEGS = 0x48, LDT = 0x60;
const SEG_ORDER = [ES, CS, SS, DS, FS, GS];

export function taskSwitchThroughGate(cpu: Cpu, tssSel: number, errorCode: number): void {
  if (tssSel & 4) throw new CpuFault(TS, tssSel & 0xfffc, 'task gate selector points into the LDT');
  const d = readDescriptor(cpu, tssSel, GP);
  const type = d.access & 0x1f;
  if (type !== 0x09) throw new CpuFault(GP, tssSel & 0xfffc, `task gate selector 0x${tssSel.toString(16)} is not an available 32-bit TSS${type === 0x0b ? ' (it is busy)' : ''}`);
  if (!isPresent(d)) throw new CpuFault(NP, tssSel & 0xfffc, 'TSS not present');
  if (d.limit < 0x67) throw new CpuFault(TS, tssSel & 0xfffc, 'TSS limit below 0x67');

  // Save the outgoing task's state into its own TSS.
  const old = cpu.trBase;
  cpu.writeSupervisor32(old + EIP, cpu.eip);
  cpu.writeSupervisor32(old + EFLAGS, cpu.getEflags());
  for (let r = 0; r < 8; r++) cpu.writeSupervisor32(old + GPR + r * 4, cpu.regs[r]);
  SEG_ORDER.forEach((seg, k) => cpu.writeSupervisor32(old + SEGS + k * 4, cpu.segSel[seg]));

  // The incoming task: busy, linked back to the outgoing one (a nested task, NT set).
  const base = d.base;
  cpu.writeSupervisor32(cpu.gdtBase + (tssSel & ~7) + 4, d.hi | 0x200);
  cpu.writeSupervisor32(base + LINK, cpu.trSel);
  cpu.trSel = tssSel;
  cpu.trBase = base;
  cpu.trLimit = d.limit;

  const read = (off: number): number => cpu.readSupervisor32(base + off);
  cpu.cr3 = read(CR3);
  cpu.mmu.flush();
  const eip = read(EIP);
  const eflags = read(EFLAGS) | NT;
  for (let r = 0; r < 8; r++) cpu.regs[r] = read(GPR + r * 4);
  const sels = SEG_ORDER.map((_, k) => read(SEGS + k * 4) & 0xffff);
  cpu.ldtSel = 0;
  const ldt = read(LDT) & 0xffff;
  if (ldt & 0xfffc) {
    const ld = readDescriptor(cpu, ldt, TS);
    cpu.ldtSel = ldt;
    cpu.ldtBase = ld.base;
    cpu.ldtLimit = ld.limit;
  }
  const cs = sels[1];
  const codeDesc = readDescriptor(cpu, cs, TS);
  loadCodeSegment(cpu, cs, codeDesc, cs & 3);
  for (const seg of [SS, DS, ES, FS, GS]) loadDataSegment(cpu, seg, sels[SEG_ORDER.indexOf(seg)]);
  cpu.setEflags(eflags);
  cpu.eip = eip;
  if (errorCode >= 0) {
    const sp = (cpu.regs[ESP] - 4) | 0;
    cpu.writeSupervisor32(cpu.segBase[SS] + sp, errorCode);
    cpu.regs[ESP] = sp;
  }
}
