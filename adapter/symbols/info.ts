import { readAbbrevTable, type AbbrevTable } from './abbrev.js';
import { Cursor } from './cursor.js';
import { DW_AT, DW_FORM, DW_UT } from './dwarf-constants.js';
import { hex } from './error.js';
import { readForm, type Attr, type FormContext } from './forms.js';
import type { DebugSections } from './sections.js';

/** One debugging information entry. Children are in file order. */
export interface Die {
  /** Offset in .debug_info (what readelf shows as <offset>); identifies the DIE. */
  readonly offset: number;
  readonly tag: number;
  readonly attrs: readonly Attr[];
  readonly children: Die[];
  readonly parent: Die | undefined;
  readonly unit: Unit;
}

const MAX_DEPTH = 1000; // C nests blocks a few levels deep; a deeper tree is corrupt

/**
 * A compilation (or partial) unit: its header, its DIE tree, and the accessors that turn raw
 * attribute values into strings, addresses, constants and references, which needs the
 * unit's header (address size, offset size) and its DWARF 5 base attributes.
 */
export class Unit implements FormContext {
  root!: Die;

  constructor(
    readonly s: DebugSections,
    /** Offset of the unit header in .debug_info. */
    readonly offset: number,
    readonly end: number,
    readonly version: number,
    readonly unitType: number,
    readonly addrSize: number,
    readonly offsetSize: 4 | 8,
  ) {}

  get file(): string {
    return this.s.file;
  }

  fail(problem: string): never {
    return new Cursor(this.s.info, this.file, '.debug_info').fail(`unit at ${hex(this.offset)}: ${problem}`, this.offset);
  }

  attr(die: Die, at: number): Attr | undefined {
    for (const a of die.attrs) if (a.at === at) return a;
    return undefined;
  }

  has(die: Die, at: number): boolean {
    return this.attr(die, at) !== undefined;
  }

  /** A string attribute (DW_FORM_string, strp, line_strp, strx*). */
  str(die: Die, at: number): string | undefined {
    const a = this.attr(die, at);
    if (a === undefined) return undefined;
    const v = a.value;
    switch (a.form) {
      case DW_FORM.string:
        return v as string;
      case DW_FORM.strp:
        return this.s.str.get(v as number);
      case DW_FORM.line_strp:
        return this.s.lineStr.get(v as number);
      case DW_FORM.strx:
      case DW_FORM.strx1:
      case DW_FORM.strx2:
      case DW_FORM.strx3:
      case DW_FORM.strx4:
      case DW_FORM.GNU_str_index:
        return this.strIndex(v as number);
      default:
        return this.fail(`DIE ${hex(die.offset)}: attribute ${hex(at)} has form ${hex(a.form)}, not a string form`);
    }
  }

  /** The string at entry `index` of this unit's .debug_str_offsets slice (DW_AT_str_offsets_base). */
  strIndex(index: number): string {
    const base = this.sectionOffset(this.root, DW_AT.str_offsets_base) ?? (this.offsetSize === 8 ? 16 : 8);
    const c = new Cursor(this.s.strOffsets, this.file, '.debug_str_offsets');
    c.seek(Math.min(base + index * this.offsetSize, c.end));
    return this.s.str.get(c.uN(this.offsetSize));
  }

  /** An address attribute (DW_FORM_addr, or addrx* through .debug_addr). */
  addr(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    if (a === undefined) return undefined;
    switch (a.form) {
      case DW_FORM.addr:
        return a.value as number;
      case DW_FORM.addrx:
      case DW_FORM.addrx1:
      case DW_FORM.addrx2:
      case DW_FORM.addrx3:
      case DW_FORM.addrx4:
      case DW_FORM.GNU_addr_index:
        return this.addrIndex(a.value as number);
      default:
        return this.fail(`DIE ${hex(die.offset)}: attribute ${hex(at)} has form ${hex(a.form)}, not an address form`);
    }
  }

  /** Entry `index` of this unit's slice of .debug_addr (DW_AT_addr_base). */
  addrIndex(index: number): number {
    const base = this.sectionOffset(this.root, DW_AT.addr_base) ?? 8;
    const c = new Cursor(this.s.addr, this.file, '.debug_addr');
    c.seek(Math.min(base + index * this.addrSize, c.end));
    return c.uN(this.addrSize);
  }

  /**
   * A constant as an unsigned number (data forms are zero-extended; sdata keeps its sign).
   * Values that do not fit a JS number come back as bigint from `constantBig`.
   */
  udata(die: Die, at: number): number | undefined {
    const v = this.constantBig(die, at, false);
    return v === undefined ? undefined : this.toNumber(die, at, v);
  }

  /** A constant as a signed number: data1/2/4/8 are sign-extended from their size. */
  sdata(die: Die, at: number): number | undefined {
    const v = this.constantBig(die, at, true);
    return v === undefined ? undefined : this.toNumber(die, at, v);
  }

  private toNumber(die: Die, at: number, v: bigint): number {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail(`DIE ${hex(die.offset)}: attribute ${hex(at)} value ${v} is too large`);
    }
    return Number(v);
  }

  constantBig(die: Die, at: number, signed: boolean): bigint | undefined {
    const a = this.attr(die, at);
    if (a === undefined) return undefined;
    const v = a.value;
    const size = DATA_SIZES[a.form];
    if (size !== undefined) {
      const big = typeof v === 'bigint' ? v : BigInt(v as number);
      return signed ? BigInt.asIntN(size * 8, big) : BigInt.asUintN(size * 8, big);
    }
    switch (a.form) {
      case DW_FORM.sdata:
      case DW_FORM.implicit_const:
        return typeof v === 'bigint' ? v : BigInt(v as number);
      case DW_FORM.udata:
        return typeof v === 'bigint' ? v : BigInt(v as number);
      case DW_FORM.flag:
      case DW_FORM.flag_present:
        return BigInt(v as number);
      default:
        return this.fail(`DIE ${hex(die.offset)}: attribute ${hex(at)} has form ${hex(a.form)}, not a constant`);
    }
  }

  flag(die: Die, at: number): boolean {
    const a = this.attr(die, at);
    return a !== undefined && a.value !== 0;
  }

  /** A reference, as an absolute .debug_info offset (undefined for type-unit signatures). */
  ref(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    if (a === undefined) return undefined;
    switch (a.form) {
      case DW_FORM.ref1:
      case DW_FORM.ref2:
      case DW_FORM.ref4:
      case DW_FORM.ref8:
      case DW_FORM.ref_udata:
        return this.offset + (a.value as number);
      case DW_FORM.ref_addr:
        return a.value as number;
      case DW_FORM.ref_sig8:
      case DW_FORM.GNU_ref_alt:
      case DW_FORM.ref_sup4:
      case DW_FORM.ref_sup8:
        return undefined; // type units and supplementary files are not read
      default:
        return this.fail(`DIE ${hex(die.offset)}: attribute ${hex(at)} has form ${hex(a.form)}, not a reference`);
    }
  }

  /** A block or exprloc attribute's bytes. */
  block(die: Die, at: number): Uint8Array | undefined {
    const a = this.attr(die, at);
    return a !== undefined && a.value instanceof Uint8Array ? a.value : undefined;
  }

  /** A section offset (sec_offset, or data4/data8 as DWARF 2/3 wrote them). */
  sectionOffset(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    if (a === undefined) return undefined;
    if (a.form === DW_FORM.sec_offset || a.form === DW_FORM.data4 || a.form === DW_FORM.data8) {
      if (typeof a.value !== 'number') this.fail(`DIE ${hex(die.offset)}: section offset is too large`);
      return a.value;
    }
    return undefined;
  }

  /** The unit's base address for location and range lists: the root's DW_AT_low_pc. */
  get baseAddress(): number {
    return this.addr(this.root, DW_AT.low_pc) ?? 0;
  }
}

const DATA_SIZES: Record<number, number> = {
  [DW_FORM.data1]: 1,
  [DW_FORM.data2]: 2,
  [DW_FORM.data4]: 4,
  [DW_FORM.data8]: 8,
};

export interface DebugInfo {
  readonly units: readonly Unit[];
  /** Every DIE by its .debug_info offset, for references across the tree and across units. */
  readonly dies: ReadonlyMap<number, Die>;
}

/** Reads every unit of .debug_info and its DIE tree. */
export function readDebugInfo(s: DebugSections): DebugInfo {
  const units: Unit[] = [];
  const dies = new Map<number, Die>();
  const abbrevCache = new Map<number, AbbrevTable>();
  const c = new Cursor(s.info, s.file, '.debug_info');
  while (c.remaining > 0) {
    const start = c.pos;
    const { offsetSize, end } = c.initialLength(`unit at ${hex(start)}`);
    const version = c.u16();
    if (version < 2 || version > 5) c.fail(`unit at ${hex(start)}: unsupported DWARF version ${version}`, start);
    let unitType: number = DW_UT.compile;
    let addrSize: number;
    let abbrevOffset: number;
    if (version >= 5) {
      unitType = c.u8();
      addrSize = c.u8();
      abbrevOffset = c.uN(offsetSize);
      if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) c.skip(8); // dwo_id
      else if (unitType === DW_UT.type || unitType === DW_UT.split_type) c.skip(8 + offsetSize);
    } else {
      abbrevOffset = c.uN(offsetSize);
      addrSize = c.u8();
    }
    if (addrSize !== 4 && addrSize !== 8) c.fail(`unit at ${hex(start)}: address size ${addrSize}, expected 4`, start);
    const skipped = unitType === DW_UT.type || unitType === DW_UT.split_type || unitType > DW_UT.split_type;
    if (!skipped) {
      let abbrevs = abbrevCache.get(abbrevOffset);
      if (abbrevs === undefined) {
        abbrevs = readAbbrevTable(s.abbrev, abbrevOffset, s.file);
        abbrevCache.set(abbrevOffset, abbrevs);
      }
      const unit = new Unit(s, start, end, version, unitType, addrSize, offsetSize);
      readDies(c.slice(c.pos, end), unit, abbrevs, dies);
      units.push(unit);
    }
    c.seek(end);
  }
  return { units, dies };
}

/** Reads a unit's DIEs iteratively (an explicit parent stack: no recursion to overflow). */
function readDies(c: Cursor, unit: Unit, abbrevs: AbbrevTable, dies: Map<number, Die>): void {
  const parents: Die[] = [];
  let root: Die | undefined;
  while (!c.atEnd) {
    const offset = c.pos;
    const code = c.uleb();
    if (code === 0) {
      // A null entry closes the innermost open DIE; after the root closes it is padding.
      parents.pop();
      if (root !== undefined && parents.length === 0) break;
      continue;
    }
    const ab = abbrevs.get(code);
    if (ab === undefined) c.fail(`DIE uses abbreviation code ${code}, which the unit's table does not define`, offset);
    const attrs = ab.specs.map((spec) => readForm(c, spec, unit));
    const parent = parents[parents.length - 1];
    if (parent === undefined && root !== undefined) break; // a second top-level DIE: ignore the rest
    const die: Die = { offset, tag: ab.tag, attrs, children: [], parent, unit };
    dies.set(offset, die);
    if (parent === undefined) root = die;
    else parent.children.push(die);
    if (ab.hasChildren) {
      if (parents.length >= MAX_DEPTH) c.fail(`DIEs nest more than ${MAX_DEPTH} deep`, offset);
      parents.push(die);
    }
  }
  if (root === undefined) c.fail('unit has no DIEs', unit.offset);
  unit.root = root;
}
