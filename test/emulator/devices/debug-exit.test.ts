// QEMU's isa-debug-exit semantics (hw/misc/debugexit.c): a write of V ends the run with
// status (V << 1) | 1; reads return 0.
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { DebugExit } from '../../../emulator/devices/debug-exit.js';
import { TestHost } from './test-host.js';

function setup(opts = {}) {
  const host = new TestHost();
  const bus = new PortBus();
  const dev = new DebugExit(host, opts);
  dev.register(bus);
  return { host, bus, dev };
}

describe('DebugExit', () => {
  it('a byte write of V requests exit (V << 1) | 1', () => {
    const { host, bus } = setup();
    bus.out(0xf4, 1, 0x10);
    expect(host.exits).toEqual([0x21]);
  });

  it('accepts word and dword writes whole, even with the top bit set', () => {
    const { host, bus } = setup();
    bus.out(0xf4, 2, 0x1234);
    bus.out(0xf4, 4, 0xffffffff | 0); // the CPU may hand over a signed int32
    expect(host.exits).toEqual([0x2469, 0x1ffffffff]);
  });

  it('reads return 0 and do not exit', () => {
    const { host, bus } = setup();
    expect(bus.in(0xf4, 1)).toBe(0);
    expect(bus.in(0xf4, 4)).toBe(0);
    expect(host.exits).toEqual([]);
  });

  it('claims one port by default and QEMU-style iosize/port on request', () => {
    const { host, bus } = setup();
    bus.out(0xf5, 1, 1);
    expect(host.exits).toEqual([]);
    const other = setup({ port: 0x501, iosize: 2 });
    other.bus.out(0x502, 1, 3);
    expect(other.host.exits).toEqual([7]);
    expect(other.dev.inspect()).toEqual({ port: 0x501, iosize: 2, lastValue: 3 });
  });
});
