// Bit instructions: bt/bts/btr/btc, bsf/bsr, bswap.
import type { Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { CF, ZF } from '../eflags.js';

const BT = 4, BTS = 5, BTR = 6, BTC = 7;

/**
 * Tests (and sets/resets/complements) one bit. With a register bit offset and a memory operand the
 * offset is signed and may reach outside the addressed word (SDM "bit base addressing").
 */
function bitOp(cpu: Cpu, i: Insn, op: number, offset: number, fromRegister: boolean): void {
  const s = i.size;
  const bits = s << 3;
  let bit: number;
  if (i.isMem) {
    let a = cpu.ea(i);
    if (fromRegister) {
      const signed = s === 2 ? (offset << 16) >> 16 : offset | 0;
      a = (a + (signed >> (s === 2 ? 4 : 5)) * s) | 0;
    }
    bit = offset & (bits - 1);
    const v = cpu.read(s, a);
    cpu.setFlagBits(CF, (v >>> bit) & 1);
    if (op !== BT) cpu.write(s, a, apply(op, v, bit));
  } else {
    bit = offset & (bits - 1);
    const v = cpu.getReg(s, i.rm);
    cpu.setFlagBits(CF, (v >>> bit) & 1);
    if (op !== BT) cpu.setReg(s, i.rm, apply(op, v, bit));
  }
}

function apply(op: number, v: number, bit: number): number {
  if (op === BTS) return v | (1 << bit);
  if (op === BTR) return v & ~(1 << bit);
  return v ^ (1 << bit);
}

const btRegForm = (op: number): Handler => (cpu, i) => bitOp(cpu, i, op, cpu.getReg(i.size, i.reg), true);
const btImmForm: Handler = (cpu, i) => bitOp(cpu, i, i.reg, i.imm, false);

const bsf: Handler = (cpu, i) => {
  const v = cpu.readE(i, i.size);
  if (v === 0) return cpu.setFlagBits(ZF, ZF); // destination left unchanged, as Intel and AMD cores do
  cpu.setFlagBits(ZF, 0);
  cpu.setReg(i.size, i.reg, 31 - Math.clz32(v & -v));
};
const bsr: Handler = (cpu, i) => {
  const v = cpu.readE(i, i.size);
  if (v === 0) return cpu.setFlagBits(ZF, ZF);
  cpu.setFlagBits(ZF, 0);
  cpu.setReg(i.size, i.reg, 31 - Math.clz32(v));
};

const bswap: Handler = (cpu, i) => {
  const v = cpu.regs[i.reg];
  cpu.regs[i.reg] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
};

// SDM BT/BTS/BTR/BTC: "CF = selected bit; ZF unaffected; OF, SF, AF, PF undefined".
const BTF = { set: 'C', undefined: 'OSAP' };
// SDM BSF/BSR: "ZF set if the source is 0, else cleared; CF, OF, SF, AF, PF undefined".
const BSF = { set: 'Z', undefined: 'OSAPC' };

export const BIT_OPS: OpDef[] = [
  { opcode: 0x0fa3, mnemonic: 'bt', operands: ['Ev', 'Gv'], exec: btRegForm(BT), flags: BTF, summary: 'BT: copy a bit into CF' },
  { opcode: 0x0fab, mnemonic: 'bts', operands: ['Ev', 'Gv'], exec: btRegForm(BTS), flags: BTF, summary: 'BTS: copy a bit into CF and set it' },
  { opcode: 0x0fb3, mnemonic: 'btr', operands: ['Ev', 'Gv'], exec: btRegForm(BTR), flags: BTF, summary: 'BTR: copy a bit into CF and clear it' },
  { opcode: 0x0fbb, mnemonic: 'btc', operands: ['Ev', 'Gv'], exec: btRegForm(BTC), flags: BTF, summary: 'BTC: copy a bit into CF and complement it' },
  { opcode: 0x0fba, ext: 4, mnemonic: 'bt', operands: ['Ev', 'Ib'], exec: btImmForm, flags: BTF, summary: 'BT: copy a bit into CF' },
  { opcode: 0x0fba, ext: 5, mnemonic: 'bts', operands: ['Ev', 'Ib'], exec: btImmForm, flags: BTF, summary: 'BTS: copy a bit into CF and set it' },
  { opcode: 0x0fba, ext: 6, mnemonic: 'btr', operands: ['Ev', 'Ib'], exec: btImmForm, flags: BTF, summary: 'BTR: copy a bit into CF and clear it' },
  { opcode: 0x0fba, ext: 7, mnemonic: 'btc', operands: ['Ev', 'Ib'], exec: btImmForm, flags: BTF, summary: 'BTC: copy a bit into CF and complement it' },
  { opcode: 0x0fbc, mnemonic: 'bsf', operands: ['Gv', 'Ev'], exec: bsf, flags: BSF, summary: 'BSF: index of the lowest set bit (ZF=1 when none)' },
  { opcode: 0x0fbd, mnemonic: 'bsr', operands: ['Gv', 'Ev'], exec: bsr, flags: BSF, summary: 'BSR: index of the highest set bit (ZF=1 when none)' },
  ...Array.from({ length: 8 }, (_, r): OpDef => ({
    opcode: 0x0fc8 + r, mnemonic: 'bswap', operands: ['Zv'], size: 4, exec: bswap, summary: 'BSWAP: reverse the byte order of a 32-bit register',
  })),
];
