import { INT, USHORT, base, type CType } from './ctype.js';

/**
 * The `$name` registers. Types follow gdb where it helps OS work: general registers are int
 * (so `$eax == -1` and negative error codes read naturally); addresses, flags and control
 * registers are unsigned and displayed in hex; selectors are 16-bit hex.
 */
export interface RegisterInfo {
  /** The 32-bit register (or pseudo-register) asked of the context. */
  readonly reg: string;
  /** Byte within it: 1 for $ah. */
  readonly byteOffset: number;
  readonly type: CType;
  /** Only exists while a trap is being examined. */
  readonly pseudo?: boolean;
}

const HEX32: CType = { ...base('unsigned int', 4, false, 'int'), hex: true };
const HEX16: CType = { ...base('unsigned short', 2, false, 'int'), hex: true };
// Byte registers are numbers, not characters: no 'char' encoding, so $al prints as 65, not 65 'A'.
const U8: CType = base('uint8_t', 1, false, 'int');

const TABLE = new Map<string, RegisterInfo>();
const add = (name: string, info: RegisterInfo): void => void TABLE.set(name, info);

for (const r of ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi']) add(r, { reg: r, byteOffset: 0, type: INT });
for (const r of ['esp', 'ebp', 'eip', 'eflags', 'cr0', 'cr2', 'cr3', 'cr4']) add(r, { reg: r, byteOffset: 0, type: HEX32 });
for (const r of ['cs', 'ds', 'ss', 'es', 'fs', 'gs']) add(r, { reg: r, byteOffset: 0, type: HEX16 });
// gdb's names for the stack, frame and instruction pointers.
add('sp', { reg: 'esp', byteOffset: 0, type: HEX32 });
add('fp', { reg: 'ebp', byteOffset: 0, type: HEX32 });
add('pc', { reg: 'eip', byteOffset: 0, type: HEX32 });
// 16-bit halves ($sp is taken by the alias above, as in gdb) and the byte registers.
for (const r of ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp']) add(r, { reg: `e${r}`, byteOffset: 0, type: USHORT });
for (const r of ['a', 'b', 'c', 'd']) {
  add(`${r}l`, { reg: `e${r}x`, byteOffset: 0, type: U8 });
  add(`${r}h`, { reg: `e${r}x`, byteOffset: 1, type: U8 });
}
add('err', { reg: 'err', byteOffset: 0, type: HEX32, pseudo: true });
for (const r of ['vector', 'trapno', 'cpl']) add(r, { reg: r, byteOffset: 0, type: INT, pseudo: true });

export function registerInfo(name: string): RegisterInfo | undefined {
  return TABLE.get(name.toLowerCase());
}

export const REGISTER_NAMES: readonly string[] = [...TABLE.keys()];
