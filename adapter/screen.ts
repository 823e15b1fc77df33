// The 'screen' custom request: the CGA text screen as the monitor would show it. The characters
// come from the CGA device's own side-effect-free reader (CP437 glyphs, the CRT controller's
// display start applied), the cursor from the device's CRTC registers; the attribute bytes are
// the odd bytes of the same cells in video RAM.
import { CGA_COLUMNS, CGA_ROWS, CGA_TEXT_BASE } from '../emulator/devices/cga.js';
import type { Runtime } from './runtime.js';

/** CRTC register 0x0A (cursor start scan line): bit 5 turns the cursor off (VGA, and CGA's "no cursor" mode). */
const CRTC_CURSOR_START = 0x0a;
const CRTC_CURSOR_END = 0x0b;
const CURSOR_OFF = 0x20;
/** The 16 KiB of CGA memory the display start wraps in. */
const CGA_WRAP = 0x3fff;
/** What firmware leaves in every cell: a space (or NUL), light grey on black (or 0). */
const BLANK_CHARS = new Set([0x00, 0x20]);
const BLANK_ATTRS = new Set([0x00, 0x07]);

export interface ScreenBody {
  columns: number;
  /** 25 rows of exactly `columns` characters (CP437 shown as Unicode). */
  rows: string[];
  /** The attribute byte of every cell, row by row: background in bits 4-6, foreground in 0-3, blink in 7. */
  attributes: number[][];
  cursor: { row: number; column: number; visible: boolean; startLine: number; endLine: number };
  /** CRTC display start, in cells (0 unless the kernel scrolls with it). */
  startAddress: number;
  /** False while every cell is still what firmware left: the kernel has not written to the screen. */
  used: boolean;
}

export function screenView(rt: Runtime): ScreenBody {
  const cga = rt.devices.cga;
  const state = cga.inspect();
  const rows = cga.screen();
  // Beyond the end of RAM peek() gives 0xff bytes; the device's reader shows those cells blank.
  const video = rt.machine.mem.peek(CGA_TEXT_BASE, CGA_WRAP + 1);
  const attributes: number[][] = [];
  let used = false;
  for (let r = 0; r < CGA_ROWS; r++) {
    const line: number[] = [];
    for (let c = 0; c < CGA_COLUMNS; c++) {
      // The same cell the device's reader showed: the display wraps within CGA memory.
      const at = ((state.startAddress + r * CGA_COLUMNS + c) * 2) & CGA_WRAP;
      const ch = video[at]!;
      const attr = video[at + 1]!;
      line.push(attr);
      if (!BLANK_CHARS.has(ch) || !BLANK_ATTRS.has(attr)) used = true;
    }
    attributes.push(line);
  }
  const startLine = state.crtc[CRTC_CURSOR_START] ?? 0;
  const endLine = state.crtc[CRTC_CURSOR_END] ?? 0;
  const onScreen = state.cursorRow >= 0 && state.cursorRow < CGA_ROWS;
  return {
    columns: CGA_COLUMNS,
    rows,
    attributes,
    cursor: {
      row: state.cursorRow,
      column: state.cursorColumn,
      visible: onScreen && (startLine & CURSOR_OFF) === 0,
      startLine: startLine & 0x1f,
      endLine: endLine & 0x1f,
    },
    startAddress: state.startAddress,
    used,
  };
}
