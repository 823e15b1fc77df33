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
}

/** A device with behaviour in time (timers): the machine calls advance() when its event is due. */
export interface ClockedDevice {
  advance(now: number): void;
}

/** The 8259A pair as the CPU sees it: is INTR raised, and which vector does INTA return. */
export interface InterruptSource {
  /** True while an unmasked request is pending at a priority the controller would deliver. */
  intr(): boolean;
  /** The interrupt-acknowledge cycle: returns the vector and updates in-service state. */
  acknowledge(): number;
}
