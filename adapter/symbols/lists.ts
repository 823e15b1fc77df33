import { Cursor } from './cursor.js';
import { DW_AT, DW_FORM, DW_LLE, DW_RLE } from './dwarf-constants.js';
import { hex } from './error.js';
import type { Die, Unit } from './info.js';

/** A half-open address range [start, end). */
export interface AddrRange {
  readonly start: number;
  readonly end: number;
}

/** One entry of a location list: `expr` describes the object while start <= pc < end. */
export interface LocListEntry {
  readonly start: number;
  readonly end: number;
  readonly expr: Uint8Array;
  /** DW_LLE_default_location: applies wherever no other entry does (start/end are 0). */
  readonly isDefault?: boolean;
}

const MAX32 = 0xffffffff;
const ADDRESS_FORMS = new Set<number>([DW_FORM.addr, DW_FORM.addrx, DW_FORM.addrx1, DW_FORM.addrx2, DW_FORM.addrx3, DW_FORM.addrx4, DW_FORM.GNU_addr_index]);

/**
 * The address ranges a DIE covers: DW_AT_low_pc with DW_AT_high_pc (an address, or since
 * DWARF 4 an offset from low_pc), or DW_AT_ranges (.debug_ranges before DWARF 5,
 * .debug_rnglists from 5). Empty when the DIE has no code (a declaration, an abstract inline).
 */
export function dieRanges(unit: Unit, die: Die): AddrRange[] {
  const low = unit.addr(die, DW_AT.low_pc);
  const highAttr = unit.attr(die, DW_AT.high_pc);
  if (low !== undefined && highAttr !== undefined) {
    // An address form is the end address; a constant (DWARF 4+, what gcc writes) is a length.
    const high = ADDRESS_FORMS.has(highAttr.form) ? unit.addr(die, DW_AT.high_pc)! : low + unit.udata(die, DW_AT.high_pc)!;
    return high > low ? [{ start: low, end: Math.min(high, MAX32 + 1) }] : [];
  }
  const rangesAttr = unit.attr(die, DW_AT.ranges);
  if (rangesAttr !== undefined) {
    if (unit.version >= 5) return readRngList(unit, listOffset(unit, die, DW_AT.ranges, DW_AT.rnglists_base, unit.s.rnglists, '.debug_rnglists'));
    const off = unit.sectionOffset(die, DW_AT.ranges);
    if (off === undefined) unit.fail(`DIE ${hex(die.offset)}: DW_AT_ranges has form ${hex(rangesAttr.form)}`);
    return readRanges4(unit, off);
  }
  // A DIE with only low_pc (a label, or a CU with one address) covers no range of its own.
  return [];
}

/**
 * The section offset a DW_AT_ranges / DW_AT_location attribute points at: a sec_offset
 * directly, or a rnglistx/loclistx index into the offsets table at the unit's base.
 */
export function listOffset(unit: Unit, die: Die, at: number, baseAt: number, section: Uint8Array, name: string): number {
  const a = unit.attr(die, at)!;
  if (a.form === DW_FORM.rnglistx || a.form === DW_FORM.loclistx) {
    const base = unit.sectionOffset(unit.root, baseAt) ?? (unit.offsetSize === 8 ? 20 : 12);
    const c = new Cursor(section, unit.file, name);
    c.seek(Math.min(base + (a.value as number) * unit.offsetSize, c.end));
    return base + c.uN(unit.offsetSize);
  }
  const off = unit.sectionOffset(die, at);
  if (off === undefined) unit.fail(`DIE ${hex(die.offset)}: attribute ${hex(at)} has form ${hex(a.form)}, not a list offset`);
  return off;
}

function cursorAt(unit: Unit, section: Uint8Array, name: string, offset: number): Cursor {
  const c = new Cursor(section, unit.file, name);
  if (offset >= section.length) c.fail(`list offset ${hex(offset)} lies outside the section (${section.length} bytes)`, 0);
  c.seek(offset);
  return c;
}

/** DWARF 2-4 .debug_ranges: (begin, end) pairs relative to a base, (0, 0) ends the list. */
function readRanges4(unit: Unit, offset: number): AddrRange[] {
  const c = cursorAt(unit, unit.s.ranges, '.debug_ranges', offset);
  const sel = unit.addrSize === 4 ? MAX32 : Number.MAX_SAFE_INTEGER;
  let base = unit.baseAddress;
  const out: AddrRange[] = [];
  for (;;) {
    const begin = c.uN(unit.addrSize);
    const end = c.uN(unit.addrSize);
    if (begin === 0 && end === 0) return out;
    if (begin === sel) base = end; // base address selection entry
    else pushRange(out, base + begin, base + end);
  }
}

function pushRange(out: AddrRange[], start: number, end: number): void {
  start = start % 2 ** 32;
  end = end > 2 ** 32 ? end % 2 ** 32 : end;
  if (end > start) out.push({ start, end });
}

/** DWARF 5 .debug_rnglists entries (DW_RLE_*), until DW_RLE_end_of_list. */
function readRngList(unit: Unit, offset: number): AddrRange[] {
  const c = cursorAt(unit, unit.s.rnglists, '.debug_rnglists', offset);
  let base = unit.baseAddress;
  const out: AddrRange[] = [];
  for (;;) {
    const at = c.pos;
    const kind = c.u8();
    switch (kind) {
      case DW_RLE.end_of_list:
        return out;
      case DW_RLE.base_addressx:
        base = unit.addrIndex(c.uleb());
        break;
      case DW_RLE.startx_endx: {
        const s = unit.addrIndex(c.uleb());
        pushRange(out, s, unit.addrIndex(c.uleb()));
        break;
      }
      case DW_RLE.startx_length: {
        const s = unit.addrIndex(c.uleb());
        pushRange(out, s, s + c.uleb());
        break;
      }
      case DW_RLE.offset_pair: {
        const s = c.uleb();
        pushRange(out, base + s, base + c.uleb());
        break;
      }
      case DW_RLE.base_address:
        base = c.uN(unit.addrSize);
        break;
      case DW_RLE.start_end: {
        const s = c.uN(unit.addrSize);
        pushRange(out, s, c.uN(unit.addrSize));
        break;
      }
      case DW_RLE.start_length: {
        const s = c.uN(unit.addrSize);
        pushRange(out, s, s + c.uleb());
        break;
      }
      default:
        c.fail(`unknown range list entry kind ${kind}`, at);
    }
  }
}

/** The location list a DW_AT_location (or DW_AT_frame_base) in list form points at. */
export function readLocList(unit: Unit, die: Die, at: number): LocListEntry[] {
  if (unit.version >= 5) {
    return readLocList5(unit, listOffset(unit, die, at, DW_AT.loclists_base, unit.s.loclists, '.debug_loclists'));
  }
  const off = unit.sectionOffset(die, at);
  if (off === undefined) unit.fail(`DIE ${hex(die.offset)}: location list attribute has an unexpected form`);
  return readLocList4(unit, off);
}

/** DWARF 2-4 .debug_loc: (begin, end, u16 length, expression) relative to a base. */
function readLocList4(unit: Unit, offset: number): LocListEntry[] {
  const c = cursorAt(unit, unit.s.loc, '.debug_loc', offset);
  const sel = unit.addrSize === 4 ? MAX32 : Number.MAX_SAFE_INTEGER;
  let base = unit.baseAddress;
  const out: LocListEntry[] = [];
  for (;;) {
    const begin = c.uN(unit.addrSize);
    const end = c.uN(unit.addrSize);
    if (begin === 0 && end === 0) return out;
    if (begin === sel) {
      base = end;
      continue;
    }
    const expr = c.bytesOf(c.u16());
    out.push({ start: (base + begin) % 2 ** 32, end: base + end > 2 ** 32 ? (base + end) % 2 ** 32 : base + end, expr });
  }
}

/** DWARF 5 .debug_loclists entries (DW_LLE_*), until DW_LLE_end_of_list. */
function readLocList5(unit: Unit, offset: number): LocListEntry[] {
  const c = cursorAt(unit, unit.s.loclists, '.debug_loclists', offset);
  let base = unit.baseAddress;
  const out: LocListEntry[] = [];
  const push = (start: number, end: number) => {
    const expr = c.bytesOf(c.uleb());
    out.push({ start: start % 2 ** 32, end: end > 2 ** 32 ? end % 2 ** 32 : end, expr });
  };
  for (;;) {
    const at = c.pos;
    const kind = c.u8();
    switch (kind) {
      case DW_LLE.end_of_list:
        return out;
      case DW_LLE.base_addressx:
        base = unit.addrIndex(c.uleb());
        break;
      case DW_LLE.startx_endx: {
        const s = unit.addrIndex(c.uleb());
        push(s, unit.addrIndex(c.uleb()));
        break;
      }
      case DW_LLE.startx_length: {
        const s = unit.addrIndex(c.uleb());
        push(s, s + c.uleb());
        break;
      }
      case DW_LLE.offset_pair: {
        const s = c.uleb();
        push(base + s, base + c.uleb());
        break;
      }
      case DW_LLE.default_location:
        out.push({ start: 0, end: 0, expr: c.bytesOf(c.uleb()), isDefault: true });
        break;
      case DW_LLE.base_address:
        base = c.uN(unit.addrSize);
        break;
      case DW_LLE.start_end: {
        const s = c.uN(unit.addrSize);
        push(s, c.uN(unit.addrSize));
        break;
      }
      case DW_LLE.start_length: {
        const s = c.uN(unit.addrSize);
        push(s, s + c.uleb());
        break;
      }
      case DW_LLE.GNU_view_pair:
        // Location views (gcc -gvariable-location-views=incompat5): two view numbers, no range.
        c.uleb();
        c.uleb();
        break;
      default:
        c.fail(`unknown location list entry kind ${kind}`, at);
    }
  }
}
