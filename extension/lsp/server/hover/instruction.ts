// The hover of an instruction mnemonic, in Markdown, generated from the emulator's opcode table:
// what it does, the operand forms (AT&T order), EFLAGS, and what ring 3 gets. Pure, so tests can
// read exactly what a user sees.
import type { OpDef } from '../../../../emulator/cpu/opdef.js';
import { descriptionOf, titleOf } from '../isa/catalog.js';
import { encodingText, formText, matchesForm, shapeOf } from '../isa/forms.js';
import { formsFor, type Spelling } from '../isa/spelling.js';
import { flagsKey, flagsText } from './flags.js';
import { ring3Text, ring3Varies } from './privilege.js';

/** At most this many forms are listed; the rest are counted. */
const MAX_FORMS = 14;
/** At most this many one-line descriptions (a bare `mov` has a dozen forms). */
const MAX_DESCRIPTIONS = 4;

const SIZE_WORDS: Readonly<Record<number, string>> = { 1: '8-bit', 2: '16-bit', 4: '32-bit' };

function sizeLine(written: string, s: Spelling): string | undefined {
  if (s.sourceSize !== undefined) {
    const to = s.size ? SIZE_WORDS[s.size] : 'the destination register\'s size';
    return `${s.sourceSize === 1 ? 'byte' : 'word'} source, extended to ${to}`;
  }
  if (s.size === undefined) return undefined;
  const suffix = written.toLowerCase().slice(s.instruction.name.length);
  const why = ['b', 'w', 'l'].includes(suffix) ? ` (\`${suffix}\` suffix)` : '';
  return `${SIZE_WORDS[s.size]} operands${why}`;
}

/** Distinct forms by their AT&T text; the first entry of each is kept. */
function distinctForms(defs: readonly OpDef[], stem: string, v: 2 | 4): { def: OpDef; text: string }[] {
  const seen = new Map<string, OpDef>();
  for (const d of defs) {
    const text = formText(d, stem, v);
    if (!seen.has(text)) seen.set(text, d);
  }
  return [...seen].map(([text, def]) => ({ def, text }));
}

function ring3Section(defs: readonly OpDef[], stem: string, v: 2 | 4): string[] {
  if (!ring3Varies(defs)) return [`**Ring 3:** ${ring3Text(defs[0])}`];
  const lines = ['**Ring 3:** depends on the form'];
  const byText = new Map<string, string[]>();
  for (const { def, text } of distinctForms(defs, stem, v)) {
    const r = ring3Text(def);
    byText.set(r, [...(byText.get(r) ?? []), `\`${text}\``]);
  }
  for (const [r, forms] of byText) {
    const shown = forms.length > 4 ? `${forms.slice(0, 3).join(', ')} and ${forms.length - 3} more` : forms.join(', ');
    lines.push(`- ${shown}: ${r}`);
  }
  return lines;
}

function flagsSection(defs: readonly OpDef[]): string[] {
  const keys = new Map<string, OpDef>();
  for (const d of defs) if (!keys.has(flagsKey(d.flags))) keys.set(flagsKey(d.flags), d);
  if (keys.size === 1) return [`**Flags:** ${flagsText(defs[0].flags)}`];
  return ['**Flags:** depends on the form', ...[...keys.values()].map((d) => `- ${titleOf(d)}: ${flagsText(d.flags)}`)];
}

export interface InstructionHoverInput {
  /** The mnemonic as written ('movl', 'jz', 'MOVZBL'). */
  written: string;
  spelling: Spelling;
  /** The statement's operands in AT&T order, as written; empty when unknown. */
  operands: readonly string[];
}

export function instructionHover(input: InstructionHoverInput): string {
  const { written, spelling, operands } = input;
  // cwtl, cwtd: the name (not a suffix) says the size, so the forms are shown under it.
  const named = spelling.size !== undefined && spelling.instruction.defs.every((d) => d.operands.length === 0);
  const stem = named ? written.toLowerCase() : spelling.instruction.name;
  const v: 2 | 4 = spelling.size === 2 ? 2 : 4;
  const forms = formsFor(spelling);
  const shapes = operands.map(shapeOf);
  const matched = operands.length > 0 ? forms.filter((d) => matchesForm(d, shapes, spelling.size)) : [];
  const relevant = matched.length > 0 ? matched : forms;

  const titles = [...new Set(relevant.map(titleOf))];
  const out: string[] = [];
  const size = sizeLine(written, spelling);
  const title = titles.length <= 2 ? titles.join(' / ') : `${titles[0]} (and ${titles.slice(1).join(', ')})`;
  out.push(`**${title}** \`${written.toLowerCase()}\`${size ? ` — ${size}` : ''}`);
  if (spelling.note) out.push('', spelling.note + '.');
  const descriptions = [...new Set(relevant.map(descriptionOf))].map((d) => d.charAt(0).toUpperCase() + d.slice(1));
  const shown = descriptions.length > MAX_DESCRIPTIONS ? [...descriptions.slice(0, MAX_DESCRIPTIONS), 'The other forms are listed below'] : descriptions;
  out.push('', shown.join('. ') + '.');
  if (spelling.caveat) out.push('', `⚠ On Ringside: ${spelling.caveat}.`);
  out.push('', ...ring3Section(relevant, stem, v), '', ...flagsSection(relevant));

  const all = distinctForms(forms, stem, v);
  const first = new Set(distinctForms(matched, stem, v).map((f) => f.text));
  const ordered = [...all.filter((f) => first.has(f.text)), ...all.filter((f) => !first.has(f.text))];
  out.push('', `**Forms** (AT&T order: source, then destination)${first.size ? '; this line\'s form first' : ''}:`);
  for (const f of ordered.slice(0, MAX_FORMS)) out.push(`- \`${f.text}\` · \`${encodingText(f.def)}\`${first.has(f.text) ? ' ◀' : ''}`);
  if (ordered.length > MAX_FORMS) out.push(`- … and ${ordered.length - MAX_FORMS} more`);
  out.push('', '_From the Ringside emulator\'s opcode table: this is what the emulator executes._');
  return out.join('\n');
}
