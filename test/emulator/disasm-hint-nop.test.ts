// The hint-NOP opcodes 0F 18-0F 1F against GNU objdump 2.40, exhaustively: every ModRM byte of
// every opcode under 26 prefix combinations (53,248 instructions). objdump names these encodings
// after the extensions that gave them meanings (prefetch, MPX, CET, CLDEMOTE); the emulator runs
// them all as NOPs (hint-nop.ts) but must spell each one as objdump does, with objdump's length.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../emulator/machine.js';
import { decode } from '../../emulator/cpu/decode.js';
import { disassembleAt } from '../../emulator/disasm.js';
import { compareListing, formatMismatches } from './disasm/compare.js';
import { hintNopCode } from './disasm/hint-nop-space.js';
import { dumpBinary } from './disasm/objdump.js';
import { mpxReadsShorter, SLOT } from './disasm/random.js';

function dis(hex: string): string {
  const m = new Machine({ memory: 16 << 20 });
  m.mem.load(0x1000, Uint8Array.from(hex.split(' ').map((h) => parseInt(h, 16))));
  return disassembleAt(m.cpu, 0x1000).text;
}

describe('hint NOPs: objdump 2.40\'s spellings', () => {
  // A readable sample, copied from objdump -d; the exhaustive comparison below is the real check.
  it.each([
    ['f3 0f 1e fb', 'endbr32'],
    ['f3 0f 1e fa', 'endbr64'],
    ['f3 0f 1e c8', 'rdsspd %eax'],
    ['0f 18 00', 'prefetchnta (%eax)'],
    ['0f 18 4c 8b 10', 'prefetcht0 0x10(%ebx,%ecx,4)'],
    ['0f 18 c0', 'nop    %eax'],
    ['0f 1c 00', 'cldemote (%eax)'],
    ['66 0f 1c 00', 'nopw   (%eax)'],
    ['66 f3 0f 1e 00', 'data16 repz nopw (%eax)'],
    ['f3 0f 1a 09', 'bndcl  (%ecx),%bnd1'],
    ['66 0f 1a c8', 'bndmov %bnd0,%bnd1'],
    ['0f 1a 04 08', 'bndldx (%eax,%ecx,1),%bnd0'],
    ['67 0f 1a 00', 'addr16 bndldx (bad),%bnd0'],
    ['f3 f2 0f 1e fb', 'repz repnz nop %ebx'],
    ['f2 0f 1e fb', 'repnz nop %ebx'],
    ['0f 19 c0', 'nop    %eax'],
    ['66 0f 18 00', 'data16 prefetchnta (%eax)'],
    ['f3 0f 1b c0', 'repz nop %eax'],
    ['66 0f 1b 54 24 08', 'bndmov %bnd2,0x8(%esp)'],
  ])('%s -> %s', (hex, text) => {
    expect(dis(hex)).toBe(text);
  });
});

describe('hint NOPs 0F 18-0F 1F vs objdump', () => {
  it('every ModRM byte under every prefix combination prints as objdump prints it', () => {
    const m = new Machine({ memory: 16 << 20 });
    const base = 0x400000;
    const { code, samples } = hintNopCode(m, base);
    const lines = dumpBinary(code, base).filter((l) => (l.addr - base) % SLOT === 0);
    // Every sample starts a line: objdump stayed in step (each slot ends in 0x90 padding).
    expect(lines.length).toBe(samples.length);
    const res = compareListing(m, lines);
    expect(res.compared).toBe(samples.length);
    // The one known difference: MPX with 16-bit addressing (see mpxReadsShorter). Same text; objdump
    // stops at the ModRM byte where the CPU reads the displacement too.
    const isShorter = (addr: number): boolean => {
      const s = samples[(addr - base) / SLOT];
      return mpxReadsShorter(s.prefixes, s.opcode, s.modrm);
    };
    const expected = res.mismatches.filter((x) => isShorter(x.addr) && x.ours === x.objdump && x.objdumpLen < x.ourLen);
    const unexpected = res.mismatches.filter((x) => !expected.includes(x));
    console.info(`hint nops: ${res.compared} compared, ${res.mismatches.length} mismatches, of which ${expected.length} are MPX 16-bit-address lengths`);
    expect(formatMismatches(unexpected)).toBe('');
    expect(expected.length).toBeGreaterThan(0);
  });

  it('every one of them decodes to a table entry (none raises #UD)', () => {
    const m = new Machine({ memory: 16 << 20 });
    const { samples } = hintNopCode(m, 0x400000);
    const undecoded = samples.filter((s, k) => decode(m.cpu, 0x400000 + k * SLOT).def === null);
    expect(undecoded.map((s) => s.bytes.map((b) => b.toString(16)).join(' ')).slice(0, 20)).toEqual([]);
  });
});
