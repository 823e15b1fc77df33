// Tripwires: every own field of the CPU, the MMU, the machine and each device is either saved by
// snapshots or listed here as not machine state (wiring, configuration, caches, debugger
// settings). A field added later fails this test until someone decides which it is, so snapshots
// cannot silently start missing state.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../emulator/machine.js';
import { attachStandardDevices } from '../../../emulator/pc.js';
import { CPU_FIELDS_NOT_SAVED, saveCpu } from '../../../emulator/snapshot/cpu-state.js';

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();

/** Own fields of `object` minus the ones declared not saved. */
function stateFields(object: object, notSaved: readonly string[]): string[] {
  const keys = Object.keys(object);
  for (const n of notSaved) expect(keys, `"${n}" is listed as not saved but is no field`).toContain(n);
  return sorted(keys.filter((k) => !notSaved.includes(k)));
}

describe('snapshots cover all state', () => {
  const machine = new Machine({ memory: 1 << 20 });
  const dev = attachStandardDevices(machine, { ideMaster: new Uint8Array(4096), ideSlave: new Uint8Array(4096) });

  it('CPU', () => {
    const saved = Object.keys(saveCpu(machine.cpu)).map((k) => (k === 'cpl' ? 'cplValue' : k));
    expect(stateFields(machine.cpu, CPU_FIELDS_NOT_SAVED)).toEqual(sorted(saved));
  });

  it('MMU: the TLB is saved; the rest is derived from it and the CPL, or debugger settings', () => {
    const derived = ['cpu', 'filled', 'filledCount', 'filledOverflow', 'largeFills', 'readMask', 'writeMask', 'noFillLinear', 'noFillPhysical'];
    expect(stateFields(machine.cpu.mmu, derived)).toEqual(['tlb']);
  });

  it('machine', () => {
    const notSaved = ['mem', 'cpu', 'devices', 'snapshots', 'interrupts', 'irqSink', 'breakpointCr3', 'sliceEnd'];
    expect(stateFields(machine, notSaved)).toEqual(sorted(['events', 'exitStatus', 'pauseRequested', 'irqLevels']));
  });

  it('devices register themselves and save every state field', () => {
    const registered = (machine as unknown as { devices: unknown[] }).devices;
    const drives = dev.ide.drives.filter((d) => d !== null);
    // Identity, not deep equality: a failing deep diff of devices holding the machine is huge.
    const expected: unknown[] = [dev.pic, dev.pit, dev.com1, dev.debugExit, dev.disk, dev.lapic, dev.ioapic, dev.cmos, dev.cga, dev.keyboard, dev.ide, ...drives, dev.fwCfg];
    expect(registered.length).toBe(expected.length);
    registered.forEach((d, i) => expect(d === expected[i], `device ${i}: ${(d as object).constructor.name}`).toBe(true));
    const cases: [object, { snapshot(): object }, string[]][] = [
      [dev.pic, dev.pic, ['host', 'onIntrChange']],
      [dev.pit, dev.pit, ['host', 'k', 'irq']],
      // The receive queue is saved from rxHead on, and restored with rxHead 0; the IRQ wiring is a setting.
      [dev.com1, dev.com1, ['host', 'base', 'irq', 'irqNeedsOut2', 'onTransmit', 'rxHead']],
      [dev.debugExit, dev.debugExit, ['host', 'port', 'iosize']],
      // The image is saved page by page through `storage`.
      [dev.disk, dev.disk, ['host', 'base', 'irq', 'image', 'capacity', 'storage']],
      [dev.lapic, dev.lapic, ['host', 'base', 'k', 'onIntrChange', 'onLevelEoi']],
      [dev.ioapic, dev.ioapic, ['base', 'lapic']],
      [dev.cmos, dev.cmos, ['host', 'ips', 'start']],
      [dev.cga, dev.cga, ['host', 'machine']],
      [dev.keyboard, dev.keyboard, ['host']],
      [dev.ide, dev.ide, ['host', 'base', 'controlPort', 'irq', 'drives']],
      // Each drive's image is saved page by page through its `storage`.
      ...drives.map((d): [object, { snapshot(): object }, string[]] => [d, d, ['unit', 'image', 'sectors', 'storage']]),
      [dev.fwCfg, dev.fwCfg, ['items']],
    ];
    for (const [device, s, notSaved] of cases) {
      expect(stateFields(device, notSaved), device.constructor.name).toEqual(sorted(Object.keys(s.snapshot())));
    }
    const parts = dev.pic as unknown as { master: { snapshot(): object }; slave: object };
    expect(stateFields(parts.master, ['isMaster'])).toEqual(sorted(Object.keys(parts.master.snapshot())));
    const counters = (dev.pit as unknown as { counters: { snapshot(): object }[] }).counters;
    for (const c of counters) expect(stateFields(c, [])).toEqual(sorted(Object.keys(c.snapshot())));
  });

  it('device snapshots are copies that later changes do not reach', () => {
    dev.com1.receive('ab');
    const uart = dev.com1.snapshot();
    dev.com1.receive('cd');
    expect(uart.rx).toEqual([0x61, 0x62]);
    const pic = dev.pic.snapshot();
    machine.cpu.io.out(0x21, 1, 0x12);
    expect(pic.master.imr).not.toBe(0x12);
    dev.pic.restore(pic);
    expect(dev.pic.inspect().master.imr).toBe(pic.master.imr);
  });
});
