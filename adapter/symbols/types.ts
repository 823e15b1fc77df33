/**
 * C types as the debugger sees them, built from DWARF type DIEs. Objects are shared: a type
 * referenced from many places is one object, and recursive structures (struct node { struct
 * node *next; }) are cyclic object graphs, so walk them with care (see type-name.ts).
 */
export type CType =
  | VoidType
  | BaseType
  | PointerType
  | QualifiedType
  | TypedefType
  | StructType
  | EnumType
  | ArrayType
  | FunctionType
  | UnknownType;

export interface VoidType {
  readonly kind: 'void';
}

export interface BaseType {
  readonly kind: 'base';
  readonly name: string;
  readonly size: number;
  /** DW_ATE_* encoding: signed, unsigned, signed_char, unsigned_char, float, boolean... */
  readonly encoding: number;
}

export interface PointerType {
  readonly kind: 'pointer';
  readonly size: number;
  readonly target: CType;
}

export interface QualifiedType {
  readonly kind: 'const' | 'volatile' | 'restrict' | 'atomic';
  readonly target: CType;
}

export interface TypedefType {
  readonly kind: 'typedef';
  readonly name: string;
  readonly target: CType;
}

export interface Member {
  /** Undefined for an anonymous struct/union member. */
  readonly name: string | undefined;
  readonly type: CType;
  /** Byte offset of the member (of its containing storage unit for a bit field). */
  readonly offset: number;
  /** For bit fields: width in bits and offset in bits from the start of the struct. */
  readonly bitSize?: number;
  readonly bitOffset?: number;
}

export interface StructType {
  readonly kind: 'struct' | 'union';
  readonly name: string | undefined;
  readonly size: number;
  readonly members: readonly Member[];
  /** A forward declaration only (struct Env; without a definition in this unit). */
  readonly declaration: boolean;
}

export interface Enumerator {
  readonly name: string;
  readonly value: number;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly name: string | undefined;
  readonly size: number;
  readonly enumerators: readonly Enumerator[];
  readonly signed: boolean;
}

export interface ArrayType {
  readonly kind: 'array';
  /** Element type; a multi-dimensional array is an array of arrays (int[3][4] = 3 x int[4]). */
  readonly element: CType;
  /** Number of elements; undefined for an array of unknown bound (extern int a[];). */
  readonly count: number | undefined;
}

export interface FunctionType {
  readonly kind: 'function';
  readonly returns: CType;
  readonly params: readonly CType[];
  readonly variadic: boolean;
  /** False for an old-style declaration `int f()`: the parameters are unknown. */
  readonly prototyped: boolean;
}

/** A type the reader does not model (DW_TAG_unspecified_type, or a dangling reference). */
export interface UnknownType {
  readonly kind: 'unknown';
  readonly name: string;
}

export const VOID: VoidType = { kind: 'void' };
