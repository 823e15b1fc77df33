// The hint-NOP space 0F 18-0F 1E: opcodes Intel reserved as no-ops with a ModRM operand, so that
// later extensions could give them meanings that older CPUs skip. gcc's -fcf-protection (Ubuntu's
// default) starts every function with endbr32 (F3 0F 1E FB), which must therefore run everywhere.
//
// This CPU has none of those extensions (no prefetch hierarchy, no MPX, no CET, no CLDEMOTE), so
// every form executes as a NOP: the ModRM, SIB and displacement are decoded for the length, the
// address is never computed or accessed (no fault, even for an unmapped one), no flag changes.
// The entries still carry the names objdump gives them (`prefetchnta`, `bndcl`, `endbr32` ...),
// because the disassembler and the language server speak of the instruction by that name.
// 0F 1F (the multi-byte NOP gcc pads with) lives in mov.ts and system.ts.
import type { Handler } from '../insn.js';
import type { OpDef } from '../opdef.js';

const nop: Handler = () => {};
/** Compiled blocks: a NOP is no code at all. */
const noCode = (): string => '';

const NOT_HERE = 'a NOP on this CPU';
const NO_MPX = `${NOT_HERE}, which has no MPX (no bound registers: nothing is read or checked)`;
const NO_CET = `${NOT_HERE}, which has no CET`;

function hint(d: Omit<OpDef, 'exec' | 'jit'>): OpDef {
  return { ...d, exec: nop, jit: noCode };
}

/** The plain hint NOP of one opcode: any ModRM, any prefix the entries before it did not claim. */
const hintNop = (opcode: number): OpDef =>
  hint({ opcode, mnemonic: 'nop', operands: ['Ev'], summary: 'NOP: reserved hint no-op with a ModRM operand (the address is decoded, never accessed)' });

/**
 * A hint NOP that an F3/F2 prefix selects where the opcode has other meanings without it (F3 0F 1E
 * with a register operand is the CET group). It runs like the plain one; objdump names it differently
 * (it prints the F3/F2 as repz/repnz and a 66 as data16, see emulator/disasm/classify.ts).
 */
const prefixedHintNop = (opcode: number, mandatory: 0xf3 | 0xf2, modIs?: 'reg'): OpDef =>
  hint({ opcode, mandatory, ...(modIs ? { modIs } : {}), mnemonic: 'nop', operands: ['Ev'], summary: 'NOP: reserved hint no-op with a ModRM operand (the address is decoded, never accessed)' });

const PREFETCH: [string, string][] = [
  ['prefetchnta', 'non-temporal data (minimising cache pollution)'],
  ['prefetcht0', 'all cache levels'],
  ['prefetcht1', 'level 2 and farther'],
  ['prefetcht2', 'level 3 and farther'],
];

export const HINT_NOP_OPS: OpDef[] = [
  // 0F 18: the SSE prefetch hints with a memory operand /0-/3; every other form is a hint NOP.
  ...PREFETCH.map(([mnemonic, level], ext): OpDef => hint({
    opcode: 0x0f18, ext, modIs: 'mem', mnemonic, operands: ['M'],
    summary: `${mnemonic.toUpperCase()}: hint to fetch the cache line at m into ${level}; ${NOT_HERE} (no memory access, never a fault)`,
  })),
  hintNop(0x0f18),
  hintNop(0x0f19),

  // 0F 1A / 0F 1B: MPX (bound checks). The prefix picks the instruction, as objdump reads it.
  hint({ opcode: 0x0f1a, mandatory: 0xf3, mnemonic: 'bndcl', operands: ['Bg', 'Ed'], summary: `BNDCL: check an address against the lower bound in a bound register; ${NO_MPX}` }),
  hint({ opcode: 0x0f1a, mandatory: 0xf2, mnemonic: 'bndcu', operands: ['Bg', 'Ed'], summary: `BNDCU: check an address against the upper bound (one's complement) in a bound register; ${NO_MPX}` }),
  hint({ opcode: 0x0f1a, mandatory: 0x66, mnemonic: 'bndmov', operands: ['Bg', 'Be'], summary: `BNDMOV: load a bound register from another or from memory; ${NO_MPX}` }),
  hint({ opcode: 0x0f1a, modIs: 'mem', mnemonic: 'bndldx', operands: ['Bg', 'M'], summary: `BNDLDX: load bounds from the bound table; ${NO_MPX}` }),
  hintNop(0x0f1a),
  hint({ opcode: 0x0f1b, mandatory: 0xf3, modIs: 'mem', mnemonic: 'bndmk', operands: ['Bg', 'M'], summary: `BNDMK: make bounds from an address range; ${NO_MPX}` }),
  prefixedHintNop(0x0f1b, 0xf3, 'reg'),
  hint({ opcode: 0x0f1b, mandatory: 0xf2, mnemonic: 'bndcn', operands: ['Bg', 'Ed'], summary: `BNDCN: check an address against the upper bound in a bound register; ${NO_MPX}` }),
  hint({ opcode: 0x0f1b, mandatory: 0x66, mnemonic: 'bndmov', operands: ['Be', 'Bg'], summary: `BNDMOV: store a bound register to another or to memory; ${NO_MPX}` }),
  hint({ opcode: 0x0f1b, modIs: 'mem', mnemonic: 'bndstx', operands: ['M', 'Bg'], summary: `BNDSTX: store bounds to the bound table; ${NO_MPX}` }),
  hintNop(0x0f1b),

  // 0F 1C: CLDEMOTE /0 with memory and no prefix; with F3, F2 or 66 a hint NOP.
  prefixedHintNop(0x0f1c, 0xf3),
  prefixedHintNop(0x0f1c, 0xf2),
  hint({ opcode: 0x0f1c, mandatory: 0x66, mnemonic: 'nop', operands: ['Ev'], summary: 'NOP: reserved hint no-op with a ModRM operand (the address is decoded, never accessed)' }),
  hint({ opcode: 0x0f1c, ext: 0, modIs: 'mem', mnemonic: 'cldemote', operands: ['M'], summary: `CLDEMOTE: hint to move the cache line at m to a cache farther from the CPU; ${NOT_HERE} (no memory access, never a fault)` }),
  hintNop(0x0f1c),
  hintNop(0x0f1d),

  // 0F 1E: with F3 and a register operand, CET's shadow-stack read and the branch-target markers.
  hint({ opcode: 0x0f1e, mandatory: 0xf3, ext: 1, modIs: 'reg', mnemonic: 'rdsspd', operands: ['Rd'], summary: `RDSSPD: read the CET shadow-stack pointer into r32; ${NO_CET} shadow stacks (the register keeps its value)` }),
  hint({ opcode: 0x0f1e, mandatory: 0xf3, ext: 7, modIs: 'reg', rm: 2, mnemonic: 'endbr64', operands: [], summary: `ENDBR64: 64-bit code's mark of a valid indirect jmp/call target (CET indirect-branch tracking); ${NO_CET}` }),
  hint({ opcode: 0x0f1e, mandatory: 0xf3, ext: 7, modIs: 'reg', rm: 3, mnemonic: 'endbr32', operands: [], summary: `ENDBR32: marks a valid target of an indirect jmp/call for CET indirect-branch tracking (gcc -fcf-protection, Ubuntu's default, puts one at every function entry); ${NO_CET}` }),
  prefixedHintNop(0x0f1e, 0xf3),
  hintNop(0x0f1e),
];
