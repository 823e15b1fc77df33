// One test case: a random initial machine state and a random sequence of items, as assembly.
import type { Rng } from '../prng.js';
import { CASE_FLAGS, DATA_SIZE, LOW_SIZE, STACK_HIGH, STACK_LOW, STACK_SIZE, STACK_WIN, USER_FIXED_FLAGS } from '../layout.js';
import { Gen } from './context.js';
import type { Item } from './item.js';
import { ALU_ITEMS } from './families/alu.js';
import { BIT_ITEMS } from './families/bits.js';
import { CONTROL_ITEMS } from './families/control.js';
import { DATA_ITEMS } from './families/data.js';
import { MISC_ITEMS } from './families/misc.js';
import { MULDIV_ITEMS } from './families/muldiv.js';
import { SHIFT_ITEMS } from './families/shift.js';
import { STACK_ITEMS } from './families/stack.js';
import { STRING_ITEMS } from './families/string.js';
import { ADDR16_ITEMS } from './families/addr16.js';
import { HINT_NOP_ITEMS } from './families/hint-nop.js';

export const ALL_ITEMS: readonly Item[] = [
  ...DATA_ITEMS, ...ALU_ITEMS, ...MULDIV_ITEMS, ...SHIFT_ITEMS, ...BIT_ITEMS, ...STACK_ITEMS,
  ...CONTROL_ITEMS, ...STRING_ITEMS, ...MISC_ITEMS, ...ADDR16_ITEMS, ...HINT_NOP_ITEMS,
];

/** Registers, EFLAGS and the windows: what the runner loads before a case and dumps after it. */
export interface MachineState {
  /** eax ecx edx ebx esp ebp esi edi, unsigned. */
  regs: number[];
  eflags: number;
  data: Uint8Array;
  stack: Uint8Array;
  low: Uint8Array;
}

export interface GeneratedCase {
  index: number;
  init: MachineState;
  /** Assembly, from the case_N label to case_N_end. */
  asm: string[];
  /** Status flags undefined at the end of the case (from the opcode table), not compared. */
  undefMask: number;
  /** Item names and memory forms used. */
  forms: string[];
  mnems: string[];
  /** Instructions in the listing (executed ones may be more, with loops, or fewer, with jumps). */
  insns: number;
}

export interface CaseOptions {
  minItems: number;
  maxItems: number;
  /** Only items whose name starts with one of these (e.g. 'shift', 'div'); all when empty. */
  only?: readonly string[];
  /** The host maps the low window: 16-bit addressing may access memory. */
  lowWindow?: boolean;
}

export function selectItems(only: readonly string[] | undefined): Item[] {
  if (!only || only.length === 0) return [...ALL_ITEMS];
  const items = ALL_ITEMS.filter((it) => only.some((p) => it.name.startsWith(p)));
  if (items.length === 0) throw new Error(`no generator items match ${only.join(', ')}; names: ${ALL_ITEMS.map((i) => i.name).join(' ')}`);
  return items;
}

function initialState(rng: Rng): MachineState {
  const regs: number[] = [];
  for (let r = 0; r < 8; r++) regs.push(rng.value(32));
  // esp: inside the safe band with room to move; mostly dword aligned, as real code keeps it.
  let espOff = rng.int(STACK_LOW + 96, STACK_HIGH - 96);
  if (rng.bool(0.85)) espOff &= ~3;
  regs[4] = STACK_WIN + espOff;
  return {
    regs,
    eflags: ((rng.u32() & CASE_FLAGS) | USER_FIXED_FLAGS) >>> 0,
    data: rng.bytes(DATA_SIZE),
    stack: rng.bytes(STACK_SIZE),
    low: rng.bytes(LOW_SIZE),
  };
}

export function generateCase(rng: Rng, index: number, opts: CaseOptions, items: readonly Item[] = selectItems(opts.only)): GeneratedCase {
  const init = initialState(rng);
  const g = new Gen(rng, index, init.regs[4] - STACK_WIN);
  g.lowWindow = opts.lowWindow ?? false;
  const weighted = items.map((it) => [it.weight, it] as const);
  g.fill = (n: number): void => {
    for (let k = 0; k < n; k++) {
      for (let tries = 0; tries < 30; tries++) {
        const item = rng.weighted(weighted);
        if (g.attempt(() => {
          g.form(item.name);
          return item.gen(g);
        })) break;
      }
    }
  };
  g.fill(rng.int(opts.minItems, opts.maxItems));
  const asm = [`case_${index}:`, ...g.lines, '\tjmp collect'];
  for (const f of g.funcs) asm.push(...f);
  // int3 padding: a jump past the case's end traps instead of running into the next case.
  asm.push(`case_${index}_end:`, '\t.byte 0xcc', '\t.balign 8, 0xcc');
  return { index, init, asm, undefMask: g.undef, forms: g.forms, mnems: g.mnems, insns: g.insns + 1 };
}
