import type { AttrSpec } from './abbrev.js';
import { Cursor } from './cursor.js';
import { DW_FORM } from './dwarf-constants.js';
import { hex } from './error.js';

/**
 * An attribute's raw value, as stored. Interpretation (string section, address index, signed
 * or unsigned constant) depends on the form and on unit-level bases that may come later in
 * the same DIE, so it happens in the accessors of Unit, not here.
 */
export type RawValue = number | bigint | Uint8Array | string;

export interface Attr {
  readonly at: number;
  readonly form: number;
  readonly value: RawValue;
}

/** What a unit header says about how to read its forms. */
export interface FormContext {
  readonly version: number;
  readonly addrSize: number;
  readonly offsetSize: 4 | 8;
}

/** Reads one attribute value of `form` (resolving DW_FORM_indirect). */
export function readForm(c: Cursor, spec: AttrSpec, ctx: FormContext): Attr {
  let form = spec.form;
  // DW_FORM_indirect names the real form inline; a chain of them is legal but pointless,
  // so a short limit keeps a corrupt file from recursing.
  for (let hops = 0; form === DW_FORM.indirect; hops++) {
    if (hops > 4) c.fail('DW_FORM_indirect chain is too long');
    form = c.uleb();
  }
  return { at: spec.at, form, value: readValue(c, form, spec, ctx) };
}

function readValue(c: Cursor, form: number, spec: AttrSpec, ctx: FormContext): RawValue {
  switch (form) {
    case DW_FORM.addr:
      return c.uN(ctx.addrSize);
    case DW_FORM.block1:
      return c.bytesOf(c.u8());
    case DW_FORM.block2:
      return c.bytesOf(c.u16());
    case DW_FORM.block4:
      return c.bytesOf(c.u32());
    case DW_FORM.block:
    case DW_FORM.exprloc:
      return c.bytesOf(c.uleb());
    case DW_FORM.data1:
    case DW_FORM.ref1:
    case DW_FORM.flag:
    case DW_FORM.strx1:
    case DW_FORM.addrx1:
      return c.u8();
    case DW_FORM.data2:
    case DW_FORM.ref2:
    case DW_FORM.strx2:
    case DW_FORM.addrx2:
      return c.u16();
    case DW_FORM.strx3:
    case DW_FORM.addrx3: {
      const lo = c.u16();
      return lo | (c.u8() << 16);
    }
    case DW_FORM.data4:
    case DW_FORM.ref4:
    case DW_FORM.ref_sup4:
    case DW_FORM.strx4:
    case DW_FORM.addrx4:
      return c.u32();
    case DW_FORM.data8:
    case DW_FORM.ref_sig8:
      return small(c.u64big());
    case DW_FORM.ref8:
    case DW_FORM.ref_sup8:
      return c.u64();
    case DW_FORM.data16:
      return c.bytesOf(16);
    case DW_FORM.string:
      return c.cstring();
    case DW_FORM.sdata:
      return small(c.slebBig());
    case DW_FORM.udata:
      return small(c.ulebBig());
    case DW_FORM.ref_udata:
    case DW_FORM.strx:
    case DW_FORM.addrx:
    case DW_FORM.loclistx:
    case DW_FORM.rnglistx:
    case DW_FORM.GNU_addr_index:
    case DW_FORM.GNU_str_index:
      return c.uleb();
    case DW_FORM.ref_addr:
      // DWARF 2 made ref_addr address-sized; from version 3 on it is offset-sized.
      return c.uN(ctx.version <= 2 ? ctx.addrSize : ctx.offsetSize);
    case DW_FORM.strp:
    case DW_FORM.line_strp:
    case DW_FORM.sec_offset:
    case DW_FORM.strp_sup:
    case DW_FORM.GNU_strp_alt:
    case DW_FORM.GNU_ref_alt:
      return c.uN(ctx.offsetSize);
    case DW_FORM.flag_present:
      return 1;
    case DW_FORM.implicit_const:
      return small(spec.implicitConst ?? 0n);
    default:
      return c.fail(`unknown attribute form ${hex(form)} (attribute ${hex(spec.at)}): cannot read past it`);
  }
}

/** bigint values that fit a JS number are stored as numbers; the rest stay bigint. */
function small(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
