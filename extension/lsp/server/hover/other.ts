// Hovers for what is not an implemented instruction: prefixes, branch hints, registers, and
// instructions the emulator does not implement.
import type { ForeignInstruction } from '../isa/foreign.js';
import type { Prefix } from '../isa/prefixes.js';
import type { Register } from '../isa/registers.js';

export function prefixHover(word: string, p: Prefix): string {
  const byte = p.byte === undefined ? '' : ` · prefix byte \`${p.byte.toString(16).toUpperCase()}\``;
  return `**\`${word.toLowerCase()}\`** — prefix${byte}\n\n${p.doc}`;
}

export function hintHover(hint: string, doc: string): string {
  return `**\`${hint}\`** — branch hint\n\n${doc.charAt(0).toUpperCase() + doc.slice(1)}.`;
}

/** Why the emulator rejects a real instruction, and what it does when it meets one. */
export function foreignMessage(word: string, f: ForeignInstruction): string {
  const base = `\`${word.toLowerCase()}\` (${f.family}) is not implemented by the Ringside emulator: executing it raises #UD (invalid opcode, vector 6)`;
  if (f.family === 'x87 floating point') return `${base}. The emulated CPU has no FPU; build C code with -mno-80387 (or -msoft-float) so gcc does not emit x87 instructions`;
  if (f.family === 'SSE' || f.family === 'MMX' || f.family === 'AVX') return `${base}. Build C code with -mno-sse -mno-mmx (the samples' flags) so gcc keeps to integer instructions`;
  return base;
}

export function foreignHover(word: string, f: ForeignInstruction): string {
  return `**\`${word.toLowerCase()}\`** — ${f.family} instruction\n\n⚠ ${foreignMessage(word, f)}.`;
}

export function registerHover(written: string, r: Register): string {
  const out = [`**\`%${r.name}\`** — ${r.bits}-bit ${r.cls === 'general' ? 'general-purpose' : r.cls} register${written.toLowerCase() !== '%' + r.name ? ` (written \`${written}\`)` : ''}`, '', r.role];
  if (r.fields?.length) {
    out.push('', '| bit | name | meaning |', '|---:|---|---|');
    for (const f of r.fields) out.push(`| ${f.bit} | ${f.name} | ${f.description} |`);
    out.push('', '_Bit names from the Ringside emulator\'s inspectors (the debugger\'s Control registers scope)._');
  }
  return out.join('\n');
}
