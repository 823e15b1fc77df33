// Exception vectors (Intel SDM vol. 3, table 6-1).
export const DE = 0, DB = 1, NMI = 2, BP = 3, OF_ = 4, BR = 5, UD = 6, NM = 7, DF_ = 8,
  TS = 10, NP = 11, SS_ = 12, GP = 13, PF_ = 14, MF = 16, AC_ = 17, MC = 18;

export const VECTOR_NAMES: Record<number, string> = {
  0: 'Divide Error', 1: 'Debug', 2: 'Non-Maskable Interrupt', 3: 'Breakpoint', 4: 'Overflow',
  5: 'BOUND Range Exceeded', 6: 'Invalid Opcode', 7: 'Device Not Available', 8: 'Double Fault',
  9: 'Coprocessor Segment Overrun', 10: 'Invalid TSS', 11: 'Segment Not Present',
  12: 'Stack Fault', 13: 'General Protection', 14: 'Page Fault', 16: 'x87 FPU Floating-Point Error',
  17: 'Alignment Check', 18: 'Machine-Check', 19: 'SIMD Floating-Point Exception',
};

export const VECTOR_MNEMONICS: Record<number, string> = {
  0: '#DE', 1: '#DB', 2: 'NMI', 3: '#BP', 4: '#OF', 5: '#BR', 6: '#UD', 7: '#NM', 8: '#DF',
  10: '#TS', 11: '#NP', 12: '#SS', 13: '#GP', 14: '#PF', 16: '#MF', 17: '#AC', 18: '#MC', 19: '#XM',
};

/**
 * Thrown by an instruction that raises an exception. It is a plain object, not an Error, so throwing
 * captures no stack trace; the run loop catches it and delivers the vector.
 */
export class CpuFault {
  constructor(
    readonly vector: number,
    /** Error code pushed with the exception, or -1 when the vector has none. */
    readonly errorCode: number = -1,
    /** Extra words for a person: which check failed. */
    readonly detail: string = '',
  ) {}
}
