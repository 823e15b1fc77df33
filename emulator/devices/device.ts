import type { WriteGuard } from '../snapshot/write-guard.js';

/**
 * What a device may ask of the machine it is plugged into. Devices never touch the CPU directly:
 * they raise interrupt lines, report console bytes, schedule their next timed event, or end the run.
 */
export interface DeviceHost {
  /** The machine clock: instructions retired so far. Devices measure time in it (determinism). */
  now(): number;
  /** Drives an ISA interrupt request line (0..15) of the interrupt controllers. */
  setIrq(line: number, level: boolean): void;
  /** Ends the current run with the guest's debug-exit status. */
  requestExit(status: number): void;
  /** Asks to be called back (ClockedDevice.advance) when the clock reaches `at`. */
  schedule(device: ClockedDevice, at: number): void;
  /**
   * Makes the device's state part of the host's snapshots (Machine.snapshot). Devices call it from
   * their constructor, so no device plugged into a machine can be left out of its snapshots.
   */
  registerDevice?(device: StatefulDevice): void;
}

/**
 * A device whose state machine snapshots save and restore. snapshot() returns a copy of the
 * guest-visible state (registers, queues, timers; not the wiring, options or callbacks) that no
 * later change to the device can alter; restore() puts such a copy back without calling the host
 * (the machine restores IRQ levels and scheduled events itself).
 */
export interface StatefulDevice<S = unknown> {
  snapshot(): S;
  restore(state: S): void;
  /** Bytes the device changes in place (a disk image), which snapshots share page by page. */
  readonly storage?: DeviceStorage;
}

/** A device's in-place byte store and the guard its writes must respect while snapshots share it. */
export interface DeviceStorage {
  readonly bytes: Uint8Array;
  /** Set by the snapshot layer: the device calls claimRange(guard, ...) before writing bytes. */
  guard: WriteGuard | null;
}

/** A device with behaviour in time (timers): the machine calls advance() when its event is due. */
export interface ClockedDevice {
  advance(now: number): void;
}

/**
 * The interrupt controller as the CPU sees it (the 8259A pair, or the InterruptRouter in front of
 * it and the local APIC): is INTR raised, and which vector does INTA return.
 */
export interface InterruptSource {
  /** True while an unmasked request is pending at a priority the controller would deliver. */
  intr(): boolean;
  /** The interrupt-acknowledge cycle: returns the vector and updates in-service state. */
  acknowledge(): number;
}
