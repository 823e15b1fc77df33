// The inspectors against real machine states. The kernel (kernels/inspect.c) builds page tables
// with every U/W combination, probes each address from ring 0 and ring 3 and prints the #PF error
// code or "ok"; at inspect_done() (a breakpoint on its ELF symbol) the page tables are still in
// place, and translate() must predict exactly what the CPU did. The IDT, GDT and TSS the kernel's
// C code wrote (runtime.c) are decoded there too and compared with what that code wrote.
import { expect } from 'vitest';
import type { Machine } from '../../../emulator/machine.js';
import {
  decodeCr0, decodeCr4, decodeGdt, decodeIdt, decodePageFaultError, decodeTss, linearReader, listDirectory, translate,
  type GateDescriptor, type SegmentDescriptor, type Translation,
} from '../../../emulator/inspect/index.js';
import type { BuiltKernel } from './build.js';
import { expectedLine, parseProbes, probeSpecs, TARGETS, type ProbeResult } from './inspect-model.js';
import { systemSuite } from './suite.js';

const CR0_WP = 1 << 16;

interface AtBreakpoint {
  probes: Array<{ probe: ProbeResult; translation: Translation }>;
  machine: Machine;
}
let state: AtBreakpoint | undefined;

function capture(m: Machine, output: string): void {
  const { cr0, cr3, cr4 } = m.cpu;
  const probes = parseProbes(output).map((probe) => ({
    probe,
    // The probe ran with its own CR0.WP; everything else is as at the breakpoint.
    translation: translate(m.mem, probe.va, cr3, { cr0: probe.wp ? cr0 | CR0_WP : cr0 & ~CR0_WP, cr4 }, probe.access === 'exec' ? 'execute' : probe.access, probe.cpl),
  }));
  state = { probes, machine: m };
}

function checkTranslations(): void {
  const s = state!;
  expect(s.probes.length).toBe(probeSpecs().length);
  const wrong: string[] = [];
  for (const { probe, translation: t } of s.probes) {
    const cpu = probe.errorCode === null ? 'ok' : `#PF err=0x${probe.errorCode.toString(16)} ${decodePageFaultError(probe.errorCode)}`;
    const predicted = t.kind === 'ok' ? 'ok' : t.kind === 'fault' ? `#PF err=0x${t.errorCode.toString(16)} ${t.errorText}` : t.reason;
    if (cpu !== predicted) wrong.push(`${probe.line}\n    translate(): ${t.text}`);
    if (probe.cr2 !== null && probe.cr2 !== probe.va) wrong.push(`${probe.line}\n    CR2 is not the probed address`);
  }
  expect(wrong, 'probes where translate() disagrees with the CPU').toEqual([]);
}

function checkTables(kernel: BuiltKernel): void {
  const m = state!.machine;
  const cpu = m.cpu;
  const reader = linearReader(m.mem, cpu.cr3, cpu.cr0, cpu.cr4);
  const sym = (n: string) => kernel.symbol(n);

  expect(decodeCr0(cpu.cr0).set).toEqual(expect.arrayContaining(['PG', 'WP', 'PE']));
  expect(decodeCr4(cpu.cr4).set).toEqual(['PSE']);

  // idt_init(): interrupt gates to KCODE:vec_N, DPL 3 for int3, into, 0x30 and 0x31, a trap gate
  // at 0x41, vector 0x50 present bit clear; nothing else.
  expect(cpu.idtBase >>> 0).toBe(sym('idt'));
  const idt = decodeIdt(reader, cpu.idtBase, cpu.idtLimit);
  expect(idt.length).toBe(256);
  const stubs = [...Array(51).keys(), 64, 65, 80];
  for (const e of idt) {
    if (!stubs.includes(e.vector)) {
      expect(e.usable, `vector ${e.vector} unset`).toBe(false);
      continue;
    }
    const g = e.descriptor as GateDescriptor;
    expect({ v: e.vector, kind: g.kind, bits: g.bits, selector: g.selector, offset: g.offset, dpl: g.dpl, present: g.present }).toEqual({
      v: e.vector, kind: e.vector === 0x41 ? 'trap-gate' : 'interrupt-gate', bits: 32, selector: 0x08, offset: sym(`vec_${e.vector}`),
      dpl: [3, 4, 0x30, 0x31].includes(e.vector) ? 3 : 0, present: e.vector !== 0x50,
    });
  }
  expect(idt[14]!.text).toBe(` 14 0x0e #PF Page Fault: 32-bit interrupt gate -> 0x0008:0x${sym('vec_14').toString(16).padStart(8, '0')}, DPL 0, present`);

  // gdt_init(): flat segments at DPL 0/3/1, the test descriptors, the TSS (busy after ltr).
  expect(cpu.gdtBase >>> 0).toBe(sym('gdt'));
  const gdt = decodeGdt(reader, cpu.gdtBase, cpu.gdtLimit);
  expect(gdt.length).toBe(12);
  expect(gdt[0]!.isNull).toBe(true);
  const seg = (i: number) => gdt[i]!.descriptor as SegmentDescriptor;
  const flat = (i: number) => {
    const d = seg(i);
    return [d.kind, d.dpl, d.present, d.base, d.limit, d.readable, d.writable, d.db, d.granularity];
  };
  expect(flat(1)).toEqual(['code', 0, true, 0, 0xffffffff, true, false, true, true]);
  expect(flat(2)).toEqual(['data', 0, true, 0, 0xffffffff, true, true, true, true]);
  expect(flat(3)).toEqual(['code', 3, true, 0, 0xffffffff, true, false, true, true]);
  expect(flat(4)).toEqual(['data', 3, true, 0, 0xffffffff, true, true, true, true]);
  expect(flat(6)).toEqual(['code', 1, true, 0, 0xffffffff, true, false, true, true]);
  expect(flat(7)).toEqual(['data', 1, true, 0, 0xffffffff, true, true, true, true]);
  expect(flat(8)).toEqual(['data', 0, false, 0, 0xffffffff, true, true, true, true]);
  expect(flat(9)).toEqual(['code', 0, true, 0, 0xffffffff, false, false, true, true]);
  expect(flat(10)).toEqual(['data', 0, true, 0, 0xffffffff, true, false, true, true]);
  expect(flat(11)).toEqual(['data', 0, false, 0, 0xffffffff, true, true, true, true]);
  const t = seg(5);
  expect([t.kind, t.bits, t.busy, t.base, t.limit, t.dpl, t.present]).toEqual(['tss', 32, true, sym('tss'), 103, 0, true]);

  // The TSS: ring 0 and ring 1 stacks, no I/O bitmap (its offset is the limit + 1).
  expect(cpu.trSel).toBe(0x28);
  const tss = decodeTss(reader, cpu.trBase, cpu.trLimit);
  if (!tss.ok) throw new Error(tss.reason);
  const { esp0, ss0, esp1, ss1, iomapBase, iomapInside } = tss.tss;
  expect({ esp0, ss0, esp1, ss1, iomapBase, iomapInside }).toEqual({
    esp0: sym('trapstack_top'), ss0: 0x10, esp1: sym('ring1stack_top'), ss1: 0x39, iomapBase: 104, iomapInside: false,
  });

  // The page directory as the kernel built it: the 4 MiB pages and the combination PDEs.
  const dir = listDirectory(m.mem, cpu.cr3, cpu.cr4);
  const at = (va: number) => dir.find((d) => d.index === va >>> 22);
  for (const target of TARGETS) {
    const d = at(target.page);
    if (!target.pde.present) {
      expect(d).toBeUndefined();
      continue;
    }
    expect([d?.kind, d?.entry.user, d?.entry.writable]).toEqual([target.pte ? 'table' : 'page4m', target.pde.user, target.pde.writable]);
  }
}

systemSuite('inspectors on real states', [
  {
    test: 'inspect',
    title: 'translate() predicts every probe; IDT, GDT and TSS decode to what the kernel wrote',
    expected: [...probeSpecs().map(expectedLine), `${TARGETS.length} addresses probed`, ''].join('\n'),
    run: { breakpoint: 'inspect_done', onBreakpoint: capture },
    check(_run, kernel) {
      expect(state, 'the run stopped at inspect_done').toBeDefined();
      checkTranslations();
      checkTables(kernel);
    },
  },
]);
