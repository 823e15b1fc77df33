// Intel-manual style operand signatures (`add r/m32, r32`) for documentation hovers. The 32-bit
// form stands for 'v' operands, as code for this machine runs with 32-bit operands.
import type { OpDef } from '../cpu/opdef.js';
import type { OperandKind } from '../cpu/operands.js';

const DOC_NAMES: Record<OperandKind, string> = {
  Eb: 'r/m8', Ew: 'r/m16', Ed: 'r/m32', Ev: 'r/m32',
  Gb: 'r8', Gw: 'r16', Gv: 'r32',
  M: 'm', Mp: 'm16:32', Mq: 'm64', Ms: 'm16&32',
  Rd: 'r32', Cd: 'CR0-CR7', Dd: 'DR0-DR7', Sw: 'Sreg', Bg: 'bnd', Be: 'bnd/m64',
  Ib: 'imm8', Iw: 'imm16', Iz: 'imm32', Ibs: 'imm8',
  Jb: 'rel8', Jz: 'rel32',
  Ap: 'ptr16:32',
  Ob: 'moffs8', Ov: 'moffs32',
  Zb: 'r8', Zv: 'r32',
  AL: 'AL', AX: 'AX', eAX: 'EAX', CL: 'CL', DX: 'DX', ONE: '1',
  ES: 'ES', CS: 'CS', SS: 'SS', DS: 'DS', FS: 'FS', GS: 'GS',
  Xb: 'm8', Xv: 'm32', Yb: 'm8', Yv: 'm32',
  BX_AL: 'm8',
};

/** `mnemonic op1, op2` in Intel operand order, e.g. `add r/m32, r32`, `ret imm16`, `cpuid`. */
export function formatOperandsForDocs(def: OpDef): string {
  const ops = def.operands.map((k) => DOC_NAMES[k]);
  return ops.length ? `${def.mnemonic} ${ops.join(', ')}` : def.mnemonic;
}
