// Condition codes 0..15 of jcc/setcc/cmovcc, in encoding order.
/** Condition-code suffixes as objdump prints them, in encoding order. */
export const CC_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
export const CC_WORDS = [
  'overflow (OF=1)', 'no overflow (OF=0)', 'below (CF=1)', 'above or equal (CF=0)', 'equal (ZF=1)', 'not equal (ZF=0)',
  'below or equal (CF=1 or ZF=1)', 'above (CF=0 and ZF=0)', 'sign (SF=1)', 'no sign (SF=0)', 'parity (PF=1)',
  'no parity (PF=0)', 'less (SF!=OF)', 'greater or equal (SF=OF)', 'less or equal (ZF=1 or SF!=OF)', 'greater (ZF=0 and SF=OF)',
];
