// What ring 3 gets when it executes an instruction, from the opcode table's privileged/ring3
// fields (the same entries whose exec routines raise the fault).
import type { OpDef } from '../../../../emulator/cpu/opdef.js';

/** One line for a table entry: "privileged: CPL 0 only: ring 3 gets #GP(0)" or "allowed". */
export function ring3Text(def: OpDef): string {
  if (def.privileged) return `privileged — ${def.ring3 ?? 'ring 3 gets #GP(0)'}`;
  if (def.ring3) return def.ring3;
  return 'allowed (not privileged)';
}

/** Whether the forms disagree about ring 3 (mov: only the %crN/%drN forms are privileged). */
export function ring3Varies(defs: readonly OpDef[]): boolean {
  return new Set(defs.map(ring3Text)).size > 1;
}
