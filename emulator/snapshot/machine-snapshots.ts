/**
 * Machine snapshots: everything a run depends on (CPU, TLB, RAM, devices, the machine's event queue
 * and IRQ lines, pending console input, disk images) saved so that restore() and the same inputs
 * give the same run again, instruction for instruction. The ground for reverse execution.
 *
 * Taking one is cheap: RAM and disk images are not copied but shared page by page until written
 * (cow-pages.ts); the CPU's TLB loses write permission (TLB_OWNED) on every entry so that the first
 * write to each page reaches Mmu.translate, which claims the page (saves it for the snapshot)
 * before the write. Later writes to that page run at full speed again.
 */
import type { Cpu } from '../cpu/cpu.js';
import type { TlbState } from '../cpu/mmu.js';
import type { DeviceStorage, StatefulDevice } from '../devices/device.js';
import type { PhysicalMemory } from '../memory/physical.js';
import { CowPages, type CowLayer, type CowStats } from './cow-pages.js';
import { loadCpu, saveCpu, type CpuState } from './cpu-state.js';

/** A snapshot handle: opaque except for the instruction count it was taken at. */
export class MachineSnapshot {
  /** @internal Handles are made by MachineSnapshots.take only. */
  constructor(readonly icount: number) {}
}

/** What the machine lets the snapshot layer see (its own fields stay private to it). */
export interface SnapshotHost<M> {
  readonly cpu: Cpu;
  readonly mem: PhysicalMemory;
  /** Every device whose state belongs in a snapshot, in registration order. */
  readonly devices: readonly StatefulDevice[];
  /** The machine's own state (event queue, IRQ levels, exit and pause flags), as a copy. */
  saveOwn(): M;
  loadOwn(state: M): void;
}

export interface SnapshotStats {
  /** Snapshots alive. */
  snapshots: number;
  ram: CowStats;
  /** Device storage (disk images), summed over devices. */
  storage: CowStats;
}

interface Saved<M> {
  cpu: CpuState;
  tlb: TlbState;
  own: M;
  devices: { device: StatefulDevice; state: unknown }[];
  ram: CowLayer;
  storage: { store: CowPages; layer: CowLayer }[];
}

export class MachineSnapshots<M> {
  private readonly saved = new Map<MachineSnapshot, Saved<M>>();
  private readonly ram: CowPages;
  private readonly storages = new Map<DeviceStorage, CowPages>();

  constructor(private readonly host: SnapshotHost<M>) {
    const blocks = host.cpu.blocks;
    // A restored page may hold code that was decoded in its later contents.
    this.ram = new CowPages(host.mem.u8, (page) => {
      if (blocks.codePages[page]) blocks.invalidatePage(page);
    });
  }

  take(): MachineSnapshot {
    const { cpu, mem } = this.host;
    this.checkIdle('snapshot');
    const handle = new MachineSnapshot(cpu.icount);
    mem.guard = this.ram;
    const ram = this.ram.take();
    cpu.mmu.revokeOwnership();
    const storage: Saved<M>['storage'] = [];
    for (const device of this.host.devices) {
      if (!device.storage) continue;
      const store = this.storeFor(device.storage);
      device.storage.guard = store;
      storage.push({ store, layer: store.take() });
    }
    this.saved.set(handle, {
      cpu: saveCpu(cpu),
      tlb: cpu.mmu.snapshot(),
      own: this.host.saveOwn(),
      devices: this.host.devices.map((device) => ({ device, state: device.snapshot() })),
      ram,
      storage,
    });
    return handle;
  }

  /** Puts the machine back in the state of `handle`; the snapshot stays usable. */
  restore(handle: MachineSnapshot): void {
    const s = this.get(handle);
    this.checkIdle('restore');
    this.ram.restore(s.ram);
    for (const { store, layer } of s.storage) store.restore(layer);
    const cpu = this.host.cpu;
    cpu.mmu.restore(s.tlb);
    loadCpu(cpu, s.cpu);
    // A device plugged in after the snapshot was taken keeps its state: the snapshot has none.
    for (const { device, state } of s.devices) device.restore(state);
    this.host.loadOwn(s.own);
  }

  /** Frees the snapshot's pages (those no other snapshot needs). The handle is dead afterwards. */
  release(handle: MachineSnapshot): void {
    const s = this.saved.get(handle);
    if (!s) return;
    this.saved.delete(handle);
    this.ram.release(s.ram);
    for (const { store, layer } of s.storage) store.release(layer);
    // With no snapshot left, writers stop looking at guards at all.
    if (this.ram.count === 0) this.host.mem.guard = null;
    for (const [storage, store] of this.storages) if (store.count === 0) storage.guard = null;
  }

  stats(): SnapshotStats {
    const storage: CowStats = { layers: 0, pagesHeld: 0, bytesHeld: 0, pagesSaved: 0, pagesRestored: 0, bytesCopied: 0 };
    for (const store of this.storages.values()) {
      const s = store.stats();
      storage.layers += s.layers;
      storage.pagesHeld += s.pagesHeld;
      storage.bytesHeld += s.bytesHeld;
      storage.pagesSaved += s.pagesSaved;
      storage.pagesRestored += s.pagesRestored;
      storage.bytesCopied += s.bytesCopied;
    }
    return { snapshots: this.saved.size, ram: this.ram.stats(), storage };
  }

  private get(handle: MachineSnapshot): Saved<M> {
    const s = this.saved.get(handle);
    if (!s) throw new Error('unknown snapshot: released, or taken on another machine');
    return s;
  }

  private storeFor(storage: DeviceStorage): CowPages {
    let store = this.storages.get(storage);
    if (!store) this.storages.set(storage, (store = new CowPages(storage.bytes)));
    return store;
  }

  /** Inside a running block the CPU state is half-updated (EIP, icount): not a state to save or replace. */
  private checkIdle(what: string): void {
    if (this.host.cpu.executing) throw new Error(`cannot ${what} the machine while an instruction is executing; stop the run first`);
  }
}
