// The disassembler against GNU objdump 2.40, the outside truth: a gas-assembled corpus of every
// mnemonic and operand form, and random instructions built from the opcode table. Both compare the
// exact instruction text and the decoder's length with objdump's byte count.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../emulator/machine.js';
import { decode } from '../../emulator/cpu/decode.js';
import { OPCODE_TABLE } from '../../emulator/cpu/optable.js';
import { disassemble, disassembleAt, formatOperandsForDocs } from '../../emulator/disasm.js';
import { compareListing, formatMismatches } from './disasm/compare.js';
import { corpusSource } from './disasm/corpus.js';
import { assembleAndDump, dumpBinary } from './disasm/objdump.js';
import { randomCode, SLOT } from './disasm/random.js';

function machineWith(addr: number, bytes: number[]): Machine {
  const m = new Machine({ memory: 16 << 20 });
  m.mem.load(addr, Uint8Array.from(bytes));
  return m;
}

function dis(hex: string, addr = 0x1000): string {
  const bytes = hex.split(' ').map((h) => parseInt(h, 16));
  return disassembleAt(machineWith(addr, bytes).cpu, addr).text;
}

describe('disassemble (objdump 2.40 AT&T text)', () => {
  // A readable sample of the rules; the objdump comparisons below are the real check.
  it.each([
    ['89 44 24 04', 'mov    %eax,0x4(%esp)'],
    ['c7 00 01 00 00 00', 'movl   $0x1,(%eax)'],
    ['ff 00', 'incl   (%eax)'],
    ['d1 20', 'shll   (%eax)'],
    ['d1 e0', 'shl    %eax'],
    ['ff 30', 'push   (%eax)'],
    ['66 ff 30', 'pushw  (%eax)'],
    ['6a 01', 'push   $0x1'],
    ['0f b6 c0', 'movzbl %al,%eax'],
    ['66 0f be 00', 'movsbw (%eax),%ax'],
    ['0f b7 c0', 'movzwl %ax,%eax'],
    ['98', 'cwtl'],
    ['66 98', 'cbtw'],
    ['99', 'cltd'],
    ['66 99', 'cwtd'],
    ['8d 74 26 00', 'lea    0x0(%esi,%eiz,1),%esi'],
    ['0f 1f 44 00 00', 'nopl   0x0(%eax,%eax,1)'],
    ['66 0f 1f 44 00 00', 'nopw   0x0(%eax,%eax,1)'],
    ['66 90', 'xchg   %ax,%ax'],
    ['ff e0', 'jmp    *%eax'],
    ['ff 53 08', 'call   *0x8(%ebx)'],
    ['c2 04 00', 'ret    $0x4'],
    ['f3 ab', 'rep stos %eax,%es:(%edi)'],
    ['f3 a6', 'repz cmpsb %es:(%edi),%ds:(%esi)'],
    ['f0 0f b1 0a', 'lock cmpxchg %ecx,(%edx)'],
    ['64 a1 14 00 00 00', 'mov    %fs:0x14,%eax'],
    ['66 f8', 'data16 clc'],
    ['67 90', 'addr16 nop'],
    ['eb fe', 'jmp    0x1000'],
    ['e8 00 00 00 00', 'call   0x1005'],
    ['0f 84 fa ff ff ff', 'je     0x1000'],
    ['2e 74 00', 'je,pn  0x1003'],
    ['c8 08 00 00', 'enter  $0x8,$0x0'],
    ['d6', '(bad)'],
    ['0f 0a', '(bad)'],
  ])('%s -> %s', (hex, text) => {
    expect(dis(hex)).toBe(text);
  });

  it('disassembleAt returns the length and bytes', () => {
    const m = machineWith(0x2000, [0x66, 0x83, 0x00, 0xff, 0x90]);
    expect(disassembleAt(m.cpu, 0x2000)).toEqual({ text: 'addw   $0xffff,(%eax)', length: 4, bytes: [0x66, 0x83, 0x00, 0xff] });
  });

  it('prints branch targets relative to the eip it is given', () => {
    const m = machineWith(0x3000, [0xe9, 0x00, 0x01, 0x00, 0x00]);
    expect(disassemble(decode(m.cpu, 0x3000), 0xc0100000)).toBe('jmp    0xc0100105');
  });

  it('rebuilds the prefixes from the Insn when the bytes are not given', () => {
    const m = machineWith(0x4000, [0x64, 0x66, 0xf3, 0xa5]);
    expect(disassemble(decode(m.cpu, 0x4000), 0x4000)).toBe('rep movsw %fs:(%esi),%es:(%edi)');
  });
});

describe('formatOperandsForDocs', () => {
  const find = (opcode: number, ext?: number) => {
    const d = OPCODE_TABLE.find((x) => x.opcode === opcode && x.ext === ext);
    if (!d) throw new Error(`no table entry ${opcode.toString(16)}`);
    return d;
  };

  it('gives Intel-order signatures', () => {
    expect(formatOperandsForDocs(find(0x01))).toBe('add r/m32, r32');
    expect(formatOperandsForDocs(find(0x80, 0))).toBe('add r/m8, imm8');
    expect(formatOperandsForDocs(find(0xc2))).toBe('ret imm16');
    expect(formatOperandsForDocs(find(0x0fa2))).toBe('cpuid');
    expect(formatOperandsForDocs(find(0x8e))).toBe('mov Sreg, r/m16');
  });

  it('covers every table entry', () => {
    for (const d of OPCODE_TABLE) expect(formatOperandsForDocs(d)).toMatch(/^[a-z0-9]+( \S+(, \S+)*)?$/);
  });
});

describe('disassembler vs objdump', () => {
  it('matches objdump -d on a corpus of every mnemonic and operand form', () => {
    const { text, lines } = assembleAndDump(corpusSource());
    const m = new Machine({ memory: 16 << 20 });
    m.mem.load(0, text);
    const res = compareListing(m, lines);
    console.info(
      `disasm corpus: ${res.compared} instructions compared, ${res.skipped} skipped (not in the opcode table yet), ` +
      `${res.mismatches.length} mismatches`,
    );
    expect(res.compared).toBeGreaterThan(15000);
    expect(formatMismatches(res.mismatches)).toBe('');
  });

  it.each([1, 2, 3])('matches objdump -D on random table instructions (seed %i)', (seed) => {
    const m = new Machine({ memory: 16 << 20 });
    const base = 0x400000;
    const { code, count } = randomCode(m, base, 12, seed);
    const lines = dumpBinary(code, base).filter((l) => (l.addr - base) % SLOT === 0);
    // Every sample starts a line: objdump stayed in step (each slot ends in 0x90 padding).
    expect(lines.length).toBe(count);
    const res = compareListing(m, lines);
    console.info(`disasm random seed ${seed}: ${res.compared} compared, ${res.skipped} skipped, ${res.mismatches.length} mismatches`);
    expect(formatMismatches(res.mismatches)).toBe('');
  });
});
