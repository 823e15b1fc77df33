// What the hover at a position shows: an instruction, a prefix, a branch hint, a register, an
// unimplemented instruction, or a symbol's definition.
import type { Range } from 'vscode-languageserver';
import { foreignInstruction } from '../isa/foreign.js';
import { BRANCH_HINTS, PREFIXES } from '../isa/prefixes.js';
import { lookupRegister } from '../isa/registers.js';
import { resolveMnemonic } from '../isa/spelling.js';
import { instructionHover } from '../hover/instruction.js';
import { foreignHover, hintHover, prefixHover, registerHover } from '../hover/other.js';
import { type ParsedDocument, within } from '../syntax/document.js';
import { definitions, type Found, isLocalTo, targetAt } from './navigation.js';

export interface HoverResult {
  markdown: string;
  range: Range;
}

function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

export function hoverAt(doc: ParsedDocument, all: readonly ParsedDocument[], line: number, character: number, nameOf: (found: Found) => string): HoverResult | undefined {
  for (const site of doc.instructions) {
    if (site.line !== line) continue;
    for (const p of site.prefixes) {
      const prefix = PREFIXES.get(p.text.toLowerCase());
      if (prefix && within(line, character, { line, ...p })) return { markdown: prefixHover(p.text, prefix), range: range(line, p.start, p.end) };
    }
    const m = site.mnemonic;
    if (m && !site.macro && within(line, character, { line, ...m })) {
      const spelling = resolveMnemonic(m.text, site.operands);
      if (spelling) return { markdown: instructionHover({ written: m.text, spelling, operands: site.operands }), range: range(line, m.start, m.end) };
      const foreign = foreignInstruction(m.text);
      if (foreign) return { markdown: foreignHover(m.text, foreign), range: range(line, m.start, m.end) };
      const prefix = PREFIXES.get(m.text.toLowerCase());
      if (prefix) return { markdown: prefixHover(m.text, prefix), range: range(line, m.start, m.end) };
      return undefined;
    }
    if (site.hint && within(line, character, { line, ...site.hint })) {
      const text = BRANCH_HINTS.get(site.hint.text.toLowerCase());
      if (text) return { markdown: hintHover(site.hint.text, text), range: range(line, site.hint.start, site.hint.end) };
    }
  }
  const reg = doc.registers.find((r) => within(line, character, { line: r.line, ...r.token }));
  if (reg) {
    const r = lookupRegister(reg.token.text.slice(1));
    return r ? { markdown: registerHover(reg.token.text, r), range: range(line, reg.token.start, reg.token.end) } : undefined;
  }
  const target = targetAt(doc, line, character);
  if (target?.kind === 'symbol') {
    const defs = definitions(all, doc, target.name);
    const o = target.occurrence;
    const scope = isLocalTo(doc, target.name) ? 'local to this file' : defs.some((d) => d.doc.globals.has(target.name)) ? 'global' : 'not defined in the workspace\'s assembly files';
    const lines = [`**\`${target.name}\`** — symbol, ${scope}`];
    for (const d of defs.slice(0, 5)) lines.push('', `Defined at ${nameOf(d)}:`, '```asm', d.doc.lines[d.line].trim(), '```');
    return { markdown: lines.join('\n'), range: range(line, o.start, o.end) };
  }
  if (target?.kind === 'local') {
    const l = target.label;
    return { markdown: `**\`${l.label}:\`** — numeric local label, line ${l.line + 1}\n\n\`${l.label}b\` refers to the nearest one before, \`${l.label}f\` to the nearest one after.`, range: range(line, character, character) };
  }
  return undefined;
}
