// GDT & TSS view model: every descriptor inside the GDT limit, then the TSS fields the processor
// uses on a ring 3 -> 0 transition (ss0:esp0 first, since that is what kernels get wrong).
import { hex, hex8, type Row } from './row.js';
import type { GdtResponse, TssResponse, WireGdtEntry } from './wire.js';

function segmentIcon(e: WireGdtEntry): string {
  const k = e.descriptor?.kind;
  if (e.isNull || !e.readable) return 'circle-slash';
  if (k === 'code') return 'symbol-method';
  if (k === 'data') return 'symbol-variable';
  if (k === 'tss') return 'layers';
  return 'symbol-misc';
}

export function gdtEntryRow(e: WireGdtEntry): Row {
  const d = e.descriptor;
  const sel = '0x' + e.selector.toString(16).padStart(4, '0');
  let description: string;
  if (e.isNull) description = 'null descriptor';
  else if (!d) description = 'unmapped';
  else if (d.base !== undefined) description = `${d.typeText}, DPL ${d.dpl}, base ${hex8(d.base)} limit ${hex8(d.limit ?? 0)}${d.present ? '' : ', not present'}`;
  else description = `${d.typeText}, DPL ${d.dpl}${d.present ? '' : ', not present'}`;
  return {
    id: `gdt:${e.index}`,
    label: `[${e.index}] ${sel}`,
    description,
    tooltip: `${e.text}\nselector ${sel} with RPL 3 is ${hex(e.selector | 3)}`,
    icon: segmentIcon(e),
    contextValue: 'ringside.descriptor',
  };
}

export function tssRows(t: TssResponse): Row[] {
  if (!t.ok) return [{ id: 'tss:error', label: 'TSS unreadable', description: t.reason, icon: 'warning' }];
  // rows arrive in TSS order; ss0/esp0 lead because the ring switch reads them.
  const first = new Set(['ss0', 'esp0']);
  const ordered = [...t.tss.rows.filter(([n]) => first.has(n)).reverse(), ...t.tss.rows.filter(([n]) => !first.has(n))];
  return ordered.map(([name, value]) => ({
    id: `tss:${name}`, label: name, description: value,
    tooltip: first.has(name) ? 'The stack the processor switches to when entering ring 0 from ring 3.' : undefined,
  }));
}

export function gdtRows(gdt: GdtResponse, tss: TssResponse | undefined): Row[] {
  const rows: Row[] = [{
    id: 'gdt:root', label: `GDT at ${gdt.base}`, description: `limit ${hex(gdt.limit)}, ${gdt.entries.length} entries`,
    icon: 'symbol-array', children: gdt.entries.map(gdtEntryRow), expanded: true,
  }];
  if (tss) {
    rows.push({
      id: 'tss:root', label: `TSS (TR ${'0x' + tss.selector.toString(16).padStart(4, '0')})`, description: `base ${tss.base}`,
      icon: 'layers', children: tssRows(tss), expanded: true,
    });
  }
  return rows;
}
