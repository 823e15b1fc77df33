// The rest: cbw/cwde/cwd/cdq, lahf/sahf, clc/stc/cmc/cld/std, xlat, and one- and multi-byte nops
// (90, 66 90, pause, 0F 1F /0 with any operand, and the lea/mov paddings older gcc emits).
import { AF, CF, EAX, EBX, EDI, EDX, ESI, PF, SF, ZF, bytes, reg } from '../asm.js';
import type { Gen } from '../context.js';
import type { Item } from '../item.js';
import { DATA_SIZE, DATA_WIN } from '../../layout.js';

const convert: Item = {
  name: 'cbw-cwd', weight: 2,
  gen: (g) => {
    const [text, mnem, writes] = g.rng.pick([
      ['cbtw', 'cbtw', EAX], ['cwtl', 'cbtw', EAX], ['cwtd', 'cltd', EDX], ['cltd', 'cltd', EDX],
    ] as const);
    if (!g.canWrite(writes)) return false;
    g.insn(text, { mnem });
    return true;
  },
};

const lahfSahf: Item = {
  name: 'lahf-sahf', weight: 2,
  gen: (g) => {
    if (g.rng.bool()) {
      if (!g.canWrite(EAX)) return false;
      // LAHF copies SF ZF AF PF CF (and fixed bits) into AH.
      g.insn('lahf', { mnem: 'lahf', reads: SF | ZF | AF | PF | CF });
    } else {
      g.insn('sahf', { mnem: 'sahf' });
    }
    return true;
  },
};

const flagOps: Item = {
  name: 'flag-ops', weight: 2,
  gen: (g) => {
    const op = g.rng.pick(['clc', 'stc', 'cmc', 'cld', 'std']);
    g.insn(op, { mnem: op, reads: op === 'cmc' ? CF : 0 });
    return true;
  },
};

/** xlat: AL = [EBX + AL] with EBX pointed so that all 256 possible entries are in the window. */
const xlat: Item = {
  name: 'xlat', weight: 1,
  gen: (g) => {
    if (!g.canWriteAll([EAX, EBX])) return false;
    g.setReg(4, EBX, DATA_WIN + g.rng.int(0, DATA_SIZE - 256));
    const seg = g.rng.pick(['', '', '%es:', '%ss:', '%cs:']);
    g.insn(seg ? `xlat ${seg}(%ebx)` : 'xlatb', { mnem: 'xlat' });
    return true;
  },
};

const OPERANDS = ['(%eax)', '0x0(%eax)', '0x0(%eax,%eax,1)', '%cs:0x0(%eax,%eax,1)', '0x12345678(%esi,%edi,8)', '-0x4(%ebp)'];

const nops: Item = {
  name: 'nop', weight: 2,
  gen: (g) => {
    switch (g.rng.int(0, 5)) {
      case 0: g.insn(g.rng.pick(['nop', 'xchg %ax, %ax', 'pause']), { mnem: 'nop' }); break;
      case 1: g.insn(`nop${g.rng.pick(['w', 'l'])} ${g.rng.pick(OPERANDS)}`, { mnem: 'nop' }); break;
      case 2: {
        const s = g.rng.pick([2, 4] as const);
        g.insn(`nop${s === 2 ? 'w' : 'l'} ${reg(s, g.rng.int(0, 7))}`, { mnem: 'nop' });
        break;
      }
      case 3:
        // gcc's 10- and 11-byte paddings: data16 (data16) cs nopw 0x0(%eax,%eax,1).
        g.insn(`${bytes([...(g.rng.bool() ? [0x66] : []), 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00])}  # data16 cs nopw`, { mnem: 'nop' });
        break;
      case 4: {
        // lea 0x0(%esi,%eiz,1),%esi and friends: write a register with its own value.
        if (!g.canWriteAll([ESI, EDI])) return false;
        g.insn(`.nops ${g.rng.pick([3, 4, 6, 7])}`, { mnem: 'lea' });
        break;
      }
      default:
        if (!g.canWrite(ESI)) return false;
        g.insn('.byte 0x89, 0xf6  # mov %esi, %esi', { mnem: 'mov' });
    }
    return true;
  },
};

export const MISC_ITEMS: Item[] = [convert, lahfSahf, flagOps, xlat, nops];
