// Error-code decoders against seed 000 (JOS print_trapframe words for the page-fault code, whose
// bit table is SDM vol. 3, figure 4-12) and SDM vol. 3, 6.13 (selector error codes).
import { describe, expect, it } from 'vitest';
import {
  decodePageFaultError, decodeSelectorError, describeErrorCode, hex8, pageFaultErrorCode, pageFaultErrorFields, selectorErrorFields,
} from '../../../emulator/inspect/index.js';

describe('decodePageFaultError', () => {
  it('prints the seed line exactly', () => {
    expect(`err ${hex8(7)} ${decodePageFaultError(7)}`).toBe('err 0x00000007 [user, write, protection]');
  });

  // Bit 0 P (0 not-present, 1 protection), bit 1 W/R, bit 2 U/S: JOS prints U/S, W/R, P in that order.
  it.each([
    [0, '[kernel, read, not-present]'],
    [1, '[kernel, read, protection]'],
    [2, '[kernel, write, not-present]'],
    [3, '[kernel, write, protection]'],
    [4, '[user, read, not-present]'],
    [5, '[user, read, protection]'],
    [6, '[user, write, not-present]'],
    [7, '[user, write, protection]'],
  ])('0x%i -> %s', (err, words) => {
    expect(decodePageFaultError(err)).toBe(words);
  });

  it('appends RSVD, I/D, PK and SGX only when set, after the three JOS words', () => {
    expect(decodePageFaultError(0x9)).toBe('[kernel, read, protection, reserved]');
    expect(decodePageFaultError(0x14)).toBe('[user, read, not-present, instruction fetch]');
    expect(decodePageFaultError(0x25)).toBe('[user, read, protection, protection key]');
    expect(decodePageFaultError(0x8007)).toBe('[user, write, protection, sgx]');
    expect(decodePageFaultError(0x1d)).toBe('[user, read, protection, reserved, instruction fetch]');
  });

  it('fields and code builder agree', () => {
    for (let err = 0; err < 0x40; err++) expect(pageFaultErrorCode(pageFaultErrorFields(err))).toBe(err);
    expect(pageFaultErrorFields(0x8000).sgx).toBe(true);
  });
});

describe('decodeSelectorError (SDM 6.13: EXT bit 0, IDT bit 1, TI bit 2, index bits 15:3)', () => {
  it('an IDT reference names the vector', () => {
    // #GP raised while delivering vector 14 through a bad gate: (14 << 3) | IDT.
    expect(decodeSelectorError((14 << 3) | 2)).toBe('IDT vector 14 (ext=0)');
    expect(decodeSelectorError((0x20 << 3) | 3)).toBe('IDT vector 32 (ext=1)');
  });

  it('GDT and LDT references give the selector without RPL', () => {
    expect(decodeSelectorError(0x28)).toBe('GDT selector 0x28 (ext=0)');
    expect(decodeSelectorError(0x2c)).toBe('LDT selector 0x2c (ext=0)');
    expect(decodeSelectorError(0x29)).toBe('GDT selector 0x28 (ext=1)');
    expect(selectorErrorFields(0x2c)).toEqual({ ext: false, idt: false, table: 'LDT', index: 5, selector: 0x2c });
  });

  it('TI is meaningless when IDT is set', () => {
    expect(selectorErrorFields((13 << 3) | 6)).toMatchObject({ table: 'IDT', index: 13 });
  });

  it('error code 0 names no selector', () => {
    expect(decodeSelectorError(0)).toBe('no selector (error code 0)');
  });
});

describe('describeErrorCode', () => {
  it('dispatches on the vector', () => {
    expect(describeErrorCode(14, 7)).toBe('[user, write, protection]');
    expect(describeErrorCode(13, 0x28)).toBe('GDT selector 0x28 (ext=0)');
    expect(describeErrorCode(11, 0x19)).toBe('GDT selector 0x18 (ext=1)');
    expect(describeErrorCode(11, 0x1b)).toBe('IDT vector 3 (ext=1)');
    expect(describeErrorCode(8, 0)).toBeUndefined();
  });
});
