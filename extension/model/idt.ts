// IDT view model: 256 vectors, each with its gate type, DPL and handler. The lock icon answers the
// question students ask most ("can a user program do `int $n`?"): only a gate with DPL 3 can be
// invoked by `int n` from ring 3; any other vector raises #GP when user code tries.
import { hex, hex8, type Row } from './row.js';
import type { IdtResponse, WireGate } from './wire.js';

export const idtRowId = (vector: number): string => `idt:${vector}`;

/** The kind of gate in a few letters (interrupt gates clear IF, trap gates do not). */
function gateKind(g: WireGate): string {
  const k = g.descriptor?.kind;
  return k === 'interrupt-gate' ? 'interrupt gate' : k === 'trap-gate' ? 'trap gate' : k === 'task-gate' ? 'task gate' : 'invalid';
}

export function gateRow(g: WireGate): Row {
  const hexVector = '0x' + g.vector.toString(16).padStart(2, '0');
  const label = `${hexVector} ${g.mnemonic ? g.mnemonic + ' ' : ''}${g.name}`;
  if (!g.usable) {
    return {
      id: idtRowId(g.vector), label,
      description: g.readable ? (g.validGate ? 'not present' : 'no gate') : 'unmapped',
      tooltip: g.text, icon: 'circle-slash', contextValue: 'ringside.gate.unused',
    };
  }
  const d = g.descriptor!;
  const handler = g.handlerSymbol ?? (g.handler !== undefined ? hex8(g.handler) : '?');
  const where = g.handlerSource ? `${g.handlerSource.file.split('/').pop()}:${g.handlerSource.line}` : undefined;
  const children: Row[] = [
    { id: `idt:${g.vector}:type`, label: 'type', description: `${d.typeText}${d.kind === 'interrupt-gate' ? ' (clears IF)' : ''}` },
    { id: `idt:${g.vector}:dpl`, label: 'DPL', description: `${d.dpl}${g.ring3Callable ? ' (int $' + hex(g.vector) + ' allowed from ring 3)' : ' (int $' + hex(g.vector) + ' from ring 3 raises #GP)'}` },
    { id: `idt:${g.vector}:target`, label: 'target', description: `${hex(d.selector ?? 0)}:${hex8(g.handler ?? 0)} ${g.handlerSymbol ?? ''}`.trim() },
  ];
  if (where) children.push({ id: `idt:${g.vector}:source`, label: 'source', description: where, tooltip: g.handlerSource!.file });
  return {
    id: idtRowId(g.vector),
    label,
    description: `${handler}, DPL ${d.dpl}, ${gateKind(g)}`,
    tooltip: `${g.text}${where ? `\nhandler: ${handler} (${where})` : ''}\n${g.ring3Callable ? 'Callable from ring 3 with int.' : 'Not callable from ring 3: int raises #GP.'}`,
    icon: g.ring3Callable ? 'unlock' : 'lock',
    iconColor: g.ring3Callable ? 'charts.green' : undefined,
    contextValue: g.ring3Callable ? 'ringside.gate.user' : 'ringside.gate.kernel',
    children,
    open: g.handlerSource ? { path: g.handlerSource.file, line: g.handlerSource.line } : undefined,
  };
}

/** By default only the vectors with a usable gate: 200-odd empty rows hide the interesting ones. */
export function idtRows(res: IdtResponse, showUnused = false): Row[] {
  const gates = showUnused ? res.gates : res.gates.filter((g) => g.usable);
  const header: Row = {
    id: 'idt:header', label: `IDTR base ${res.base}, limit ${hex(res.limit)}`,
    description: `${res.gates.filter((g) => g.usable).length} gates in use`, icon: 'info',
  };
  return [header, ...gates.map(gateRow)];
}
