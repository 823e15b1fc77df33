// Register values of a frame: the CPU's for the innermost frame, the unwound ones (pc, esp, ebp)
// for callers, and the trap-frame pseudo-registers ($err, $vector, $cr2, $cpl).
import type { Runtime } from './runtime.js';
import type { Frame } from './stack.js';
import { SEG_NAMES } from '../emulator/cpu/regs.js';

export const GPR_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];

/** A register by name as seen from `frame` (undefined when unknown there). */
export function frameRegister(rt: Runtime, frame: Frame | undefined, name: string): number | undefined {
  const cpu = rt.machine.cpu;
  const n = name.toLowerCase().replace(/^\$/, '');
  const inner = !frame || rt.stack()[0] === frame || (frame.pc === (cpu.eip >>> 0) && frame.esp === (cpu.regs[4] >>> 0));
  if (n === 'eip' || n === 'pc') return inner ? cpu.eip >>> 0 : frame!.pc;
  if (n === 'esp') return inner ? cpu.regs[4] >>> 0 : frame!.esp;
  if (n === 'ebp') return inner ? cpu.regs[5] >>> 0 : frame!.ebp;
  const g = GPR_NAMES.indexOf(n);
  if (g >= 0) return cpu.regs[g] >>> 0;
  const r16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'].indexOf(n);
  if (r16 >= 0) return cpu.regs[r16] & 0xffff;
  const r8 = ['al', 'cl', 'dl', 'bl'].indexOf(n);
  if (r8 >= 0) return cpu.regs[r8] & 0xff;
  const r8h = ['ah', 'ch', 'dh', 'bh'].indexOf(n);
  if (r8h >= 0) return (cpu.regs[r8h] >> 8) & 0xff;
  const s = (SEG_NAMES as readonly string[]).indexOf(n);
  if (s >= 0) return cpu.segSel[s];
  switch (n) {
    case 'eflags': case 'flags': return cpu.getEflags() >>> 0;
    case 'cr0': return cpu.cr0 >>> 0;
    case 'cr2': return cpu.cr2 >>> 0;
    case 'cr3': return cpu.cr3 >>> 0;
    case 'cr4': return cpu.cr4 >>> 0;
    case 'cpl': return cpu.cpl;
    default: return undefined;
  }
}

/** Sets a general register (only for the innermost frame). */
export function setRegister(rt: Runtime, name: string, value: number): boolean {
  const cpu = rt.machine.cpu;
  const n = name.toLowerCase().replace(/^\$/, '');
  const g = GPR_NAMES.indexOf(n);
  if (g >= 0) {
    cpu.regs[g] = value;
    return true;
  }
  if (n === 'eip') {
    cpu.eip = value;
    return true;
  }
  if (n === 'eflags') {
    cpu.setEflags(value);
    return true;
  }
  return false;
}
