// Trap Log view model: recent traps and system calls, newest first, strace-style.
import { hex8, type Row } from './row.js';
import type { TrapLogResponse, WireTrap } from './wire.js';

function trapIcon(t: WireTrap): { icon: string; iconColor?: string } {
  if (t.vector === 0x30 || t.vector === 0x80) return { icon: 'symbol-event', iconColor: t.text.includes('= -1') ? 'charts.yellow' : undefined };
  if (t.vector === 14) return { icon: 'error', iconColor: 'charts.red' };
  if (t.vector < 32) return { icon: 'warning', iconColor: 'charts.orange' };
  return { icon: 'pulse' };
}

export function trapRow(t: WireTrap): Row {
  return {
    // The instruction count is the machine clock: unique per trap and stable across refreshes.
    id: `trap:${t.icount}:${t.vector}`,
    label: t.text,
    description: `ring ${t.fromRing}, eip ${hex8(t.eip)}${t.done ? '' : ', in progress'}`,
    tooltip: `vector ${t.vector} at instruction ${t.icount}, cr3 ${hex8(t.cr3)}`,
    contextValue: 'ringside.trap',
    ...trapIcon(t),
  };
}

export function trapLogRows(res: TrapLogResponse, hideInterrupts = false): Row[] {
  const list = hideInterrupts ? res.entries.filter((e) => e.vector < 32 || e.vector === 0x30 || e.vector === 0x80) : res.entries;
  if (list.length === 0) return [{ id: 'trap:none', label: 'No traps yet', icon: 'info' }];
  return [...list].reverse().map(trapRow);
}
