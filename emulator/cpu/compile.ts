import type { Cpu } from './cpu.js';
import type { Block } from './blocks.js';
import type { Handler, Insn } from './insn.js';

/** Template text that touches memory (and so may fault) needs the fault bookkeeping. */
const MAY_FAULT = /c\.(read|write|push|pop)/;

/**
 * Turns a hot block into one generated function.
 *
 * Why: in the interpreter loop every handler is called from the same call site, which the JIT sees
 * as megamorphic, so it inlines none of them and each instruction pays an indirect call. Here, forms
 * with an inline template (OpDef.jit) become straight-line code with their operands as constants,
 * and the others become calls from call sites that each see exactly one handler.
 *
 * Generated bookkeeping: c.k = index of the instruction that may fault next (so the run loop can put
 * EIP back on it), and c.eip set to the block's end before the last instruction (only the last one
 * of a block may read or change EIP).
 */
export function compileBlock(block: Block): (cpu: Cpu) => void {
  const n = block.count;
  const head: string[] = [];
  const body: string[] = ['const r=c.regs,h=c.hot,sb=c.segBase,e=h[0];'];
  for (let k = 0; k < n; k++) {
    const i = block.insns[k];
    if (k === n - 1) body.push(`h[0]=(e+${block.length})|0;`);
    const inline = i.def?.jit?.(i) ?? null;
    if (inline !== null) {
      body.push(MAY_FAULT.test(inline) ? `c.k=${k};${inline}` : inline);
    } else {
      head.push(`const h${k}=H[${k}],i${k}=I[${k}];`);
      body.push(`c.k=${k};h${k}(c,i${k});`);
    }
  }
  const source = `${head.join('\n')}\nreturn function block(c){\n${body.join('\n')}\n};`;
  const handlers: Handler[] = block.insns.map((i) => i.exec);
  const insns: Insn[] = block.insns;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the block compiler, see above
  const factory = new Function('H', 'I', source) as (h: Handler[], i: Insn[]) => (cpu: Cpu) => void;
  return factory(handlers, insns);
}
