// The trap-frame hover: the adapter's decoded trap frame (the children of an evaluated struct
// Trapframe, or of the "Trap frame (about to be delivered)" scope) laid out for a student: vector
// and name, error code in words, cr2, eip as symbol and a link to its source line, the ring from
// cs, EFLAGS bits. Nothing is decoded here: the words come from the adapter.
import { code, commandLink, escapeMarkdown, table } from './markdown.js';

/** A DAP Variable as the adapter sends it. */
export interface DapVariable {
  name: string;
  value: string;
  variablesReference?: number;
  memoryReference?: string;
}

export interface SourceLocation {
  path: string;
  line: number;
}

/** The command a hover link runs to open a source file at a line (registered by hovers/register.ts). */
export const OPEN_SOURCE_COMMAND = 'ringside.openSourceLine';

/** The field names of the adapter's decoded struct Trapframe (adapter/variables.ts trapFrame). */
const DECODED_FIELDS = ['address', 'trapno', 'eip', 'cs'];

/** True when the variables are the adapter's decoding of a trap frame, not plain struct members. */
export function isDecodedTrapFrame(fields: readonly DapVariable[]): boolean {
  const names = new Set(fields.map((f) => f.name));
  return DECODED_FIELDS.every((n) => names.has(n));
}

export interface TrapFrameFacts {
  /** Where the frame is in memory (a live frame only). */
  address?: string;
  vector: number;
  vectorName: string;
  err?: string;
  /** The error code in words: "[user, write, protection]" for #PF, the selector's meaning for #GP... */
  errWords?: string;
  cr2?: string;
  eip: string;
  eipSymbol?: string;
  /** "file.c:30" as the adapter wrote it. */
  eipWhere?: string;
  cs?: string;
  /** The privilege level the trap came from (cs & 3). */
  ring?: number;
  /** For a frame about to be delivered: the ring the handler runs in. */
  toRing?: number;
  eflags?: string;
  eflagsBits?: string;
  esp?: string;
  ss?: string;
}

/** Reads the adapter's field texts ("14 Page Fault", "0x00000007 [user, write, protection]" ...). */
export function trapFrameFacts(fields: readonly DapVariable[], eflags?: string): TrapFrameFacts | undefined {
  const get = (n: string): string | undefined => fields.find((f) => f.name === n)?.value;
  const trapno = /^(\d+)\s*(.*)$/.exec(get('trapno') ?? '');
  const eip = /^(0x[0-9a-f]+)(?:\s+<([^>]+)>)?(?:\s+(\S+:\d+))?/i.exec(get('eip') ?? '');
  if (!trapno || !eip) return undefined;
  const facts: TrapFrameFacts = { vector: Number(trapno[1]), vectorName: trapno[2]!, eip: eip[1]!, eipSymbol: eip[2], eipWhere: eip[3] };
  facts.address = get('address');
  const err = /^(0x[0-9a-f]+)\s*(.*)$/i.exec(get('err') ?? '');
  if (err) {
    facts.err = err[1];
    facts.errWords = err[2] || undefined;
  }
  facts.cr2 = get('cr2');
  const cs = /^(0x[0-9a-f]+)(?:.*ring (\d))?/i.exec(get('cs') ?? '');
  if (cs) {
    facts.cs = cs[1];
    if (cs[2] !== undefined) facts.ring = Number(cs[2]);
  }
  const ring = /^(\d)\s*->\s*(\d)$/.exec(get('ring') ?? '');
  if (ring) {
    facts.ring = Number(ring[1]);
    facts.toRing = Number(ring[2]);
  }
  const fl = /^(0x[0-9a-f]+)\s*(.*)$/i.exec(get('eflags') ?? eflags ?? '');
  if (fl) {
    facts.eflags = fl[1];
    facts.eflagsBits = fl[2] || undefined;
  }
  facts.esp = /^0x[0-9a-f]+/i.exec(get('esp') ?? '')?.[0];
  facts.ss = /^0x[0-9a-f]+/i.exec(get('ss') ?? '')?.[0];
  return facts;
}

export interface TrapFrameView {
  /** What was hovered ("tf", "curenv->env_tf"). */
  expression: string;
  /** 'live': a struct Trapframe in memory; 'pending': stopped before the CPU pushes it. */
  state: 'live' | 'pending';
  /** The adapter's one-line summary (its evaluate result, or the exception's description). */
  summary?: string;
  fields: readonly DapVariable[];
  /** The source line of eip (the adapter's disassembly of that address). */
  eipSource?: SourceLocation;
  /** A pending frame has no eflags field: the EFLAGS the CPU is about to push (Registers scope). */
  eflags?: string;
}

const ringWords = (ring: number): string => (ring === 3 ? 'ring 3 (user mode)' : ring === 0 ? 'ring 0 (kernel mode)' : `ring ${ring}`);
const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p;

/** The hover's Markdown; undefined when the fields are not a decoded trap frame. */
export function trapFrameMarkdown(view: TrapFrameView): string | undefined {
  const f = trapFrameFacts(view.fields, view.eflags);
  if (!f) return undefined;
  const lines: string[] = [];
  if (view.state === 'live') {
    lines.push(`**Trap frame** ${code(view.expression)}${f.address ? ` — struct Trapframe at ${code(f.address)}` : ''}`);
  } else {
    lines.push(`**Trap frame about to be delivered** — ${code(view.expression)} does not exist yet: the debugger stopped before the CPU pushes this frame`);
  }
  if (view.summary) lines.push('', escapeMarkdown(view.summary));
  const rows: Array<[string, string]> = [];
  rows.push(['trap', `${f.vector} (${code('0x' + f.vector.toString(16).padStart(2, '0'))}) ${escapeMarkdown(f.vectorName)}`]);
  if (f.err !== undefined) rows.push(['err', `${code(f.err)}${f.errWords ? ' ' + escapeMarkdown(f.errWords) : ''}`]);
  if (f.cr2 !== undefined) rows.push(['cr2', `${code(f.cr2)} — the address that faulted`]);
  let eip = code(f.eip);
  if (f.eipSymbol) eip += ` in ${code(f.eipSymbol)}`;
  if (view.eipSource) {
    const label = `${baseName(view.eipSource.path)}:${view.eipSource.line}`;
    eip += ' at ' + commandLink(label, OPEN_SOURCE_COMMAND, [view.eipSource.path, view.eipSource.line], `Open ${label}`);
  } else if (f.eipWhere) eip += ` at ${escapeMarkdown(f.eipWhere)}`;
  rows.push(['eip', eip]);
  if (f.ring !== undefined) {
    const to = f.toRing !== undefined ? `, entering ${ringWords(f.toRing)}` : '';
    rows.push(['cs', `${f.cs ? code(f.cs) + ' — ' : ''}from ${ringWords(f.ring)}${to}`]);
  }
  if (f.eflags) rows.push(['eflags', `${code(f.eflags)}${f.eflagsBits ? ' ' + escapeMarkdown(f.eflagsBits) : ''}`]);
  if (f.esp) rows.push(['esp', `${code(f.esp)}${f.ss ? ` (ss ${code(f.ss)})` : ''} — the ${f.ring === 3 ? 'user' : 'interrupted'} stack`]);
  lines.push('', table(rows));
  return lines.join('\n');
}
