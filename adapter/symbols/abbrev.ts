import { Cursor } from './cursor.js';
import { DW_FORM } from './dwarf-constants.js';

export interface AttrSpec {
  readonly at: number;
  readonly form: number;
  /** The value of a DW_FORM_implicit_const attribute, stored in the abbreviation itself. */
  readonly implicitConst?: bigint;
}

export interface Abbrev {
  readonly code: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly specs: readonly AttrSpec[];
}

export type AbbrevTable = ReadonlyMap<number, Abbrev>;

/**
 * Reads the abbreviation table at `offset` of .debug_abbrev (one per unit, often shared by
 * several units: callers cache by offset). Every entry consumes bytes, so a corrupt table
 * ends at the section's end rather than looping.
 */
export function readAbbrevTable(section: Uint8Array, offset: number, file: string): AbbrevTable {
  const c = new Cursor(section, file, '.debug_abbrev');
  if (offset >= section.length) c.fail(`abbreviation table offset ${offset} lies outside the section (${section.length} bytes)`, 0);
  c.seek(offset);
  const table = new Map<number, Abbrev>();
  for (;;) {
    const at = c.pos;
    const code = c.uleb();
    if (code === 0) break;
    const tag = c.uleb();
    const children = c.u8();
    if (children > 1) c.fail(`abbreviation ${code}: children flag is ${children}, expected 0 or 1`, at);
    const specs: AttrSpec[] = [];
    for (;;) {
      const name = c.uleb();
      const form = c.uleb();
      if (name === 0 && form === 0) break;
      if (form === DW_FORM.implicit_const) specs.push({ at: name, form, implicitConst: c.slebBig() });
      else specs.push({ at: name, form });
    }
    if (table.has(code)) c.fail(`abbreviation code ${code} is defined twice`, at);
    table.set(code, { code, tag, hasChildren: children === 1, specs });
  }
  return table;
}
