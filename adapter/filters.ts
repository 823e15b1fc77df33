// Exception breakpoint filters: which delivered vectors (and ring transitions) stop the guest.
// Each filter may carry a condition, an expression over registers and memory ($cr2, $err ...).
import { VECTOR_MNEMONICS, VECTOR_NAMES } from '../emulator/cpu/fault.js';
import { Source, type VectorEvent } from '../emulator/cpu/interrupts.js';
import type { Machine } from '../emulator/machine.js';
import { decodePageFaultError, decodeSelectorError } from '../emulator/inspect/index.js';

export interface FilterDescription {
  id: string;
  label: string;
  description: string;
  default?: boolean;
  supportsCondition: boolean;
  conditionDescription?: string;
}

const EXCEPTIONS = [0, 1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18];

export const FILTERS: FilterDescription[] = [
  ...EXCEPTIONS.map((v) => ({
    id: VECTOR_MNEMONICS[v],
    label: `${VECTOR_MNEMONICS[v]} ${VECTOR_NAMES[v]}`,
    description: `Stop before vector ${v} (${VECTOR_NAMES[v]}) is delivered`,
    supportsCondition: true,
    conditionDescription: v === 14 ? 'e.g. $cr2 >= 0xf0000000, or ($err & 4) != 0 for user-mode faults' : 'e.g. $cpl == 3',
  })),
  { id: 'syscall', label: 'System call', description: 'Stop on int $0x30 / int $0x80 and sysenter', supportsCondition: true, conditionDescription: 'e.g. $eax == 4 (write)' },
  { id: 'ring0', label: 'Any entry to ring 0 from ring 3', description: 'Stop when any trap, interrupt or system call enters the kernel from user mode', supportsCondition: true },
  { id: 'ring3', label: 'Any return to ring 3', description: 'Stop after iret or sysexit returns to user mode', supportsCondition: true },
  { id: 'irq', label: 'Interrupt (IRQ)', description: 'Stop before a hardware interrupt is delivered', supportsCondition: true, conditionDescription: 'e.g. $vector == 0x20 (timer)' },
  { id: 'triple', label: 'Triple fault', description: 'Report a triple fault (the machine stops anyway)', default: true, supportsCondition: false },
];

export interface FilterHit {
  filter: string;
  event: VectorEvent | null;
  /** "#PF page fault from ring 3: err 0x7 [user, write, protection], cr2 0xf0100064". */
  description: string;
  /** Longer text for exceptionInfo. */
  details: string;
}

/** Evaluates a filter condition with the trap's pseudo-registers; true stops. */
export type ConditionEvaluator = (condition: string, e: VectorEvent) => boolean;

const SYSCALL_VECTORS = new Set([0x30, 0x80]);

/** A human sentence for a vector about to be delivered. */
export function describeVector(e: VectorEvent): string {
  const name = (VECTOR_NAMES[e.vector] ?? (e.vector >= 32 ? `interrupt ${e.vector}` : `vector ${e.vector}`)).toLowerCase();
  const mnem = VECTOR_MNEMONICS[e.vector];
  const from = `from ring ${e.cplBefore}`;
  if (e.source === Source.Software && SYSCALL_VECTORS.has(e.vector)) return `system call int $0x${e.vector.toString(16)} ${from}`;
  if (e.source === Source.External) return `interrupt vector 0x${e.vector.toString(16)} ${from}`;
  let text = `${mnem ? mnem + ' ' : ''}${name} ${from}`;
  if (e.vector === 14) text += `: err 0x${e.errorCode.toString(16)} ${decodePageFaultError(e.errorCode)}, cr2 0x${e.cr2.toString(16).padStart(8, '0')}`;
  else if (e.errorCode >= 0) text += `: err 0x${e.errorCode.toString(16)} (${decodeSelectorError(e.errorCode)})`;
  return text;
}

export class ExceptionFilters {
  private enabled = new Map<string, string | undefined>([['triple', undefined]]);
  evaluator: ConditionEvaluator | null = null;

  /** Replaces the enabled set (DAP setExceptionBreakpoints); unknown ids are reported back. */
  set(filters: readonly { id: string; condition?: string }[]): string[] {
    const unknown: string[] = [];
    this.enabled = new Map();
    for (const f of filters) {
      if (!FILTERS.some((d) => d.id === f.id)) unknown.push(f.id);
      else this.enabled.set(f.id, f.condition?.trim() || undefined);
    }
    return unknown;
  }

  /** The enabled filters with their conditions (to carry them over a restart). */
  entries(): { id: string; condition?: string }[] {
    return [...this.enabled].map(([id, condition]) => ({ id, condition }));
  }

  has(id: string): boolean {
    return this.enabled.has(id);
  }

  private passes(id: string, e: VectorEvent): boolean {
    if (!this.enabled.has(id)) return false;
    const cond = this.enabled.get(id);
    if (!cond || !this.evaluator) return true;
    try {
      return this.evaluator(cond, e);
    } catch {
      return true; // a broken condition stops, so the user sees it rather than missing the event
    }
  }

  /** Which filter (if any) stops before this vector. */
  match(e: VectorEvent, _m: Machine): FilterHit | null {
    const ids: string[] = [];
    const mnem = VECTOR_MNEMONICS[e.vector];
    if (e.source !== Source.External && e.vector < 32 && mnem) ids.push(mnem);
    if (e.source === Source.Software && SYSCALL_VECTORS.has(e.vector)) ids.push('syscall');
    if (e.source === Source.External) ids.push('irq');
    if (e.cplBefore === 3 && e.cplAfter === 0) ids.push('ring0');
    for (const id of ids) {
      if (this.passes(id, e)) {
        const description = describeVector(e);
        return { filter: id, event: e, description, details: `${description}\nat cs:eip ${e.cs.toString(16).padStart(4, '0')}:${e.eip.toString(16).padStart(8, '0')}` };
      }
    }
    return null;
  }
}
