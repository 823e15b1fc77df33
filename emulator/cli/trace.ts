/**
 * One line per vector delivered, for --trace-traps. The words are those of the inspectors (the
 * page-fault error code as `[user, write, protection]`), so a trace reads like the debugger's
 * trap frames:
 *   trap 152: vector 14 #PF Page Fault (exception), ring 3 -> 0, at 001b:00800039, err 0x00000007 [user, write, protection], cr2 0xeebfd000
 */
import { Source, type VectorEvent } from '../cpu/interrupts.js';
import { describeErrorCode } from '../inspect/errorcode.js';
import { hex8 } from '../inspect/hex.js';
import { vectorMnemonic, vectorName } from '../inspect/vectors.js';

const SOURCES: Record<Source, string> = {
  [Source.Exception]: 'exception',
  [Source.Software]: 'int',
  [Source.External]: 'irq',
};

export function formatTrap(e: VectorEvent, icount: number): string {
  const mnemonic = vectorMnemonic(e.vector);
  const label = mnemonic ? `${mnemonic} ${vectorName(e.vector)}` : vectorName(e.vector);
  const parts = [
    `trap ${icount}: vector ${e.vector} ${label} (${SOURCES[e.source] ?? 'unknown'})`,
    `ring ${e.cplBefore} -> ${e.cplAfter}`,
    `at ${csEip(e.cs, e.eip)}`,
  ];
  // A negative code means none is pushed (interrupts, int n, and exceptions without one).
  if (e.errorCode >= 0) {
    const words = describeErrorCode(e.vector, e.errorCode);
    parts.push(`err ${hex8(e.errorCode)}${words ? ' ' + words : ''}`);
  }
  if (e.vector === 14) parts.push(`cr2 ${hex8(e.cr2)}`);
  return parts.join(', ');
}

/** "0008:00100034", the selector:offset form debuggers print. */
export function csEip(cs: number, eip: number): string {
  return `${(cs & 0xffff).toString(16).padStart(4, '0')}:${(eip >>> 0).toString(16).padStart(8, '0')}`;
}
