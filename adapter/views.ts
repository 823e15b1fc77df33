// The custom requests behind the extension's views: page tables, one address's walk, IDT, GDT, TSS,
// the trap log, physical frames. All read machine state through the side-effect-free inspectors.
import {
  decodeGdt, decodeIdt, decodeTss, formatRun, foldMappings, linearReader, listDirectory, listTable, mappings, translate,
} from '../emulator/inspect/index.js';
import type { Runtime } from './runtime.js';
import { screenView } from './screen.js';
import { findMember, sizeOf, strip } from './symbols/index.js';
import { readVirtual, readVirtual32 } from './vm.js';

const hex8 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

function argNumber(args: Record<string, unknown>, name: string, fallback?: number): number {
  const v = args[name];
  if (v === undefined && fallback !== undefined) return fallback;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`"${name}" must be a number`);
  return n >>> 0;
}

/**
 * The teaching kernel's page-table conventions (samples/kernel/README.md): PTE_COW = 0x800, and a
 * swapped-out page is a not-present entry (slot << 12) | 0x400.
 */
const KERNEL_CONVENTIONS = {
  swapSlot: (pte: number): number | undefined => ((pte & 1) === 0 && (pte & 0x400) !== 0 ? pte >>> 12 : undefined),
  isCow: (e: number): boolean => (e & 0x800) !== 0,
};

export function viewRequest(rt: Runtime, command: string, args: Record<string, unknown>): unknown {
  const cpu = rt.machine.cpu;
  const mem = rt.machine.mem;
  const cr3 = () => argNumber(args, 'cr3', cpu.cr3 >>> 0);
  switch (command) {
    case 'pageTable': {
      if (args.pde !== undefined) return { entries: listTable(mem, cr3(), cpu.cr4, argNumber(args, 'pde'), KERNEL_CONVENTIONS) ?? [] };
      return { cr3: hex8(cr3()), paging: (cpu.cr0 & 0x80000000) !== 0, directory: listDirectory(mem, cr3(), cpu.cr4, KERNEL_CONVENTIONS) };
    }
    case 'pageTableFolded':
      return { runs: foldMappings(mappings(mem, cr3(), cpu.cr4, KERNEL_CONVENTIONS)).map((r) => ({ ...r, text: formatRun(r) })) };
    case 'translate': {
      const access = (args.access as 'read' | 'write' | 'execute' | undefined) ?? 'read';
      if (!['read', 'write', 'execute'].includes(access)) throw new Error('"access" must be read, write or execute');
      const cpl = args.cpl === undefined ? cpu.cpl : argNumber(args, 'cpl');
      return translate(mem, argNumber(args, 'address'), cr3(), { cr0: cpu.cr0, cr4: cpu.cr4 }, access, cpl);
    }
    case 'idt': {
      const reader = linearReader(mem, cpu.cr3, cpu.cr0, cpu.cr4);
      return {
        base: hex8(cpu.idtBase), limit: cpu.idtLimit, cpl: cpu.cpl,
        gates: decodeIdt(reader, cpu.idtBase, cpu.idtLimit).map((g) => {
          const d = g.descriptor as { offset?: number; dpl?: number } | undefined;
          const handler = d?.offset;
          const sym = handler !== undefined ? rt.kernelSymbols?.symbolize(handler) : undefined;
          const loc = handler !== undefined ? rt.kernelSymbols?.lineForAddress(handler) : undefined;
          return { ...g, handler, handlerSymbol: sym, handlerSource: loc, ring3Callable: g.usable && (d?.dpl ?? 0) >= 3 };
        }),
      };
    }
    case 'gdt': {
      const reader = linearReader(mem, cpu.cr3, cpu.cr0, cpu.cr4);
      return { base: hex8(cpu.gdtBase), limit: cpu.gdtLimit, entries: decodeGdt(reader, cpu.gdtBase, cpu.gdtLimit) };
    }
    case 'tss': {
      const reader = linearReader(mem, cpu.cr3, cpu.cr0, cpu.cr4);
      return { selector: cpu.trSel, base: hex8(cpu.trBase), ...decodeTss(reader, cpu.trBase, cpu.trLimit) };
    }
    case 'trapLog': {
      const n = args.count === undefined ? 200 : argNumber(args, 'count');
      return { entries: rt.trapLog.entries.slice(-n) };
    }
    case 'frames':
      return physicalFrames(rt, args.limit === undefined ? 4096 : argNumber(args, 'limit'));
    case 'screen':
      return screenView(rt);
    case 'state':
      return { cpl: cpu.cpl, paging: (cpu.cr0 & 0x80000000) !== 0, cr3: hex8(cpu.cr3), cr2: hex8(cpu.cr2), env: rt.currentEnv() ?? null, running: rt.isRunning };
    default:
      return undefined;
  }
}

/**
 * Physical frames mapped by user environments: which environments map each one (and where), with
 * the kernel's reference count (pages[pa / 4096].pp_ref) so copy-on-write sharing is visible.
 */
function physicalFrames(rt: Runtime, limit: number): unknown {
  const mem = rt.machine.mem;
  const envs = rt.envs?.list(rt.machine) ?? [];
  const byFrame = new Map<number, { env: number; name: string; va: number; writable: boolean; cow: boolean }[]>();
  for (const e of envs) {
    if (!e.cr3) continue;
    for (const m of mappings(mem, e.cr3, rt.machine.cpu.cr4, KERNEL_CONVENTIONS)) {
      if (!m.user) continue;
      const list = byFrame.get(m.phys) ?? [];
      list.push({ env: e.id, name: e.name, va: m.va, writable: m.writable, cow: m.cow });
      byFrame.set(m.phys, list);
    }
  }
  const refs = pageRefs(rt);
  const frames = [...byFrame.entries()].sort((a, b) => a[0] - b[0]).slice(0, limit).map(([phys, users]) => ({
    phys: hex8(phys), refs: refs?.(phys), shared: users.length > 1, users: users.map((u) => ({ ...u, va: hex8(u.va) })),
  }));
  return { frames, total: byFrame.size };
}

/** Reads pp_ref of the kernel's struct PageInfo pages[] through its symbols, when it has them. */
function pageRefs(rt: Runtime): ((phys: number) => number | undefined) | undefined {
  const k = rt.kernelSymbols;
  const pagesVar = k?.elf.symbols.find((s) => s.name === 'pages');
  if (!k || !pagesVar) return undefined;
  const base = readVirtual32(rt.machine, pagesVar.value);
  const g = k.globalNamed('pages');
  if (base === undefined || !g) return undefined;
  const ptr = strip(g.type);
  if (ptr.kind !== 'pointer') return undefined;
  const size = sizeOf(ptr.target);
  const ref = findMember(ptr.target, 'pp_ref');
  if (!size || !ref) return undefined;
  return (phys: number) => {
    const b = readVirtual(rt.machine, base + (phys >>> 12) * size + ref.offset, 2);
    return b ? b[0] | (b[1] << 8) : undefined;
  };
}
