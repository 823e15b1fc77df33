// Instruction prefixes as gas spells them (and objdump prints them): repeat, lock, size and segment
// overrides, branch hints, and gas's {pseudo} prefixes that only steer the encoding. Which
// instructions each applies to is read from the opcode table where the table can say it.
import { isStringCompare, isStringOp } from '../../../../emulator/disasm/classify.js';
import { INSTRUCTIONS } from './catalog.js';

export interface Prefix {
  /** Encoding byte(s) of the prefix; undefined for gas's pseudo prefixes, which emit no byte. */
  byte?: number;
  doc: string;
}

function namesWhere(pred: (stem: string) => boolean): string {
  return [...INSTRUCTIONS.keys()].filter(pred).map((n) => `\`${n}\``).join(', ');
}

const stringOps = (): string => namesWhere((n) => INSTRUCTIONS.get(n)!.defs.some(isStringOp));
const comparingStringOps = (): string => namesWhere((n) => INSTRUCTIONS.get(n)!.defs.some(isStringCompare));

function buildPrefixes(): ReadonlyMap<string, Prefix> {
  const rep = `Repeat the string instruction ECX times (ECX counts down to 0). String instructions: ${stringOps()}.`;
  const repe = `Repeat while equal: stop when ECX reaches 0 or ZF = 0. Meaningful on ${comparingStringOps()}; on the others it is \`rep\`.`;
  const repne = `Repeat while not equal: stop when ECX reaches 0 or ZF = 1. Meaningful on ${comparingStringOps()}.`;
  const seg = (name: string, byte: number): [string, Prefix] => [name, { byte, doc: `Segment override: the memory operand is addressed through %${name} instead of its default segment (%ds, or %ss for %esp/%ebp bases).` }];
  return new Map<string, Prefix>([
    ['rep', { byte: 0xf3, doc: rep }],
    ['repe', { byte: 0xf3, doc: repe }],
    ['repz', { byte: 0xf3, doc: repe + ' (`repz` is another name for `repe`; objdump prints `repz` for F3 where it is not a `rep`.)' }],
    ['repne', { byte: 0xf2, doc: repne }],
    ['repnz', { byte: 0xf2, doc: repne + ' (`repnz` is another name for `repne`.)' }],
    ['lock', { byte: 0xf0, doc: 'Make the read-modify-write of the memory destination atomic (bus lock). Valid on add, adc, and, btc, btr, bts, cmpxchg, cmpxchg8b, dec, inc, neg, not, or, sbb, sub, xadd, xchg, xor with a memory destination; `xchg` with memory is locked without it. The emulator runs one CPU, so every instruction is atomic already.' }],
    ['data16', { byte: 0x66, doc: 'Operand-size prefix (0x66): 16-bit operands instead of 32-bit. gas adds it for you when the operands or a `w` suffix say 16 bits; objdump prints `data16` when the prefix has no effect.' }],
    ['addr16', { byte: 0x67, doc: 'Address-size prefix (0x67): 16-bit addressing (and CX instead of ECX for loop, jcxz and rep).' }],
    seg('cs', 0x2e), seg('ds', 0x3e), seg('es', 0x26), seg('fs', 0x64), seg('gs', 0x65), seg('ss', 0x36),
    ['notrack', { byte: 0x3e, doc: 'CET hint on an indirect jmp/call (0x3E): the target need not start with endbr32. Ignored without CET, as by the emulator.' }],
    ['bnd', { byte: 0xf2, doc: 'MPX hint on a branch (0xF2): keep the bounds registers. Ignored without MPX, as by the emulator.' }],
    ['xacquire', { byte: 0xf2, doc: 'HLE hint (0xF2) on a locked update: start lock elision. Ignored without TSX, as by the emulator.' }],
    ['xrelease', { byte: 0xf3, doc: 'HLE hint (0xF3) on a locked update or a store: end lock elision. Ignored without TSX, as by the emulator.' }],
    ['{load}', { doc: 'gas pseudo prefix: encode a register-to-register move in its load form (no byte emitted).' }],
    ['{store}', { doc: 'gas pseudo prefix: encode a register-to-register move in its store form (no byte emitted).' }],
    ['{disp8}', { doc: 'gas pseudo prefix: use an 8-bit displacement (no byte emitted).' }],
    ['{disp32}', { doc: 'gas pseudo prefix: use a 32-bit displacement or branch offset (no byte emitted).' }],
  ]);
}

/** Every prefix word gas accepts before a mnemonic, lower case. */
export const PREFIXES: ReadonlyMap<string, Prefix> = buildPrefixes();

/** Branch hints written after a conditional jump: `jne,pt`, `jne,pn`. */
export const BRANCH_HINTS: ReadonlyMap<string, string> = new Map([
  [',pt', 'static prediction hint: taken (0x3E prefix); ignored by the emulator'],
  [',pn', 'static prediction hint: not taken (0x2E prefix); ignored by the emulator'],
]);
