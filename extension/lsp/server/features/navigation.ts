// Go to definition, find references and the outline, over parsed documents. Symbols follow the
// linker's rules: a label is local to its file unless declared .globl/.global/.weak (or .comm);
// a reference resolves to the file's own definition first, else to a global one elsewhere.
// gas's numeric labels (1:, referred to as 1b / 1f) resolve within the file.
import { type LocalLabel, type ParsedDocument, type SymbolOccurrence, within } from '../syntax/document.js';

export type Target =
  | { kind: 'symbol'; name: string; occurrence: SymbolOccurrence }
  | { kind: 'local'; label: LocalLabel; index: number };

/** What is under a position: a symbol (defined, declared or referenced) or a numeric label. */
export function targetAt(doc: ParsedDocument, line: number, character: number): Target | undefined {
  const occ = doc.symbols.find((s) => within(line, character, s));
  if (occ) return { kind: 'symbol', name: occ.name, occurrence: occ };
  const ref = doc.localRefs.find((r) => within(line, character, r));
  if (ref) return ref.target === undefined ? undefined : { kind: 'local', label: doc.locals[ref.target], index: ref.target };
  const index = doc.locals.findIndex((l) => within(line, character, l));
  return index >= 0 ? { kind: 'local', label: doc.locals[index], index } : undefined;
}

export interface Found {
  doc: ParsedDocument;
  line: number;
  start: number;
  end: number;
}

const definitionsIn = (doc: ParsedDocument, name: string): SymbolOccurrence[] =>
  doc.symbols.filter((s) => s.role === 'definition' && s.name === name);

/** Whether `doc` has its own, file-local definition of `name` (which hides any global one). */
function definesLocally(doc: ParsedDocument, name: string): boolean {
  return !doc.globals.has(name) && definitionsIn(doc, name).length > 0;
}

/** The definitions a name in `from` resolves to. */
export function definitions(all: readonly ParsedDocument[], from: ParsedDocument, name: string): Found[] {
  const own = definitionsIn(from, name);
  if (own.length > 0) return own.map((s) => ({ doc: from, line: s.line, start: s.start, end: s.end }));
  return globalDefinitions(all, name);
}

/** Definitions of `name` in files that export it (for C files and cross-file references). */
export function globalDefinitions(all: readonly ParsedDocument[], name: string): Found[] {
  return all
    .filter((d) => d.globals.has(name))
    .flatMap((d) => definitionsIn(d, name).map((s) => ({ doc: d, line: s.line, start: s.start, end: s.end })));
}

/** Whether a name used in `from` is a file-local symbol of `from`. */
export function isLocalTo(from: ParsedDocument, name: string): boolean {
  return definesLocally(from, name);
}

/**
 * Every place the symbol `name` (as seen from `from`) is named: references and .globl/.type/.size
 * declarations; definitions too when `includeDefinitions`. A file-local symbol stays in its file.
 */
export function references(all: readonly ParsedDocument[], from: ParsedDocument, name: string, includeDefinitions: boolean): Found[] {
  const scope = isLocalTo(from, name) ? [from] : all.filter((d) => !definesLocally(d, name));
  const seen = new Set<string>();
  const out: Found[] = [];
  for (const doc of scope) {
    for (const s of doc.symbols) {
      if (s.name !== name || (s.role === 'definition' && !includeDefinitions)) continue;
      const key = `${doc.uri}:${s.line}:${s.start}`;
      if (seen.has(key)) continue; // a macro argument both defines and declares
      seen.add(key);
      out.push({ doc, line: s.line, start: s.start, end: s.end });
    }
  }
  return out;
}

/** References of a numeric local label (1b / 1f) and, optionally, the label itself. */
export function localReferences(doc: ParsedDocument, index: number, includeDefinition: boolean): Found[] {
  const out: Found[] = doc.localRefs.filter((r) => r.target === index).map((r) => ({ doc, line: r.line, start: r.start, end: r.end }));
  const l = doc.locals[index];
  if (includeDefinition) out.unshift({ doc, line: l.line, start: l.start, end: l.end });
  return out;
}

export type OutlineKind = 'function' | 'variable' | 'constant';

export interface OutlineEntry {
  name: string;
  kind: OutlineKind;
  line: number;
  start: number;
  end: number;
  global: boolean;
  section?: string;
  viaMacro?: string;
}

/**
 * The symbols a file puts in the assembler's symbol table: its labels, assignments and common
 * symbols. gas keeps `.L` labels and numeric labels out of the table, so the outline does too.
 */
export function outline(doc: ParsedDocument): OutlineEntry[] {
  const out: OutlineEntry[] = [];
  const seen = new Set<string>();
  for (const s of doc.symbols) {
    if (s.role !== 'definition' || s.name.startsWith('.L') || seen.has(s.name)) continue;
    seen.add(s.name);
    const type = doc.types.get(s.name);
    const kind: OutlineKind = s.kind === 'assignment' ? 'constant'
      : type === 'function' ? 'function'
        : type === 'object' || s.kind === 'common' ? 'variable'
          : s.section?.startsWith('.text') ? 'function' : 'variable';
    out.push({
      name: s.name, kind, line: s.line, start: s.start, end: s.end, global: doc.globals.has(s.name),
      ...(s.section ? { section: s.section } : {}), ...(s.viaMacro ? { viaMacro: s.viaMacro } : {}),
    });
  }
  return out;
}
