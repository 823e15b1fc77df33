// String instructions movs stos lods cmps scas at byte, word and dword size, without a prefix,
// with rep, repe and repne, with source segment overrides, and with DF either set by the item or
// left as the case's random initial value. Pointers sit far enough from the window edges that
// both directions stay inside it.
import { EAX, ECX, EDI, ESI, reg, suffix, type Size } from '../asm.js';
import type { Gen } from '../context.js';
import { pickSize, type Item } from '../item.js';
import { DATA_SIZE, DATA_WIN, STACK_SIZE, STACK_WIN } from '../../layout.js';

type Op = 'movs' | 'stos' | 'lods' | 'cmps' | 'scas';

const USES: Record<Op, { src: boolean; dst: boolean; writesEax: boolean }> = {
  movs: { src: true, dst: true, writesEax: false },
  stos: { src: false, dst: true, writesEax: false },
  lods: { src: true, dst: false, writesEax: true },
  cmps: { src: true, dst: true, writesEax: false },
  scas: { src: false, dst: true, writesEax: false },
};

/** A pointer with `span` bytes of room on both sides, in the data window or (sometimes) the stack window. */
function pointer(g: Gen, span: number, size: number, write: boolean): number {
  const inStack = !write || g.protectedStack.length === 0 ? g.rng.bool(0.15) : false;
  const [base, len] = inStack ? [STACK_WIN, STACK_SIZE] : [DATA_WIN, DATA_SIZE];
  return base + g.rng.int(span, len - span - size);
}

const stringItem: Item = {
  name: 'string', weight: 8,
  gen: (g) => {
    const op = g.rng.pick<Op>(['movs', 'stos', 'lods', 'cmps', 'scas']);
    const s: Size = pickSize(g);
    const u = USES[op];
    const compares = op === 'cmps' || op === 'scas';
    const prefix = g.rng.pick(compares ? ['', 'repe ', 'repne '] : ['', 'rep ', 'rep ']);
    const count = prefix ? g.rng.pick([0, 1, 2, 3, g.rng.int(0, 12)]) : 1;
    const writes = [...(u.src ? [ESI] : []), ...(u.dst ? [EDI] : []), ...(prefix ? [ECX] : []), ...(u.writesEax ? [EAX] : [])];
    if (!g.canWriteAll(writes)) return false;
    const span = Math.max(count, 1) * s;
    if (g.rng.bool(0.6)) {
      const d = g.rng.pick(['cld', 'std']);
      g.insn(d, { mnem: d });
    }
    if (u.src) g.setReg(4, ESI, pointer(g, span, s, false));
    if (u.dst) g.setReg(4, EDI, pointer(g, span, s, op === 'movs' || op === 'stos'));
    if (prefix) g.setReg(4, ECX, count);
    // A source segment override (movs/lods/cmps read through DS by default); ES:EDI cannot be overridden.
    const seg = u.src && g.rng.bool(0.25) ? g.rng.pick(['%es:', '%ss:', '%cs:', '%ds:']) : '';
    const x = `${seg || '%ds:'}(%esi)`;
    const y = '%es:(%edi)';
    const acc = reg(s, EAX);
    const sx = suffix(s);
    let text: string;
    switch (op) {
      case 'movs': text = seg ? `movs${sx} ${x}, ${y}` : `movs${sx}`; break;
      case 'stos': text = `stos ${acc}, ${y}`; break;
      case 'lods': text = seg ? `lods ${x}, ${acc}` : `lods${sx}`; break;
      case 'cmps': text = seg ? `cmps${sx} ${y}, ${x}` : `cmps${sx}`; break;
      default: text = `scas ${y}, ${acc}`; break;
    }
    // With a rep prefix and ECX = 0 nothing executes, so cmps/scas leave the flags as they were.
    g.insn(prefix + text, { mnem: op, flagsUnchanged: prefix !== '' && count === 0 });
    return true;
  },
};

export const STRING_ITEMS: Item[] = [stringItem];
