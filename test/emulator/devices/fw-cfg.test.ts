// QEMU's fw_cfg through its traditional I/O ports (QEMU docs/specs/fw_cfg.rst): a 16-bit selector
// at 0x510 restarts an item at offset 0, the data port 0x511 returns its bytes one by one.
import { describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { FwCfg } from '../../../emulator/devices/fw-cfg.js';
import { TestHost } from './test-host.js';

function setup(memorySize = 32 << 20) {
  const bus = new PortBus();
  const fw = new FwCfg(new TestHost(), { memorySize });
  fw.register(bus);
  const select = (key: number): void => bus.out(0x510, 2, key);
  const bytes = (n: number): number[] => Array.from({ length: n }, () => bus.in(0x511, 1));
  return { bus, fw, select, bytes };
}

describe('fw_cfg', () => {
  it('signature "QEMU", ID with the traditional interface only, RAM size, one CPU', () => {
    const { select, bytes } = setup(48 << 20);
    select(0x0000);
    expect(String.fromCharCode(...bytes(4))).toBe('QEMU');
    select(0x0001);
    expect(bytes(4)).toEqual([1, 0, 0, 0]);
    select(0x0003);
    expect(bytes(8)).toEqual([0, 0, 0, 3, 0, 0, 0, 0]); // 0x03000000, 64-bit little-endian
    select(0x0005);
    expect(bytes(2)).toEqual([1, 0]);
    select(0x000f);
    expect(bytes(2)).toEqual([1, 0]);
    select(0x0019);
    expect(bytes(4)).toEqual([0, 0, 0, 0]); // no files
  });

  it('reads 0 past the end of an item and for unknown or architecture keys; reselecting restarts', () => {
    const { bus, select, bytes } = setup();
    select(0x0000);
    expect(bytes(6).slice(4)).toEqual([0, 0]);
    select(0x0000);
    expect(bytes(1)).toEqual([0x51]);
    select(0x1234);
    expect(bytes(2)).toEqual([0, 0]);
    select(0x8000); // x86-specific items: none
    expect(bytes(2)).toEqual([0, 0]);
    select(0x4000); // the write flag: selects item 0 for writing; reads still work
    expect(bytes(1)).toEqual([0x51]);
    bus.out(0x511, 1, 0xff); // data writes are ignored
    expect(bytes(1)).toEqual([0x45]);
    expect(bus.in(0x510, 2)).toBe(0);
    select(0x0000);
    expect(bus.in(0x511, 4)).toBe(0x554d4551); // a wider read takes consecutive bytes
  });

  it('snapshots the selector and the offset', () => {
    const { fw, select, bytes } = setup();
    select(0x0000);
    bytes(2);
    const s = fw.snapshot();
    select(0x0003);
    fw.restore(s);
    expect(String.fromCharCode(...bytes(2))).toBe('MU');
  });
});
