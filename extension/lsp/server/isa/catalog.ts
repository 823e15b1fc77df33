// The instruction set as an assembly programmer names it: the emulator's opcode table grouped by
// AT&T stem (mov, movzx, ljmp, ...). Nothing here is written by hand: a new table entry shows up in
// hovers and stops being flagged as "not implemented" without any change to the language server.
import { OPCODE_TABLE } from '../../../../emulator/cpu/optable.js';
import type { OpDef } from '../../../../emulator/cpu/opdef.js';
import { farName } from '../../../../emulator/disasm/classify.js';

export interface Instruction {
  /** The AT&T stem every spelling resolves to: 'mov', 'movzx', 'ljmp', 'cbtw', 'jne'. */
  name: string;
  /** Every table entry (operand form) of this instruction, in table order. */
  defs: readonly OpDef[];
}

/**
 * The table's stems for 0F B6/B7/BE/BF are movzb/movzw/movsb/movsw (objdump's spelling before the
 * destination-size letter); movsb and movsw would clash with the string instructions, so the
 * catalog files them under the gas names movzx/movsx.
 */
const EXTEND_STEMS: ReadonlyMap<number, string> = new Map([
  [0x0fb6, 'movzx'], [0x0fb7, 'movzx'], [0x0fbe, 'movsx'], [0x0fbf, 'movsx'],
]);

function stemOf(def: OpDef): string {
  return EXTEND_STEMS.get(def.opcode) ?? (farName(def) || def.mnemonic);
}

function buildCatalog(): ReadonlyMap<string, Instruction> {
  const defsByName = new Map<string, OpDef[]>();
  for (const def of OPCODE_TABLE) {
    const name = stemOf(def);
    const list = defsByName.get(name);
    if (list) list.push(def);
    else defsByName.set(name, [def]);
  }
  const out = new Map<string, Instruction>();
  for (const [name, defs] of defsByName) out.set(name, { name, defs });
  return out;
}

/** Every instruction the emulator executes, by AT&T stem. */
export const INSTRUCTIONS: ReadonlyMap<string, Instruction> = buildCatalog();

/** The table entry's own name for itself: the part of its summary before the colon ("MOV to CRn"). */
export function titleOf(def: OpDef): string {
  const colon = def.summary.indexOf(':');
  return colon > 0 ? def.summary.slice(0, colon) : def.mnemonic.toUpperCase();
}

/** The summary without its title: "copy register to r/m". */
export function descriptionOf(def: OpDef): string {
  const colon = def.summary.indexOf(':');
  return colon > 0 ? def.summary.slice(colon + 1).trim() : def.summary;
}
