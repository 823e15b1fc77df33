// cpuid, rdtsc, ud2: instructions about the processor itself.
import type { Handler } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { EAX, EBX, ECX, EDX } from '../regs.js';
import { hasLocalApic } from '../apic-msr.js';

/** "GenuineIntel" as cpuid leaf 0 returns it in EBX, EDX, ECX. */
const VENDOR = [0x756e6547, 0x49656e69, 0x6c65746e];

/**
 * Feature bits of cpuid leaf 1 EDX (SDM vol. 2, CPUID, table 3-11): only what this processor really
 * implements: PSE (3), TSC (4), MSR (5), CX8 (8), SEP (11), CMOV (15), and APIC (9) when a local
 * APIC is attached. No FPU, PAE, PGE, MMX or SSE (QEMU's default CPU claims those; kernels that
 * see them would use them).
 */
export const CPUID_FEATURES_EDX = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 11) | (1 << 15);
export const CPUID_APIC = 1 << 9;
/** Family 6, model 3, stepping 3: a Pentium II, the first part whose SEP bit is trustworthy. */
export const CPUID_SIGNATURE = 0x633;

const cpuid: Handler = (cpu) => {
  const r = cpu.regs;
  const leaf = r[EAX] >>> 0;
  if (leaf === 0) {
    r[EAX] = 1;
    r[EBX] = VENDOR[0];
    r[EDX] = VENDOR[1];
    r[ECX] = VENDOR[2];
  } else if (leaf === 1) {
    r[EAX] = CPUID_SIGNATURE;
    r[EBX] = 0; // bits 31-24: the initial APIC ID, 0 as the local APIC's ID register says
    r[ECX] = 0;
    r[EDX] = CPUID_FEATURES_EDX | (hasLocalApic(cpu) ? CPUID_APIC : 0);
  } else {
    r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
  }
};

/** The time-stamp counter is the retired-instruction count, so runs are deterministic. */
const rdtsc: Handler = (cpu) => {
  const t = cpu.retired;
  cpu.regs[EAX] = t % 0x100000000;
  cpu.regs[EDX] = Math.floor(t / 0x100000000);
};

const ud2: Handler = (cpu) => cpu.undefinedOpcode('ud2');

export const IDENTITY_OPS: OpDef[] = [
  { opcode: 0x0fa2, mnemonic: 'cpuid', operands: [], exec: cpuid, summary: 'CPUID: processor identification (GenuineIntel, family 6: PSE TSC MSR CX8 APIC SEP CMOV)' },
  { opcode: 0x0f31, mnemonic: 'rdtsc', operands: [], exec: rdtsc, ring3: 'allowed unless CR4.TSD is set', summary: 'RDTSC: read the time-stamp counter (here: instructions retired) into EDX:EAX' },
  { opcode: 0x0f0b, mnemonic: 'ud2', operands: [], exec: ud2, branch: true, summary: 'UD2: raise #UD (invalid opcode) on purpose' },
];
