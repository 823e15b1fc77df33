// Diagnostics: instructions the emulator does not implement (x87, SSE, ...), spellings it runs
// differently from newer CPUs (tzcnt), and words that are neither an instruction nor a macro.
// Directives, labels, preprocessor lines, comments and macro invocations are never flagged.
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { foreignInstruction } from '../isa/foreign.js';
import { PREFIXES } from '../isa/prefixes.js';
import { resolveMnemonic } from '../isa/spelling.js';
import { foreignMessage } from '../hover/other.js';
import type { InstructionSite, ParsedDocument } from '../syntax/document.js';

export const SOURCE = 'ringside';

export const enum Code {
  NotImplemented = 'not-implemented',
  RunsDifferently = 'runs-differently',
  Unknown = 'unknown-instruction',
}

export interface DiagnosticContext {
  /** `#include "..."` names the workspace could not find: their macros are unknown. */
  unresolvedIncludes: readonly string[];
}

function at(site: InstructionSite, severity: DiagnosticSeverity, code: Code, message: string): Diagnostic {
  const m = site.mnemonic!;
  return {
    range: { start: { line: site.line, character: m.start }, end: { line: site.line, character: m.end } },
    severity, code, source: SOURCE, message,
  };
}

/** A word that may be a macro from a header the server could not read: all upper case, like cpp macros. */
function looksLikeMacro(word: string): boolean {
  return /[A-Z]/.test(word) && !/[a-z]/.test(word);
}

export function diagnose(doc: ParsedDocument, ctx: DiagnosticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const site of doc.instructions) {
    const m = site.mnemonic;
    if (!m || site.macro || site.call) continue;
    const word = m.text;
    if (site.inGasMacro && /\\/.test(doc.sourceLines[site.line].code.slice(site.statement.start, site.statement.end))) continue;
    const spelling = resolveMnemonic(word, site.operands);
    if (spelling) {
      if (spelling.caveat) out.push(at(site, DiagnosticSeverity.Warning, Code.RunsDifferently, `${word}: ${spelling.caveat}.`));
      continue;
    }
    const foreign = foreignInstruction(word);
    if (foreign) {
      out.push(at(site, DiagnosticSeverity.Warning, Code.NotImplemented, foreignMessage(word, foreign) + '.'));
      continue;
    }
    if (PREFIXES.has(word.toLowerCase())) continue;
    if (ctx.unresolvedIncludes.length > 0 && looksLikeMacro(word)) continue;
    const includes = ctx.unresolvedIncludes.length ? ` (headers not found: ${ctx.unresolvedIncludes.join(', ')})` : '';
    out.push(at(site, DiagnosticSeverity.Error, Code.Unknown,
      `Unknown instruction \`${word}\`: not an IA-32 mnemonic gas accepts, nor a macro defined in this file or its includes${includes}.`));
  }
  return out;
}
