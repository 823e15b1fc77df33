// Names of the interrupt vectors (SDM vol. 3, table 6-1). Vectors 0-31 are the processor's;
// 32-255 belong to the kernel, which names them (JOS: 48 = system call), so callers may pass names.

interface VectorInfo {
  mnemonic: string;
  name: string;
}

const EXCEPTIONS: readonly VectorInfo[] = [
  { mnemonic: '#DE', name: 'Divide Error' },
  { mnemonic: '#DB', name: 'Debug' },
  { mnemonic: 'NMI', name: 'Non-Maskable Interrupt' },
  { mnemonic: '#BP', name: 'Breakpoint' },
  { mnemonic: '#OF', name: 'Overflow' },
  { mnemonic: '#BR', name: 'BOUND Range Exceeded' },
  { mnemonic: '#UD', name: 'Invalid Opcode' },
  { mnemonic: '#NM', name: 'Device Not Available' },
  { mnemonic: '#DF', name: 'Double Fault' },
  { mnemonic: '#CSO', name: 'Coprocessor Segment Overrun' },
  { mnemonic: '#TS', name: 'Invalid TSS' },
  { mnemonic: '#NP', name: 'Segment Not Present' },
  { mnemonic: '#SS', name: 'Stack-Segment Fault' },
  { mnemonic: '#GP', name: 'General Protection' },
  { mnemonic: '#PF', name: 'Page Fault' },
  { mnemonic: '', name: 'Reserved (15)' },
  { mnemonic: '#MF', name: 'x87 FPU Floating-Point Error' },
  { mnemonic: '#AC', name: 'Alignment Check' },
  { mnemonic: '#MC', name: 'Machine Check' },
  { mnemonic: '#XM', name: 'SIMD Floating-Point Exception' },
  { mnemonic: '#VE', name: 'Virtualization Exception' },
  { mnemonic: '#CP', name: 'Control Protection Exception' },
];

/** Vectors that push an error code when delivered as exceptions (SDM table 6-1). */
export const VECTORS_WITH_ERROR_CODE: ReadonlySet<number> = new Set([8, 10, 11, 12, 13, 14, 17, 21]);

/** "#PF" for exceptions, "" for reserved and kernel-defined vectors. */
export function vectorMnemonic(vector: number): string {
  return EXCEPTIONS[vector]?.mnemonic ?? '';
}

/**
 * "Page Fault" for processor exceptions, the caller's name for kernel vectors, otherwise
 * "Reserved (n)" below 32 and "Interrupt 0xnn" above.
 */
export function vectorName(vector: number, names?: Readonly<Record<number, string>>): string {
  const own = names?.[vector];
  if (own !== undefined) return own;
  const exc = EXCEPTIONS[vector];
  if (exc) return exc.name;
  if (vector < 32) return `Reserved (${vector})`;
  return `Interrupt 0x${vector.toString(16).padStart(2, '0')}`;
}
