// What course kernels written for QEMU take for granted, checked with the compatibility test
// kernel (compat-kernel/compat.c) on Ringside's PC against qemu-system-i386 (run when installed,
// else the answers it gave, compat-expected.ts):
//   - where a pending interrupt is taken after sti, popf, iret, mov ss, pop ss, and sti; hlt;
//   - COM1 receive and transmitter-empty interrupts with MCR OUT2 clear (xv6's uartinit, JOS's
//     serial_init), through the 8259A and through the I/O APIC;
//   - CPUID leaf 1 features and IA32_APIC_BASE;
//   - 512 MiB of RAM (xv6's PHYSTOP is 224 MiB) seen in the CMOS and usable at the top.
// Two checks have no QEMU counterpart and use the SDM and the 16550 datasheet instead: an
// interrupt made pending right after an sti / mov ss / pop ss (the test stops the machine
// there), and the real-card IRQ wiring (OUT2 gates it).
import { beforeAll, describe, expect, it } from 'vitest';
import { Uart16550 } from '../../../emulator/devices/uart16550.js';
import { DebugExit } from '../../../emulator/devices/debug-exit.js';
import { loadMultiboot } from '../../../emulator/loader/multiboot.js';
import { Machine, type StopReason } from '../../../emulator/machine.js';
import { attachStandardDevices } from '../../../emulator/pc.js';
import type { BuiltKernel } from '../system/build.js';
import { qemuAvailable, type QemuRun } from '../system/run-qemu.js';
import { buildCompatKernel, UART_READY } from './compat-build.js';
import { MEMORY_512M_EXPECTED, QEMU_APIC_BASE, QEMU_CPUID1_EDX, uartExpected, WINDOW_EXPECTED } from './compat-expected.js';
import { runQemuConsole } from './qemu-console.js';

interface Run {
  text: string;
  stop: StopReason;
  machine: Machine;
}

interface RunOptions {
  memory?: number;
  /** Typed on COM1 once the kernel says it reads input. */
  input?: string;
  irqNeedsOut2?: boolean;
  /** Called at each breakpoint stop (then the run goes on). */
  breakpoints?: { addresses: number[]; onStop(m: Machine, eip: number): void };
  /** No local APIC or I/O APIC: only COM1 and the debug-exit port (a processor without an APIC). */
  bare?: boolean;
}

function runCompat(kernel: BuiltKernel, cmdline: string, opts: RunOptions = {}): Run {
  const machine = new Machine({ memory: opts.memory ?? 32 << 20 });
  let com1: Uart16550;
  if (opts.bare) {
    com1 = new Uart16550(machine);
    com1.register(machine.cpu.io);
    new DebugExit(machine, { port: 0xf4, iosize: 4 }).register(machine.cpu.io);
  } else {
    com1 = attachStandardDevices(machine).com1;
  }
  com1.irqNeedsOut2 = opts.irqNeedsOut2 ?? false;
  let text = '';
  let typed = false;
  com1.onTransmit = (b) => {
    text += String.fromCharCode(b);
    if (opts.input !== undefined && !typed && text.endsWith(UART_READY)) {
      typed = true;
      com1.receive(opts.input);
    }
  };
  loadMultiboot(machine, kernel.bytes, 'kernel.elf', [], { cmdline });
  if (opts.breakpoints) machine.setBreakpoints(opts.breakpoints.addresses.map((address) => ({ address })));
  for (;;) {
    const stop = machine.run(400_000_000);
    if (stop.kind === 'breakpoint' && opts.breakpoints) {
      opts.breakpoints.onStop(machine, stop.eip);
      continue;
    }
    return { text, stop, machine };
  }
}

const EXITED = { kind: 'debug-exit', status: 1 };

describe('what kernels written for QEMU expect of the PC (compat kernel vs QEMU)', () => {
  let kernel: BuiltKernel;
  const qemu = new Map<string, Promise<QemuRun>>();
  const fromQemu = async (name: string): Promise<QemuRun | null> => {
    const q = await qemu.get(name);
    if (!q) return null;
    expect(q.timedOut, `QEMU timed out on ${name}: ${q.stderr}`).toBe(false);
    expect(q.exitCode, `QEMU exit status on ${name}`).toBe(1);
    return q;
  };
  beforeAll(() => {
    kernel = buildCompatKernel();
    if (!qemuAvailable) return;
    qemu.set('window', runQemuConsole(kernel.path, 'window'));
    qemu.set('cpuid', runQemuConsole(kernel.path, 'cpuid'));
    qemu.set('memory', runQemuConsole(kernel.path, 'memory', { memoryMiB: 512 }));
    for (const mode of ['uart-pic', 'uart-ioapic']) {
      qemu.set(mode, runQemuConsole(kernel.path, mode, { input: 'hello\nquit\n', after: UART_READY }));
    }
  });

  describe('interrupt window', () => {
    it('takes a pending interrupt at the boundary QEMU takes it: one instruction after sti, at once after popf/iret', async () => {
      const r = runCompat(kernel, 'window');
      expect(r.stop).toEqual(EXITED);
      const q = await fromQemu('window');
      if (q) expect(r.text, 'Ringside vs QEMU, byte for byte').toBe(q.output);
      expect(r.text).toBe(WINDOW_EXPECTED);
    });

    it('holds an interrupt that arrives right after sti, mov ss or pop ss until one more instruction ran (SDM: STI, MOV)', () => {
      // The test stops the machine at sh_X1, the instruction after the shadowing one, and makes a
      // self-IPI pending there: it must be taken after sh_X1's incl (at sh_X2); after a nop
      // (no shadow) at once, at sh_nop1.
      const labels = ['sh_sti1', 'sh_movss1', 'sh_popss1', 'sh_nop1'].map((n) => kernel.symbol(n));
      const seen: number[] = [];
      const r = runCompat(kernel, 'shadow', {
        breakpoints: {
          addresses: labels,
          onStop(m, eip) {
            // After an interrupt taken right there, its iret comes back to the breakpoint: once is enough.
            if (seen.includes(eip)) return;
            seen.push(eip);
            const lapic = m.cpu.mmio.find(0xfee00000)!;
            lapic.mmioWrite(0xfee00310, 4, 0);
            lapic.mmioWrite(0xfee00300, 4, 0x44000 | 48); // self, fixed, vector 48
          },
        },
      });
      expect(r.stop).toEqual(EXITED);
      expect(seen).toEqual(labels);
      expect(r.text).toBe('shadow: 4 interrupt(s) taken at: sh_sti2 sh_movss2 sh_popss2 sh_nop1\ndone\n');
    });

    it('is saved in snapshots: a restore inside an sti shadow takes the interrupt at the same boundary', () => {
      // Stop right after the sti (at sh_sti1), snapshot, and let the interrupt arrive in both runs.
      const sti1 = kernel.symbol('sh_sti1');
      const machine = new Machine({ memory: 32 << 20 });
      const dev = attachStandardDevices(machine);
      let text = '';
      dev.com1.onTransmit = (b) => (text += String.fromCharCode(b));
      loadMultiboot(machine, kernel.bytes, 'kernel.elf', [], { cmdline: 'shadow' });
      machine.setBreakpoints([{ address: sti1 }]);
      expect(machine.run(10_000_000)).toEqual({ kind: 'breakpoint', eip: sti1 });
      machine.setBreakpoints([]);
      const snap = machine.snapshot();
      const finish = (): string => {
        dev.lapic.mmioWrite(0xfee00300, 4, 0x44000 | 48);
        expect(machine.run(10_000_000)).toEqual(EXITED);
        return text.split('\n')[0]!;
      };
      const first = finish();
      machine.restore(snap);
      text = '';
      expect(finish()).toBe(first);
      expect(first).toBe('shadow: 1 interrupt(s) taken at: sh_sti2');
    });
  });

  describe('COM1 with OUT2 clear, as xv6 and JOS program it', () => {
    for (const [mode, path] of [['uart-pic', 'the 8259A'], ['uart-ioapic', 'the I/O APIC']] as const) {
      it(`takes receive and transmitter-empty interrupts through ${path}, as QEMU does`, async () => {
        const r = runCompat(kernel, mode, { input: 'hello\nquit\n' });
        expect(r.stop).toEqual(EXITED);
        const q = await fromQemu(mode);
        if (q) expect(r.text, 'Ringside vs QEMU, byte for byte').toBe(q.output);
        expect(r.text).toBe(uartExpected(path));
      });
    }

    it('with the real-card wiring (irqNeedsOut2) the same kernel gets no COM1 interrupt at all (PC16550D: OUT2 gates INTRPT)', () => {
      const r = runCompat(kernel, 'uart-ioapic', { input: 'hello\nquit\n', irqNeedsOut2: true });
      expect(r.text).toContain('transmitter-empty interrupt through the I/O APIC with MCR 00: taken 0 time(s)');
      // It waits in hlt for input interrupts that never come.
      expect(r.stop).toEqual({ kind: 'halt', interruptsEnabled: true });
      expect(r.text.endsWith(UART_READY), r.text).toBe(true);
    });
  });

  describe('CPUID and IA32_APIC_BASE', () => {
    interface CpuidReport {
      vendor: string;
      ecx: number;
      edx: number;
      /** Probed feature bits: claimed in EDX, and the probe's result ("ok", "#UD", ...). */
      probes: Map<number, { claimed: boolean; probe: string }>;
      lines: string[];
    }
    const parse = (text: string): CpuidReport => {
      const lines = text.split('\n');
      const leaf1 = /^cpuid 1: eax ([0-9a-f]{8}) ebx ([0-9a-f]{8}) ecx ([0-9a-f]{8}) edx ([0-9a-f]{8})$/m.exec(text);
      expect(leaf1, text).not.toBeNull();
      const probes = new Map<number, { claimed: boolean; probe: string }>();
      for (const m of text.matchAll(/^cpuid 1 edx bit (\d+) \w+: claimed (yes|no), probe (.+)$/gm)) {
        probes.set(Number(m[1]), { claimed: m[2] === 'yes', probe: m[3]! });
      }
      return { vendor: lines[0]!, ecx: parseInt(leaf1![3]!, 16), edx: parseInt(leaf1![4]!, 16), probes, lines };
    };
    const line = (r: CpuidReport, prefix: string): string => r.lines.find((l) => l.startsWith(prefix)) ?? `(no line ${prefix})`;

    let ours: CpuidReport;
    let reference: CpuidReport | null;
    beforeAll(async () => {
      const r = runCompat(kernel, 'cpuid');
      expect(r.stop).toEqual(EXITED);
      ours = parse(r.text);
      const q = await fromQemu('cpuid');
      reference = q ? parse(q.output) : null;
    });

    it('claims only features QEMU\'s CPU claims too, and every one of them that works here', () => {
      const qemuEdx = reference?.edx ?? QEMU_CPUID1_EDX;
      if (reference) {
        expect(reference.edx).toBe(QEMU_CPUID1_EDX);
        expect(ours.vendor).toBe(reference.vendor);
        expect(ours.ecx & ~reference.ecx).toBe(0);
        // The probes themselves, on QEMU: each feature it claims works there.
        for (const [bit, p] of reference.probes) if (p.claimed) expect(p.probe, `QEMU bit ${bit}`).toBe('ok');
      }
      expect((ours.edx & ~qemuEdx) >>> 0, 'bits QEMU does not claim').toBe(0);
      expect(ours.probes.size).toBeGreaterThan(10);
      for (const [bit, p] of ours.probes) {
        // Claimed means it works; and a feature QEMU claims that works here is claimed here.
        if (p.claimed) expect(p.probe, `bit ${bit} is claimed`).toBe('ok');
        if (qemuEdx & (1 << bit) && p.probe === 'ok') expect(p.claimed, `bit ${bit} works`).toBe(true);
      }
      // The local APIC is there: the APIC bit (9), and leaf 1's initial APIC id is its ID register.
      expect(ours.probes.get(9)).toEqual({ claimed: true, probe: 'ok' });
      expect(line(ours, 'cpuid 1: initial APIC id')).toBe('cpuid 1: initial APIC id 0, local APIC id register 0');
    });

    it('reads IA32_APIC_BASE as QEMU does (base 0xFEE00000, BSP, enabled) and takes the value back', () => {
      const expected = `rdmsr IA32_APIC_BASE: ok, 00000000:${QEMU_APIC_BASE.toString(16)}`;
      if (reference) expect(line(reference, 'rdmsr IA32_APIC_BASE'), reference.lines.join('\n')).toBe(expected);
      expect(line(ours, 'rdmsr IA32_APIC_BASE')).toBe(expected);
      expect(line(ours, 'wrmsr IA32_APIC_BASE, the value read')).toBe('wrmsr IA32_APIC_BASE, the value read: ok');
      if (reference) expect(line(reference, 'wrmsr IA32_APIC_BASE, the value read')).toBe('wrmsr IA32_APIC_BASE, the value read: ok');
      // Reserved bits: #GP on hardware (SDM vol. 4, IA32_APIC_BASE; QEMU does not check them).
      expect(line(ours, 'wrmsr IA32_APIC_BASE with reserved bit 0')).toMatch(/: #GP$/);
      expect(line(ours, 'wrmsr IA32_APIC_BASE with address bit 32')).toMatch(/: #GP$/);
      expect(line(ours, 'IA32_APIC_BASE afterwards')).toBe('IA32_APIC_BASE afterwards: 00000000:fee00900; local APIC version register at its base: 14');
      // Moving or globally disabling the APIC is legal but not modelled: refused, not ignored.
      expect(line(ours, 'wrmsr IA32_APIC_BASE moving')).toMatch(/: #GP$/);
      expect(line(ours, 'wrmsr IA32_APIC_BASE with the global enable bit clear')).toMatch(/: #GP$/);
    });

    it('without a local APIC claims no APIC and refuses the MSR (#GP), as a processor without one', () => {
      const r = runCompat(kernel, 'cpuid', { bare: true });
      expect(r.stop).toEqual(EXITED);
      const bare = parse(r.text);
      expect(bare.probes.get(9)).toEqual({ claimed: false, probe: 'fails' });
      expect(line(bare, 'rdmsr IA32_APIC_BASE')).toMatch(/^rdmsr IA32_APIC_BASE: #GP/);
      expect(bare.edx).toBe((ours.edx & ~(1 << 9)) >>> 0);
    });
  });

  it('gives the guest 512 MiB (what xv6 needs: PHYSTOP 224 MiB) as QEMU -m 512 does, in the CMOS and at the top of RAM', async () => {
    const r = runCompat(kernel, 'memory', { memory: 512 << 20 });
    expect(r.stop).toEqual(EXITED);
    const withoutLoaderLine = (t: string): string => t.split('\n').filter((l) => !l.startsWith('memory: multiboot')).join('\n');
    const q = await fromQemu('memory');
    if (q) expect(withoutLoaderLine(r.text)).toBe(withoutLoaderLine(q.output));
    expect(withoutLoaderLine(r.text)).toBe(withoutLoaderLine(MEMORY_512M_EXPECTED));
    // Only the pages the kernel touched hold memory: untouched RAM costs nothing (checked for the
    // process in the CLI tests); here, the guest's RAM is one buffer of the size asked.
    expect(r.machine.mem.size).toBe(512 << 20);
  });
});
