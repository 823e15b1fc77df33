// The registers an AT&T operand can name (%eax, %cr3, %db7 ...), with what each one is for. The
// bit layouts of CR0, CR3, CR4 and EFLAGS come from the emulator's inspectors, the same decoders
// the debugger's Control registers scope uses, so the hover and the debugger name bits alike.
import { decodeCr0, decodeCr3, decodeCr4, type FlagBit } from '../../../../emulator/inspect/index.js';

export type RegisterClass = 'general' | 'segment' | 'control' | 'debug' | 'x87' | 'mmx' | 'sse' | 'bound' | 'pseudo';

export interface Register {
  /** Canonical name without %, lower case ('dr7' for %db7). */
  name: string;
  cls: RegisterClass;
  /** Width in bits. */
  bits: number;
  /** What the register is for, in a sentence or two (Markdown). */
  role: string;
  /** Named bits, lowest first (control registers). */
  fields?: readonly FlagBit[];
  /** True when the emulator does not have the register at all. */
  missing?: boolean;
}

const GPR_ROLES: Readonly<Record<string, string>> = {
  eax: 'Accumulator. Holds a function\'s return value (cdecl) and the system-call number and result; implicit operand of mul/div, cbtw/cltd, in/out, stos/lods/scas, cmpxchg.',
  ecx: 'Count register: `rep` prefixes and `loop` count it down, shifts and rotates take their count from %cl. Caller-saved (cdecl).',
  edx: 'Data register: the high half of mul/div results and dividends (edx:eax), the port number of in/out (%dx). Caller-saved (cdecl).',
  ebx: 'Base register; `xlat` indexes from it. Callee-saved (cdecl).',
  esp: 'Stack pointer: push, pop, call, ret and interrupts use it (through %ss). A trap from ring 3 loads it from the TSS (esp0).',
  ebp: 'Frame pointer by convention (`push %ebp; mov %esp,%ebp`); a debugger walks the chain of saved %ebp values. As a base register it addresses through %ss. Callee-saved (cdecl).',
  esi: 'Source index of string instructions (%ds:(%esi)). Callee-saved (cdecl).',
  edi: 'Destination index of string instructions (%es:(%edi)). Callee-saved (cdecl).',
};

const SEGMENT_ROLES: Readonly<Record<string, string>> = {
  cs: 'Code segment. Its low two bits are the CPL, the current privilege level (0 kernel, 3 user); only far jumps, calls, returns, interrupts and iret change it.',
  ss: 'Stack segment. Its DPL must equal the CPL; a trap from ring 3 switches it to ss0 from the TSS.',
  ds: 'Default data segment of memory operands (except %esp/%ebp-based ones). Loading it checks the descriptor: #GP(selector), or #NP when not present.',
  es: 'Destination segment of string instructions (%es:(%edi)); a data segment otherwise.',
  fs: 'Extra data segment, only used through an explicit override (`%fs:0x14`); often per-CPU or thread data.',
  gs: 'Extra data segment, only used through an explicit override (`%gs:...`).',
};

const CR_ROLES: Readonly<Record<string, string>> = {
  cr0: 'Control register 0: protected mode, paging and write protection switches.',
  cr2: 'Page-fault linear address: the CPU writes the address that faulted here before delivering #PF (vector 14). Read it in the page-fault handler.',
  cr3: 'Page-directory base register: the physical address of the current page directory (bits 31:12). Writing it switches address spaces and flushes the TLB.',
  cr4: 'Control register 4: extensions such as 4 MiB pages (PSE).',
};

function all(decode: (v: number) => { bits: readonly FlagBit[] }): readonly FlagBit[] {
  return decode(0xffffffff).bits;
}

function build(): ReadonlyMap<string, Register> {
  const m = new Map<string, Register>();
  const names32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  for (const r of names32) {
    m.set(r, { name: r, cls: 'general', bits: 32, role: GPR_ROLES[r] });
    const r16 = r.slice(1);
    m.set(r16, { name: r16, cls: 'general', bits: 16, role: `Low 16 bits of %${r}. ${GPR_ROLES[r]}` });
  }
  for (const [k, r] of ['eax', 'ecx', 'edx', 'ebx'].entries()) {
    const x = 'acdb'[k];
    m.set(x + 'l', { name: x + 'l', cls: 'general', bits: 8, role: `Low byte of %${r} (bits 7:0). ${GPR_ROLES[r]}` });
    m.set(x + 'h', { name: x + 'h', cls: 'general', bits: 8, role: `Second byte of %${r} (bits 15:8). ${GPR_ROLES[r]}` });
  }
  for (const [r, role] of Object.entries(SEGMENT_ROLES)) m.set(r, { name: r, cls: 'segment', bits: 16, role });
  m.set('cr0', { name: 'cr0', cls: 'control', bits: 32, role: CR_ROLES.cr0, fields: all(decodeCr0) });
  m.set('cr2', { name: 'cr2', cls: 'control', bits: 32, role: CR_ROLES.cr2 });
  m.set('cr3', { name: 'cr3', cls: 'control', bits: 32, role: CR_ROLES.cr3, fields: all(decodeCr3) });
  m.set('cr4', { name: 'cr4', cls: 'control', bits: 32, role: CR_ROLES.cr4, fields: all(decodeCr4) });
  for (const n of [1, 5, 6, 7]) {
    m.set(`cr${n}`, { name: `cr${n}`, cls: 'control', bits: 32, role: `CR${n} is reserved: mov to or from it raises #UD (invalid opcode).`, missing: true });
  }
  for (let n = 8; n < 16; n++) {
    m.set(`cr${n}`, {
      name: `cr${n}`, cls: 'control', bits: 32, missing: true,
      role: `CR${n} exists only in 64-bit mode (CR8 is the task-priority register). In 32-bit code objdump prints it for AMD's alternative encoding, a LOCK prefix before mov to or from CR${n - 8}; the emulator ignores that LOCK, so the instruction accesses CR${n - 8}.`,
    });
  }
  for (let n = 0; n < 8; n++) {
    const role = n < 4 ? `Debug register ${n}: linear address of hardware breakpoint ${n}.`
      : n === 6 ? 'Debug status: which debug condition caused the last #DB.'
        : n === 7 ? 'Debug control: enables and conditions of the four hardware breakpoints.'
          : `DR${n} is an alias of DR${n + 2} (CR4.DE clear).`;
    m.set(`dr${n}`, { name: `dr${n}`, cls: 'debug', bits: 32, role: role + ' The emulator stores the debug registers but does not act on them (no hardware breakpoints); use the debugger\'s breakpoints instead. CPL 0 only.' });
  }
  const x87 = 'x87 FPU register stack; the emulator has no FPU (CPUID reports none), so x87 instructions raise #UD.';
  m.set('st', { name: 'st', cls: 'x87', bits: 80, role: `Top of the ${x87}`, missing: true });
  for (let n = 0; n < 8; n++) {
    m.set(`st(${n})`, { name: `st(${n})`, cls: 'x87', bits: 80, role: `Element ${n} of the ${x87}`, missing: true });
    m.set(`mm${n}`, { name: `mm${n}`, cls: 'mmx', bits: 64, role: 'MMX register; not implemented by the Ringside emulator (MMX instructions raise #UD).', missing: true });
    m.set(`xmm${n}`, { name: `xmm${n}`, cls: 'sse', bits: 128, role: 'SSE register; not implemented by the Ringside emulator (SSE instructions raise #UD).', missing: true });
    m.set(`ymm${n}`, { name: `ymm${n}`, cls: 'sse', bits: 256, role: 'AVX register; not implemented by the Ringside emulator.', missing: true });
  }
  for (let n = 0; n < 4; n++) {
    m.set(`bnd${n}`, {
      name: `bnd${n}`, cls: 'bound', bits: 128, missing: true,
      role: 'MPX bound register (lower and upper bound of a pointer). The Ringside emulator has no MPX: it runs the bnd* instructions as NOPs, as a CPU without MPX does, so no bound is kept or checked.',
    });
  }
  m.set('eiz', { name: 'eiz', cls: 'pseudo', bits: 32, role: 'Not a register: objdump\'s name for "no index" in a SIB byte (`lea 0x0(%esi,%eiz,1),%esi` is a multi-byte nop that gcc uses for padding).' });
  return m;
}

const REGISTERS = build();

/** The register named by `%name` (without the %), or undefined. %db0-7 are gas's names for %dr0-7. */
export function lookupRegister(name: string): Register | undefined {
  const n = name.toLowerCase().replace(/\s+/g, '');
  const db = /^db([0-7])$/.exec(n);
  return REGISTERS.get(db ? `dr${db[1]}` : n);
}
