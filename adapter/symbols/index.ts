/**
 * ELF32 + DWARF 4/5 symbols for the debug adapter: line tables, functions, variables and their
 * locations, C types, call frame information and the ELF symbol table as a fallback.
 *
 *   const syms = loadSymbols(bytes, 'samples/build/user/hello.elf');
 *   syms.resolveBreakpoint('/src/user/hello.c', 12)   // { line: 13, addresses: [0x800042] }
 *   syms.lineForAddress(eip)                          // { file, line, column }
 *   syms.scopeAt(eip)?.locals.map((v) => syms.locate(v, eip, machine))
 */
import { ElfError, parseElf32 } from '../../emulator/loader/elf.js';
import { readCallFrameInfo } from './cfi.js';
import { CodeSymbols } from './code-symbols.js';
import { SymbolError } from './error.js';
import { LineTable } from './line-table.js';
import { readDwarf } from './model-build.js';
import { ProgramSymbols } from './program.js';
import { debugSections } from './sections.js';

export { SymbolError } from './error.js';
export { ProgramSymbols, exprAt, type FunctionRange, type MachineContext, type ScopeView } from './program.js';
export type { SourceLocation, BreakpointResolution } from './line-table.js';
export type { LineRow } from './line-program.js';
export type { CompileUnit, FunctionInfo, LocationDesc, Scope, Variable, VariableKind } from './model.js';
export type { AddrRange, LocListEntry } from './lists.js';
export { evalLocation, evalFrameBase, LocationUnavailable, type EvalContext, type Location, type Piece } from './expr-eval.js';
export { formatExpr } from './expr-format.js';
export { CallFrameInfo, type CfaRule, type RegisterRule, type UnwindRow } from './cfi.js';
export type * from './types.js';
export { typeName, declaration, strip, sizeOf, findMember } from './type-name.js';
export { formatValue, memberBytes, charLiteral, type FormatOptions } from './format-value.js';
export { I386_REGISTERS, registerName } from './dwarf-constants.js';

export interface LoadOptions {
  /**
   * Maps each source path the line tables record to the path to use instead (the file on this
   * machine when the program was built elsewhere: adapter/source-paths.ts). Default: as recorded.
   */
  readonly sourcePath?: (recorded: string) => string;
}

/**
 * Reads an ELF32 executable's symbols. Every problem with the file (not an ELF, truncated,
 * malformed DWARF) is a SymbolError naming `fileName`. A file without DWARF still loads: its
 * ELF symbols give function names, and line queries find nothing.
 */
export function loadSymbols(bytes: Uint8Array, fileName: string, options: LoadOptions = {}): ProgramSymbols {
  try {
    const elf = parseElf32(bytes, fileName);
    const sections = debugSections(bytes, elf);
    const model = readDwarf(sections);
    const frames = readCallFrameInfo(sections);
    const rows = model.linePrograms.flatMap((p) => p.rows);
    const map = options.sourcePath;
    const lines = new LineTable(map ? rows.map((r) => (map(r.file) === r.file ? r : { ...r, file: map(r.file) })) : rows);
    return new ProgramSymbols(fileName, elf, model, lines, frames, new CodeSymbols(elf));
  } catch (e) {
    if (e instanceof SymbolError) throw e;
    if (e instanceof ElfError) throw new SymbolError(fileName, e.problem, { cause: e });
    // A bug in this reader rather than in the file; still reported against the file so the
    // adapter can carry on without symbols, but marked so tests can tell.
    if (e instanceof RangeError || e instanceof TypeError) {
      throw new SymbolError(fileName, `internal error while reading symbols: ${e.message}`, { cause: e });
    }
    throw e;
  }
}
