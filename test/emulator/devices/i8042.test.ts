// The 8042 keyboard controller through ports 0x60/0x64 (IBM PC AT Technical Reference,
// "Keyboard Controller": status bits, command byte, controller commands; keyboard commands and
// scan code set 1), fed from console text as a keyboard would be.
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { KeyboardController } from '../../../emulator/devices/i8042.js';
import { scanCodesFor } from '../../../emulator/devices/scancodes.js';
import { TestHost } from './test-host.js';

function setup() {
  const host = new TestHost();
  const bus = new PortBus();
  const kbc = new KeyboardController(host);
  kbc.register(bus);
  const status = (): number => bus.in(0x64, 1);
  const data = (): number => bus.in(0x60, 1);
  const command = (c: number, arg?: number): void => {
    bus.out(0x64, 1, c);
    if (arg !== undefined) bus.out(0x60, 1, arg);
  };
  /** Everything in the output buffer, read as a driver's polling loop does. */
  const drain = (): number[] => {
    const out: number[] = [];
    while (status() & 1) out.push(data());
    return out;
  };
  return { host, bus, kbc, status, data, command, drain };
}

/** A set-1 decoder written from the scan code table (independent of scancodes.ts's tables). */
function decode(codes: number[]): string {
  const rows: [number, string, string][] = [
    [0x02, '1234567890-=', '!@#$%^&*()_+'],
    [0x10, 'qwertyuiop[]', 'QWERTYUIOP{}'],
    [0x1e, "asdfghjkl;'`", 'ASDFGHJKL:"~'],
    [0x2b, '\\zxcvbnm,./', '|ZXCVBNM<>?'],
  ];
  let shift = false, ctrl = false, out = '';
  for (const c of codes) {
    if (c === 0x2a) shift = true;
    else if (c === 0xaa) shift = false;
    else if (c === 0x1d) ctrl = true;
    else if (c === 0x9d) ctrl = false;
    else if (c & 0x80) continue;
    else if (c === 0x1c) out += '\n';
    else if (c === 0x39) out += ' ';
    else if (c === 0x0e) out += '\b';
    else if (c === 0x0f) out += '\t';
    else if (c === 0x01) out += '\x1b';
    else {
      const row = rows.find(([first, plain]) => c >= first && c < first + plain.length);
      if (!row) throw new Error(`unexpected scan code ${c.toString(16)}`);
      const ch = (shift ? row[2] : row[1])[c - row[0]]!;
      out += ctrl ? String.fromCharCode(ch.toUpperCase().charCodeAt(0) - 64) : ch;
    }
  }
  return out;
}

describe('status and the command byte (as a BIOS leaves them)', () => {
  it('reads status 0x1C (system flag, last write a command, not inhibited) and command byte 0x61', () => {
    const { status, command, data } = setup();
    expect(status()).toBe(0x1c);
    command(0x20);
    expect(status() & 0x01).toBe(1);
    expect(data()).toBe(0x61);
    expect(status()).toBe(0x1c);
  });

  it('answers the self-tests and the input and output ports', () => {
    const { command, drain } = setup();
    command(0xaa);
    command(0xab);
    command(0xa9);
    command(0xd0);
    expect(drain()).toEqual([0x55, 0x00, 0x00, 0x03]);
    command(0xd1, 0x01); // A20 off
    command(0xd0);
    expect(drain()).toEqual([0x01]);
  });

  it('writes the command byte and the A2 status bit follows the last port written', () => {
    const { status, command, drain } = setup();
    command(0x60, 0x45);
    expect(status() & 0x08).toBe(0);
    command(0x20);
    expect(status() & 0x08).toBe(0x08);
    expect(drain()).toEqual([0x45]);
    command(0xa8);
    command(0x20);
    expect(drain()).toEqual([0x45]);
    command(0xa7);
    command(0x20);
    expect(drain()).toEqual([0x65]);
  });
});

describe('typing', () => {
  it('turns text into set-1 make/break codes, with shift for capitals and symbols', () => {
    expect(scanCodesFor('a')).toEqual([0x1e, 0x9e]);
    expect(scanCodesFor('A')).toEqual([0x2a, 0x1e, 0x9e, 0xaa]);
    expect(scanCodesFor('1!')).toEqual([0x02, 0x82, 0x2a, 0x02, 0x82, 0xaa]);
    expect(scanCodesFor(' \n\b')).toEqual([0x39, 0xb9, 0x1c, 0x9c, 0x0e, 0x8e]);
    expect(scanCodesFor('\x10')).toEqual([0x1d, 0x19, 0x99, 0x9d]); // ctrl-P (xv6: procdump)
    expect(scanCodesFor('é')).toEqual([]);
    const text = 'echo "Hello, World!" | wc -l; ls ~/x_y+z={1}[2]<3>?\t\x1b\n';
    expect(decode(scanCodesFor(text))).toBe(text);
  });

  it('delivers one byte at a time through the output buffer, an IRQ 1 edge for each', () => {
    const { host, kbc, data, status } = setup();
    kbc.type('Hi');
    const got: number[] = [];
    for (let guard = 0; guard < 20 && host.levels.get(1); guard++) {
      expect(status() & 0x21).toBe(0x01); // keyboard data, not auxiliary
      got.push(data());
    }
    expect(decode(got)).toBe('Hi');
    expect(host.risingEdges(1)).toHaveLength(got.length);
    expect(host.levels.get(1)).toBe(false);
    expect(status() & 1).toBe(0);
    expect(data()).toBe(got[got.length - 1]); // an empty buffer reads the last byte again
  });

  it('holds keys while the keyboard is disabled (0xAD) and sends them after 0xAE', () => {
    const { kbc, command, drain, host } = setup();
    command(0xad);
    kbc.type('q');
    expect(drain()).toEqual([]);
    expect(host.levels.get(1)).toBeUndefined();
    command(0xae);
    expect(drain()).toEqual([0x10, 0x90]);
  });

  it('raises no IRQ 1 with the command byte interrupt bit clear; data still polls', () => {
    const { kbc, command, drain, host } = setup();
    command(0x60, 0x60);
    kbc.type('z');
    expect(host.levels.get(1)).toBeUndefined();
    expect(drain()).toEqual([0x2c, 0xac]);
  });

  it('0xD2/0xD3 write the output buffer as if from the keyboard / the auxiliary device', () => {
    const { command, status, data, host } = setup();
    command(0xd2, 0x1e);
    expect(status() & 0x21).toBe(0x01);
    expect(host.levels.get(1)).toBe(true);
    expect(data()).toBe(0x1e);
    command(0x60, 0x43); // auxiliary interrupt on
    command(0xd3, 0x08);
    expect(status() & 0x21).toBe(0x21);
    expect(host.levels.get(12)).toBe(true);
    expect(data()).toBe(0x08);
    expect(host.levels.get(12)).toBe(false);
  });
});

describe('keyboard commands', () => {
  it('acknowledges with 0xFA: reset, identify, LEDs, scan code set, echo, scanning on and off', () => {
    const { bus, kbc, drain } = setup();
    const send = (...bytes: number[]): number[] => {
      for (const b of bytes) bus.out(0x60, 1, b);
      return drain();
    };
    expect(send(0xff)).toEqual([0xfa, 0xaa]);
    expect(send(0xf2)).toEqual([0xfa, 0xab, 0x41]); // MF2 keyboard, translated ID
    expect(send(0xed, 0x07)).toEqual([0xfa, 0xfa]);
    expect(send(0xf0, 0x00)).toEqual([0xfa, 0xfa, 0x41]); // set 2, as translation shows it
    expect(send(0xee)).toEqual([0xee]);
    expect(send(0xf5)).toEqual([0xfa]);
    kbc.type('x');
    expect(drain()).toEqual([]); // scanning disabled: keys are not sent
    expect(send(0xf4)).toEqual([0xfa]);
    expect(send(0x12)).toEqual([0xfe]);
  });

  it('snapshots the queues and modes', () => {
    const { kbc, command, drain } = setup();
    kbc.type('ab');
    command(0xad);
    const s = kbc.snapshot();
    drain();
    command(0xae);
    drain();
    kbc.restore(s);
    expect(kbc.inspect()).toMatchObject({ commandByte: 0x71 });
    command(0xae);
    expect(decode(drain())).toBe('ab');
  });
});
