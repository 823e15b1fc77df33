import { posix } from 'node:path';
import type { LineRow } from './line-program.js';

export interface SourceLocation {
  /** Absolute path of the source file (as the compiler recorded it, normalised). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type BreakpointResolution =
  | { readonly line: number; readonly addresses: readonly number[] }
  | { readonly reason: string };

interface AddressRange {
  readonly start: number;
  readonly end: number;
  readonly row: LineRow;
}

/**
 * The line-number matrix of a whole program, indexed for the debugger's questions: which line
 * is this pc on, where does a line's code start, where does the current line's block end.
 */
export class LineTable {
  /** Address ranges [row.address, next row's address), sorted, from every sequence. */
  private readonly ranges: AddressRange[] = [];
  /** is_stmt rows by file, then line. */
  private readonly byFile = new Map<string, Map<number, number[]>>();
  private readonly building = new Map<string, Map<number, Set<number>>>();
  private readonly stmtStarts = new Set<number>();
  /** is_stmt rows (line != 0) sorted by address, rows at one address in table order. */
  private readonly stmtRows: LineRow[] = [];

  constructor(
    /** Every row of every line program, in program order (end_sequence rows included). */
    readonly rows: readonly LineRow[],
  ) {
    let seqStart = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!row.endSequence) continue;
      this.addSequence(rows.slice(seqStart, i + 1));
      seqStart = i + 1;
    }
    // A trailing sequence without end_sequence has no known end: its last row gets no range.
    if (seqStart < rows.length) this.addSequence(rows.slice(seqStart));
    this.ranges.sort((a, b) => a.start - b.start || a.end - b.end);
    this.stmtRows.sort((a, b) => a.address - b.address); // stable: table order within an address
    for (const [file, lines] of this.building) {
      const sorted = new Map<number, number[]>();
      for (const [line, addrs] of lines) sorted.set(line, [...addrs].sort((a, b) => a - b));
      this.byFile.set(file, sorted);
    }
    this.building.clear();
  }

  private addSequence(seq: readonly LineRow[]): void {
    // The linker leaves the line programs of discarded code (--gc-sections, COMDAT) in place
    // with their addresses relocated to 0; no course program has code at 0, so such
    // sequences would only shadow real code in lookups.
    if (seq.length === 0 || seq[0]!.address === 0) return;
    for (let i = 0; i < seq.length; i++) {
      const row = seq[i]!;
      if (row.endSequence) break;
      const next = seq[i + 1];
      if (next !== undefined && next.address > row.address) this.ranges.push({ start: row.address, end: next.address, row });
      if (row.isStmt && row.line !== 0) {
        this.stmtStarts.add(row.address);
        this.stmtRows.push(row);
        let lines = this.building.get(row.file);
        if (lines === undefined) this.building.set(row.file, (lines = new Map()));
        let addrs = lines.get(row.line);
        if (addrs === undefined) lines.set(row.line, (addrs = new Set()));
        addrs.add(row.address);
      }
    }
  }

  /** Source files that have code, as the line tables name them. */
  get files(): string[] {
    return [...this.byFile.keys()].sort();
  }

  private rangeIndex(addr: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranges[mid]!.start <= addr) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    const r = this.ranges[i];
    return r !== undefined && addr < r.end ? i : -1;
  }

  /**
   * The source position of `addr`: the row whose range [address, next address) holds it.
   * Line 0 (code the compiler attributes to no line) reads as no position.
   */
  lineForAddress(addr: number): SourceLocation | undefined {
    const i = this.rangeIndex(addr >>> 0);
    if (i < 0) return undefined;
    const { file, line, column } = this.ranges[i]!.row;
    return line === 0 ? undefined : { file, line, column };
  }

  /** True when an is_stmt row starts exactly at `addr`: a place where a source step may stop. */
  isStatementStart(addr: number): boolean {
    return this.stmtStarts.has(addr >>> 0);
  }

  /**
   * [start, end) of the block of code around `addr` that belongs to the same source line:
   * adjacent ranges of the same file and line are merged, so "step over this line" runs
   * until the pc leaves it.
   */
  lineRange(addr: number): [number, number] | undefined {
    const i = this.rangeIndex(addr >>> 0);
    if (i < 0) return undefined;
    const same = (a: AddressRange, b: AddressRange) => a.end === b.start && a.row.file === b.row.file && a.row.line === b.row.line;
    let lo = i;
    while (lo > 0 && same(this.ranges[lo - 1]!, this.ranges[lo]!)) lo--;
    let hi = i;
    while (hi + 1 < this.ranges.length && same(this.ranges[hi]!, this.ranges[hi + 1]!)) hi++;
    return [this.ranges[lo]!.start, this.ranges[hi]!.end];
  }

  /**
   * The first address in [start, end) where an is_stmt row begins a line other than the one at
   * `start`: for a C function, where its body begins once the prologue has set up the frame
   * (what gdb's `break func` chooses at -O0). Undefined when the range has no such row.
   */
  firstLineChange(start: number, end: number): number | undefined {
    // is_stmt rows, not address ranges: at -Og the statement row for a line is often followed
    // by a non-statement row at the same address, which is the one that owns the range.
    const rows = this.stmtRows;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid]!.address < start) lo = mid + 1;
      else hi = mid;
    }
    const first = rows[lo];
    if (first === undefined || first.address >= end) return undefined;
    for (let j = lo; j < rows.length && rows[j]!.address < end; j++) {
      const r = rows[j]!;
      if (r.line !== first.line || r.file !== first.file) return r.address;
    }
    return undefined;
  }

  /**
   * The files of the table that `path` names: the same normalised path, or else the files
   * that share the longest trailing run of path components with it (a workspace checked out
   * somewhere else than where the program was built; or just "trap.c").
   */
  matchFile(path: string): string[] {
    const norm = posix.normalize(path);
    if (this.byFile.has(norm)) return [norm];
    const want = norm.split('/').filter((p) => p !== '' && p !== '.');
    let best: string[] = [];
    let bestScore = 0;
    for (const f of this.byFile.keys()) {
      const have = f.split('/');
      let k = 0;
      while (k < want.length && k < have.length && want[want.length - 1 - k] === have[have.length - 1 - k]) k++;
      if (k === 0) continue;
      if (k > bestScore) {
        bestScore = k;
        best = [f];
      } else if (k === bestScore) best.push(f);
    }
    return best;
  }

  /** Addresses of the is_stmt rows for exactly this line (empty when the line has no code). */
  addressesForLine(file: string, line: number): number[] {
    const out = new Set<number>();
    for (const f of this.matchFile(file)) for (const a of this.byFile.get(f)?.get(line) ?? []) out.add(a);
    return [...out].sort((a, b) => a - b);
  }

  /**
   * Where a breakpoint on `file:line` goes. A line without code moves to the next line of the
   * same file that has code (as gdb does). A line may have several is_stmt rows in one
   * function (a for loop's init, test and increment): only the lowest address of each group
   * is kept, so the breakpoint hits once per pass rather than at every piece; `groupOf`
   * says which function an address is in (addresses it cannot place group by themselves).
   */
  resolveBreakpoint(file: string, line: number, groupOf?: (addr: number) => unknown): BreakpointResolution {
    const files = this.matchFile(file);
    if (files.length === 0) return { reason: `no line information for ${file}` };
    let bestLine = Infinity;
    for (const f of files) {
      for (const l of this.byFile.get(f)!.keys()) if (l >= line && l < bestLine) bestLine = l;
    }
    if (bestLine === Infinity) return { reason: `no code at or after line ${line} of ${file}` };
    const addrs = this.addressesForLine(file, bestLine);
    const first = new Map<unknown, number>();
    for (const a of addrs) {
      const g = groupOf?.(a) ?? a;
      if (!first.has(g)) first.set(g, a); // addrs are sorted: the first seen is the lowest
    }
    return { line: bestLine, addresses: [...first.values()].sort((a, b) => a - b) };
  }
}
