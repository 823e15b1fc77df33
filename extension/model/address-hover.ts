// The address hover: a number in the source read as a linear address and walked through the
// current page tables by the adapter ('translate'): each paging-structure entry with its index
// and flags, then the physical address or the check that fails, in words.
import { code, escapeMarkdown } from './markdown.js';
import { hex, hex8 } from './row.js';
import { verdict } from './translate.js';
import type { TranslateResponse, WireStep } from './wire.js';

export interface AddressHoverInput {
  /** The literal as written ("0xf0100064", "4096"). */
  literal: string;
  read: TranslateResponse;
  write: TranslateResponse;
  user?: { read: TranslateResponse; write: TranslateResponse };
}

/** Where an entry leads: a page table, a 4 MiB or 4 KiB page, or nowhere. */
function target(s: Extract<WireStep, { kind: 'entry' }>): string {
  const e = s.entry;
  if (!e.present) return 'not present';
  const where = e.kind === 'table' ? 'page table' : e.kind === 'page4m' ? '4 MiB page' : '4 KiB page';
  return `${where} at ${code(hex8(e.frame))}${s.beyondMemory ? ' (beyond RAM)' : ''}`;
}

function walkTable(t: TranslateResponse): string {
  const rows = ['| entry | index | value | flags | leads to |', '|:--|:--|:--|:--|:--|'];
  for (const s of t.steps) {
    if (s.kind === 'identity') rows.push(`| — | | | | paging is off: linear = physical |`);
    else rows.push(`| ${s.level.toUpperCase()} | ${code(hex(s.index))} | ${code(hex8(s.value))} | ${s.entry.present ? escapeMarkdown(s.entry.flags.join(' ')) : '—'} | ${target(s)} |`);
  }
  return rows.join('\n');
}

/** One access's outcome in a line: "→ 0x00100064" or "✗ user access to a supervisor page (#PF err 0x7 ...)". */
function outcome(t: TranslateResponse): string {
  const v = verdict(t);
  if (t.kind === 'ok') return `✓ ${code(hex8(t.phys))}`;
  if (t.kind === 'fault') return `✗ ${escapeMarkdown(v.headline)} (#PF error code ${code(hex(t.errorCode))} ${escapeMarkdown(t.errorText)})`;
  return `✗ ${escapeMarkdown(v.headline)}`;
}

export function addressHoverMarkdown(input: AddressHoverInput): string {
  const { read, write, user } = input;
  const lines: string[] = [];
  lines.push(`**${code(hex8(read.va))}** through the current page tables (CPL ${read.cpl})`);
  if (!read.paging) {
    lines.push('', 'Paging is off: the linear address is the physical address.');
  } else {
    lines.push('', walkTable(read));
  }
  lines.push('');
  if (read.kind === 'ok') {
    // The adapter's text ends with what the page is: "(kernel rw, 4 MiB page)".
    const kind = /\(([^)]*)\)\s*$/.exec(read.text)?.[1];
    lines.push(`**physical ${code(hex8(read.phys))}**${kind ? ' — ' + escapeMarkdown(kind) : ''}`);
  } else {
    lines.push(`**✗ a read fails: ${escapeMarkdown(verdict(read).headline)}**`, '');
    lines.push(read.kind === 'fault'
      ? `The ${read.level.toUpperCase()} refuses it; the CPU would raise #PF with error code ${code(hex(read.errorCode))} ${escapeMarkdown(read.errorText)}.`
      : escapeMarkdown(read.text));
  }
  lines.push('', `- write at CPL ${write.cpl}: ${outcome(write)}`);
  if (user) {
    lines.push(`- read from ring 3: ${outcome(user.read)}`, `- write from ring 3: ${outcome(user.write)}`);
  }
  return lines.join('\n');
}
