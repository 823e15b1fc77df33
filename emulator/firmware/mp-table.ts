/**
 * The Intel MultiProcessor Specification 1.4 structures a PC BIOS leaves in memory (MP spec,
 * chapter 4): the MP floating pointer structure (4.1), which kernels find by scanning for "_MP_"
 * on a 16-byte boundary, and the MP configuration table it points to (4.2), with a header and
 * base entries (4.3): processors, buses, I/O APICs, I/O interrupt assignments, local interrupt
 * assignments. Built as bytes for a physical address; pure (no machine).
 */

export const MP_SPEC_REV = 4; // version 1.4
export const MP_PROCESSOR = 0, MP_BUS = 1, MP_IOAPIC = 2, MP_IOINTR = 3, MP_LINTR = 4;
/** Interrupt types of the interrupt assignment entries (MP spec table 4-9). */
export const MP_INT = 0, MP_NMI = 1, MP_SMI = 2, MP_EXTINT = 3;
export const MP_FLOATING_SIZE = 16;
const HEADER_SIZE = 44;

export interface MpProcessor {
  apicId: number;
  apicVersion: number;
  bootstrap: boolean;
  /** CPUID leaf 1 EAX (stepping, model, family) and EDX (features). */
  signature: number;
  features: number;
}

export interface MpIoApic {
  id: number;
  version: number;
  address: number;
}

export interface MpInterrupt {
  type: number;
  /** Polarity (bits 0-1) and trigger mode (bits 2-3); 0: as the bus defines (ISA: high, edge). */
  flags: number;
  bus: number;
  busIrq: number;
  /** I/O APIC id (I/O interrupt) or local APIC id, 0xFF for all (local interrupt). */
  dest: number;
  /** INTIN pin (I/O interrupt) or LINTIN pin (local interrupt). */
  pin: number;
}

export interface MpConfig {
  oemId: string;
  productId: string;
  localApicAddress: number;
  processors: MpProcessor[];
  /** Bus id is the index; each name is a 6-character bus type ("ISA", "PCI"). */
  buses: string[];
  ioApics: MpIoApic[];
  ioInterrupts: MpInterrupt[];
  localInterrupts: MpInterrupt[];
}

/** Makes the bytes sum to 0 mod 256 by setting byte `at`. */
function checksum(bytes: Uint8Array, at: number): void {
  bytes[at] = 0;
  let sum = 0;
  for (const b of bytes) sum += b;
  bytes[at] = -sum & 0xff;
}

function ascii(bytes: Uint8Array, at: number, length: number, text: string): void {
  const s = text.padEnd(length, ' ').slice(0, length);
  for (let i = 0; i < length; i++) bytes[at + i] = s.charCodeAt(i);
}

/** The configuration table (header and base entries) for physical address `address`; checksummed. */
export function buildConfigTable(cfg: MpConfig): Uint8Array {
  const count = cfg.processors.length + cfg.buses.length + cfg.ioApics.length + cfg.ioInterrupts.length + cfg.localInterrupts.length;
  const length = HEADER_SIZE + cfg.processors.length * 20 + (count - cfg.processors.length) * 8;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  ascii(bytes, 0, 4, 'PCMP');
  view.setUint16(4, length, true);
  bytes[6] = MP_SPEC_REV;
  ascii(bytes, 8, 8, cfg.oemId);
  ascii(bytes, 16, 12, cfg.productId);
  view.setUint32(28, 0, true); // no OEM table
  view.setUint16(32, 0, true);
  view.setUint16(34, count, true);
  view.setUint32(36, cfg.localApicAddress >>> 0, true);
  view.setUint16(40, 0, true); // no extended entries
  bytes[42] = 0;
  let at = HEADER_SIZE;
  // Entries in the order the spec requires: processors, buses, I/O APICs, I/O interrupts, local interrupts.
  for (const p of cfg.processors) {
    bytes[at] = MP_PROCESSOR;
    bytes[at + 1] = p.apicId;
    bytes[at + 2] = p.apicVersion;
    bytes[at + 3] = 0x01 | (p.bootstrap ? 0x02 : 0); // enabled, bootstrap processor
    view.setUint32(at + 4, p.signature >>> 0, true);
    view.setUint32(at + 8, p.features >>> 0, true);
    at += 20;
  }
  cfg.buses.forEach((name, id) => {
    bytes[at] = MP_BUS;
    bytes[at + 1] = id;
    ascii(bytes, at + 2, 6, name);
    at += 8;
  });
  for (const a of cfg.ioApics) {
    bytes[at] = MP_IOAPIC;
    bytes[at + 1] = a.id;
    bytes[at + 2] = a.version;
    bytes[at + 3] = 0x01; // enabled
    view.setUint32(at + 4, a.address >>> 0, true);
    at += 8;
  }
  for (const [kind, list] of [[MP_IOINTR, cfg.ioInterrupts], [MP_LINTR, cfg.localInterrupts]] as const) {
    for (const i of list) {
      bytes[at] = kind;
      bytes[at + 1] = i.type;
      view.setUint16(at + 2, i.flags, true);
      bytes[at + 4] = i.bus;
      bytes[at + 5] = i.busIrq;
      bytes[at + 6] = i.dest;
      bytes[at + 7] = i.pin;
      at += 8;
    }
  }
  checksum(bytes, 7);
  return bytes;
}

/** The floating pointer structure (16 bytes) naming a configuration table at `tableAddress`. */
export function buildFloatingPointer(tableAddress: number): Uint8Array {
  const bytes = new Uint8Array(MP_FLOATING_SIZE);
  ascii(bytes, 0, 4, '_MP_');
  new DataView(bytes.buffer).setUint32(4, tableAddress >>> 0, true);
  bytes[8] = 1; // length in 16-byte paragraphs
  bytes[9] = MP_SPEC_REV;
  bytes[11] = 0; // feature byte 1: a configuration table is present (no default configuration)
  bytes[12] = 0; // feature byte 2, bit 7 (IMCRP) clear: virtual wire mode, no IMCR to program
  checksum(bytes, 10);
  return bytes;
}

/** Parses a configuration table back (for tests and the debugger): entry kinds in order. */
export function describeConfigTable(bytes: Uint8Array): { signature: string; length: number; entries: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint16(4, true);
  const entries: number[] = [];
  for (let at = HEADER_SIZE; at < length; at += bytes[at] === MP_PROCESSOR ? 20 : 8) entries.push(bytes[at]!);
  return { signature: String.fromCharCode(...bytes.subarray(0, 4)), length, entries };
}
