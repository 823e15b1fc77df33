// QEMU's firmware configuration device ("fw_cfg", QEMU docs/specs/fw_cfg.rst), its traditional
// I/O-port interface on x86: a 16-bit selector register at port 0x510 and an 8-bit data register
// at 0x511. Writing a key to the selector restarts reading that item at offset 0; each data read
// returns the next byte, and 0 past the end (or for an unknown key). Data writes are ignored (as
// in QEMU since 2.4), and there is no DMA interface (ID bit 1 clear).
//
// Items, as QEMU defines them:
//   0x0000 signature  "QEMU"
//   0x0001 ID         32-bit LE: bit 0 traditional interface
//   0x0002 UUID       16 zero bytes
//   0x0003 RAM size   64-bit LE, bytes
//   0x0004 nographic  16-bit LE: 1 (no display window)
//   0x0005 CPU count  16-bit LE: 1
//   0x000F max CPUs   16-bit LE: 1
//   0x0019 file dir   32-bit BE count of files: 0
// Enough for test kernels that probe it; QEMU's boot files (kernel, ACPI, e820) are not offered.
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, StatefulDevice } from './device.js';

export const FW_CFG_SELECTOR_PORT = 0x510;
export const FW_CFG_DATA_PORT = 0x511;

export const FW_CFG_SIGNATURE = 0x0000;
export const FW_CFG_ID = 0x0001;
export const FW_CFG_UUID = 0x0002;
export const FW_CFG_RAM_SIZE = 0x0003;
export const FW_CFG_NOGRAPHIC = 0x0004;
export const FW_CFG_NB_CPUS = 0x0005;
export const FW_CFG_MAX_CPUS = 0x000f;
export const FW_CFG_FILE_DIR = 0x0019;

export interface FwCfgOptions {
  /** Guest RAM in bytes (item 0x0003). */
  memorySize: number;
}

export interface FwCfgState {
  selector: number;
  offset: number;
}

function le(value: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
  return out;
}

export class FwCfg implements PortDevice, StatefulDevice<FwCfgState> {
  private readonly items: ReadonlyMap<number, Uint8Array>;
  private selector = 0;
  private offset = 0;

  constructor(host: DeviceHost, opts: FwCfgOptions) {
    this.items = new Map([
      [FW_CFG_SIGNATURE, new TextEncoder().encode('QEMU')],
      [FW_CFG_ID, le(1, 4)],
      [FW_CFG_UUID, new Uint8Array(16)],
      [FW_CFG_RAM_SIZE, le(opts.memorySize, 8)],
      [FW_CFG_NOGRAPHIC, le(1, 2)],
      [FW_CFG_NB_CPUS, le(1, 2)],
      [FW_CFG_MAX_CPUS, le(1, 2)],
      [FW_CFG_FILE_DIR, new Uint8Array(4)], // big-endian count 0
    ]);
    host.registerDevice?.(this);
  }

  snapshot(): FwCfgState {
    return { selector: this.selector, offset: this.offset };
  }

  restore(s: FwCfgState): void {
    this.selector = s.selector;
    this.offset = s.offset;
  }

  register(bus: PortBus): void {
    bus.register(FW_CFG_SELECTOR_PORT, 2, this);
  }

  portIn(port: number, size: number): number {
    if (port !== FW_CFG_DATA_PORT) return 0; // the selector reads as 0, as QEMU's
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.next() << (8 * i);
    return size === 4 ? v >>> 0 : v;
  }

  portOut(port: number, _size: number, value: number): void {
    if (port !== FW_CFG_SELECTOR_PORT) return; // data writes are ignored
    this.selector = value & 0xffff;
    this.offset = 0;
  }

  private next(): number {
    // Bit 14 marks a write channel; bit 15 selects the architecture-specific items (none here).
    const item = this.items.get(this.selector & ~0x4000);
    if (!item || this.offset >= item.length) return 0;
    return item[this.offset++]!;
  }

  /** The item a key selects (a copy), or null. */
  item(key: number): Uint8Array | null {
    const item = this.items.get(key & ~0x4000);
    return item ? item.slice() : null;
  }
}
