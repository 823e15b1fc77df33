// What the platform test kernel prints (kernel/platform.c): identical on QEMU (qemu-system-i386
// -m 32 with the slave disk of build.ts's platformDiskImage) and on Ringside.

/** Drops the template's first and last lines and its indentation (as ../system/suite.ts's lines(), without vitest). */
function lines(text: string): string {
  const body = text.split('\n').slice(1, -1);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return body.map((l) => l.slice(indent)).join('\n') + '\n';
}

export const EXPECTED = lines(`
  == platform
  mp: floating pointer in the BIOS ROM area, 16-byte aligned: yes, spec 1.4, IMCR: no
  mp: config table PCMP with a valid checksum: yes, version 4, no extended entries: yes, local APIC at fee00000
  mp: 1 processor, bootstrap processor's APIC id 0, ISA bus: yes, 1 I/O APIC at fec00000
  mp: ISA IRQ 0 -> INTIN2, IRQ 1 -> INTIN1, IRQ 4 -> INTIN4, IRQ 14 -> INTIN14
  mp: 8259A as ExtINT on LINT0: yes, NMI on LINT1: yes
  bda: COM1 at 3f8, EBDA at segment 9fc0, base memory 639 KiB
  cmos: base 640 KiB, extended 31744 KiB (again at 0x30: 31744), above 16 MiB 256 x 64 KiB: 32 MiB in all
  rtc: A=26 (without UIP) B=02 D=80
  rtc: date and time are BCD and in range (year 2024 or later): yes, century 20
  lapic: id 0, version 14, max LVT entry 5
  lapic: enabled with spurious vector 63: yes, LINT0 masked: yes
  lapic timer: periodic, 5 interrupts at vector 32: yes, current count within the initial: yes
  lapic timer: masked, no more interrupts: yes
  lapic timer: one-shot, divide 3: 1 interrupt at vector 40 (yes), then the count stays 0: yes
  lapic: fixed IPI to self at vector 48: 1 delivered, delivery status idle: yes
  lapic: TPR 40 holds vector 31 back (0 taken, PPR 40), TPR 0 lets it in: yes
  ioapic: max redirection entry 23, id matches the MP table: yes
  ioapic: entries masked and read back: yes
  ioapic: COM1 transmitter-empty interrupt through INTIN4 at vector 36: yes (1, THRE: yes)
  8042: command byte 61, self-test 55, output buffer empty after: yes
  8042: 12 scan codes in 12 interrupts through INTIN1 (yes), decoded "Hi!", then enter: yes
  ide: disk 1 present: yes
  ide: identify: interrupt yes, 64 sectors, LBA: yes, data done: yes
  ide: read sector 5: interrupt yes, status ok yes, tag 5, hash 521958de
  ide: write sector 7: DRQ before data yes, completion interrupt yes, status ok yes, read back equal: yes
  ide: read 3 sectors from 10: one interrupt per sector yes (3), tags 101112, done: yes
  ide: read beyond the disk: interrupt yes, ERR: yes
  ide: with nIEN set: no interrupt yes, data by polling, tag 3
  cga: 8 cells written and read back: yes, cursor set to 418, reads 418 (row 5, column 18)
  fw_cfg: signature QEMU, traditional interface: yes, RAM 002000000, 1 CPU
  == done
`);
