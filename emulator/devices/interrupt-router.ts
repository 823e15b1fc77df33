// What the processor's INTR input sees on a PC with both interrupt systems: the local APIC's own
// interrupts (its timer, IPIs, I/O APIC messages) and the 8259A pair's INTR, which reaches the
// processor through the local APIC's LINT0 pin in ExtINT mode (MP spec 1.4, 3.6.2.2 "virtual wire
// mode"; SDM vol. 3A 10.5.1). A kernel that never touches the APICs keeps the 8259A working
// (LINT0 starts in ExtINT mode); xv6 masks both 8259As (0xFF on each IMR) and uses the I/O APIC.
//
// Priority: a deliverable local APIC interrupt is taken first; otherwise the 8259A's, which as
// ExtINT ignores the APIC's priorities (SDM 10.8.1). Stateless: the two controllers hold it all.
import type { InterruptSource } from './device.js';
import type { LocalApic } from './local-apic.js';
import type { Pic8259Pair } from './pic8259.js';

export class InterruptRouter implements InterruptSource {
  constructor(
    readonly pic: Pic8259Pair,
    readonly lapic: LocalApic,
  ) {}

  intr(): boolean {
    return this.lapic.pendingVector() >= 0 || (this.pic.intr() && this.lapic.passesPic());
  }

  acknowledge(): number {
    const own = this.lapic.acknowledge();
    if (own >= 0) return own;
    if (this.pic.intr() && this.lapic.passesPic()) return this.pic.acknowledge();
    // The request went away between INTR and the acknowledge: the APIC's spurious vector (SDM 10.9).
    return this.lapic.spuriousVector();
  }
}
