// The CGA text screen: the CRT controller's index/data ports (cursor location 0x0E/0x0F, start
// address 0x0C/0x0D: IBM CGA / 6845 register set), the input status port's retrace bit, the
// screen read from RAM at 0xB8000 without side effects, and the console echo of screen changes.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../emulator/machine.js';
import { CGA_TEXT_BASE, CgaEcho, CgaText, cp437, screenText } from '../../../emulator/devices/cga.js';
import { INSTRUCTIONS_PER_SECOND } from '../../../emulator/devices/cmos.js';
import { TestHost } from './test-host.js';

function setup() {
  const host = new TestHost();
  const machine = new Machine({ memory: 1 << 20 });
  const cga = new CgaText(host, machine);
  cga.register(machine.cpu.io);
  const io = machine.cpu.io;
  const crtc = (reg: number, v?: number): number => {
    io.out(0x3d4, 1, reg);
    if (v !== undefined) io.out(0x3d5, 1, v);
    return io.in(0x3d5, 1);
  };
  /** Writes text at a cell (attribute 0x07), as a kernel's console does. */
  const put = (cell: number, text: string): void => {
    for (let i = 0; i < text.length; i++) {
      machine.mem.u8[CGA_TEXT_BASE + 2 * (cell + i)] = text.charCodeAt(i);
      machine.mem.u8[CGA_TEXT_BASE + 2 * (cell + i) + 1] = 0x07;
    }
  };
  return { host, machine, cga, io, crtc, put };
}

describe('CRT controller ports', () => {
  it('holds the cursor location in registers 0x0E/0x0F and reads back the index', () => {
    const { cga, io, crtc } = setup();
    crtc(0x0e, 0x01);
    crtc(0x0f, 0xe0);
    expect(cga.cursor).toBe(480);
    expect(crtc(0x0e)).toBe(0x01);
    expect(io.in(0x3d4, 1)).toBe(0x0e);
    expect(cga.inspect()).toMatchObject({ cursor: 480, cursorRow: 6, cursorColumn: 0 });
    // A 16-bit out writes index and data at once (low byte to 0x3D4), as kernels often do.
    io.out(0x3d4, 2, 0x2a0f);
    expect(crtc(0x0f)).toBe(0x2a);
  });

  it('starts with the mode 3 register values (cursor lines 13-14)', () => {
    const { crtc } = setup();
    expect(crtc(0x0a)).toBe(0x0d);
    expect(crtc(0x0b)).toBe(0x0e);
    expect(crtc(0x01)).toBe(0x4f); // 80 columns - 1
    expect(crtc(0x30)).toBe(0); // no such register
  });

  it('reports vertical retrace on port 0x3DA for a part of each 70 Hz frame', () => {
    const { host, io } = setup();
    const frame = Math.round(INSTRUCTIONS_PER_SECOND / 70);
    const seen = new Set<number>();
    for (let t = 0; t < frame; t += 997) {
      host.clock = t;
      seen.add(io.in(0x3da, 1) & 0x08);
    }
    expect([...seen].sort()).toEqual([0, 8]);
  });
});

describe('the screen', () => {
  it('reads 25 rows of 80 characters from 0xB8000, through code page 437', () => {
    const { machine, put, cga } = setup();
    put(0, 'hello');
    put(24 * 80 + 75, 'world');
    machine.mem.u8[CGA_TEXT_BASE + 2 * 81] = 0xdb; // a full block
    const rows = screenText(machine);
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.length === 80)).toBe(true);
    expect(rows[0]!.trimEnd()).toBe('hello'); // zero bytes show as blanks
    expect(rows[1]![1]).toBe('█');
    expect(rows[24]!.slice(75)).toBe('world');
    expect(cga.screen()).toEqual(rows);
    const all = [...Array(256).keys()].map(cp437);
    expect(all.every((c) => typeof c === 'string' && [...c].length === 1)).toBe(true);
    expect(all[0xff]).toBe('\u00a0');
    expect(cp437(0x41) + cp437(0x01) + cp437(0xc4)).toBe('A☺─');
  });

  it('applies the CRTC start address', () => {
    const { put, crtc, cga } = setup();
    put(80, 'second row');
    crtc(0x0c, 0);
    crtc(0x0d, 80);
    expect(cga.screen()[0]!.trimEnd()).toBe('second row');
  });
});

describe('console echo of the screen', () => {
  it('turns appended text, new lines and scrolling into lines of text', () => {
    const { machine, put } = setup();
    const echo = new CgaEcho(() => screenText(machine));
    expect(echo.poll()).toBe('');
    put(0, 'Booting');
    expect(echo.poll()).toBe('Booting');
    put(7, '...');
    expect(echo.poll()).toBe('...');
    put(80, 'ok');
    put(160, 'next line');
    expect(echo.poll()).toBe('\nok\nnext line');
    // Fill the screen, then scroll it up by one row with a new last line.
    for (let r = 3; r < 25; r++) put(r * 80, `line ${r}`);
    echo.poll();
    const u8 = machine.mem.u8;
    u8.copyWithin(CGA_TEXT_BASE, CGA_TEXT_BASE + 160, CGA_TEXT_BASE + 4000);
    u8.fill(0, CGA_TEXT_BASE + 24 * 160, CGA_TEXT_BASE + 4000);
    put(24 * 80, 'after scroll');
    expect(echo.poll()).toBe('\nafter scroll');
  });

  it('shows erasing at the end of a row as backspaces, and a rewritten row on a line of its own', () => {
    const { machine, put } = setup();
    const echo = new CgaEcho(() => screenText(machine));
    put(0, 'abc');
    echo.poll();
    put(2, ' ');
    expect(echo.poll()).toBe('\b \b');
    put(0, 'xyz');
    expect(echo.poll()).toBe('\nxyz');
  });
});

describe('snapshots', () => {
  it('saves the CRTC registers and index', () => {
    const { cga, crtc } = setup();
    crtc(0x0f, 0x10);
    const s = cga.snapshot();
    crtc(0x0f, 0x20);
    crtc(0x0a);
    cga.restore(s);
    expect(cga.inspect()).toMatchObject({ index: 0x0f, cursor: 0x10 });
  });
});
