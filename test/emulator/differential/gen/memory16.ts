// Memory operands with 16-bit addressing (0x67 prefix): the eight ModRM forms bx+si, bx+di,
// bp+si, bp+di, si, di, bp, bx with no, 8- or 16-bit displacement, and the disp16 absolute form.
// The offset is (sum) mod 64 KiB, so the target is in the low window below 64 KiB; the registers
// get random upper halves, which the CPU must ignore, and sums that wrap past 0xffff are common.
import { LOW_SIZE, LOW_WIN } from '../layout.js';
import { EBP, EBX, EDI, ESI, hex } from './asm.js';
import type { Gen } from './context.js';
import type { MemOperand } from './memory.js';

const FORMS: ReadonlyArray<readonly number[]> = [[EBX, ESI], [EBX, EDI], [EBP, ESI], [EBP, EDI], [ESI], [EDI], [EBP], [EBX]];
const NAME16: Record<number, string> = { [EBX]: '%bx', [EBP]: '%bp', [ESI]: '%si', [EDI]: '%di' };

export interface Mem16Options {
  size: number;
  write?: boolean;
  avoid?: readonly number[];
}

export function mem16(g: Gen, opts: Mem16Options): MemOperand | null {
  const rng = g.rng;
  const addr = LOW_WIN + rng.int(0, LOW_SIZE - opts.size);
  const usable = FORMS.filter((f) => f.every((r) => g.canWrite(r) && !(opts.avoid ?? []).includes(r)));
  const override = rng.bool(0.15) ? rng.pick(opts.write ? ['%ds:', '%es:', '%ss:'] : ['%ds:', '%es:', '%ss:', '%cs:']) : '';
  if (usable.length === 0 || rng.bool(0.1)) {
    // mod 00, rm 110: a bare 16-bit displacement; `addr16` makes as(1) keep the 16-bit form.
    return {
      text: override + hex(addr), pre: 'addr16 ', addr, regs: [], form: 'mem16.abs',
      plus: (k) => override + hex(addr + k), setup: () => {},
    };
  }
  const regs = rng.pick(usable);
  // bp alone has no mod-00 encoding: it always carries a displacement.
  const d = rng.pick([0, rng.int(-128, 127), rng.int(-32768, 32767)]) || (regs.length === 1 && regs[0] === EBP ? 1 : 0);
  const values = regs.map(() => rng.int(0, 0xffff));
  // Make the 16-bit sum land on addr: adjust the first register.
  const rest = values.slice(1).reduce((a, b) => a + b, 0);
  values[0] = (addr - d - rest) & 0xffff;
  const fmt = (k: number): string => `${override}${d + k === 0 ? '' : hex(d + k)}(${regs.map((r) => NAME16[r]).join(',')})`;
  return {
    text: fmt(0), pre: '', addr, regs: [...regs], form: `mem16.${regs.map((r) => NAME16[r].slice(1)).join('+')}`,
    plus: fmt,
    setup: () => regs.forEach((r, k) => g.setReg(4, r, ((rng.u32() & 0xffff0000) | values[k]) >>> 0)),
  };
}
