// Port I/O: in, out, ins, outs. Ring 3 needs CPL <= IOPL or the port's bit clear in the TSS
// I/O permission bitmap (SDM vol. 1, 19.5).
import type { Cpu } from '../cpu.js';
import type { Handler, Insn } from '../insn.js';
import type { OpDef } from '../opdef.js';
import { CpuFault, GP } from '../fault.js';
import { DF } from '../eflags.js';
import { EAX, ECX, EDI, EDX, ES, ESI } from '../regs.js';

/** The I/O permission check: IOPL first, then the TSS bitmap for every byte of the access. */
function checkPort(cpu: Cpu, port: number, size: number): void {
  const iopl = (cpu.flags >> 12) & 3;
  if (cpu.cpl <= iopl) return;
  const deny = (): never => {
    throw new CpuFault(GP, 0, `I/O port 0x${port.toString(16)} at CPL ${cpu.cpl} with IOPL ${iopl} and no permission in the TSS bitmap`);
  };
  if (cpu.trSel === 0 || cpu.trLimit < 0x67) deny();
  const mapBase = cpu.readSupervisor32(cpu.trBase + 0x64) >>> 16;
  const byte = mapBase + (port >> 3);
  if (byte + 1 > cpu.trLimit) deny();
  const bits = cpu.readSupervisor32(cpu.trBase + byte) & 0xffff;
  const mask = ((1 << size) - 1) << (port & 7);
  if (bits & mask) deny();
}

function portIn(cpu: Cpu, port: number, size: number): number {
  checkPort(cpu, port, size);
  return cpu.io.in(port, size);
}
function portOut(cpu: Cpu, port: number, size: number, v: number): void {
  checkPort(cpu, port, size);
  cpu.io.out(port, size, size === 4 ? v : v & ((1 << (8 * size)) - 1));
}

const inImm: Handler = (cpu, i) => cpu.setReg(i.size, EAX, portIn(cpu, i.imm, i.size));
const inDx: Handler = (cpu, i) => cpu.setReg(i.size, EAX, portIn(cpu, cpu.r16[EDX << 1], i.size));
const outImm: Handler = (cpu, i) => portOut(cpu, i.imm, i.size, cpu.getReg(i.size, EAX));
const outDx: Handler = (cpu, i) => portOut(cpu, cpu.r16[EDX << 1], i.size, cpu.getReg(i.size, EAX));

/** ins/outs: one element, or eCX elements with rep (not chunked: port strings are short). */
function stringIo(input: boolean): Handler {
  return (cpu: Cpu, i: Insn) => {
    const r = cpu.regs;
    const s = i.size;
    const port = cpu.r16[EDX << 1];
    const step = (): void => {
      const delta = cpu.flags & DF ? -s : s;
      if (input) {
        const di = i.addr16 ? r[EDI] & 0xffff : r[EDI];
        const v = portIn(cpu, port, s);
        cpu.write(s, cpu.segBase[ES] + di, v);
        if (i.addr16) cpu.r16[EDI << 1] = di + delta;
        else r[EDI] = (di + delta) | 0;
      } else {
        const si = i.addr16 ? r[ESI] & 0xffff : r[ESI];
        portOut(cpu, port, s, cpu.read(s, cpu.segBase[i.seg] + si));
        if (i.addr16) cpu.r16[ESI << 1] = si + delta;
        else r[ESI] = (si + delta) | 0;
      }
    };
    if (!i.rep) return step();
    for (;;) {
      const count = i.addr16 ? r[ECX] & 0xffff : r[ECX];
      if (count === 0) return;
      step();
      if (i.addr16) cpu.r16[ECX << 1] = count - 1;
      else r[ECX] = (count - 1) | 0;
    }
  };
}

const IO_RING3 = 'needs CPL <= IOPL or the port allowed in the TSS I/O bitmap, else #GP(0)';
export const IO_OPS: OpDef[] = [
  { opcode: 0xe4, mnemonic: 'in', operands: ['AL', 'Ib'], exec: inImm, branch: true, ring3: IO_RING3, summary: 'IN: read a byte from an I/O port' },
  { opcode: 0xe5, mnemonic: 'in', operands: ['eAX', 'Ib'], exec: inImm, branch: true, ring3: IO_RING3, summary: 'IN: read a word/dword from an I/O port' },
  { opcode: 0xec, mnemonic: 'in', operands: ['AL', 'DX'], exec: inDx, branch: true, ring3: IO_RING3, summary: 'IN: read a byte from port DX' },
  { opcode: 0xed, mnemonic: 'in', operands: ['eAX', 'DX'], exec: inDx, branch: true, ring3: IO_RING3, summary: 'IN: read a word/dword from port DX' },
  { opcode: 0xe6, mnemonic: 'out', operands: ['Ib', 'AL'], exec: outImm, branch: true, ring3: IO_RING3, summary: 'OUT: write a byte to an I/O port' },
  { opcode: 0xe7, mnemonic: 'out', operands: ['Ib', 'eAX'], exec: outImm, branch: true, ring3: IO_RING3, summary: 'OUT: write a word/dword to an I/O port' },
  { opcode: 0xee, mnemonic: 'out', operands: ['DX', 'AL'], exec: outDx, branch: true, ring3: IO_RING3, summary: 'OUT: write a byte to port DX' },
  { opcode: 0xef, mnemonic: 'out', operands: ['DX', 'eAX'], exec: outDx, branch: true, ring3: IO_RING3, summary: 'OUT: write a word/dword to port DX' },
  { opcode: 0x6c, mnemonic: 'ins', operands: ['Yb', 'DX'], exec: stringIo(true), branch: true, ring3: IO_RING3, summary: 'INS: read from port DX into es:[eDI]' },
  { opcode: 0x6d, mnemonic: 'ins', operands: ['Yv', 'DX'], exec: stringIo(true), branch: true, ring3: IO_RING3, summary: 'INS: read from port DX into es:[eDI]' },
  { opcode: 0x6e, mnemonic: 'outs', operands: ['DX', 'Xb'], exec: stringIo(false), branch: true, ring3: IO_RING3, summary: 'OUTS: write [eSI] to port DX' },
  { opcode: 0x6f, mnemonic: 'outs', operands: ['DX', 'Xv'], exec: stringIo(false), branch: true, ring3: IO_RING3, summary: 'OUTS: write [eSI] to port DX' },
];
