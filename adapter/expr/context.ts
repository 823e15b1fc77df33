import type { CType } from './ctype.js';

/** Where a variable lives once the debugger has evaluated its DWARF location. */
export type VariableLocation =
  | { readonly kind: 'memory'; readonly address: number }
  /** A 32-bit register by name without '$' ('eax', 'ebp'); smaller values use its low bytes. */
  | { readonly kind: 'register'; readonly reg: string }
  /** Not stored anywhere (DW_OP_stack_value, DW_AT_const_value, an enumerator): just a value. */
  | { readonly kind: 'value'; readonly value: number };

export interface VariableInfo {
  readonly type: CType;
  readonly location: VariableLocation;
}

/**
 * What the evaluator asks of the stopped machine and its symbols. Everything is read-only
 * unless the optional writers are given (assignments then fail with a clear message).
 */
export interface ExprContext {
  /**
   * A register's value as an unsigned 32-bit number, by lower-case name without '$': eax ebx
   * ecx edx esi edi esp ebp eip eflags, cs ds ss es fs gs (the selector), cr0 cr2 cr3 cr4, and
   * the pseudo-registers err vector cpl trapno while a trap is examined. undefined = not
   * available here. Sub-registers ($ax, $al, $ah) are derived from the 32-bit ones.
   */
  register(name: string): number | undefined;
  setRegister?(name: string, value: number): void;
  /** `size` bytes at a virtual address of the current address space; undefined = unmapped. */
  readMemory(addr: number, size: number): Uint8Array | undefined;
  /** false = the write failed (unmapped, read-only ROM...). */
  writeMemory?(addr: number, bytes: Uint8Array): boolean;
  /**
   * A local, parameter or global visible at the current pc (innermost scope first). Functions
   * are variables of function type at their entry address; enumerators can be answered as
   * { type: theEnum, location: { kind: 'value', value } }.
   */
  lookupVariable(name: string): VariableInfo | undefined;
  /**
   * A type by name as written in a cast: 'struct Env', 'union U', 'enum E', 'Env_t',
   * 'uint32_t'. The C keywords' base types (int, unsigned char...) are built in and never asked.
   */
  lookupType(name: string): CType | undefined;
  /** Optional: names a code or data address ("i386_init", "envs+0x60"), shown after pointers. */
  symbolize?(addr: number): string | undefined;
}
