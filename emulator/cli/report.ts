/** Why a run ended, in words for stderr, with the register state when the guest broke down. */
import type { Cpu } from '../cpu/cpu.js';
import { REG32_NAMES, SEG_NAMES, CS } from '../cpu/regs.js';
import { decodeCr0 } from '../inspect/control.js';
import { decodeEflags } from '../inspect/eflags.js';
import { csEip } from './trace.js';

const h8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

/** A multi-line dump of the registers a kernel developer looks at first. */
export function registerDump(cpu: Cpu): string {
  const regs = REG32_NAMES.map((n, i) => `${n}=${h8(cpu.regs[i]!)}`);
  const flags = cpu.getEflags();
  const segs = SEG_NAMES.map((n, i) => `${n}=${cpu.segSel[i]!.toString(16).padStart(4, '0')}`);
  return [
    `  ${regs.slice(0, 4).join(' ')}`,
    `  ${regs.slice(4).join(' ')}`,
    `  eip=${h8(cpu.eip)} eflags=${h8(flags)} [${decodeEflags(flags).text}] cpl=${cpu.cpl}`,
    `  ${segs.join(' ')}`,
    `  cr0=${h8(cpu.cr0)} [${decodeCr0(cpu.cr0).text}] cr2=${h8(cpu.cr2)} cr3=${h8(cpu.cr3)} cr4=${h8(cpu.cr4)}`,
    `  gdtr=${h8(cpu.gdtBase)}/${cpu.gdtLimit.toString(16)} idtr=${h8(cpu.idtBase)}/${cpu.idtLimit.toString(16)} tr=${cpu.trSel.toString(16).padStart(4, '0')}`,
  ].join('\n');
}

/** "at 0008:0010002c after 1234 instructions". */
export function where(cpu: Cpu): string {
  return `at ${csEip(cpu.segSel[CS]!, cpu.eip)} after ${cpu.icount} instructions`;
}
