// QEMU's isa-debug-exit device, so that test kernels written for
// `qemu-system-i386 -device isa-debug-exit,iobase=0xf4,iosize=0x04` end a run here too: writing
// V (any width) ends the run with status (V << 1) | 1, and reads return 0, as QEMU's
// hw/misc/debugexit.c does. The status is passed on whole; QEMU's process exit code is its low
// 8 bits (the caller that turns it into a process exit code should do the same).
import type { PortBus, PortDevice } from '../memory/ports.js';
import type { DeviceHost, StatefulDevice } from './device.js';

export interface DebugExitOptions {
  /** First port (default 0xF4). */
  port?: number;
  /** Ports claimed (QEMU's iosize; default 1). A write to any of them exits. */
  iosize?: number;
}

export interface DebugExitInspection {
  port: number;
  iosize: number;
  /** The last value written, or null if the guest never wrote. */
  lastValue: number | null;
}

export interface DebugExitState {
  lastValue: number | null;
}

export class DebugExit implements PortDevice, StatefulDevice<DebugExitState> {
  readonly port: number;
  readonly iosize: number;
  private lastValue: number | null = null;

  constructor(
    private readonly host: DeviceHost,
    opts: DebugExitOptions = {},
  ) {
    this.port = opts.port ?? 0xf4;
    this.iosize = opts.iosize ?? 1;
    host.registerDevice?.(this);
  }

  snapshot(): DebugExitState {
    return { lastValue: this.lastValue };
  }

  restore(s: DebugExitState): void {
    this.lastValue = s.lastValue;
  }

  register(bus: PortBus): void {
    bus.register(this.port, this.iosize, this);
  }

  portIn(_port: number, _size: number): number {
    return 0;
  }

  portOut(_port: number, size: number, value: number): void {
    const v = size === 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1);
    this.lastValue = v;
    // Arithmetic rather than `<<`: a 32-bit V would overflow a JavaScript int32 shift.
    this.host.requestExit(v * 2 + 1);
  }

  inspect(): DebugExitInspection {
    return { port: this.port, iosize: this.iosize, lastValue: this.lastValue };
  }
}
