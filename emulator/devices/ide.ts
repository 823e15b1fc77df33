// The primary IDE (ATA) channel of a PC with PIO disks, after ATA-4 (ANSI NCITS 317-1998, T13
// 1153D): the command block registers at 0x1F0-0x1F7 (data, error/features, sector count, LBA
// low/mid/high (sector number, cylinder low/high in CHS addressing), device/head, status/command)
// and the control block register at 0x3F6 (alternate status / device control: nIEN bit 1, SRST
// bit 2), interrupt INTRQ on ISA IRQ 14. Up to two disks: master (device 0) and slave (device
// 1), each backed by image bytes used in place (writes land in the array; snapshots share it
// page by page through `storage`).
//
// Protocols (ATA-4 section 9): PIO data-in (READ SECTORS 0x20/0x21, READ MULTIPLE 0xC4, IDENTIFY
// DEVICE 0xEC): for each DRQ block the device sets DRQ and asserts INTRQ; after the last word of
// the last block, DRQ clears and no interrupt follows. PIO data-out (WRITE SECTORS 0x30/0x31,
// WRITE MULTIPLE 0xC5): DRQ is set at once for the first block, without an interrupt; after each
// block INTRQ is asserted, with DRQ again for the next block or clear at the end. Non-data
// commands (SET MULTIPLE MODE 0xC6, INITIALIZE DEVICE PARAMETERS 0x91, SET FEATURES 0xEF, FLUSH
// CACHE 0xE7, READ VERIFY 0x40/0x41, SEEK 0x7x, RECALIBRATE 0x1x, EXECUTE DEVICE DIAGNOSTIC
// 0x90, the power commands 0xE0-0xE5) complete with an interrupt. Anything else is aborted
// (status ERR, error ABRT); an address beyond the disk ends the command with IDNF. 28-bit LBA and
// CHS addressing (16 heads, 63 sectors per track unless INITIALIZE DEVICE PARAMETERS says).
//
// The disks are infinitely fast: BSY is never seen (except while SRST is held) and every command
// completes during the port write that starts it, so a run stays deterministic. Reading the
// status register clears the selected device's pending interrupt; the alternate status does not.
// INTRQ is driven by the selected device only, and not at all while nIEN is set.
//
// A device that is not there reads as status 0 (and zeros in the other registers), as QEMU's
// IDE does: xv6's ide.c selects device 1 and takes any non-zero status as "disk 1 present".
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, DeviceStorage, StatefulDevice } from './device.js';
import { claimRange } from '../snapshot/write-guard.js';

export const IDE_SECTOR = 512;
export const IDE_PRIMARY_BASE = 0x1f0;
export const IDE_PRIMARY_CONTROL = 0x3f6;
export const IDE_PRIMARY_IRQ = 14;

// Status bits.
export const ATA_BSY = 0x80;
export const ATA_DRDY = 0x40;
export const ATA_DF = 0x20;
export const ATA_DSC = 0x10;
export const ATA_DRQ = 0x08;
export const ATA_ERR = 0x01;
// Error bits.
export const ATA_ABRT = 0x04;
export const ATA_IDNF = 0x10;
// Device control bits.
export const ATA_NIEN = 0x02;
export const ATA_SRST = 0x04;

export const ATA_READ_SECTORS = 0x20;
export const ATA_WRITE_SECTORS = 0x30;
export const ATA_READ_MULTIPLE = 0xc4;
export const ATA_WRITE_MULTIPLE = 0xc5;
export const ATA_SET_MULTIPLE = 0xc6;
export const ATA_IDENTIFY = 0xec;

/** Largest READ/WRITE MULTIPLE block (IDENTIFY word 47). */
const MAX_MULTIPLE = 16;
const READY = ATA_DRDY | ATA_DSC;
const LBA28_MAX = 0x0fffffff;

type Direction = 'none' | 'in' | 'out';

export interface IdeDriveState {
  status: number;
  error: number;
  multiple: number;
  heads: number;
  sectorsPerTrack: number;
  direction: Direction;
  buffer: number[];
  pos: number;
  len: number;
  remaining: number;
  lba: number;
  blockSectors: number;
  command: number;
  intrq: boolean;
  sectorsRead: number;
  sectorsWritten: number;
  commands: number;
}

export interface IdeDriveInspection {
  unit: number;
  sectors: number;
  status: number;
  error: number;
  multiple: number;
  command: number;
  transfer: { direction: 'in' | 'out'; lba: number; sectorsLeft: number; bytesLeftInBlock: number } | null;
  interruptPending: boolean;
  sectorsRead: number;
  sectorsWritten: number;
  commands: number;
}

/** The 256 words of IDENTIFY DEVICE (ATA-4 table 11), for a disk of `sectors` sectors. */
export function identifyData(sectors: number, unit: number, multiple: number, heads: number, spt: number): Uint8Array {
  const w = new Uint16Array(256);
  const cyls = Math.max(1, Math.min(16383, Math.floor(sectors / (16 * 63))));
  const ascii = (first: number, words: number, text: string): void => {
    const s = text.padEnd(words * 2, ' ');
    for (let i = 0; i < words; i++) w[first + i] = (s.charCodeAt(2 * i) << 8) | s.charCodeAt(2 * i + 1); // ATA strings: first char in the high byte
  };
  const lba = Math.min(sectors, LBA28_MAX);
  const curCyls = Math.max(1, Math.min(65535, Math.floor(sectors / (heads * spt))));
  const chsCapacity = curCyls * heads * spt;
  w[0] = 0x0040; // fixed device
  w[1] = cyls;
  w[3] = 16;
  w[6] = 63;
  ascii(10, 10, `RS0000${unit + 1}`);
  ascii(23, 4, '1.0');
  ascii(27, 20, 'RINGSIDE HARDDISK');
  w[47] = 0x8000 | MAX_MULTIPLE;
  w[49] = 0x0200; // LBA supported (no DMA)
  w[51] = 0x0200; // PIO timing mode 2
  w[53] = 0x0003; // words 54-58 and 64-70 valid
  w[54] = curCyls;
  w[55] = heads;
  w[56] = spt;
  w[57] = chsCapacity & 0xffff;
  w[58] = chsCapacity >>> 16;
  w[59] = multiple ? 0x0100 | multiple : 0;
  w[60] = lba & 0xffff;
  w[61] = lba >>> 16;
  w[64] = 0x0003; // PIO modes 3 and 4
  w[65] = w[66] = w[67] = w[68] = 120;
  w[80] = 0x001e; // ATA-1 to ATA-4
  w[82] = 0x4000;
  w[83] = 0x4000;
  w[84] = 0x4000;
  w[85] = 0x4000;
  w[86] = 0x4000;
  w[87] = 0x4000;
  const bytes = new Uint8Array(w.buffer);
  // Word 255: integrity word (ATA-5): signature 0xA5, then a checksum making all bytes sum to 0.
  bytes[510] = 0xa5;
  let sum = 0;
  for (let i = 0; i < 511; i++) sum += bytes[i]!;
  bytes[511] = -sum & 0xff;
  return bytes;
}

/** One disk on the channel: its image, the command in progress and its data buffer. */
export class IdeDrive implements StatefulDevice<IdeDriveState> {
  readonly sectors: number;
  readonly storage: DeviceStorage;

  status = READY;
  error = 0x01; // diagnostic code after power-on: no error
  multiple = 0;
  heads = 16;
  sectorsPerTrack = 63;
  direction: Direction = 'none';
  buffer = new Uint8Array(MAX_MULTIPLE * IDE_SECTOR);
  pos = 0;
  len = 0;
  /** Sectors of the command not yet moved (including the current block). */
  remaining = 0;
  /** The first sector of the current block. */
  lba = 0;
  blockSectors = 0;
  command = 0;
  intrq = false;
  sectorsRead = 0;
  sectorsWritten = 0;
  commands = 0;

  constructor(
    host: DeviceHost,
    readonly unit: number,
    readonly image: Uint8Array,
  ) {
    this.sectors = Math.floor(image.length / IDE_SECTOR);
    this.storage = { bytes: image, guard: null };
    host.registerDevice?.(this);
  }

  snapshot(): IdeDriveState {
    return {
      status: this.status,
      error: this.error,
      multiple: this.multiple,
      heads: this.heads,
      sectorsPerTrack: this.sectorsPerTrack,
      direction: this.direction,
      buffer: Array.from(this.buffer.subarray(0, this.len)),
      pos: this.pos,
      len: this.len,
      remaining: this.remaining,
      lba: this.lba,
      blockSectors: this.blockSectors,
      command: this.command,
      intrq: this.intrq,
      sectorsRead: this.sectorsRead,
      sectorsWritten: this.sectorsWritten,
      commands: this.commands,
    };
  }

  restore(s: IdeDriveState): void {
    const { buffer, ...rest } = s;
    Object.assign(this, rest);
    this.buffer.fill(0);
    this.buffer.set(buffer);
  }

  inspect(): IdeDriveInspection {
    return {
      unit: this.unit,
      sectors: this.sectors,
      status: this.status,
      error: this.error,
      multiple: this.multiple,
      command: this.command,
      transfer:
        this.direction === 'none'
          ? null
          : { direction: this.direction, lba: this.lba, sectorsLeft: this.remaining, bytesLeftInBlock: this.len - this.pos },
      interruptPending: this.intrq,
      sectorsRead: this.sectorsRead,
      sectorsWritten: this.sectorsWritten,
      commands: this.commands,
    };
  }
}

export interface IdeChannelOptions {
  /** Device 0's image (none: no master). */
  master?: Uint8Array;
  /** Device 1's image (none: no slave). */
  slave?: Uint8Array;
  base?: number;
  control?: number;
  irq?: number;
}

export interface IdeChannelState {
  features: number;
  count: number;
  lbaLow: number;
  lbaMid: number;
  lbaHigh: number;
  device: number;
  control: number;
  irqLevel: boolean;
}

export interface IdeChannelInspection {
  base: number;
  control: number;
  irq: number;
  registers: { features: number; count: number; lbaLow: number; lbaMid: number; lbaHigh: number; device: number };
  selected: number;
  deviceControl: number;
  irqLevel: boolean;
  drives: (IdeDriveInspection | null)[];
}

export class IdeChannel implements PortDevice, StatefulDevice<IdeChannelState> {
  readonly base: number;
  readonly controlPort: number;
  readonly irq: number;
  readonly drives: readonly [IdeDrive | null, IdeDrive | null];

  // The command block registers as written (both devices latch every write, ATA-4 7.1).
  private features = 0;
  private count = 1;
  private lbaLow = 1;
  private lbaMid = 0;
  private lbaHigh = 0;
  private device = 0xa0;
  private control = 0;
  private irqLevel = false;

  constructor(
    private readonly host: DeviceHost,
    opts: IdeChannelOptions = {},
  ) {
    this.base = opts.base ?? IDE_PRIMARY_BASE;
    this.controlPort = opts.control ?? IDE_PRIMARY_CONTROL;
    this.irq = opts.irq ?? IDE_PRIMARY_IRQ;
    host.registerDevice?.(this);
    this.drives = [
      opts.master ? new IdeDrive(host, 0, opts.master) : null,
      opts.slave ? new IdeDrive(host, 1, opts.slave) : null,
    ];
  }

  snapshot(): IdeChannelState {
    return {
      features: this.features,
      count: this.count,
      lbaLow: this.lbaLow,
      lbaMid: this.lbaMid,
      lbaHigh: this.lbaHigh,
      device: this.device,
      control: this.control,
      irqLevel: this.irqLevel,
    };
  }

  restore(s: IdeChannelState): void {
    Object.assign(this, s);
  }

  register(bus: PortBus): void {
    bus.register(this.base, 8, this);
    bus.register(this.controlPort, 1, this);
  }

  private get selected(): IdeDrive | null {
    return this.drives[(this.device >> 4) & 1]!;
  }

  portIn(port: number, size: number): number {
    if (port === this.base) return this.readData(size);
    let v = this.read8(port);
    // Wider reads of the 8-bit registers: the bytes above come from the next ports.
    for (let i = 1; i < size; i++) v |= this.read8(port + i) << (8 * i);
    return size === 4 ? v >>> 0 : v;
  }

  portOut(port: number, size: number, value: number): void {
    if (port === this.base) return this.writeData(size, value);
    for (let i = 0; i < size; i++) this.write8(port + i, (value >>> (8 * i)) & 0xff);
  }

  private read8(port: number): number {
    const d = this.selected;
    if (port === this.controlPort) return d ? this.statusOf(d) : 0;
    const reg = port - this.base;
    if (reg < 1 || reg > 7 || !d) return 0;
    switch (reg) {
      case 1: return d.error;
      case 2: return this.count;
      case 3: return this.lbaLow;
      case 4: return this.lbaMid;
      case 5: return this.lbaHigh;
      case 6: return this.device;
      default: {
        const s = this.statusOf(d);
        d.intrq = false; // reading the status register acknowledges the interrupt
        this.updateIrq();
        return s;
      }
    }
  }

  private statusOf(d: IdeDrive): number {
    return this.control & ATA_SRST ? ATA_BSY : d.status;
  }

  private write8(port: number, v: number): void {
    if (port === this.controlPort) return this.writeControl(v);
    switch (port - this.base) {
      case 1: this.features = v; return;
      case 2: this.count = v; return;
      case 3: this.lbaLow = v; return;
      case 4: this.lbaMid = v; return;
      case 5: this.lbaHigh = v; return;
      case 6:
        this.device = v | 0xa0;
        this.updateIrq(); // INTRQ follows the selected device
        return;
      case 7: {
        const d = this.selected;
        if (!d || this.control & ATA_SRST) return;
        d.intrq = false;
        this.execute(d, v);
        this.updateIrq();
        return;
      }
    }
  }

  private writeControl(v: number): void {
    const wasReset = (this.control & ATA_SRST) !== 0;
    this.control = v & (ATA_NIEN | ATA_SRST);
    if (wasReset && !(v & ATA_SRST)) this.softwareReset();
    else if (!wasReset && v & ATA_SRST) for (const d of this.drives) if (d) this.idle(d); // abandon transfers
    this.updateIrq();
  }

  /** The end of a software reset: each device shows its signature (ATA-4 9.1, 8.12.1 diagnostics). */
  private softwareReset(): void {
    this.count = 1;
    this.lbaLow = 1;
    this.lbaMid = 0;
    this.lbaHigh = 0;
    this.device = 0xa0;
    for (const d of this.drives) {
      if (!d) continue;
      this.idle(d);
      d.error = 0x01;
      d.intrq = false;
    }
  }

  private idle(d: IdeDrive): void {
    d.direction = 'none';
    d.pos = d.len = d.remaining = 0;
    d.status = READY;
  }

  // ---------------------------------------------------------------- commands

  private execute(d: IdeDrive, cmd: number): void {
    d.command = cmd;
    d.commands++;
    d.error = 0;
    this.idle(d);
    switch (cmd) {
      case 0x20: case 0x21:
        return this.startTransfer(d, 'in', 1);
      case ATA_READ_MULTIPLE:
        return d.multiple ? this.startTransfer(d, 'in', d.multiple) : this.abort(d);
      case 0x30: case 0x31:
        return this.startTransfer(d, 'out', 1);
      case ATA_WRITE_MULTIPLE:
        return d.multiple ? this.startTransfer(d, 'out', d.multiple) : this.abort(d);
      case ATA_IDENTIFY:
        d.buffer.set(identifyData(d.sectors, d.unit, d.multiple, d.heads, d.sectorsPerTrack));
        d.direction = 'in';
        d.pos = 0;
        d.len = IDE_SECTOR;
        d.remaining = 1;
        d.blockSectors = 1;
        d.status = READY | ATA_DRQ;
        return this.interrupt(d);
      case ATA_SET_MULTIPLE: {
        const n = this.count;
        // Block sizes are powers of two up to the maximum; 0 disables multiple mode.
        if (n > MAX_MULTIPLE || (n & (n - 1)) !== 0) return this.abort(d);
        d.multiple = n;
        return this.interrupt(d);
      }
      case 0x91: // INITIALIZE DEVICE PARAMETERS: logical sectors per track and heads for CHS
        if (this.count === 0) return this.abort(d);
        d.sectorsPerTrack = this.count;
        d.heads = (this.device & 0x0f) + 1;
        return this.interrupt(d);
      case 0x40: case 0x41: { // READ VERIFY SECTORS: check the range, move nothing
        const lba = this.address(d);
        const n = this.count || 256;
        if (lba < 0 || lba + n > d.sectors) return this.fail(d, ATA_IDNF);
        return this.interrupt(d);
      }
      case 0x90: // EXECUTE DEVICE DIAGNOSTIC: both devices passed; device 0 answers
        for (const other of this.drives) if (other) other.error = 0x01;
        this.count = 1;
        this.lbaLow = 1;
        this.lbaMid = this.lbaHigh = 0;
        this.device &= ~0x10;
        return this.interrupt(this.drives[0] ?? d);
      case 0xe5: // CHECK POWER MODE: active
        this.count = 0xff;
        return this.interrupt(d);
      case 0xef: case 0xe7: case 0xe0: case 0xe1: case 0xe2: case 0xe3:
        return this.interrupt(d);
    }
    if ((cmd & 0xf0) === 0x10 || (cmd & 0xf0) === 0x70) return this.interrupt(d); // RECALIBRATE, SEEK
    this.abort(d);
  }

  /** The command's starting sector from the registers (28-bit LBA, or CHS), or -1 if invalid. */
  private address(d: IdeDrive): number {
    if (this.device & 0x40) return ((this.device & 0x0f) << 24) | (this.lbaHigh << 16) | (this.lbaMid << 8) | this.lbaLow;
    const cyl = (this.lbaHigh << 8) | this.lbaMid;
    const head = this.device & 0x0f;
    const sector = this.lbaLow;
    if (sector === 0 || sector > d.sectorsPerTrack || head >= d.heads) return -1;
    return (cyl * d.heads + head) * d.sectorsPerTrack + sector - 1;
  }

  /** Puts sector `lba` in the registers (the address of the last sector transferred). */
  private setAddress(d: IdeDrive, lba: number): void {
    if (this.device & 0x40) {
      this.lbaLow = lba & 0xff;
      this.lbaMid = (lba >>> 8) & 0xff;
      this.lbaHigh = (lba >>> 16) & 0xff;
      this.device = (this.device & 0xf0) | ((lba >>> 24) & 0x0f);
      return;
    }
    const sector = (lba % d.sectorsPerTrack) + 1;
    const track = Math.floor(lba / d.sectorsPerTrack);
    const cyl = Math.floor(track / d.heads);
    this.lbaLow = sector;
    this.lbaMid = cyl & 0xff;
    this.lbaHigh = (cyl >> 8) & 0xff;
    this.device = (this.device & 0xf0) | (track % d.heads);
  }

  private startTransfer(d: IdeDrive, direction: 'in' | 'out', perBlock: number): void {
    const lba = this.address(d);
    const n = this.count || 256;
    if (lba < 0 || lba + n > d.sectors) return this.fail(d, ATA_IDNF);
    d.direction = direction;
    d.remaining = n;
    d.lba = lba;
    d.blockSectors = perBlock;
    this.nextBlock(d);
    // Data-in interrupts for every block; data-out takes the first block without one.
    if (direction === 'in') this.interrupt(d);
  }

  /** Sets up the block starting at d.lba: DRQ, and for reads the sectors in the buffer. */
  private nextBlock(d: IdeDrive): void {
    const sectors = Math.min(d.blockSectors, d.remaining);
    d.pos = 0;
    d.len = sectors * IDE_SECTOR;
    if (d.direction === 'in') d.buffer.set(d.image.subarray(d.lba * IDE_SECTOR, d.lba * IDE_SECTOR + d.len));
    d.status = READY | ATA_DRQ;
  }

  /** The last byte of a DRQ block has moved. */
  private blockDone(d: IdeDrive): void {
    const sectors = d.len / IDE_SECTOR;
    if (d.direction === 'out') {
      const at = d.lba * IDE_SECTOR;
      const guard = d.storage.guard;
      if (guard !== null) claimRange(guard, at, d.len);
      d.image.set(d.buffer.subarray(0, d.len), at);
      d.sectorsWritten += sectors;
    } else if (d.command !== ATA_IDENTIFY) {
      d.sectorsRead += sectors;
    }
    const out = d.direction === 'out';
    d.remaining -= sectors;
    d.lba += sectors;
    if (d.command !== ATA_IDENTIFY) {
      this.setAddress(d, d.lba - 1);
      this.count = d.remaining & 0xff;
    }
    if (d.remaining > 0) {
      this.nextBlock(d);
      this.interrupt(d);
    } else {
      this.idle(d);
      if (out) this.interrupt(d); // data-out: the completion interrupt
    }
    this.updateIrq();
  }

  private readData(size: number): number {
    const d = this.selected;
    if (!d || d.direction !== 'in') return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    let v = 0;
    for (let i = 0; i < size; i++) v |= (d.pos + i < d.len ? d.buffer[d.pos + i]! : 0xff) << (8 * i);
    d.pos += size;
    if (d.pos >= d.len) this.blockDone(d);
    return size === 4 ? v >>> 0 : v;
  }

  private writeData(size: number, value: number): void {
    const d = this.selected;
    if (!d || d.direction !== 'out') return;
    for (let i = 0; i < size && d.pos + i < d.len; i++) d.buffer[d.pos + i] = (value >>> (8 * i)) & 0xff;
    d.pos += size;
    if (d.pos >= d.len) this.blockDone(d);
  }

  private abort(d: IdeDrive): void {
    this.fail(d, ATA_ABRT);
  }

  private fail(d: IdeDrive, error: number): void {
    this.idle(d);
    d.error = error;
    d.status = ATA_DRDY | ATA_ERR; // as QEMU: DSC clear
    this.interrupt(d);
  }

  private interrupt(d: IdeDrive): void {
    d.intrq = true;
    this.updateIrq();
  }

  /** INTRQ: the selected device's pending interrupt, unless nIEN is set. */
  private updateIrq(): void {
    const d = this.selected;
    const level = d !== null && d.intrq && !(this.control & ATA_NIEN);
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.host.setIrq(this.irq, level);
  }

  inspect(): IdeChannelInspection {
    return {
      base: this.base,
      control: this.controlPort,
      irq: this.irq,
      registers: { features: this.features, count: this.count, lbaLow: this.lbaLow, lbaMid: this.lbaMid, lbaHigh: this.lbaHigh, device: this.device },
      selected: (this.device >> 4) & 1,
      deviceControl: this.control,
      irqLevel: this.irqLevel,
      drives: this.drives.map((d) => d?.inspect() ?? null),
    };
  }
}
