import { posix } from 'node:path';
import { Cursor } from './cursor.js';
import { DW_FORM, DW_LNCT, DW_LNE, DW_LNS } from './dwarf-constants.js';
import { hex } from './error.js';
import { readForm, type RawValue } from './forms.js';
import type { DebugSections } from './sections.js';

/** One row of the line-number matrix (DWARF 5 section 6.2.2). */
export interface LineRow {
  readonly address: number;
  /** Absolute (normalised) path when the unit's directories allow; never empty. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  /** The first address after a sequence: it has no code of its own. */
  readonly endSequence: boolean;
}

export interface LineProgram {
  readonly offset: number;
  readonly version: number;
  /** Paths by DWARF file number: index 0 is unused (undefined) before DWARF 5. */
  readonly files: readonly (string | undefined)[];
  readonly rows: readonly LineRow[];
}

/** How the unit names things the line program does not: its directory and strx strings. */
export interface LineContext {
  readonly compDir: string;
  /** Resolves a DW_FORM_strx* index (DWARF 5 line tables may use them); absent: unsupported. */
  readonly strx?: (index: number) => string;
}

interface EntryFormat {
  readonly type: number;
  readonly form: number;
}

/** Reads the line-number program at `offset` of .debug_line and runs it. */
export function readLineProgram(s: DebugSections, offset: number, ctx: LineContext): LineProgram {
  const c = new Cursor(s.line, s.file, '.debug_line');
  if (offset >= s.line.length) c.fail(`line program offset ${hex(offset)} lies outside the section (${s.line.length} bytes)`, 0);
  c.seek(offset);
  const what = `line program at ${hex(offset)}`;
  const { offsetSize, end } = c.initialLength(what);
  const u = c.slice(c.pos, end);
  const version = u.u16();
  if (version < 2 || version > 5) u.fail(`${what}: unsupported version ${version}`, offset);
  let addrSize = 4;
  if (version >= 5) {
    addrSize = u.u8();
    u.u8(); // segment selector size: always 0 for flat i386
  }
  const headerLength = u.uN(offsetSize);
  const programStart = u.pos + headerLength;
  if (programStart > end) u.fail(`${what}: header length ${hex(headerLength)} runs past the unit`, offset);
  const h = {
    minInst: u.u8(),
    maxOps: version >= 4 ? u.u8() : 1,
    defaultIsStmt: u.u8() !== 0,
    lineBase: u.i8(),
    lineRange: u.u8(),
    opcodeBase: u.u8(),
  };
  if (h.lineRange === 0) u.fail(`${what}: line_range is 0`, offset);
  if (h.opcodeBase === 0) u.fail(`${what}: opcode_base is 0`, offset);
  const argCounts = [0];
  for (let i = 1; i < h.opcodeBase; i++) argCounts.push(u.u8());

  const fctx = { version, addrSize, offsetSize };
  const str = (v: RawValue, form: number): string => entryString(s, ctx, u, v, form);
  let dirs: string[];
  let names: { name: string; dir: number }[];
  if (version >= 5) {
    dirs = readEntries(u, fctx).map((e) => str(e.get(DW_LNCT.path)?.value ?? '', e.get(DW_LNCT.path)?.form ?? DW_FORM.string));
    names = readEntries(u, fctx).map((e) => ({
      name: str(e.get(DW_LNCT.path)?.value ?? '', e.get(DW_LNCT.path)?.form ?? DW_FORM.string),
      dir: numberOf(e.get(DW_LNCT.directory_index)?.value),
    }));
  } else {
    dirs = [ctx.compDir];
    for (let d = u.cstring(); d !== ''; d = u.cstring()) dirs.push(d);
    names = [];
    for (let n = u.cstring(); n !== ''; n = u.cstring()) {
      const dir = u.uleb();
      u.uleb(); // modification time
      u.uleb(); // length
      names.push({ name: n, dir });
    }
  }
  // Directory 0 is the compilation directory; the others are relative to it when relative.
  const base = version >= 5 && dirs[0] !== undefined && dirs[0] !== '' ? dirs[0] : ctx.compDir;
  const absDirs = dirs.map((d, i) => (i === 0 ? base : join(base, d)));
  const pathOf = (n: { name: string; dir: number }): string => join(absDirs[n.dir] ?? base, n.name);
  const files: (string | undefined)[] = version >= 5 ? names.map(pathOf) : [undefined, ...names.map(pathOf)];

  u.seek(programStart);
  const rows = run(u, h, argCounts, version, files, pathOf);
  return { offset, version, files, rows };
}

function join(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return posix.normalize(name === '' ? '.' : name);
  return posix.normalize(posix.join(dir, name));
}

function numberOf(v: RawValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** A DWARF 5 directory or file-name table: a format description, then the entries. */
function readEntries(u: Cursor, fctx: { version: number; addrSize: number; offsetSize: 4 | 8 }): Map<number, { form: number; value: RawValue }>[] {
  const formatCount = u.u8();
  const formats: EntryFormat[] = [];
  for (let i = 0; i < formatCount; i++) formats.push({ type: u.uleb(), form: u.uleb() });
  const count = u.uleb();
  // Each entry consumes at least one byte per format, so a count larger than what is left
  // is corrupt; entries without formats would consume nothing and loop for `count` turns.
  if (count > 0 && (formats.length === 0 || count > u.remaining)) u.fail(`line table lists ${count} entries it cannot hold`);
  const out = [];
  for (let i = 0; i < count; i++) {
    const entry = new Map<number, { form: number; value: RawValue }>();
    for (const f of formats) {
      if (f.form === DW_FORM.implicit_const || f.form === DW_FORM.indirect) u.fail(`line table entry uses form ${hex(f.form)}`);
      const a = readForm(u, { at: f.type, form: f.form }, fctx);
      entry.set(f.type, { form: a.form, value: a.value });
    }
    out.push(entry);
  }
  return out;
}

function entryString(s: DebugSections, ctx: LineContext, u: Cursor, v: RawValue, form: number): string {
  switch (form) {
    case DW_FORM.string:
      return v as string;
    case DW_FORM.line_strp:
      return s.lineStr.get(v as number);
    case DW_FORM.strp:
      return s.str.get(v as number);
    case DW_FORM.strx:
    case DW_FORM.strx1:
    case DW_FORM.strx2:
    case DW_FORM.strx3:
    case DW_FORM.strx4:
      if (ctx.strx === undefined) u.fail('line table uses DW_FORM_strx without a unit to resolve it');
      return ctx.strx(v as number);
    default:
      return u.fail(`line table path has form ${hex(form)}, not a string form`);
  }
}

interface Header {
  readonly minInst: number;
  readonly maxOps: number;
  readonly defaultIsStmt: boolean;
  readonly lineBase: number;
  readonly lineRange: number;
  readonly opcodeBase: number;
}

/** Runs the line-number state machine over the program bytes. */
function run(
  u: Cursor,
  h: Header,
  argCounts: readonly number[],
  version: number,
  files: (string | undefined)[],
  pathOf: (n: { name: string; dir: number }) => string,
): LineRow[] {
  const rows: LineRow[] = [];
  const maxOps = Math.max(1, h.maxOps);
  let address = 0;
  let opIndex = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = h.defaultIsStmt;
  const reset = () => {
    address = 0;
    opIndex = 0;
    file = 1;
    line = 1;
    column = 0;
    isStmt = h.defaultIsStmt;
  };
  const emit = (endSequence: boolean) => {
    rows.push({ address, file: files[file] ?? `<file ${file}>`, line, column, isStmt, endSequence });
  };
  // VLIW op_index arithmetic (DWARF 5 6.2.5.1); on i386 max_ops is 1 and this is address += n.
  const advance = (operationAdvance: number) => {
    const total = opIndex + operationAdvance;
    address = (address + h.minInst * Math.floor(total / maxOps)) >>> 0;
    opIndex = total % maxOps;
  };
  while (!u.atEnd) {
    const op = u.u8();
    if (op >= h.opcodeBase) {
      const adjusted = op - h.opcodeBase;
      advance(Math.floor(adjusted / h.lineRange));
      line += h.lineBase + (adjusted % h.lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = u.uleb();
        const start = u.pos;
        if (len === 0 || len > u.remaining) u.fail(`extended opcode length ${len} is invalid`);
        const sub = u.u8();
        if (sub === DW_LNE.end_sequence) {
          emit(true);
          reset();
        } else if (sub === DW_LNE.set_address) {
          // The operand is address-sized; anything else is corrupt but skippable.
          if (len - 1 === 4 || len - 1 === 8) address = Number(BigInt.asUintN(32, len - 1 === 4 ? BigInt(u.u32()) : u.u64big()));
          opIndex = 0;
        } else if (sub === DW_LNE.define_file && version < 5) {
          const name = u.cstring();
          const dir = u.uleb();
          files.push(pathOf({ name, dir }));
        }
        // set_discriminator and unknown extended opcodes: skipped by their length.
        u.seek(start + len);
        break;
      }
      case DW_LNS.copy:
        emit(false);
        break;
      case DW_LNS.advance_pc:
        advance(u.uleb());
        break;
      case DW_LNS.advance_line:
        line += u.sleb();
        break;
      case DW_LNS.set_file:
        file = u.uleb();
        break;
      case DW_LNS.set_column:
        column = u.uleb();
        break;
      case DW_LNS.negate_stmt:
        isStmt = !isStmt;
        break;
      case DW_LNS.const_add_pc:
        advance(Math.floor((255 - h.opcodeBase) / h.lineRange));
        break;
      case DW_LNS.fixed_advance_pc:
        address = (address + u.u16()) >>> 0;
        opIndex = 0;
        break;
      case DW_LNS.set_isa:
        u.uleb();
        break;
      case DW_LNS.set_basic_block:
      case DW_LNS.set_prologue_end:
      case DW_LNS.set_epilogue_begin:
        break;
      default:
        // A standard opcode this reader does not know: skip the ULEB arguments the header declares.
        for (let i = 0; i < (argCounts[op] ?? 0); i++) u.uleb();
        break;
    }
  }
  return rows;
}
