// The PC/AT keyboard controller, an Intel 8042 running IBM's firmware (IBM PC AT Technical
// Reference, "Keyboard Controller"), with a keyboard on its first port and nothing on the
// auxiliary (mouse) port:
//   0x60 read   the output buffer (a scan code, or a reply to a command)
//   0x60 write  a byte for the keyboard, or the argument of a controller command
//   0x64 read   status: bit 0 output buffer full, 1 input buffer full (never: commands run at
//               once), 2 system flag (POST passed), 3 last write was a command (A2), 4 keyboard
//               not inhibited, 5 the output buffer holds auxiliary-device data, 6 time-out,
//               7 parity error
//   0x64 write  a controller command: 0x20 read / 0x60 write the command byte; 0xA7/0xA8
//               disable/enable the auxiliary port, 0xA9 test it; 0xAA self-test (answers
//               0x55); 0xAB keyboard interface test; 0xAD/0xAE disable/enable the keyboard;
//               0xC0 read input port; 0xD0/0xD1 read/write output port (A20); 0xD2/0xD3 write
//               the output buffer as if from the keyboard / the auxiliary device; 0xD4 write to
//               the auxiliary device (none attached: dropped); 0xF0-0xFF pulse output lines
//               (the reset line is not connected here)
// Command byte bits: 0 keyboard interrupt (IRQ 1), 1 auxiliary interrupt (IRQ 12), 2 system
// flag, 4 keyboard disabled, 5 auxiliary disabled, 6 translate to scan code set 1.
//
// Keys typed on the console (type()) become set-1 scan codes (scancodes.ts) in the keyboard's
// buffer; they move into the controller's one-byte output buffer whenever it is empty and the
// keyboard is enabled, raising IRQ 1 if the command byte allows. The line drops when the guest
// reads port 0x60 and rises again for the next byte, so each byte is an edge for the 8259A or
// I/O APIC. Keys are never lost: the keyboard holds them while disabled. The keyboard itself
// answers the usual commands (0xFF reset, 0xF4/0xF5 enable/disable scanning, 0xF2 identify,
// 0xED LEDs, 0xF0 scan code set, 0xF3 typematic, 0xEE echo) with 0xFA acknowledgements. With
// translation off (command byte bit 6 clear) a real controller would pass the keyboard's set-2
// codes through; this keyboard sends set-1 codes either way.
//
// Power-on state is what a PC BIOS leaves (as SeaBIOS under QEMU does): command byte 0x61
// (translation, auxiliary port disabled, keyboard interrupt on), keyboard scanning enabled.
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, StatefulDevice } from './device.js';
import { scanCodesFor } from './scancodes.js';

export const KBD_DATA_PORT = 0x60;
export const KBD_STATUS_PORT = 0x64;
export const KBD_IRQ = 1;
export const AUX_IRQ = 12;

export const STATUS_OBF = 0x01;
export const STATUS_SYS = 0x04;
export const STATUS_A2 = 0x08;
export const STATUS_INH = 0x10;
export const STATUS_AUXB = 0x20;

export const CCB_KBD_INT = 0x01;
export const CCB_AUX_INT = 0x02;
export const CCB_SYS = 0x04;
export const CCB_KBD_DISABLED = 0x10;
export const CCB_AUX_DISABLED = 0x20;
export const CCB_TRANSLATE = 0x40;

const ACK = 0xfa;
const RESEND = 0xfe;

export interface KeyboardControllerInspection {
  status: number;
  commandByte: number;
  outputPort: number;
  /** Bytes waiting in the controller's output path (first one is in the output buffer). */
  output: number[];
  /** Scan codes typed but not yet passed to the controller. */
  keyboardBuffer: number[];
  scanning: boolean;
  irq1: boolean;
  irq12: boolean;
}

export interface KeyboardControllerState {
  out: number[];
  outAux: boolean[];
  keys: number[];
  ccb: number;
  outputPort: number;
  lastWasCommand: boolean;
  pendingCommand: number;
  keyboardArg: number;
  scanning: boolean;
  scanSet: number;
  lastByte: number;
  irq1: boolean;
  irq12: boolean;
}

export class KeyboardController implements PortDevice, StatefulDevice<KeyboardControllerState> {
  /** The controller's output path: out[0] is the output buffer (outAux[0]: from the aux port). */
  private out: number[] = [];
  private outAux: boolean[] = [];
  /** The keyboard's own buffer: scan codes and replies waiting to be sent to the controller. */
  private keys: number[] = [];
  private ccb = CCB_KBD_INT | CCB_AUX_DISABLED | CCB_TRANSLATE;
  /** Output port: bit 0 system reset (1: running), bit 1 A20 enabled. */
  private outputPort = 0x03;
  private lastWasCommand = true;
  /** A controller command waiting for its data byte on port 0x60, or 0. */
  private pendingCommand = 0;
  /** A keyboard command waiting for its argument byte, or 0. */
  private keyboardArg = 0;
  private scanning = true;
  private scanSet = 2;
  /** What port 0x60 returns with the output buffer empty: the last byte read. */
  private lastByte = 0;
  private irq1 = false;
  private irq12 = false;

  constructor(private readonly host: DeviceHost) {
    host.registerDevice?.(this);
  }

  snapshot(): KeyboardControllerState {
    return {
      out: [...this.out],
      outAux: [...this.outAux],
      keys: [...this.keys],
      ccb: this.ccb,
      outputPort: this.outputPort,
      lastWasCommand: this.lastWasCommand,
      pendingCommand: this.pendingCommand,
      keyboardArg: this.keyboardArg,
      scanning: this.scanning,
      scanSet: this.scanSet,
      lastByte: this.lastByte,
      irq1: this.irq1,
      irq12: this.irq12,
    };
  }

  restore(s: KeyboardControllerState): void {
    Object.assign(this, { ...s, out: [...s.out], outAux: [...s.outAux], keys: [...s.keys] });
  }

  register(bus: PortBus): void {
    bus.register(KBD_DATA_PORT, 1, this);
    bus.register(KBD_STATUS_PORT, 1, this);
  }

  /** Console input: types `text` on the keyboard (set-1 make and break codes, shift and ctrl as needed). */
  type(text: string): void {
    this.pressScanCodes(scanCodesFor(text));
  }

  /** Raw scan codes from the keyboard (e.g. 0xE0-prefixed keys), as if pressed. */
  pressScanCodes(codes: readonly number[]): void {
    if (!this.scanning) return; // a keyboard with scanning disabled sends nothing
    for (const c of codes) this.keys.push(c & 0xff);
    this.update(false);
  }

  portIn(port: number, size: number): number {
    const v = port === KBD_DATA_PORT ? this.readData() : this.status();
    // Wider reads see the bus float above the 8-bit device.
    return size === 1 ? v : size === 2 ? v | 0xff00 : (v | 0xffffff00) >>> 0;
  }

  portOut(port: number, _size: number, value: number): void {
    const v = value & 0xff;
    if (port === KBD_STATUS_PORT) {
      this.lastWasCommand = true;
      this.command(v);
    } else {
      this.lastWasCommand = false;
      this.data(v);
    }
    this.update(false);
  }

  private status(): number {
    let s = STATUS_SYS | STATUS_INH;
    if (this.out.length) s |= STATUS_OBF;
    if (this.out.length && this.outAux[0]) s |= STATUS_AUXB;
    if (this.lastWasCommand) s |= STATUS_A2;
    return s;
  }

  private readData(): number {
    if (this.out.length === 0) return this.lastByte;
    this.lastByte = this.out.shift()!;
    this.outAux.shift();
    this.update(true);
    return this.lastByte;
  }

  /** Puts a byte in the controller's output path. */
  private emit(b: number, aux = false): void {
    this.out.push(b & 0xff);
    this.outAux.push(aux);
  }

  private command(c: number): void {
    this.pendingCommand = 0;
    if (c === 0x20) return this.emit(this.ccb);
    if (c > 0x20 && c < 0x40) return this.emit(0); // the rest of the internal RAM
    if (c >= 0x60 && c < 0x80) {
      this.pendingCommand = c;
      return;
    }
    switch (c) {
      case 0xa7: this.ccb |= CCB_AUX_DISABLED; return;
      case 0xa8: this.ccb &= ~CCB_AUX_DISABLED; return;
      case 0xa9: return this.emit(0x00); // auxiliary interface test: no error
      case 0xaa: return this.emit(0x55); // self-test passed
      case 0xab: return this.emit(0x00); // keyboard interface test: no error
      case 0xad: this.ccb |= CCB_KBD_DISABLED; return;
      case 0xae: this.ccb &= ~CCB_KBD_DISABLED; return;
      case 0xc0: return this.emit(0x80); // input port: keyboard not inhibited
      case 0xd0: return this.emit(this.outputPort);
      case 0xd1: case 0xd2: case 0xd3: case 0xd4:
        this.pendingCommand = c;
        return;
      case 0xdd: this.outputPort &= ~0x02; return; // A20 off (some controllers)
      case 0xdf: this.outputPort |= 0x02; return; // A20 on
      case 0xe0: return this.emit(0x00); // test inputs
      default: return; // 0xF0-0xFF pulse output lines (reset is not wired); others: no effect
    }
  }

  private data(v: number): void {
    const c = this.pendingCommand;
    this.pendingCommand = 0;
    if (c >= 0x60 && c < 0x80) {
      if (c === 0x60) this.ccb = v;
      return;
    }
    switch (c) {
      case 0xd1: this.outputPort = v | 0x01; return; // bit 0 low would reset the CPU: not wired
      case 0xd2: return this.emit(v);
      case 0xd3: return this.emit(v, true);
      case 0xd4: return; // no auxiliary device
    }
    // Writing to the keyboard enables its interface (IBM AT: "the keyboard is enabled by ... any
    // data written to it"), then the keyboard handles the byte.
    this.ccb &= ~CCB_KBD_DISABLED;
    this.keyboardByte(v);
  }

  /** The keyboard's command interpreter: replies go through the keyboard's own buffer. */
  private keyboardByte(v: number): void {
    const reply = (...bytes: number[]): void => {
      for (const b of bytes) this.keys.push(b);
    };
    const arg = this.keyboardArg;
    if (arg) {
      this.keyboardArg = 0;
      if (arg === 0xf0) {
        if (v === 0) reply(ACK, this.ccb & CCB_TRANSLATE ? [0, 0x43, 0x41, 0x3f][this.scanSet]! : this.scanSet);
        else if (v >= 1 && v <= 3) {
          this.scanSet = v;
          reply(ACK);
        } else reply(RESEND);
      } else {
        reply(ACK); // 0xED LED state, 0xF3 typematic rate: accepted
      }
      return;
    }
    switch (v) {
      case 0xed: case 0xf0: case 0xf3:
        this.keyboardArg = v;
        reply(ACK);
        return;
      case 0xee: reply(0xee); return; // echo
      case 0xf2: reply(ACK, 0xab, this.ccb & CCB_TRANSLATE ? 0x41 : 0x83); return; // identify: MF2 keyboard
      case 0xf4: this.scanning = true; reply(ACK); return;
      case 0xf5: this.scanning = false; this.keys = []; reply(ACK); return; // disable + defaults
      case 0xf6: reply(ACK); return; // set defaults
      case 0xfe: reply(this.lastByte); return; // resend
      case 0xff: // reset: ack, then the self-test result
        this.keys = [];
        this.scanning = true;
        this.scanSet = 2;
        reply(ACK, 0xaa);
        return;
      default:
        if (v >= 0xf7 && v <= 0xfd) reply(ACK); // typematic/make-break modes: accepted
        else reply(RESEND);
    }
  }

  /**
   * Moves the keyboard's next byte into an empty output buffer (if the keyboard interface is
   * enabled) and drives IRQ 1 / IRQ 12. After a read of port 0x60 the lines go low first, so
   * that the next byte is a new edge.
   */
  private update(afterRead: boolean): void {
    if (this.out.length === 0 && this.keys.length && !(this.ccb & CCB_KBD_DISABLED)) this.emit(this.keys.shift()!);
    if (afterRead) {
      this.setLine(KBD_IRQ, false);
      this.setLine(AUX_IRQ, false);
    }
    const full = this.out.length > 0;
    const aux = full && this.outAux[0]!;
    this.setLine(KBD_IRQ, full && !aux && (this.ccb & CCB_KBD_INT) !== 0);
    this.setLine(AUX_IRQ, full && aux && (this.ccb & CCB_AUX_INT) !== 0);
  }

  private setLine(irq: number, level: boolean): void {
    if (irq === KBD_IRQ) {
      if (this.irq1 === level) return;
      this.irq1 = level;
    } else {
      if (this.irq12 === level) return;
      this.irq12 = level;
    }
    this.host.setIrq(irq, level);
  }

  inspect(): KeyboardControllerInspection {
    return {
      status: this.status(),
      commandByte: this.ccb,
      outputPort: this.outputPort,
      output: [...this.out],
      keyboardBuffer: [...this.keys],
      scanning: this.scanning,
      irq1: this.irq1,
      irq12: this.irq12,
    };
  }
}
