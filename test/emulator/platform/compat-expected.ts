// What qemu-system-i386 7.2 (Debian 1:7.2+dfsg-7) printed for the compatibility test kernel
// (compat-kernel/compat.c), kept so the tests still check against QEMU's answers on a machine
// without QEMU. Where QEMU is installed the tests also run it and compare with its output of the
// day, byte for byte.

export const WINDOW_EXPECTED = `window: a self-IPI made pending with IF clear, then:
sti; incl; incl; cli: taken, eax=1, eip at a2
sti; hlt: taken, eax=0, eip at b1
popf (IF=1); incl; incl; cli: taken, eax=0, eip at c1
iret (IF=1); incl; incl; cli: taken, eax=0, eip at d1
sti; cli: taken 0 time(s)
(still pending) sti; nop; cli: taken, eax=0, eip at e2
sti; sti; incl; cli: taken, eax=0, eip at f2
sti; mov ss; incl; incl; cli: taken, eax=0, eip at g1
sti; pop ss; incl; incl; cli: taken, eax=0, eip at h1
mov ss; sti; incl; incl; cli: taken, eax=0, eip at i1
done
`;

/** The uart parts with "hello\nquit\n" typed, through `path` ("the 8259A" or "the I/O APIC"). */
export function uartExpected(path: string): string {
  return `uart: transmitter-empty interrupt through ${path} with MCR 00: taken 1 time(s), eax=1, eip at t2
uart: receive interrupts on (IER 01, MCR 00), through ${path}; type lines, "quit" ends
hello
quit
uart: 2 line(s), 11 byte(s) received, through interrupts: yes
uart: still running after the input
done
`;
}

/** -m 512, without the multiboot line (QEMU's loader keeps 128 KiB at the top and the EBDA's KiB). */
export const MEMORY_512M_EXPECTED = `memory: CMOS extended 65535 KiB, above 16 MiB 7936 x 64 KiB
memory: last dword below 20000000: ok
memory: last dword below xv6's PHYSTOP 0xe000000: ok
done
`;

/** QEMU's default CPU (qemu32): CPUID leaf 1 EDX and IA32_APIC_BASE as its kernel reads them. */
export const QEMU_CPUID1_EDX = 0x0781abfd;
export const QEMU_APIC_BASE = 0xfee00900;
