// Error codes pushed with exceptions: the page-fault code (SDM vol. 3, 4.7, the table in seed 000)
// and the selector code of #TS/#NP/#SS/#GP (SDM vol. 3, 6.13).

export const PFERR_P = 1, PFERR_W = 2, PFERR_U = 4, PFERR_RSVD = 8, PFERR_ID = 0x10, PFERR_PK = 0x20;
export const PFERR_SGX = 0x8000;

export interface PageFaultErrorFields {
  /** 1: page-level protection violation; 0: non-present page. */
  protection: boolean;
  write: boolean;
  user: boolean;
  reserved: boolean;
  instructionFetch: boolean;
  protectionKey: boolean;
  sgx: boolean;
}

export function pageFaultErrorFields(err: number): PageFaultErrorFields {
  return {
    protection: (err & PFERR_P) !== 0,
    write: (err & PFERR_W) !== 0,
    user: (err & PFERR_U) !== 0,
    reserved: (err & PFERR_RSVD) !== 0,
    instructionFetch: (err & PFERR_ID) !== 0,
    protectionKey: (err & PFERR_PK) !== 0,
    sgx: (err & PFERR_SGX) !== 0,
  };
}

/** Builds the code the processor pushes from what went wrong. */
export function pageFaultErrorCode(f: Partial<PageFaultErrorFields>): number {
  return (f.protection ? PFERR_P : 0) | (f.write ? PFERR_W : 0) | (f.user ? PFERR_U : 0) |
    (f.reserved ? PFERR_RSVD : 0) | (f.instructionFetch ? PFERR_ID : 0) |
    (f.protectionKey ? PFERR_PK : 0) | (f.sgx ? PFERR_SGX : 0);
}

/**
 * "[user, write, protection]", "[kernel, read, not-present]": JOS's print_trapframe words and
 * order (U/S, W/R, P), as in seed 000's `err 0x00000007 [user, write, protection]`. The bits JOS
 * does not print are appended in the same style, only when set, so the first three words never
 * change meaning: "[user, read, protection, reserved]", "[kernel, read, not-present, instruction fetch]".
 */
export function decodePageFaultError(err: number): string {
  const f = pageFaultErrorFields(err);
  const words = [f.user ? 'user' : 'kernel', f.write ? 'write' : 'read', f.protection ? 'protection' : 'not-present'];
  if (f.reserved) words.push('reserved');
  if (f.instructionFetch) words.push('instruction fetch');
  if (f.protectionKey) words.push('protection key');
  if (f.sgx) words.push('sgx');
  return `[${words.join(', ')}]`;
}

export interface SelectorErrorFields {
  /** EXT: the event was external to the program (an interrupt, or an earlier exception's delivery). */
  ext: boolean;
  /** IDT: the index refers to an IDT gate; TI is then meaningless. */
  idt: boolean;
  table: 'IDT' | 'GDT' | 'LDT';
  /** Bits 15:3: the descriptor index (the vector when `idt`). */
  index: number;
  /** For GDT/LDT: the selector without its RPL (index * 8 + TI * 4). */
  selector: number;
}

export function selectorErrorFields(err: number): SelectorErrorFields {
  const idt = (err & 2) !== 0;
  const ti = (err & 4) !== 0;
  return {
    ext: (err & 1) !== 0,
    idt,
    table: idt ? 'IDT' : ti ? 'LDT' : 'GDT',
    index: (err >>> 3) & 0x1fff,
    selector: err & 0xfffc,
  };
}

/**
 * "IDT vector 14 (ext=0)", "GDT selector 0x28 (ext=0)", "LDT selector 0x2c (ext=1)".
 * An error code of 0 names no selector (#GP(0) is the common "general" case).
 */
export function decodeSelectorError(err: number): string {
  if ((err & 0xffff) === 0) return 'no selector (error code 0)';
  const f = selectorErrorFields(err);
  const ext = `(ext=${f.ext ? 1 : 0})`;
  if (f.idt) return `IDT vector ${f.index} ${ext}`;
  return `${f.table} selector 0x${f.selector.toString(16)} ${ext}`;
}

/**
 * The words for the error code of `vector`, or undefined when the vector pushes none or its
 * code carries nothing to decode (#DF and #AC always push 0).
 */
export function describeErrorCode(vector: number, err: number): string | undefined {
  if (vector === 14) return decodePageFaultError(err);
  if (vector >= 10 && vector <= 13) return decodeSelectorError(err);
  return undefined;
}
