// Turns a translate response into the step-by-step walk a student reads: each paging-structure
// entry read, then the verdict (the physical address, or the first check that failed together
// with the #PF error code the processor would push).
import { hex, hex8, type Row } from './row.js';
import type { TranslateResponse } from './wire.js';

export type Access = 'read' | 'write' | 'execute';

/** Parses "0xf0100064", "f0100064h" or decimal; undefined when it is not a 32-bit address. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(t)) v = Number(t);
  else if (/^[0-9a-f]+h$/i.test(t)) v = Number('0x' + t.slice(0, -1));
  else if (/^\d+$/.test(t)) v = Number(t);
  else return undefined;
  return Number.isSafeInteger(v) && v >= 0 && v <= 0xffffffff ? v : undefined;
}

export interface Verdict {
  ok: boolean;
  /** "0xf0100064 -> 0x00100064" or the failing check in words: "user access to a supervisor page". */
  headline: string;
  detail: string;
}

export function verdict(t: TranslateResponse): Verdict {
  if (t.kind === 'ok') return { ok: true, headline: `${hex8(t.va)} -> ${hex8(t.phys)}`, detail: t.text };
  if (t.kind === 'fault') {
    return { ok: false, headline: t.reason, detail: `${t.level.toUpperCase()} refuses it; #PF error code ${hex(t.errorCode)} ${t.errorText} (${t.text})` };
  }
  return { ok: false, headline: t.reason, detail: t.text };
}

/** The walk as rows: one per step, then the verdict. */
export function translationRows(t: TranslateResponse): Row[] {
  const steps: Row[] = t.steps.map((s, i) => ({
    id: `tr:step:${i}`,
    label: s.kind === 'entry' ? `${i + 1}. ${s.level.toUpperCase()}[${hex(s.index)}] = ${hex8(s.value)}` : `${i + 1}. paging off`,
    description: s.kind === 'entry' ? (s.entry.present ? s.entry.flags.join(' ') : 'not present') : undefined,
    tooltip: s.text,
    icon: s.kind === 'entry' && !s.entry.present ? 'circle-slash' : 'arrow-down',
  }));
  const v = verdict(t);
  steps.push({ id: 'tr:verdict', label: v.headline, description: v.ok ? 'ok' : 'fault', tooltip: v.detail, icon: v.ok ? 'pass' : 'error', iconColor: v.ok ? 'charts.green' : 'charts.red' });
  return steps;
}

/** Plain lines for an output channel. */
export function translationLines(t: TranslateResponse): string[] {
  const head = `${hex8(t.va)}: ${t.access} at CPL ${t.cpl}${t.userMode ? ' (user-mode rules)' : ''}`;
  const v = verdict(t);
  return [head, ...t.steps.map((s, i) => `  ${i + 1}. ${s.text}`), `  => ${v.ok ? 'OK' : 'FAULT'}: ${v.headline}`, `     ${v.detail}`];
}
