// The DWARF expression evaluator and formatter on hand-assembled expressions.
import { describe, expect, it } from 'vitest';
import { SymbolError, evalFrameBase, evalLocation, formatExpr, type EvalContext } from '../../../adapter/symbols/index.js';

const ctx: EvalContext = {
  reg: (n) => [0x10, 0x11, 0x12, 0x13, 0x1000, 0x2000, 0x16, 0x17, 0x800020][n] ?? 0,
  readMemory: (addr, len) => (addr >= 0x3000 && addr + len <= 0x3010 ? Uint8Array.from({ length: len }, (_, i) => addr + i - 0x3000 + 1) : undefined),
  frameBase: () => 0x2008,
  cfa: () => 0x2008,
};
const ev = (...bytes: number[]) => evalLocation(Uint8Array.from(bytes), ctx);
const fmt = (...bytes: number[]) => formatExpr(Uint8Array.from(bytes));

describe('evalLocation', () => {
  it('computes memory locations from the frame base, registers and addresses', () => {
    expect(ev(0x91, 0x6c)).toEqual({ kind: 'memory', addr: 0x2008 - 20 }); // DW_OP_fbreg -20
    expect(ev(0x75, 0x08)).toEqual({ kind: 'memory', addr: 0x2008 }); // DW_OP_breg5 (ebp) 8
    expect(ev(0x74, 0x7c)).toEqual({ kind: 'memory', addr: 0x1000 - 4 }); // DW_OP_breg4 (esp) -4
    expect(ev(0x03, 0x20, 0x20, 0x80, 0x00)).toEqual({ kind: 'memory', addr: 0x802020 }); // DW_OP_addr
    expect(ev(0x92, 0x05, 0x10)).toEqual({ kind: 'memory', addr: 0x2010 }); // DW_OP_bregx 5 16
    expect(ev(0x9c)).toEqual({ kind: 'memory', addr: 0x2008 }); // DW_OP_call_frame_cfa
  });

  it('names registers, values and literal bytes', () => {
    expect(ev(0x50)).toEqual({ kind: 'register', reg: 0 }); // DW_OP_reg0
    expect(ev(0x90, 0x09)).toEqual({ kind: 'register', reg: 9 }); // DW_OP_regx 9
    expect(ev(0x30, 0x9f)).toEqual({ kind: 'value', value: 0 }); // lit0; stack_value
    expect(ev(0x9e, 0x02, 0xab, 0xcd)).toEqual({ kind: 'implicit', bytes: Uint8Array.of(0xab, 0xcd) });
    expect(ev()).toEqual({ kind: 'optimized-out' });
  });

  it('does 32-bit arithmetic, signed where DWARF says so', () => {
    expect(ev(0x35, 0x33, 0x1c, 0x9f)).toEqual({ kind: 'value', value: 2 }); // 5 - 3
    expect(ev(0x33, 0x35, 0x1c, 0x9f)).toEqual({ kind: 'value', value: 0xfffffffe }); // 3 - 5 wraps
    expect(ev(0x11, 0x7f, 0x32, 0x1b, 0x9f)).toEqual({ kind: 'value', value: 0 }); // -1 / 2 = 0 (signed)
    expect(ev(0x11, 0x79, 0x31, 0x26, 0x9f)).toEqual({ kind: 'value', value: 0xfffffffc }); // -7 >>a 1 = -4
    expect(ev(0x11, 0x7f, 0x30, 0x2d, 0x9f)).toEqual({ kind: 'value', value: 1 }); // -1 < 0
    expect(ev(0x0c, 0x78, 0x56, 0x34, 0x12, 0x38, 0x25, 0x9f)).toEqual({ kind: 'value', value: 0x123456 }); // >> 8
    expect(ev(0x32, 0x12, 0x1e, 0x23, 0x01, 0x9f)).toEqual({ kind: 'value', value: 5 }); // 2 dup mul plus_uconst 1
    expect(ev(0x31, 0x32, 0x16, 0x1c, 0x9f)).toEqual({ kind: 'value', value: 1 }); // 1 2 swap minus = 2 - 1
  });

  it('reads memory for deref and reports unreadable memory as unavailable', () => {
    expect(ev(0x0a, 0x00, 0x30, 0x06, 0x9f)).toEqual({ kind: 'value', value: 0x04030201 }); // *(0x3000)
    expect(ev(0x0a, 0x02, 0x30, 0x94, 0x02, 0x9f)).toEqual({ kind: 'value', value: 0x0403 }); // deref_size 2
    expect(ev(0x0a, 0x00, 0x40, 0x06)).toEqual({ kind: 'unavailable', reason: 'cannot read memory at 0x4000' });
  });

  it('follows branches and stops runaway loops', () => {
    // lit1; bra +1; lit5(skipped); lit7; stack_value  -> 7
    expect(ev(0x31, 0x28, 0x01, 0x00, 0x35, 0x37, 0x9f)).toEqual({ kind: 'value', value: 7 });
    // skip -3: jumps to itself forever
    expect(() => ev(0x2f, 0xfd, 0xff)).toThrow(/more than 10000 operations/);
    expect(() => ev(0x2f, 0x10, 0x00)).toThrow(SymbolError); // branch into nowhere
  });

  it('assembles pieces, including optimised-out ones', () => {
    expect(ev(0x50, 0x93, 0x04, 0x52, 0x93, 0x04)).toEqual({
      kind: 'pieces',
      pieces: [
        { bits: 32, offsetBits: 0, location: { kind: 'register', reg: 0 } },
        { bits: 32, offsetBits: 0, location: { kind: 'register', reg: 2 } },
      ],
    });
    expect(ev(0x93, 0x04, 0x91, 0x70, 0x93, 0x04)).toMatchObject({
      pieces: [{ location: { kind: 'optimized-out' } }, { location: { kind: 'memory', addr: 0x2008 - 16 } }],
    });
    expect(ev(0x53, 0x9d, 0x03, 0x02)).toEqual({ kind: 'pieces', pieces: [{ bits: 3, offsetBits: 2, location: { kind: 'register', reg: 3 } }] });
  });

  it('says what it cannot compute instead of guessing', () => {
    expect(ev(0xa3, 0x01, 0x50, 0x9f)).toEqual({ kind: 'unavailable', reason: 'DW_OP_entry_value is not supported' });
    expect(evalLocation(Uint8Array.of(0x9c), { ...ctx, cfa: undefined })).toEqual({ kind: 'unavailable', reason: 'the canonical frame address is not known here' });
    expect(ev(0xe0)).toMatchObject({ kind: 'unavailable' }); // TLS
  });

  it('rejects malformed expressions with a SymbolError naming the file', () => {
    expect(() => evalLocation(Uint8Array.of(0x91), ctx, { file: 'k.elf' })).toThrow(/^k\.elf: DWARF expression at offset 0x1: read of 1 bytes runs past the end/);
    expect(() => ev(0xff)).toThrow(/unknown DW_OP 0xff/);
    expect(() => ev(0x22)).toThrow(/DW_OP_plus\): stack underflow/);
    expect(() => ev(0x30, 0x30, 0x1b)).toThrow(/division by zero/);
  });

  it('evaluates frame bases: an address, or a register meaning its contents', () => {
    expect(evalFrameBase(Uint8Array.of(0x9c), ctx)).toBe(0x2008);
    expect(evalFrameBase(Uint8Array.of(0x75, 0x08), ctx)).toBe(0x2008);
    expect(evalFrameBase(Uint8Array.of(0x55), ctx)).toBe(0x2000); // DW_OP_reg5: ebp's value
  });
});

describe('formatExpr', () => {
  it('prints operations as readelf does', () => {
    expect(fmt(0x91, 0x6c)).toBe('DW_OP_fbreg: -20');
    expect(fmt(0x75, 0x08)).toBe('DW_OP_breg5 (ebp): 8');
    expect(fmt(0x50)).toBe('DW_OP_reg0 (eax)');
    expect(fmt(0x03, 0x1c, 0xa0, 0x04, 0x08)).toBe('DW_OP_addr: 804a01c');
    expect(fmt(0x90, 0x09)).toBe('DW_OP_regx: 9 (eflags)');
    expect(fmt(0x92, 0x05, 0x7c)).toBe('DW_OP_bregx: 5 (ebp) -4');
    expect(fmt(0x30, 0x9f)).toBe('DW_OP_lit0; DW_OP_stack_value');
    expect(fmt(0x50, 0x93, 0x04, 0x52, 0x93, 0x04)).toBe('DW_OP_reg0 (eax); DW_OP_piece: 4; DW_OP_reg2 (edx); DW_OP_piece: 4');
    expect(fmt(0xa3, 0x01, 0x50, 0x9f)).toBe('DW_OP_entry_value: (DW_OP_reg0 (eax)); DW_OP_stack_value');
    expect(fmt(0x23, 0x80, 0x01)).toBe('DW_OP_plus_uconst: 128');
    expect(fmt(0x08, 0xff, 0x09, 0xff)).toBe('DW_OP_const1u: 255; DW_OP_const1s: -1');
  });
});
