// The 8259A pair through its ports, checked against the Intel 8259A datasheet (231468):
// initialization (ICW1-ICW4), OCW1-OCW3, priority resolution, cascade, EOI, rotation, poll,
// special mask mode, edge/level triggering and the default-IR7 (spurious) acknowledge.
import { beforeEach, describe, expect, it } from 'vitest';
import { PortBus } from '../../../emulator/memory/ports.js';
import { Pic8259Pair } from '../../../emulator/devices/pic8259.js';
import { TestHost } from './test-host.js';

let bus: PortBus;
let pic: Pic8259Pair;
let intrChanges: number;

const outb = (port: number, v: number): void => bus.out(port, 1, v);
const inb = (port: number): number => bus.in(port, 1);

/** The remap every PC kernel does (xv6 picinit, JOS pic_init, Linux init_8259A). */
function initPair(icw4 = 0x01, master = 0x20, slave = 0x28): void {
  outb(0x20, 0x11); // ICW1: edge, cascade, ICW4 needed
  outb(0xa0, 0x11);
  outb(0x21, master); // ICW2
  outb(0xa1, slave);
  outb(0x21, 0x04); // ICW3: slave on IR2
  outb(0xa1, 0x02); // ICW3: slave identity 2
  outb(0x21, icw4); // ICW4: 8086 mode
  outb(0xa1, icw4);
}

beforeEach(() => {
  bus = new PortBus();
  pic = new Pic8259Pair(new TestHost());
  pic.register(bus);
  intrChanges = 0;
  pic.onIntrChange = () => intrChanges++;
});

describe('power-on state', () => {
  it('looks as a PC BIOS leaves it: bases 0x08/0x70, device lines masked', () => {
    const s = pic.inspect();
    expect(s.master.vectorBase).toBe(0x08);
    expect(s.slave.vectorBase).toBe(0x70);
    expect(inb(0x21)).toBe(0xfb);
    expect(inb(0xa1)).toBe(0xff);
    pic.setIrq(0, true);
    expect(pic.intr()).toBe(false); // masked
  });
});

describe('initialization', () => {
  it('ICW1 clears the mask and ICW2 sets the vector base', () => {
    initPair();
    expect(inb(0x21)).toBe(0x00); // "the Interrupt Mask Register is cleared"
    expect(inb(0xa1)).toBe(0x00);
    const s = pic.inspect();
    expect(s.master.vectorBase).toBe(0x20);
    expect(s.slave.vectorBase).toBe(0x28);
    expect(s.master.initialized).toBe(true);
  });

  it('ICW2 keeps only T7-T3 (the IR line supplies the low 3 bits in 8086 mode)', () => {
    initPair(0x01, 0x25, 0x2f);
    pic.setIrq(1, true);
    expect(pic.acknowledge()).toBe(0x21);
  });

  it('in single mode there is no ICW3: the next odd-port write is ICW4', () => {
    outb(0x20, 0x13); // ICW1: single, ICW4
    outb(0x21, 0x40); // ICW2
    outb(0x21, 0x01); // ICW4 (not ICW3)
    expect(pic.inspect().master.initialized).toBe(true);
    outb(0x21, 0xfe); // OCW1
    expect(inb(0x21)).toBe(0xfe);
  });

  it('without IC4 the sequence ends after ICW3', () => {
    outb(0x20, 0x10);
    outb(0x21, 0x30);
    outb(0x21, 0x04);
    expect(pic.inspect().master.initialized).toBe(true);
    outb(0x21, 0x55);
    expect(inb(0x21)).toBe(0x55);
  });

  it('ICW1 resets in-service bits and the edge sense: a line already high needs a new edge', () => {
    initPair();
    pic.setIrq(3, true);
    expect(pic.acknowledge()).toBe(0x23);
    expect(pic.inspect().master.isr).toBe(0x08);
    initPair();
    expect(pic.inspect().master.isr).toBe(0);
    expect(pic.intr()).toBe(false); // IR3 is still high but saw no rising edge since ICW1
    pic.setIrq(3, false);
    pic.setIrq(3, true);
    expect(pic.intr()).toBe(true);
  });
});

describe('requests, acknowledge and EOI', () => {
  beforeEach(() => initPair());

  it('a rising edge raises INTR; INTA returns base+line, sets ISR and clears IRR', () => {
    pic.setIrq(0, true);
    expect(pic.intr()).toBe(true);
    expect(intrChanges).toBe(1);
    outb(0x20, 0x0a); // OCW3: read IRR
    expect(inb(0x20)).toBe(0x01);
    expect(pic.acknowledge()).toBe(0x20);
    expect(pic.intr()).toBe(false);
    expect(inb(0x20)).toBe(0x00); // IRR cleared by INTA (edge mode)
    outb(0x20, 0x0b); // OCW3: read ISR
    expect(inb(0x20)).toBe(0x01);
    outb(0x20, 0x20); // non-specific EOI
    expect(inb(0x20)).toBe(0x00);
  });

  it('edge triggered: a line held high does not interrupt again after EOI', () => {
    pic.setIrq(1, true);
    pic.acknowledge();
    outb(0x20, 0x20);
    expect(pic.intr()).toBe(false);
    pic.setIrq(1, true); // no edge: still high
    expect(pic.intr()).toBe(false);
    pic.setIrq(1, false);
    pic.setIrq(1, true);
    expect(pic.intr()).toBe(true);
  });

  it('level triggered (ICW1 LTIM): a line still high interrupts again after EOI', () => {
    outb(0x20, 0x19); // ICW1 with LTIM
    outb(0x21, 0x20);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    pic.setIrq(1, true);
    expect(pic.acknowledge()).toBe(0x21);
    expect(pic.intr()).toBe(false); // in service
    outb(0x20, 0x20);
    expect(pic.intr()).toBe(true);
    pic.setIrq(1, false);
    expect(pic.intr()).toBe(false);
  });

  it('lower line numbers have higher priority', () => {
    pic.setIrq(5, true);
    pic.setIrq(3, true);
    pic.setIrq(4, true);
    expect(pic.acknowledge()).toBe(0x23);
    outb(0x20, 0x20);
    expect(pic.acknowledge()).toBe(0x24);
    outb(0x20, 0x20);
    expect(pic.acknowledge()).toBe(0x25);
  });

  it('fully nested: a higher priority request interrupts a lower one in service, not vice versa', () => {
    pic.setIrq(3, true);
    expect(pic.acknowledge()).toBe(0x23);
    pic.setIrq(5, true);
    expect(pic.intr()).toBe(false); // IR5 waits for IR3's EOI
    pic.setIrq(1, true);
    expect(pic.intr()).toBe(true); // IR1 nests
    expect(pic.acknowledge()).toBe(0x21);
    outb(0x20, 0x0b);
    expect(inb(0x20)).toBe(0x0a); // IR1 and IR3 in service
    outb(0x20, 0x20); // non-specific EOI ends the highest in service: IR1
    expect(inb(0x20)).toBe(0x08);
    expect(pic.intr()).toBe(false);
    outb(0x20, 0x20);
    expect(pic.acknowledge()).toBe(0x25);
  });

  it('OCW1 masks a line: the request stays in IRR but raises no INTR until unmasked', () => {
    outb(0x21, 0x10);
    expect(inb(0x21)).toBe(0x10);
    pic.setIrq(4, true);
    expect(pic.intr()).toBe(false);
    outb(0x20, 0x0a);
    expect(inb(0x20)).toBe(0x10);
    outb(0x21, 0x00);
    expect(pic.intr()).toBe(true);
  });

  it('specific EOI clears only the named in-service bit', () => {
    pic.setIrq(4, true);
    pic.acknowledge();
    pic.setIrq(1, true);
    pic.acknowledge();
    outb(0x20, 0x64); // specific EOI for IR4
    outb(0x20, 0x0b);
    expect(inb(0x20)).toBe(0x02);
  });

  it('automatic EOI (ICW4 AEOI) leaves nothing in service', () => {
    initPair(0x03);
    pic.setIrq(6, true);
    expect(pic.acknowledge()).toBe(0x26);
    outb(0x20, 0x0b);
    expect(inb(0x20)).toBe(0x00);
    pic.setIrq(6, false);
    pic.setIrq(6, true);
    expect(pic.intr()).toBe(true); // no EOI needed
  });

  it('onIntrChange fires only when INTR changes', () => {
    pic.setIrq(3, true);
    pic.setIrq(4, true);
    expect(intrChanges).toBe(1);
    pic.acknowledge(); // IR3 in service blocks IR4: INTR falls
    expect(intrChanges).toBe(2);
    outb(0x20, 0x20); // IR4 now deliverable
    expect(intrChanges).toBe(3);
  });
});

describe('spurious interrupts (datasheet: default IR7)', () => {
  beforeEach(() => initPair());

  it('a request that goes away before INTA yields base+7 with nothing in service', () => {
    pic.setIrq(3, true);
    expect(pic.intr()).toBe(true);
    pic.setIrq(3, false); // the edge latch is gated by the input level
    expect(pic.intr()).toBe(false);
    expect(pic.acknowledge()).toBe(0x27);
    outb(0x20, 0x0b);
    expect(inb(0x20)).toBe(0x00);
  });

  it('a masked-away request also yields the spurious vector', () => {
    pic.setIrq(12, true); // slave line 4
    outb(0xa1, 0x10);
    expect(pic.acknowledge()).toBe(0x27); // the slave's INT fell, so master IR2 went away too
  });
});

describe('cascade', () => {
  beforeEach(() => initPair());

  it('a slave line arrives through master IR2 and the slave supplies the vector', () => {
    pic.setIrq(12, true);
    expect(pic.intr()).toBe(true);
    expect(pic.acknowledge()).toBe(0x2c);
    const s = pic.inspect();
    expect(s.master.isr).toBe(0x04);
    expect(s.slave.isr).toBe(0x10);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    const t = pic.inspect();
    expect(t.master.isr).toBe(0);
    expect(t.slave.isr).toBe(0);
  });

  it('slave lines rank at master IR2: IRQ 1 beats IRQ 9, IRQ 9 beats IRQ 3', () => {
    pic.setIrq(3, true);
    pic.setIrq(9, true);
    pic.setIrq(1, true);
    expect(pic.acknowledge()).toBe(0x21);
    outb(0x20, 0x20);
    expect(pic.acknowledge()).toBe(0x29);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    expect(pic.acknowledge()).toBe(0x23);
  });

  it('a second slave interrupt waits for the master EOI (master IR2 in service)', () => {
    pic.setIrq(12, true);
    pic.acknowledge();
    pic.setIrq(9, true); // higher than 12 on the slave: slave INT rises, master IR2 busy
    expect(pic.intr()).toBe(false);
    outb(0xa0, 0x20);
    expect(pic.intr()).toBe(false);
    outb(0x20, 0x20);
    expect(pic.intr()).toBe(true);
    expect(pic.acknowledge()).toBe(0x29);
  });

  it('masking master IR2 masks the whole slave', () => {
    outb(0x21, 0x04);
    pic.setIrq(14, true);
    expect(pic.intr()).toBe(false);
    outb(0x21, 0x00);
    expect(pic.acknowledge()).toBe(0x2e);
  });

  it('ISA IRQ 2 is routed to IRQ 9 (the AT rewiring)', () => {
    pic.setIrq(2, true);
    expect(pic.acknowledge()).toBe(0x29);
  });
});

describe('rotation, poll and special mask mode', () => {
  beforeEach(() => initPair());

  it('rotate on non-specific EOI makes the serviced line the lowest priority', () => {
    pic.setIrq(0, true);
    pic.acknowledge();
    outb(0x20, 0xa0); // rotate on non-specific EOI
    expect(pic.inspect().master.lowestPriority).toBe(0);
    pic.setIrq(0, false);
    pic.setIrq(0, true);
    pic.setIrq(5, true);
    expect(pic.acknowledge()).toBe(0x25); // IR1 is now highest, IR0 lowest
  });

  it('set priority command: IR4 lowest makes IR5 the highest', () => {
    outb(0x20, 0xc4);
    pic.setIrq(1, true);
    pic.setIrq(5, true);
    expect(pic.acknowledge()).toBe(0x25);
  });

  it('rotate on specific EOI', () => {
    pic.setIrq(3, true);
    pic.acknowledge();
    outb(0x20, 0xe3);
    expect(pic.inspect().master.isr).toBe(0);
    expect(pic.inspect().master.lowestPriority).toBe(3);
  });

  it('poll command: the next read returns 0x80|level and acknowledges it', () => {
    outb(0x21, 0xff); // polled systems run with INTR unused
    pic.setIrq(6, true);
    outb(0x21, 0xbf);
    outb(0x20, 0x0c); // OCW3 poll
    expect(pic.inspect().master.isr).toBe(0); // inspect does not consume the poll
    expect(inb(0x20)).toBe(0x86);
    expect(pic.inspect().master.isr).toBe(0x40);
    outb(0x20, 0x0c);
    expect(inb(0x20)).toBe(0x00); // nothing requesting
  });

  it('special mask mode lets lower priorities in while a masked level is in service', () => {
    pic.setIrq(3, true);
    pic.acknowledge();
    pic.setIrq(5, true);
    expect(pic.intr()).toBe(false);
    outb(0x21, 0x08); // mask IR3
    outb(0x20, 0x68); // OCW3: set special mask mode
    expect(pic.intr()).toBe(true);
    expect(pic.acknowledge()).toBe(0x25);
    outb(0x20, 0x48); // reset special mask mode
    expect(pic.inspect().master.specialMask).toBe(false);
  });
});

describe('port access', () => {
  it('a word read at 0x20 reads the even port then the odd one (8-bit ISA device)', () => {
    initPair();
    outb(0x21, 0xa5);
    expect(bus.in(0x20, 2)).toBe(0xa500);
  });
});
