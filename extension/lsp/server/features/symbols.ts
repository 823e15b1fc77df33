// Outline and workspace-symbol entries in protocol form.
import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { ParsedDocument } from '../syntax/document.js';
import { outline, type OutlineEntry } from './navigation.js';

const KINDS: Readonly<Record<OutlineEntry['kind'], SymbolKind>> = {
  function: SymbolKind.Function,
  variable: SymbolKind.Variable,
  constant: SymbolKind.Constant,
};

export function detailOf(e: OutlineEntry): string {
  const parts = [e.global ? 'global' : 'local'];
  if (e.section && e.kind !== 'constant') parts.push(e.section);
  if (e.viaMacro) parts.push(`via ${e.viaMacro}()`);
  return parts.join(' · ');
}

export function symbolKindOf(e: OutlineEntry): SymbolKind {
  return KINDS[e.kind];
}

export function documentSymbols(doc: ParsedDocument): DocumentSymbol[] {
  return outline(doc).map((e) => {
    const sel = { start: { line: e.line, character: e.start }, end: { line: e.line, character: e.end } };
    const full = { start: { line: e.line, character: 0 }, end: { line: e.line, character: doc.lines[e.line].length } };
    return { name: e.name, detail: detailOf(e), kind: symbolKindOf(e), range: full, selectionRange: sel };
  });
}
