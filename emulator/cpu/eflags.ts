// EFLAGS bit positions (Intel SDM vol. 1, 3.4.3).
export const CF = 1 << 0;
export const PF = 1 << 2;
export const AF = 1 << 4;
export const ZF = 1 << 6;
export const SF = 1 << 7;
export const TF = 1 << 8;
export const IF = 1 << 9;
export const DF = 1 << 10;
export const OF = 1 << 11;
export const IOPL = 3 << 12;
export const NT = 1 << 14;
export const RF = 1 << 16;
export const VM = 1 << 17;
export const AC = 1 << 18;
export const VIF = 1 << 19;
export const VIP = 1 << 20;
export const ID = 1 << 21;

/** The six status flags that arithmetic computes (and that the lazy-flag machinery tracks). */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;
/** Bit 1 always reads as 1. */
export const FIXED_ONE = 1 << 1;
/** Bits software can change with popf at CPL 0 on a Pentium-class CPU without VME. */
export const WRITABLE_FLAGS = ARITH_FLAGS | TF | IF | DF | OF | IOPL | NT | RF | AC | ID;

export const FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [CF, 'CF'], [PF, 'PF'], [AF, 'AF'], [ZF, 'ZF'], [SF, 'SF'], [TF, 'TF'], [IF, 'IF'], [DF, 'DF'],
  [OF, 'OF'], [NT, 'NT'], [RF, 'RF'], [VM, 'VM'], [AC, 'AC'], [VIF, 'VIF'], [VIP, 'VIP'], [ID, 'ID'],
];
