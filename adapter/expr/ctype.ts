/**
 * The C types the expression language works with, for the i386 System V ABI that gcc -m32
 * uses: char 1, short 2, int/long/pointers 4, long long 8 bytes, little-endian.
 *
 * This model is deliberately small so that mapping another representation onto it (the DWARF
 * reader's types in ../symbols/types.ts) is a mechanical walk:
 *   - DWARF base types -> BaseType: `name` is what typeName() prints, so prefer the C spelling
 *     ('unsigned long' over gcc's 'long unsigned int'; conversions only look at whether the
 *     name contains 'long', so either works), `encoding` from DW_ATE (signed/unsigned -> 'int',
 *     signed_char/unsigned_char -> 'char', boolean -> 'bool', float -> 'float'); a missing type
 *     (void) and DW_TAG_unspecified_type -> VOID.
 *   - pointer, array (element, count), typedef and const/volatile map one to one
 *     (restrict/atomic qualifiers can simply be dropped).
 *   - struct/union members keep their byte offset; bit fields also carry bitOffset (bits from
 *     the start of the struct to the field's least significant bit, i.e. DW_AT_data_bit_offset
 *     on a little-endian target) and bitSize.
 * Objects may be shared and may form cycles (struct node { struct node *next; }): every walk
 * here goes through pointers lazily or with a depth limit.
 */

export type CType = BaseType | PointerType | ArrayType | StructType | EnumType | TypedefType | FunctionType | QualifiedType;

/** 'char' types print with their glyph, 'bool' as true/false; 'void' has size 0. */
export type BaseEncoding = 'int' | 'char' | 'bool' | 'float' | 'void';

export interface BaseType {
  readonly kind: 'base';
  /** C spelling: 'int', 'unsigned char', 'long long', '_Bool', 'void'. */
  readonly name: string;
  readonly size: number;
  readonly signed: boolean;
  readonly encoding: BaseEncoding;
  /** Display preference: show in hex even without the hex option (addresses, selectors). */
  readonly hex?: boolean;
}

/** Pointers are 4 bytes (i386). */
export interface PointerType {
  readonly kind: 'pointer';
  readonly target: CType;
}

export interface ArrayType {
  readonly kind: 'array';
  /** int[3][4] is an array of 3 x int[4]. */
  readonly element: CType;
  /** undefined for an array of unknown bound (extern int a[];). */
  readonly count: number | undefined;
}

export interface Member {
  /** undefined for an anonymous struct/union member, whose members are reachable directly. */
  readonly name: string | undefined;
  /** Byte offset from the start of the enclosing struct (unused for bit fields). */
  readonly offset: number;
  readonly type: CType;
  /** Bit fields: bits from the start of the struct to the field's least significant bit. */
  readonly bitOffset?: number;
  readonly bitSize?: number;
}

export interface StructType {
  readonly kind: 'struct' | 'union';
  readonly name: string | undefined;
  readonly size: number;
  readonly members: readonly Member[];
  /** A declaration without a definition (struct Env;): no size, no members. */
  readonly incomplete?: boolean;
}

export interface Enumerator {
  readonly name: string;
  readonly value: number;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly name: string | undefined;
  readonly size: number;
  /** gcc makes an enum unsigned unless one of its enumerators is negative. */
  readonly signed: boolean;
  readonly enumerators: readonly Enumerator[];
}

export interface TypedefType {
  readonly kind: 'typedef';
  readonly name: string;
  readonly target: CType;
}

export interface FunctionType {
  readonly kind: 'function';
  readonly returns: CType;
  readonly params: readonly CType[];
  readonly variadic?: boolean;
}

export interface QualifiedType {
  readonly kind: 'const' | 'volatile';
  readonly target: CType;
}

export const POINTER_SIZE = 4;

// ---- constructors ---------------------------------------------------------------------------

export const base = (name: string, size: number, signed: boolean, encoding: BaseEncoding): BaseType => ({ kind: 'base', name, size, signed, encoding });
export const pointer = (target: CType): PointerType => ({ kind: 'pointer', target });
export const array = (element: CType, count: number | undefined): ArrayType => ({ kind: 'array', element, count });
export const typedef = (name: string, target: CType): TypedefType => ({ kind: 'typedef', name, target });
export const qualified = (kind: 'const' | 'volatile', target: CType): QualifiedType => ({ kind, target });
export const func = (returns: CType, params: readonly CType[], variadic = false): FunctionType => ({ kind: 'function', returns, params, variadic });
export function struct(kind: 'struct' | 'union', name: string | undefined, size: number, members: readonly Member[]): StructType {
  return { kind, name, size, members };
}
export function enumeration(name: string | undefined, size: number, enumerators: readonly Enumerator[], signed?: boolean): EnumType {
  return { kind: 'enum', name, size, enumerators, signed: signed ?? enumerators.some((e) => e.value < 0) };
}

/** The built-in base types, under their canonical C spelling. */
export const VOID = base('void', 0, false, 'void');
export const BOOL = base('_Bool', 1, false, 'bool');
export const CHAR = base('char', 1, true, 'char'); // gcc on i386: plain char is signed
export const SCHAR = base('signed char', 1, true, 'char');
export const UCHAR = base('unsigned char', 1, false, 'char');
export const SHORT = base('short', 2, true, 'int');
export const USHORT = base('unsigned short', 2, false, 'int');
export const INT = base('int', 4, true, 'int');
export const UINT = base('unsigned int', 4, false, 'int');
export const LONG = base('long', 4, true, 'int');
export const ULONG = base('unsigned long', 4, false, 'int');
export const LLONG = base('long long', 8, true, 'int');
export const ULLONG = base('unsigned long long', 8, false, 'int');
export const FLOAT = base('float', 4, true, 'float');
export const DOUBLE = base('double', 8, true, 'float');
export const LDOUBLE = base('long double', 12, true, 'float');

export const BUILTIN_TYPES: readonly BaseType[] = [VOID, BOOL, CHAR, SCHAR, UCHAR, SHORT, USHORT, INT, UINT, LONG, ULONG, LLONG, ULLONG, FLOAT, DOUBLE, LDOUBLE];

// ---- walking --------------------------------------------------------------------------------

/** Bound on chains of typedefs/qualifiers: only a corrupt or cyclic graph gets near it. */
const MAX_WALK = 64;

export type StrippedType = Exclude<CType, TypedefType | QualifiedType>;

/** The type without typedefs and qualifiers: what the bytes really are. */
export function strip(t: CType): StrippedType {
  for (let i = 0; i < MAX_WALK; i++) {
    if (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile') t = t.target;
    else return t as StrippedType;
  }
  return VOID;
}

/** The type without qualifiers, typedefs kept (they decide how a char prints). */
export function unqualified(t: CType): CType {
  for (let i = 0; i < MAX_WALK && (t.kind === 'const' || t.kind === 'volatile'); i++) t = t.target;
  return t;
}

/** sizeof(t) in bytes; undefined for void, functions, incomplete structs and unbounded arrays. */
export function sizeOf(t: CType): number | undefined {
  let factor = 1;
  for (let i = 0; i < MAX_WALK; i++) {
    const s = strip(t);
    switch (s.kind) {
      case 'base':
        return s.encoding === 'void' ? undefined : s.size * factor;
      case 'pointer':
        return POINTER_SIZE * factor;
      case 'enum':
        return s.size * factor;
      case 'struct':
      case 'union':
        return s.incomplete === true ? undefined : s.size * factor;
      case 'array':
        if (s.count === undefined) return undefined;
        factor *= s.count;
        t = s.element;
        break;
      case 'function':
        return undefined;
    }
  }
  return undefined;
}

export const isVoid = (t: CType): boolean => { const s = strip(t); return s.kind === 'base' && s.encoding === 'void'; };
/** Integer in the C sense: char, short, int, long, long long, _Bool, enums. */
export const isInteger = (t: CType): boolean => { const s = strip(t); return s.kind === 'enum' || (s.kind === 'base' && s.encoding !== 'void' && s.encoding !== 'float'); };
export const isFloat = (t: CType): boolean => { const s = strip(t); return s.kind === 'base' && s.encoding === 'float'; };
export const isPointer = (t: CType): boolean => strip(t).kind === 'pointer';
export const isScalar = (t: CType): boolean => isInteger(t) || isPointer(t) || isFloat(t);
export const isAggregate = (t: CType): boolean => { const k = strip(t).kind; return k === 'struct' || k === 'union' || k === 'array'; };

/** A member found by name, with its offset from the start of the outermost struct. */
export interface FoundMember {
  readonly member: Member;
  readonly offset: number;
  /** For bit fields: bits from the outermost struct's start. */
  readonly bitOffset?: number;
}

/**
 * The members as the user sees them: anonymous struct/union members are flattened into their
 * parent (C11 lets `u.x` reach into them), offsets made relative to `t`.
 */
export function flatMembers(t: CType): FoundMember[] {
  const out: FoundMember[] = [];
  const walk = (s: CType, offset: number, depth: number): void => {
    const st = strip(s);
    if ((st.kind !== 'struct' && st.kind !== 'union') || depth > 8) return;
    for (const m of st.members) {
      if (m.name === undefined && m.bitSize === undefined) walk(m.type, offset + m.offset, depth + 1);
      else if (m.name !== undefined) {
        out.push(m.bitSize !== undefined ? { member: m, offset, bitOffset: offset * 8 + (m.bitOffset ?? m.offset * 8) } : { member: m, offset: offset + m.offset });
      }
      // an unnamed bit field is padding: not a member
    }
  };
  walk(t, 0, 0);
  return out;
}

export function findMember(t: CType, name: string): FoundMember | undefined {
  return flatMembers(t).find((m) => m.member.name === name);
}

/** Two struct/union/enum types are the same if their tags and sizes are (DWARF repeats them per unit). */
export function sameType(a: CType, b: CType): boolean {
  const x = strip(a);
  const y = strip(b);
  if (x === y) return true;
  if (x.kind !== y.kind) return false;
  switch (x.kind) {
    case 'base':
      return y.kind === 'base' && x.name === y.name && x.size === y.size;
    case 'pointer':
      return y.kind === 'pointer' && (strip(x.target) === strip(y.target) || typeName(x.target) === typeName(y.target));
    case 'struct':
    case 'union':
    case 'enum':
      return (y.kind === 'struct' || y.kind === 'union' || y.kind === 'enum') && x.name !== undefined && x.name === y.name && x.size === y.size;
    default:
      return typeName(x) === typeName(y);
  }
}

// ---- names ----------------------------------------------------------------------------------

/** The C spelling of a type: "struct Env *", "unsigned char[16]", "int (*)(int, char *)". */
export function typeName(t: CType): string {
  return render(t, '', 0);
}

function join(name: string, inner: string): string {
  if (inner === '') return name;
  return inner.startsWith('[') ? name + inner : `${name} ${inner}`;
}

/** A declarator starting with '*' binds looser than [] and (): parenthesise it. */
const wrap = (inner: string): string => (inner.startsWith('*') ? `(${inner})` : inner);

function render(t: CType, inner: string, depth: number): string {
  if (depth > MAX_WALK) return join('...', inner);
  const next = depth + 1;
  switch (t.kind) {
    case 'base':
    case 'typedef':
      return join(t.name, inner);
    case 'struct':
    case 'union':
    case 'enum':
      return join(`${t.kind} ${t.name ?? '{...}'}`, inner);
    case 'pointer':
      return render(t.target, `*${inner}`, next);
    case 'array':
      return render(t.element, `${wrap(inner)}[${t.count ?? ''}]`, next);
    case 'function': {
      const params = t.params.length === 0 ? (t.variadic === true ? '...' : 'void') : t.params.map((p) => render(p, '', next)).join(', ') + (t.variadic === true ? ', ...' : '');
      return render(t.returns, `${wrap(inner)}(${params})`, next);
    }
    case 'const':
    case 'volatile':
      // A qualified pointer is spelled after its star: "char *const".
      if (t.target.kind === 'pointer') return render(t.target.target, `*${t.kind}${inner === '' ? '' : ` ${inner}`}`, next + 1);
      return `${t.kind} ${render(t.target, inner, next)}`;
  }
}
