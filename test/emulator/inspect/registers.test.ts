// Register decoders against the SDM bit layouts (vol. 1, 3.4.3 EFLAGS; vol. 3, 2.5 CR0/CR4;
// vol. 3, 3.4.2 selectors) and the values seed 000 and JOS use.
import { describe, expect, it } from 'vitest';
import { decodeCr0, decodeCr3, decodeCr4, decodeEflags, decodeSelector } from '../../../emulator/inspect/index.js';

describe('decodeEflags', () => {
  it('0x246 (after "xor; sti"-like code) is IF ZF PF IOPL=0', () => {
    const d = decodeEflags(0x246);
    expect(d.text).toBe('IF ZF PF IOPL=0');
    expect(d.set).toEqual(['IF', 'ZF', 'PF']);
    expect(d.iopl).toBe(0);
  });

  it('seed 000 trap frame "flag 0x00000096" is SF AF PF', () => {
    expect(decodeEflags(0x96).text).toBe('SF AF PF IOPL=0');
  });

  it('reads IOPL as a field and keeps bit 1 quiet', () => {
    const d = decodeEflags(0x3202);
    expect(d.text).toBe('IF IOPL=3');
    expect(d.iopl).toBe(3);
    expect(d.unknown).toEqual([]);
  });

  it('names every defined flag, and reports reserved bits that are set', () => {
    const all = decodeEflags(0x3f7fd5 | 0x8);
    expect(all.set).toEqual(['ID', 'VIP', 'VIF', 'AC', 'VM', 'RF', 'NT', 'OF', 'DF', 'IF', 'TF', 'SF', 'ZF', 'AF', 'PF', 'CF']);
    expect(all.unknown).toEqual([3]);
    expect(decodeEflags(0x2).text).toBe('IOPL=0');
    expect(decodeEflags(0x246).bits.find((b) => b.name === 'ZF')).toMatchObject({ bit: 6, set: true });
  });
});

describe('decodeCr0 / decodeCr3 / decodeCr4', () => {
  it('JOS lab 2 CR0 (PE|MP|ET|NE|WP|AM|PG = 0x80050033)', () => {
    expect(decodeCr0(0x80050033).text).toBe('PG AM WP NE ET MP PE');
  });

  it('every CR0 bit by name', () => {
    expect(decodeCr0(0xe005003f).set).toEqual(['PG', 'CD', 'NW', 'AM', 'WP', 'NE', 'ET', 'TS', 'EM', 'MP', 'PE']);
    expect(decodeCr0(0).text).toBe('-');
    expect(decodeCr0(1 << 8).text).toBe('bit8');
  });

  it('CR4 names', () => {
    expect(decodeCr4(0x10).text).toBe('PSE');
    expect(decodeCr4(0x7ff).set).toEqual(['OSXMMEXCPT', 'OSFXSR', 'PCE', 'PGE', 'MCE', 'PAE', 'PSE', 'DE', 'TSD', 'PVI', 'VME']);
    expect(decodeCr4(0x300000).text).toBe('SMAP SMEP');
  });

  it('CR3 gives the page directory and PWT/PCD', () => {
    expect(decodeCr3(0x0011c000).text).toBe('page directory 0x0011c000');
    expect(decodeCr3(0x0011c018)).toMatchObject({ pageDirectory: 0x11c000, set: ['PCD', 'PWT'], unknown: [] });
  });
});

describe('decodeSelector', () => {
  it.each([
    [0x1b, '0x001b (GDT index 3, RPL 3)'], // JOS GD_UT | 3
    [0x23, '0x0023 (GDT index 4, RPL 3)'], // JOS GD_UD | 3
    [0x08, '0x0008 (GDT index 1, RPL 0)'], // GD_KT
    [0x28, '0x0028 (GDT index 5, RPL 0)'], // GD_TSS0
    [0x0f, '0x000f (LDT index 1, RPL 3)'],
    [0x00, '0x0000 (GDT index 0, RPL 0, null)'],
    [0x03, '0x0003 (GDT index 0, RPL 3, null)'],
  ])('%i', (sel, text) => {
    expect(decodeSelector(sel).text).toBe(text);
  });

  it('structured fields', () => {
    expect(decodeSelector(0x1b)).toMatchObject({ index: 3, ti: 'GDT', rpl: 3, isNull: false });
    expect(decodeSelector(0x4)).toMatchObject({ index: 0, ti: 'LDT', isNull: false });
  });
});
