// The IDT as the processor sees it (SDM vol. 3, 6.10-6.11): up to 256 8-byte gates at a linear
// base, bounded by the IDTR limit. Only task, interrupt and trap gates are valid there; anything
// else makes delivery of that vector raise #GP, which the entry says.

import { decodeDescriptor, type Descriptor } from './descriptor.js';
import { hex8 } from './hex.js';
import type { LinearReader } from './linear.js';
import { vectorMnemonic, vectorName } from './vectors.js';

export interface IdtOptions {
  /** Kernel names for vectors (e.g. {48: 'System call'}); processor exceptions are named already. */
  names?: Readonly<Record<number, string>>;
}

export interface IdtEntry {
  vector: number;
  /** "#PF", or "" for reserved and kernel-defined vectors. */
  mnemonic: string;
  name: string;
  /** Linear address of the gate. */
  address: number;
  /** False when the gate's bytes are not mapped (then `descriptor` is undefined). */
  readable: boolean;
  descriptor: Descriptor | undefined;
  /** A task, interrupt or trap gate (S=0); anything else would #GP on delivery. */
  validGate: boolean;
  /** Descriptor present and a valid gate. */
  usable: boolean;
  text: string;
}

const IDT_GATES = new Set(['task-gate', 'interrupt-gate', 'trap-gate']);

/** Number of whole 8-byte entries inside a table limit (capped for the IDT at 256). */
export function entriesWithin(limit: number, cap = 8192): number {
  return Math.max(0, Math.min(cap, Math.floor(((limit & 0xffff) + 1) / 8)));
}

/** Decodes the gate of one vector. */
export function decodeIdtEntry(reader: LinearReader, base: number, vector: number, opts: IdtOptions = {}): IdtEntry {
  const address = (base + vector * 8) >>> 0;
  const lo = reader.read32(address);
  const hi = reader.read32((address + 4) >>> 0);
  const mnemonic = vectorMnemonic(vector);
  const name = vectorName(vector, opts.names);
  const label = `${vector.toString().padStart(3, ' ')} 0x${vector.toString(16).padStart(2, '0')} ${mnemonic ? mnemonic + ' ' : ''}${name}`;
  if (lo === undefined || hi === undefined) {
    return { vector, mnemonic, name, address, readable: false, descriptor: undefined, validGate: false, usable: false, text: `${label}: unmapped (${hex8(address)})` };
  }
  const descriptor = decodeDescriptor(lo, hi);
  const validGate = !descriptor.codeOrData && IDT_GATES.has(descriptor.kind);
  const usable = validGate && descriptor.present;
  const body = validGate ? descriptor.text : `invalid in the IDT: ${descriptor.typeText}${descriptor.present ? '' : ', not present'}`;
  return { vector, mnemonic, name, address, readable: true, descriptor, validGate, usable, text: `${label}: ${body}` };
}

/** All gates inside the limit (256 for the usual limit 0x7ff). */
export function decodeIdt(reader: LinearReader, base: number, limit: number, opts: IdtOptions = {}): IdtEntry[] {
  const n = entriesWithin(limit, 256);
  const out: IdtEntry[] = [];
  for (let v = 0; v < n; v++) out.push(decodeIdtEntry(reader, base, v, opts));
  return out;
}
