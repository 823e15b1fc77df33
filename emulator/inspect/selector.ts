// Segment selectors (SDM vol. 3, 3.4.2): index into the GDT or LDT, and the requested privilege level.

import { hex4 } from './hex.js';

export interface DecodedSelector {
  value: number;
  index: number;
  ti: 'GDT' | 'LDT';
  rpl: number;
  /** GDT index 0: the null selector (loadable into data registers, faults when used). */
  isNull: boolean;
  /** "0x001b (GDT index 3, RPL 3)". */
  text: string;
}

export function decodeSelector(sel: number): DecodedSelector {
  const value = sel & 0xffff;
  const index = value >>> 3;
  const ti = value & 4 ? 'LDT' : 'GDT';
  const rpl = value & 3;
  const isNull = ti === 'GDT' && index === 0;
  return { value, index, ti, rpl, isNull, text: `${hex4(value)} (${ti} index ${index}, RPL ${rpl}${isNull ? ', null' : ''})` };
}
