import type { LineProgram } from './line-program.js';
import type { AddrRange, LocListEntry } from './lists.js';
import type { CType, FunctionType } from './types.js';

/** Where a variable lives, as DWARF describes it (before evaluation against a machine). */
export type LocationDesc =
  /** One expression valid wherever the variable is in scope (typical at -O0). */
  | { readonly kind: 'expr'; readonly expr: Uint8Array }
  /** A location list: different expressions over different pc ranges (-Og and up). */
  | { readonly kind: 'list'; readonly entries: readonly LocListEntry[] }
  /** DW_AT_const_value: the variable was folded into a constant. */
  | { readonly kind: 'const'; readonly value: number | bigint | Uint8Array | string }
  /** No location at all: optimised out everywhere. */
  | { readonly kind: 'none' };

export interface CompileUnit {
  /** Offset of the unit in .debug_info. */
  readonly offset: number;
  readonly version: number;
  /** DW_AT_name: the primary source file as given to the compiler. */
  readonly name: string;
  readonly compDir: string;
  readonly producer: string;
  /** DW_LANG_* (0x1d C11, 0x8001 Mips assembler for gas...). */
  readonly language: number;
  readonly ranges: readonly AddrRange[];
  /** Source paths by DWARF file number (decl_file, call_file); absolute when known. */
  readonly files: readonly (string | undefined)[];
  readonly lineProgram: LineProgram | undefined;
  /** Entry `index` of the unit's .debug_addr table (for DW_OP_addrx / DW_OP_constx). */
  readonly addrIndex: (index: number) => number;
}

export type VariableKind = 'parameter' | 'local' | 'global';

export interface Variable {
  readonly name: string;
  readonly type: CType;
  readonly kind: VariableKind;
  /** True for file-scope statics and for `static` locals: they live at a fixed address. */
  readonly isStatic: boolean;
  /** DW_AT_external: visible from other files. */
  readonly external: boolean;
  readonly location: LocationDesc;
  readonly declFile: string | undefined;
  readonly declLine: number | undefined;
  /** .debug_info offset of the variable's DIE (what readelf shows as <offset>). */
  readonly dieOffset: number;
  readonly unit: CompileUnit;
}

/** A lexical block, or an inlined call, inside a function: variables visible in its ranges. */
export interface Scope {
  readonly ranges: readonly AddrRange[];
  readonly variables: readonly Variable[];
  readonly children: readonly Scope[];
  /** Set when the scope is the body of an inlined function. */
  readonly inlined?: { readonly name: string; readonly callFile: string | undefined; readonly callLine: number | undefined };
}

export interface FunctionInfo {
  readonly name: string;
  /** Entry point: DW_AT_low_pc (or the first range's start). */
  readonly lowPc: number;
  /** End of the range that holds the entry point (exclusive). */
  readonly highPc: number;
  /** All code ranges (more than one when gcc splits hot and cold parts). */
  readonly ranges: readonly AddrRange[];
  readonly declFile: string | undefined;
  readonly declLine: number | undefined;
  readonly external: boolean;
  /** DW_AT_frame_base (gcc: DW_OP_call_frame_cfa); undefined for assembly. */
  readonly frameBase: LocationDesc | undefined;
  readonly type: FunctionType;
  readonly params: readonly Variable[];
  /** The outermost scope: locals declared directly in the body, and nested blocks. */
  readonly body: Scope;
  readonly dieOffset: number;
  readonly unit: CompileUnit;
}
