import { DW_AT, DW_ATE, DW_TAG } from './dwarf-constants.js';
import { hex } from './error.js';
import type { Die } from './info.js';
import { VOID, type CType, type Enumerator, type Member } from './types.js';

const MAX_NESTING = 256; // struct in struct in struct...: real C stays far below this

/**
 * Builds CType objects from type DIEs, one object per DIE. An object is registered before
 * its parts are built, so references back to it (a struct's pointer to itself) find it
 * instead of recursing forever.
 */
export class TypeBuilder {
  private readonly cache = new Map<number, CType>();
  private depth = 0;

  constructor(private readonly dies: ReadonlyMap<number, Die>) {}

  /** The type a DIE's DW_AT_type names; void when it has none. */
  typeOf(die: Die): CType {
    const ref = die.unit.ref(die, DW_AT.type);
    if (ref === undefined) return die.unit.has(die, DW_AT.type) ? { kind: 'unknown', name: '<type unit>' } : VOID;
    return this.at(ref);
  }

  /** The type of the DIE at `offset` in .debug_info. */
  at(offset: number): CType {
    const cached = this.cache.get(offset);
    if (cached !== undefined) return cached;
    const die = this.dies.get(offset);
    if (die === undefined) return { kind: 'unknown', name: `<bad type reference ${hex(offset)}>` };
    if (this.depth >= MAX_NESTING) die.unit.fail(`type at ${hex(offset)} nests more than ${MAX_NESTING} deep`);
    this.depth++;
    try {
      return this.build(die);
    } finally {
      this.depth--;
    }
  }

  private build(die: Die): CType {
    const u = die.unit;
    const name = u.str(die, DW_AT.name);
    // Mutable shells, registered first and filled in after, so cycles close on the shell.
    const register = <T extends CType>(t: T): T => {
      this.cache.set(die.offset, t);
      return t;
    };
    switch (die.tag) {
      case DW_TAG.base_type:
        return register({ kind: 'base', name: name ?? '?', size: sizeAttr(die) ?? 0, encoding: u.udata(die, DW_AT.encoding) ?? DW_ATE.signed });
      case DW_TAG.unspecified_type:
        return register({ kind: 'unknown', name: name ?? 'void' });
      case DW_TAG.pointer_type: {
        const t = register({ kind: 'pointer' as const, size: sizeAttr(die) ?? u.addrSize, target: VOID as CType });
        t.target = this.typeOf(die);
        return t;
      }
      case DW_TAG.const_type:
      case DW_TAG.volatile_type:
      case DW_TAG.restrict_type:
      case DW_TAG.atomic_type: {
        const kind = QUALIFIERS[die.tag]!;
        const t = register({ kind, target: VOID as CType });
        t.target = this.typeOf(die);
        return t;
      }
      case DW_TAG.typedef: {
        const t = register({ kind: 'typedef' as const, name: name ?? '?', target: VOID as CType });
        t.target = this.typeOf(die);
        return t;
      }
      case DW_TAG.structure_type:
      case DW_TAG.union_type: {
        const t = register({
          kind: die.tag === DW_TAG.structure_type ? ('struct' as const) : ('union' as const),
          name,
          size: sizeAttr(die) ?? 0,
          members: [] as Member[],
          declaration: u.flag(die, DW_AT.declaration),
        });
        for (const child of die.children) if (child.tag === DW_TAG.member) t.members.push(this.member(child));
        return t;
      }
      case DW_TAG.enumeration_type: {
        const underlying = u.has(die, DW_AT.type) ? this.typeOf(die) : undefined;
        const base = underlying !== undefined ? stripForSign(underlying) : undefined;
        const enumerators: Enumerator[] = [];
        const signed = base !== undefined && (base.encoding === DW_ATE.signed || base.encoding === DW_ATE.signed_char);
        const t = register({ kind: 'enum' as const, name, size: sizeAttr(die) ?? 4, enumerators, signed });
        for (const child of die.children) {
          if (child.tag !== DW_TAG.enumerator) continue;
          // Data forms carry no sign; DWARF leaves it to the type (gcc uses sdata for negatives,
          // so data1 0x80 of an unsigned enum is 128, not -128).
          const value = (signed ? u.sdata(child, DW_AT.const_value) : u.udata(child, DW_AT.const_value)) ?? 0;
          enumerators.push({ name: u.str(child, DW_AT.name) ?? '?', value });
        }
        if (base === undefined && enumerators.some((e) => e.value < 0)) t.signed = true;
        return t;
      }
      case DW_TAG.array_type: {
        // One DW_TAG_array_type with n subranges is an n-dimensional array: built innermost
        // (last subrange) first, so int m[3][4] becomes 3 x (4 x int).
        const dims = die.children.filter((c) => c.tag === DW_TAG.subrange_type || c.tag === DW_TAG.enumeration_type);
        const shells = (dims.length === 0 ? [undefined] : dims).map((d) => ({ kind: 'array' as const, element: VOID as CType, count: d === undefined ? undefined : countOf(d) }));
        register(shells[0]!);
        let element = this.typeOf(die);
        for (let i = shells.length - 1; i >= 0; i--) {
          shells[i]!.element = element;
          element = shells[i]!;
        }
        return shells[0]!;
      }
      case DW_TAG.subroutine_type: {
        const t = register({ kind: 'function' as const, returns: VOID as CType, params: [] as CType[], variadic: false as boolean, prototyped: u.flag(die, DW_AT.prototyped) });
        t.returns = this.typeOf(die);
        for (const child of die.children) {
          if (child.tag === DW_TAG.formal_parameter) t.params.push(this.typeOf(child));
          else if (child.tag === DW_TAG.unspecified_parameters) t.variadic = true;
        }
        return t;
      }
      default:
        return register({ kind: 'unknown', name: name ?? `<DWARF tag ${hex(die.tag)}>` });
    }
  }

  private member(die: Die): Member {
    const u = die.unit;
    const type = this.typeOf(die);
    // data_member_location is a constant offset (gcc) or, in old DWARF, an expression
    // "DW_OP_plus_uconst n": accept that one shape, and treat others as offset 0.
    let offset = 0;
    const loc = u.attr(die, DW_AT.data_member_location);
    if (loc !== undefined) {
      if (loc.value instanceof Uint8Array) offset = plusUconst(loc.value);
      else offset = u.udata(die, DW_AT.data_member_location) ?? 0;
    }
    const bitSize = u.udata(die, DW_AT.bit_size);
    // A bit field is at most 64 bits wide; anything else (a corrupt file) is read as a plain member.
    if (bitSize === undefined || bitSize < 1 || bitSize > 64) return { name: u.str(die, DW_AT.name), type, offset };
    let bitOffset = u.udata(die, DW_AT.data_bit_offset);
    if (bitOffset === undefined) {
      // DWARF 2/3 style (gcc -gdwarf-4 still writes it): DW_AT_bit_offset counts from the most
      // significant bit of a storage unit of DW_AT_byte_size bytes at data_member_location.
      const storage = u.udata(die, DW_AT.byte_size) ?? sizeHint(type);
      const fromMsb = u.udata(die, DW_AT.bit_offset) ?? 0;
      bitOffset = offset * 8 + storage * 8 - fromMsb - bitSize;
    }
    if (bitOffset < 0) return { name: u.str(die, DW_AT.name), type, offset };
    return { name: u.str(die, DW_AT.name), type, offset: Math.floor(bitOffset / 8), bitSize, bitOffset };
  }
}

const QUALIFIERS: Record<number, 'const' | 'volatile' | 'restrict' | 'atomic'> = {
  [DW_TAG.const_type]: 'const',
  [DW_TAG.volatile_type]: 'volatile',
  [DW_TAG.restrict_type]: 'restrict',
  [DW_TAG.atomic_type]: 'atomic',
};

/** DW_AT_byte_size; a negative one (sdata in a corrupt file) reads as absent. */
function sizeAttr(die: Die): number | undefined {
  const v = die.unit.udata(die, DW_AT.byte_size);
  return v !== undefined && v >= 0 ? v : undefined;
}

function countOf(d: Die): number | undefined {
  const u = d.unit;
  if (d.tag === DW_TAG.enumeration_type) return undefined;
  const count = u.has(d, DW_AT.count) ? u.sdata(d, DW_AT.count) : undefined;
  if (count !== undefined) return count >= 0 ? count : undefined;
  if (!u.has(d, DW_AT.upper_bound)) return undefined; // flexible / unknown bound
  const ub = u.attr(d, DW_AT.upper_bound)!;
  if (ub.value instanceof Uint8Array || typeof ub.value === 'string') return undefined; // VLA: computed at run time
  const upper = u.sdata(d, DW_AT.upper_bound)!;
  const lower = u.sdata(d, DW_AT.lower_bound) ?? 0;
  // gcc writes upper_bound -1 (0xffffffff in data4) for zero-length arrays: int a[0].
  return upper < lower ? 0 : upper - lower + 1;
}

function plusUconst(expr: Uint8Array): number {
  if (expr[0] !== 0x23) return 0;
  let v = 0;
  for (let i = 1, shift = 1; i < expr.length && i < 6; i++, shift *= 128) {
    v += (expr[i]! & 0x7f) * shift;
    if ((expr[i]! & 0x80) === 0) break;
  }
  return v;
}

function sizeHint(t: CType): number {
  for (let i = 0; i < 16; i++) {
    if (t.kind === 'base' || t.kind === 'enum' || t.kind === 'pointer') return t.size;
    if (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic') t = t.target;
    else break;
  }
  return 4;
}

function stripForSign(t: CType): { encoding: number } | undefined {
  for (let i = 0; i < 16; i++) {
    if (t.kind === 'base') return t;
    if (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile') t = t.target;
    else return undefined;
  }
  return undefined;
}
