/*
 * Ringside block device: a disk of 512-byte sectors driven by programmed I/O, for the teaching
 * kernel's swap. Commands complete instantly (BUSY is never seen set); a driver writes the
 * sector, the count and the command, then moves the data through the DATA port.
 *
 * Register map (base 0x5000 by default; every register is 32 bits wide, little-endian; byte and
 * word accesses to a part of a register work too, except that COMMAND acts on any write):
 *
 *   offset  name      access  meaning
 *   0x00    DATA      R/W     the transfer window: each access moves 1, 2 or 4 bytes (the access
 *                             size) of the current transfer and advances it; `rep insl` /
 *                             `rep outsl` with 128 * COUNT dwords moves a whole command's data
 *   0x04    LBA       R/W     first sector of the next command
 *   0x08    COUNT     R/W     number of sectors of the next command (1 or more)
 *   0x0C    COMMAND   W       1 = READ, 2 = WRITE; any other value fails with ERROR.
 *                     R       the last command written
 *   0x10    STATUS    R       bit 0 BUSY   always 0 (commands complete instantly)
 *                             bit 1 READY  the device is idle: no transfer in progress
 *                             bit 2 DRQ    a transfer is in progress: DATA expects reads (READ)
 *                                          or writes (WRITE) of the remaining bytes
 *                             bit 3 ERROR  the last command failed: unknown command, COUNT 0,
 *                                          sectors beyond CAPACITY, or DATA accessed with no
 *                                          transfer in progress; cleared by the next command
 *                             bit 4 IRQ    a completion interrupt is pending (only with
 *                                          CONTROL bit 0 set)
 *                             Reading STATUS acknowledges (clears) a pending interrupt.
 *   0x14    CAPACITY  R       disk size in sectors
 *   0x18    CONTROL   R/W     bit 0: raise an interrupt (ISA IRQ 11 by default) when a command
 *                             completes: when its last byte has moved through DATA, or at once
 *                             when it fails. The line stays high until STATUS is read, CONTROL
 *                             bit 0 is cleared, or a new command is written.
 *   0x1C    ID        R       0x4B4C4252 ("RBLK" in memory order), to probe for the device
 *
 * READ:  LBA <- n; COUNT <- c; COMMAND <- 1; then read 128 * c dwords from DATA.
 * WRITE: LBA <- n; COUNT <- c; COMMAND <- 2; then write 128 * c dwords to DATA; the data lands in
 *        the image as it is written. Writing a new command abandons a transfer in progress.
 * A failed command never throws and never touches the image: it sets ERROR (and READY).
 * Extra DATA reads return 0xFF bytes; extra writes are ignored; both set ERROR.
 */
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, DeviceStorage, StatefulDevice } from './device.js';
import { claimRange } from '../snapshot/write-guard.js';

export const SECTOR_SIZE = 512;
export const BLOCK_DEVICE_BASE = 0x5000;
export const BLOCK_DEVICE_IRQ = 11;
/** "RBLK" read as a little-endian dword. */
export const BLOCK_DEVICE_ID = 0x4b4c4252;

export const BLK_DATA = 0x00;
export const BLK_LBA = 0x04;
export const BLK_COUNT = 0x08;
export const BLK_COMMAND = 0x0c;
export const BLK_STATUS = 0x10;
export const BLK_CAPACITY = 0x14;
export const BLK_CONTROL = 0x18;
export const BLK_ID = 0x1c;
const PORTS = 0x20;

export const BLK_CMD_READ = 1;
export const BLK_CMD_WRITE = 2;

export const BLK_STATUS_BUSY = 0x01;
export const BLK_STATUS_READY = 0x02;
export const BLK_STATUS_DRQ = 0x04;
export const BLK_STATUS_ERROR = 0x08;
export const BLK_STATUS_IRQ = 0x10;

export interface BlockDeviceOptions {
  /** Disk size in sectors when no image is given (default 8192: 4 MiB). */
  sectors?: number;
  /** The disk contents, used in place (writes land in this array); its size rounds down to sectors. */
  image?: Uint8Array;
  base?: number;
  irq?: number;
}

export interface BlockDeviceInspection {
  base: number;
  irq: number;
  capacity: number;
  lba: number;
  count: number;
  command: number;
  status: number;
  control: number;
  /** The transfer in progress, or null. */
  transfer: { command: 'read' | 'write'; lba: number; count: number; bytesDone: number; bytesLeft: number } | null;
  sectorsRead: number;
  sectorsWritten: number;
  readCommands: number;
  writeCommands: number;
  errors: number;
}

/** The registers and counters for snapshots; the image is shared page by page through `storage`. */
export interface BlockDeviceState {
  lba: number;
  count: number;
  command: number;
  control: number;
  error: boolean;
  irqPending: boolean;
  irqLevel: boolean;
  xferCommand: number;
  xferStart: number;
  pos: number;
  end: number;
  sectorsRead: number;
  sectorsWritten: number;
  readCommands: number;
  writeCommands: number;
  errors: number;
}

export class BlockDevice implements PortDevice, StatefulDevice<BlockDeviceState> {
  readonly base: number;
  readonly irq: number;
  readonly image: Uint8Array;
  readonly capacity: number;
  /** The image as machine snapshots see it: writes claim its pages first while snapshots share them. */
  readonly storage: DeviceStorage;

  private lba = 0;
  private count = 0;
  private command = 0;
  private control = 0;
  private error = false;
  private irqPending = false;
  private irqLevel = false;
  // The transfer in progress: bytes [pos, end) of the image; none when pos === end.
  private xferCommand = 0;
  private xferStart = 0;
  private pos = 0;
  private end = 0;
  private sectorsRead = 0;
  private sectorsWritten = 0;
  private readCommands = 0;
  private writeCommands = 0;
  private errors = 0;

  constructor(
    private readonly host: DeviceHost,
    opts: BlockDeviceOptions = {},
  ) {
    this.base = opts.base ?? BLOCK_DEVICE_BASE;
    this.irq = opts.irq ?? BLOCK_DEVICE_IRQ;
    this.image = opts.image ?? new Uint8Array((opts.sectors ?? 8192) * SECTOR_SIZE);
    this.capacity = Math.floor(this.image.length / SECTOR_SIZE);
    this.storage = { bytes: this.image, guard: null };
    host.registerDevice?.(this);
  }

  snapshot(): BlockDeviceState {
    return {
      lba: this.lba,
      count: this.count,
      command: this.command,
      control: this.control,
      error: this.error,
      irqPending: this.irqPending,
      irqLevel: this.irqLevel,
      xferCommand: this.xferCommand,
      xferStart: this.xferStart,
      pos: this.pos,
      end: this.end,
      sectorsRead: this.sectorsRead,
      sectorsWritten: this.sectorsWritten,
      readCommands: this.readCommands,
      writeCommands: this.writeCommands,
      errors: this.errors,
    };
  }

  restore(s: BlockDeviceState): void {
    Object.assign(this, s);
  }

  register(bus: PortBus): void {
    bus.register(this.base, PORTS, this);
  }

  portIn(port: number, size: number): number {
    const offset = port - this.base;
    if (offset < 4) return this.readData(size);
    const reg = offset & ~3;
    const shift = 8 * (offset & 3);
    const v = this.readRegister(reg) >>> shift;
    return size === 4 ? v >>> 0 : v & ((1 << (8 * size)) - 1);
  }

  portOut(port: number, size: number, value: number): void {
    const offset = port - this.base;
    if (offset < 4) return this.writeData(size, value);
    const reg = offset & ~3;
    if (reg === BLK_COMMAND) return this.startCommand(value & 0xff);
    // A narrower write replaces only its bytes of the register.
    const shift = 8 * (offset & 3);
    const width = Math.min(size, 4 - (offset & 3));
    const mask = width === 4 ? 0xffffffff : ((1 << (8 * width)) - 1) << shift;
    const merge = (old: number): number => ((old & ~mask) | ((value << shift) & mask)) >>> 0;
    if (reg === BLK_LBA) this.lba = merge(this.lba);
    else if (reg === BLK_COUNT) this.count = merge(this.count);
    else if (reg === BLK_CONTROL) {
      this.control = merge(this.control) & 1;
      if (!(this.control & 1)) this.irqPending = false;
      this.updateIrq();
    }
  }

  inspect(): BlockDeviceInspection {
    return {
      base: this.base,
      irq: this.irq,
      capacity: this.capacity,
      lba: this.lba,
      count: this.count,
      command: this.command,
      status: this.status(),
      control: this.control,
      transfer:
        this.pos < this.end
          ? {
              command: this.xferCommand === BLK_CMD_READ ? 'read' : 'write',
              lba: this.xferStart / SECTOR_SIZE,
              count: (this.end - this.xferStart) / SECTOR_SIZE,
              bytesDone: this.pos - this.xferStart,
              bytesLeft: this.end - this.pos,
            }
          : null,
      sectorsRead: this.sectorsRead,
      sectorsWritten: this.sectorsWritten,
      readCommands: this.readCommands,
      writeCommands: this.writeCommands,
      errors: this.errors,
    };
  }

  private status(): number {
    const busy = this.pos < this.end;
    return (
      (busy ? BLK_STATUS_DRQ : BLK_STATUS_READY) | (this.error ? BLK_STATUS_ERROR : 0) | (this.irqPending ? BLK_STATUS_IRQ : 0)
    );
  }

  private readRegister(reg: number): number {
    switch (reg) {
      case BLK_LBA:
        return this.lba;
      case BLK_COUNT:
        return this.count;
      case BLK_COMMAND:
        return this.command;
      case BLK_STATUS: {
        const s = this.status();
        this.irqPending = false;
        this.updateIrq();
        return s;
      }
      case BLK_CAPACITY:
        return this.capacity;
      case BLK_CONTROL:
        return this.control;
      case BLK_ID:
        return BLOCK_DEVICE_ID;
      default:
        return 0xffffffff;
    }
  }

  private startCommand(cmd: number): void {
    this.command = cmd;
    this.pos = this.end = 0;
    this.error = false;
    this.irqPending = false;
    const count = this.count;
    const lba = this.lba;
    if ((cmd !== BLK_CMD_READ && cmd !== BLK_CMD_WRITE) || count === 0 || lba + count > this.capacity) {
      this.fail();
      return;
    }
    if (cmd === BLK_CMD_READ) this.readCommands++;
    else this.writeCommands++;
    this.xferCommand = cmd;
    this.xferStart = this.pos = lba * SECTOR_SIZE;
    this.end = (lba + count) * SECTOR_SIZE;
    this.updateIrq();
  }

  private fail(): void {
    this.error = true;
    this.errors++;
    this.complete();
  }

  /** A command finished (or failed): interrupt if CONTROL asks for it. */
  private complete(): void {
    if (this.control & 1) this.irqPending = true;
    this.updateIrq();
  }

  private readData(size: number): number {
    if (this.pos >= this.end || this.xferCommand !== BLK_CMD_READ) {
      this.fail();
      return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    }
    let v = 0;
    const n = Math.min(size, this.end - this.pos);
    for (let i = 0; i < size; i++) v |= (i < n ? this.image[this.pos + i]! : 0xff) << (8 * i);
    this.advanceBy(n);
    return size === 4 ? v >>> 0 : v;
  }

  private writeData(size: number, value: number): void {
    if (this.pos >= this.end || this.xferCommand !== BLK_CMD_WRITE) {
      this.fail();
      return;
    }
    const n = Math.min(size, this.end - this.pos);
    const guard = this.storage.guard;
    if (guard !== null) claimRange(guard, this.pos, n);
    for (let i = 0; i < n; i++) this.image[this.pos + i] = (value >>> (8 * i)) & 0xff;
    this.advanceBy(n);
  }

  /** Moves the transfer on; sectors are counted as they are finished, the command at its end. */
  private advanceBy(n: number): void {
    const before = this.pos;
    this.pos += n;
    const sectors = Math.floor(this.pos / SECTOR_SIZE) - Math.floor(before / SECTOR_SIZE);
    if (this.xferCommand === BLK_CMD_READ) this.sectorsRead += sectors;
    else this.sectorsWritten += sectors;
    if (this.pos >= this.end) this.complete();
  }

  private updateIrq(): void {
    const level = this.irqPending;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.host.setIrq(this.irq, level);
  }
}
