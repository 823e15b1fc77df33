// The colour text display as a PC kernel sees it: 80x25 character cells of two bytes (character,
// attribute) in RAM at 0xB8000, and the 6845-style CRT controller's index/data ports at
// 0x3D4/0x3D5 (IBM CGA technical reference; VGA keeps the same registers), whose registers 0x0E
// and 0x0F hold the cursor location and 0x0C/0x0D the display start address, in character
// cells. Port 0x3DA (input status 1) reports display-enable and vertical-retrace bits that
// follow the machine clock (a 70 Hz frame), so retrace-waiting loops end.
//
// The cells are plain guest RAM (the CPU writes them with no hook, at full speed), so the screen
// costs nothing. screenText() reads it without side effects; CgaEcho turns changes of the screen
// into console text, when asked (the CLI's --cga option polls it between run slices).
import type { Machine } from '../machine.js';
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, StatefulDevice } from './device.js';
import { readBytes, writeBytes } from './byte-ports.js';
import { INSTRUCTIONS_PER_SECOND } from './cmos.js';

export const CGA_TEXT_BASE = 0xb8000;
export const CGA_COLUMNS = 80;
export const CGA_ROWS = 25;
export const CGA_TEXT_BYTES = CGA_COLUMNS * CGA_ROWS * 2;
export const CRTC_INDEX_PORT = 0x3d4;
export const CRTC_DATA_PORT = 0x3d5;
export const INPUT_STATUS_PORT = 0x3da;
export const CRTC_START_HIGH = 0x0c, CRTC_START_LOW = 0x0d, CRTC_CURSOR_HIGH = 0x0e, CRTC_CURSOR_LOW = 0x0f;

/** CRTC registers 0x00-0x18 for text mode 3 (80x25, 9x16 cells) as a VGA BIOS programs them. */
const MODE3_CRTC = [
  0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00, 0x00, 0x00,
  0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
];
/** One frame at 70 Hz, of which the last ~5% is vertical retrace. */
const FRAME = Math.round(INSTRUCTIONS_PER_SECOND / 70);
const RETRACE = Math.round(FRAME / 20);

/**
 * Code page 437, the PC's character set in ROM: what each byte of a text cell shows. Byte 0
 * shows as a space (a blank cell), bytes 1-31 and 127 as their CP437 glyphs.
 */
const CP437 =
  ' ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼' +
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~⌂' +
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** The character a cell byte shows (CP437). */
export function cp437(byte: number): string {
  return CP437[byte & 0xff]!;
}

/**
 * The text screen as 25 rows of 80 characters, read from RAM without side effects. `startAddress`
 * is the CRTC display start in cells (0 unless the kernel scrolls with it; CgaText.screen() passes
 * the CRTC's own). Cells beyond the end of RAM show as spaces.
 */
export function screenText(machine: Machine, startAddress = 0): string[] {
  const mem = machine.mem;
  const rows: string[] = [];
  for (let r = 0; r < CGA_ROWS; r++) {
    let line = '';
    for (let c = 0; c < CGA_COLUMNS; c++) {
      // The display wraps within the 16 KiB of CGA memory.
      const a = CGA_TEXT_BASE + (((startAddress + r * CGA_COLUMNS + c) * 2) & 0x3fff);
      line += a < mem.size ? cp437(mem.u8[a]!) : ' ';
    }
    rows.push(line);
  }
  return rows;
}

export interface CgaInspection {
  index: number;
  /** The cursor location in cells, and as row and column. */
  cursor: number;
  cursorRow: number;
  cursorColumn: number;
  startAddress: number;
  crtc: number[];
}

export interface CgaState {
  index: number;
  crtc: number[];
}

export class CgaText implements PortDevice, StatefulDevice<CgaState> {
  private index = 0;
  private crtc = [...MODE3_CRTC];

  constructor(
    private readonly host: DeviceHost,
    private readonly machine?: Machine,
  ) {
    host.registerDevice?.(this);
  }

  snapshot(): CgaState {
    return { index: this.index, crtc: [...this.crtc] };
  }

  restore(s: CgaState): void {
    this.index = s.index;
    this.crtc = [...s.crtc];
  }

  register(bus: PortBus): void {
    bus.register(CRTC_INDEX_PORT, 2, this);
    bus.register(INPUT_STATUS_PORT, 1, this);
  }

  portIn(port: number, size: number): number {
    return readBytes(port, size, (p) => this.read8(p));
  }

  portOut(port: number, size: number, value: number): void {
    writeBytes(port, size, value, (p, v) => this.write8(p, v));
  }

  private read8(port: number): number {
    if (port === CRTC_INDEX_PORT) return this.index;
    if (port === CRTC_DATA_PORT) return this.index < this.crtc.length ? this.crtc[this.index]! : 0;
    if (port === INPUT_STATUS_PORT) {
      const phase = this.host.now() % FRAME;
      // Bit 3: vertical retrace; bit 0: display disabled (retrace or blanking).
      return phase >= FRAME - RETRACE ? 0x09 : 0x00;
    }
    return 0xff;
  }

  private write8(port: number, v: number): void {
    if (port === CRTC_INDEX_PORT) this.index = v;
    else if (port === CRTC_DATA_PORT && this.index < this.crtc.length) this.crtc[this.index] = v;
  }

  get cursor(): number {
    return (this.crtc[CRTC_CURSOR_HIGH]! << 8) | this.crtc[CRTC_CURSOR_LOW]!;
  }

  get startAddress(): number {
    return (this.crtc[CRTC_START_HIGH]! << 8) | this.crtc[CRTC_START_LOW]!;
  }

  /** The screen as it shows now (the CRTC's start address applied); needs the machine. */
  screen(): string[] {
    if (!this.machine) throw new Error('CgaText.screen(): constructed without a machine');
    return screenText(this.machine, this.startAddress);
  }

  inspect(): CgaInspection {
    const cursor = this.cursor;
    const rel = cursor - this.startAddress;
    return {
      index: this.index,
      cursor,
      cursorRow: Math.floor(rel / CGA_COLUMNS),
      cursorColumn: ((rel % CGA_COLUMNS) + CGA_COLUMNS) % CGA_COLUMNS,
      startAddress: this.startAddress,
      crtc: [...this.crtc],
    };
  }
}

/**
 * Turns screen changes into console text for a headless run: poll() compares the screen with
 * the one seen at the previous poll and returns what was written since, as lines. A scroll (the
 * rows moved up) is recognised, so a kernel printing line after line comes out as those lines;
 * text appended to a row comes out as the appended characters; a row rewritten otherwise comes
 * out whole on a line of its own. Host-side only: it holds no guest state, and costs nothing
 * unless polled.
 */
export class CgaEcho {
  private shown: string[];
  /** The row (in the current screen's coordinates) the echoed text last ended on. */
  private lastRow = -1;
  private started = false;

  constructor(private readonly read: () => string[]) {
    this.shown = read().map(trimEnd);
  }

  poll(): string {
    const now = this.read().map(trimEnd);
    const before = this.shown;
    this.shown = now;
    if (now.every((r, i) => r === before[i])) return '';
    const k = scrollAmount(before, now);
    this.lastRow -= k;
    let out = '';
    for (let r = 0; r < now.length; r++) {
      const old = r + k < before.length ? before[r + k]! : '';
      const cur = now[r]!;
      if (cur === old) continue;
      let text: string;
      let continues = r === this.lastRow;
      if (cur.startsWith(old)) {
        text = cur.slice(old.length); // appended
      } else if (old.startsWith(cur)) {
        text = '\b \b'.repeat(old.length - cur.length); // erased from the end (backspace)
      } else {
        text = cur; // rewritten: the whole row on a line of its own
        continues = false;
      }
      if (this.started && !continues) out += '\n';
      out += text;
      this.started = true;
      this.lastRow = r;
    }
    return out;
  }
}

function trimEnd(s: string): string {
  return s.replace(/[ \u00a0]+$/, '');
}

/** How many rows the screen scrolled up between two polls (0 if it did not look like a scroll). */
function scrollAmount(before: string[], now: string[]): number {
  const n = now.length;
  const mismatches = (k: number): number => {
    let m = 0;
    for (let r = 0; r + k < n; r++) if (now[r] !== before[r + k]) m++;
    return m;
  };
  if (mismatches(0) <= 1) return 0; // one row changed: writing, not scrolling
  for (let k = 1; k < n; k++) {
    let nonBlank = 0;
    for (let r = 0; r + k < n; r++) if (before[r + k] !== '') nonBlank++;
    if (nonBlank > 0 && mismatches(k) === 0) return k;
  }
  // The rows moved but the bottom ones also changed before this poll: allow the last row to differ.
  for (let k = 1; k < n; k++) {
    let nonBlank = 0;
    for (let r = 0; r + k < n; r++) if (before[r + k] !== '') nonBlank++;
    if (nonBlank > 1 && mismatches(k) <= 1) return k;
  }
  return 0;
}
