// Number formatting shared by the inspectors. Views and tests compare these strings exactly, so
// there is one place that decides the style: lowercase hex, "0x" prefix, fixed widths.

/** 32-bit value as 0x + 8 lowercase hex digits (addresses, register values, entries). */
export function hex8(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

/** 16-bit value as 0x + 4 lowercase hex digits (selectors). */
export function hex4(v: number): string {
  return '0x' + (v & 0xffff).toString(16).padStart(4, '0');
}

/**
 * Value as 0x + minimal lowercase hex digits. Accepts values above 2^32 (physical addresses
 * with PSE-36), which `>>> 0` would truncate.
 */
export function hex(v: number): string {
  return '0x' + (v < 0 ? v >>> 0 : v).toString(16);
}

/** Like hex8 but for values that may exceed 32 bits: at least 8 digits, more if needed. */
export function hexAddr(v: number): string {
  return '0x' + (v < 0 ? v >>> 0 : v).toString(16).padStart(8, '0');
}
