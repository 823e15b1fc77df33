// Parsers for what binutils (objdump, readelf), llvm-dwarfdump and gdb print about an ELF.
// Each returns plain data the tests compare with the symbol reader's answers.
import { run } from './toolchain.js';

export interface ObjdumpRow {
  readonly file: string; // base name, as objdump prints it
  readonly line: number | undefined; // undefined for the end-of-sequence row ("-")
  readonly address: number;
  readonly isStmt: boolean;
}

/** `objdump --dwarf=decodedline`: one row per line-table row, end_sequence rows included. */
export function objdumpLines(path: string): ObjdumpRow[] {
  const rows: ObjdumpRow[] = [];
  for (const text of run('objdump', ['-w', '--dwarf=decodedline', path]).split('\n')) {
    const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(.*)$/.exec(text);
    if (!m) continue;
    const tail = m[4]!.trim().split(/\s+/);
    rows.push({ file: m[1]!, line: m[2] === '-' ? undefined : Number(m[2]), address: Number(m[3]), isStmt: tail.includes('x') });
  }
  return rows;
}

export interface LlvmRow {
  readonly address: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly endSequence: boolean;
}

/** `llvm-dwarfdump --debug-line`: rows with columns (objdump does not print them). */
export function llvmLines(path: string, tool: string): LlvmRow[] {
  const rows: LlvmRow[] = [];
  for (const text of run(tool, ['--debug-line', path]).split('\n')) {
    const m = /^0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s*(?:\d+\s+)?(.*)$/.exec(text);
    if (!m) continue;
    const flags = m[5]!.split(/\s+/);
    rows.push({ address: parseInt(m[1]!, 16), line: Number(m[2]), column: Number(m[3]), isStmt: flags.includes('is_stmt'), endSequence: flags.includes('end_sequence') });
  }
  return rows;
}

export interface ElfSym {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: string;
  readonly bind: string;
}

/** `readelf -sW`: the static symbol table. */
export function readelfSymbols(path: string): ElfSym[] {
  const out: ElfSym[] = [];
  for (const text of run('readelf', ['-sW', path]).split('\n')) {
    const m = /^\s*\d+:\s+([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+(\w+)\s+(\w+)\s+\w+\s+\S+\s+(\S+)$/.exec(text);
    if (!m) continue;
    out.push({ value: parseInt(m[1]!, 16), size: Number(m[2]), type: m[3]!, bind: m[4]!, name: m[5]! });
  }
  return out;
}

export interface ReadelfDie {
  readonly offset: number;
  readonly tag: string;
  /** Attribute name to the text readelf prints after the colon. */
  readonly attrs: Map<string, string>;
}

/** `readelf --debug-dump=info`: every DIE with its attributes as text. */
export function readelfDies(path: string): Map<number, ReadelfDie> {
  const dies = new Map<number, ReadelfDie>();
  let current: ReadelfDie | undefined;
  for (const text of run('readelf', ['-W', '--debug-dump=info', path]).split('\n')) {
    const d = /^\s*<\d+><([0-9a-f]+)>: Abbrev Number: \d+ \((DW_TAG_\w+)\)/.exec(text);
    if (d) {
      current = { offset: parseInt(d[1]!, 16), tag: d[2]!, attrs: new Map() };
      dies.set(current.offset, current);
      continue;
    }
    const a = /^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s?(.*)$/.exec(text);
    if (a && current) current.attrs.set(a[1]!, a[2]!.trim());
  }
  return dies;
}

/** The expression text of a DW_AT_location / DW_AT_frame_base block: "DW_OP_fbreg: -20". */
export function blockExpr(attr: string): string | undefined {
  const m = /byte block: [0-9a-f ]*\s+\((.*)\)$/.exec(attr);
  return m?.[1];
}

/** The offset of a location-list attribute ("0x12 (location list)"). */
export function listOffset(attr: string): number | undefined {
  const m = /(0x[0-9a-f]+|\d+) \(location list\)/.exec(attr);
  return m ? Number(m[1]) : undefined;
}

export interface LocEntry {
  readonly start: number;
  readonly end: number;
  readonly expr: string;
}

/**
 * `readelf --debug-dump=loc`: location lists by the section offset a DW_AT_location names.
 * gcc's lists carry location views (separate "view pair" lists, which are skipped).
 */
export function readelfLocLists(path: string): Map<number, LocEntry[]> {
  const lists = new Map<number, LocEntry[]>();
  let current: LocEntry[] | undefined;
  let pendingOffset: number | undefined;
  const begin = (offset: number): LocEntry[] => {
    if (current === undefined) {
      current = [];
      lists.set(offset, current);
    }
    return current;
  };
  for (const text of run('readelf', ['-W', '--debug-dump=loc', path]).split('\n')) {
    if (/location view pair/.test(text)) continue;
    let m = /^\s+([0-9a-f]{8}) <End of list>/.exec(text);
    if (m) {
      current = undefined;
      continue;
    }
    m = /^\s+([0-9a-f]{8}) v[0-9a-f]+ v[0-9a-f]+ views at [0-9a-f]+ for:\s*$/.exec(text);
    if (m) {
      pendingOffset = parseInt(m[1]!, 16);
      continue;
    }
    m = /^\s+([0-9a-f]{8}) ([0-9a-f]{8})? ?\(base address\)/.exec(text) ?? /^\s+([0-9a-f]{8}) [0-9a-f]{8} [0-9a-f]{8} \(base address\)/.exec(text);
    if (m) {
      begin(parseInt(m[1]!, 16));
      continue;
    }
    m = /^\s+([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8}) \((.*)\)\s*$/.exec(text);
    if (m) {
      begin(parseInt(m[1]!, 16)).push({ start: parseInt(m[2]!, 16), end: parseInt(m[3]!, 16), expr: m[4]! });
      continue;
    }
    m = /^\s+([0-9a-f]{8}) ([0-9a-f]{8}) \((.*)\)\s*$/.exec(text);
    if (m && pendingOffset !== undefined) {
      begin(pendingOffset).push({ start: parseInt(m[1]!, 16), end: parseInt(m[2]!, 16), expr: m[3]! });
      pendingOffset = undefined;
    }
  }
  return lists;
}

export interface FrameRow {
  readonly loc: number;
  readonly cfa: string; // "esp+4", "ebp+8", "exp"
  /** Column name (ebp, ebx, ra...) to readelf's rule text ("c-8", "u"). */
  readonly regs: Map<string, string>;
}

/** `readelf --debug-dump=frames-interp`: the unwind table of every FDE. */
export function readelfFrames(path: string): FrameRow[] {
  const rows: FrameRow[] = [];
  let columns: string[] = [];
  let inFde = false;
  for (const text of run('readelf', ['-W', '--debug-dump=frames-interp', path]).split('\n')) {
    if (/ FDE cie=/.test(text)) {
      inFde = true;
      continue;
    }
    if (/ CIE /.test(text)) {
      inFde = false;
      continue;
    }
    const h = /^\s+LOC\s+CFA\s+(.*)$/.exec(text);
    if (h) {
      columns = h[1]!.trim().split(/\s+/).filter((c) => c !== '');
      continue;
    }
    const r = /^([0-9a-f]{8}) (\S+)\s*(.*)$/.exec(text);
    if (r && inFde) {
      const values = r[3]!.trim().split(/\s+/).filter((c) => c !== '');
      rows.push({ loc: parseInt(r[1]!, 16), cfa: r[2]!, regs: new Map(columns.map((c, i) => [c, values[i] ?? ''])) });
    }
  }
  return rows;
}

/** gdb's `whatis` for each expression (one gdb run), or undefined when gdb is not installed. */
export function gdbWhatis(path: string, exprs: readonly string[]): string[] {
  const args = ['-batch', '-nx', ...exprs.flatMap((e) => ['-ex', `whatis ${e}`]), path];
  return run('gdb', args)
    .split('\n')
    .filter((l) => l.startsWith('type = '))
    .map((l) => l.slice('type = '.length));
}

/** Where gdb's `break NAME` puts each breakpoint (undefined when it reports several locations). */
export function gdbBreakAddresses(path: string, names: readonly string[]): (number | undefined)[] {
  const args = ['-batch', '-nx', ...names.flatMap((n) => ['-ex', `break ${n}`]), path];
  return run('gdb', args)
    .split('\n')
    .filter((l) => l.startsWith('Breakpoint '))
    .map((l) => {
      const m = /^Breakpoint \d+ at (0x[0-9a-f]+): file /.exec(l);
      return m ? Number(m[1]) : undefined;
    });
}
