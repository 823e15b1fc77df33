// One batch of the differential test: generate cases from a seed, build them into a native
// program, run it on the host, run the same bytes in the emulator, compare, and describe failures.
import { parseElf32, symbol, type Elf32 } from './elf32.js';
import { compareStates, type Difference } from './compare.js';
import { bytesAt, caseDisassembly, hexBytes, instructionMap, mnemonicOf } from './disasm.js';
import { EmulatorHarness, type EmuStop } from './emulate.js';
import { vectorName } from '../../../emulator/machine.js';
import { generateCase, selectItems, type GeneratedCase, type MachineState } from './gen/case.js';
import { flagNames } from './gen/asm.js';
import { DATA_WIN, LOW_WIN, STACK_WIN } from './layout.js';
import { runNative } from './native.js';
import { Rng } from './prng.js';
import { buildBatch } from './program.js';
import { strayWrites } from './stray.js';
import { canMapAt, makeTempDir, readBytes, removeDir } from './toolchain.js';

export interface BatchOptions {
  seed: number;
  cases: number;
  minItems?: number;
  maxItems?: number;
  /** Restrict the generator to items whose names start with these. */
  only?: readonly string[];
  /** Run only this case of the batch (the others are generated, so the case is the same). */
  onlyCase?: number;
  /** Instructions a case may take in the emulator before it counts as lost. */
  budget?: number;
  /** Use the low window for 16-bit addressed memory (default: when the host can map it). */
  lowWindow?: boolean;
  /** Failures described in full (disassembly etc.); the rest are only counted and grouped. */
  detailed?: number;
  keepFiles?: boolean;
}

export type FailureKind = 'mismatch' | 'exception' | 'lost' | 'crash' | 'stray-write';

export interface CaseFailure {
  caseIndex: number;
  kind: FailureKind;
  /** One line: the first difference, or the exception and the instruction raising it. */
  headline: string;
  /** Grouping key for summaries: the faulting instruction's mnemonic, or 'mismatch'. */
  group: string;
  differences: Difference[];
  forms: string[];
  /** Full description (only for the first `detailed` failures). */
  detail?: string;
}

export interface BatchResult {
  seed: number;
  cases: number;
  staticInsns: number;
  executed: number;
  failures: CaseFailure[];
  /** Per item name: [cases containing it, failing cases containing it]. */
  itemStats: Map<string, [number, number]>;
  dir?: string;
  millis: { generate: number; build: number; native: number; emulate: number };
}

const hex32 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function lowWindowFor(opts: BatchOptions): boolean {
  return opts.lowWindow ?? canMapAt(LOW_WIN);
}

export function generateBatch(opts: BatchOptions): GeneratedCase[] {
  const rng = new Rng(opts.seed);
  const lowWindow = lowWindowFor(opts);
  const items = selectItems(opts.only).filter((it) => lowWindow || !it.needsLowWindow);
  const cases: GeneratedCase[] = [];
  for (let k = 0; k < opts.cases; k++) {
    cases.push(generateCase(rng, k, { minItems: opts.minItems ?? 4, maxItems: opts.maxItems ?? 14, only: opts.only, lowWindow }, items));
  }
  return opts.onlyCase === undefined ? cases : cases.filter((c) => c.index === opts.onlyCase);
}

export function runBatch(opts: BatchOptions): BatchResult {
  const t0 = Date.now();
  const cases = generateBatch(opts);
  const t1 = Date.now();
  const dir = makeTempDir('ringside-diff-');
  try {
    const elfPath = buildBatch(dir, cases, lowWindowFor(opts));
    const elf = parseElf32(readBytes(elfPath));
    const t2 = Date.now();
    const native = runNative(elfPath, cases.length);
    const t3 = Date.now();
    const result: BatchResult = {
      seed: opts.seed, cases: cases.length, staticInsns: cases.reduce((n, c) => n + c.insns, 0), executed: 0,
      failures: [], itemStats: new Map(), millis: { generate: t1 - t0, build: t2 - t1, native: t3 - t2, emulate: 0 },
    };
    if (native.crash) {
      // The generator made a case the host cannot run: a harness bug, reported as such.
      const bad = cases[native.states.length];
      throw new Error(`${native.crash}; its source:\n${bad ? bad.asm.join('\n') : '(none)'}`);
    }
    if (symbol(elf, 'data_win') !== DATA_WIN || symbol(elf, 'stack_win') !== STACK_WIN) {
      throw new Error('the windows were not linked at the addresses layout.ts gives');
    }
    const budget = opts.budget ?? 20_000;
    const failed: Array<{ c: GeneratedCase; kind: FailureKind; stop: EmuStop; diffs: Difference[] }> = [];
    // Every case runs twice: through the interpreter, and as a compiled block (emulator/cpu/compile.ts
    // turns hot blocks into generated code from the table's inline templates), so both paths meet the
    // host CPU. The second harness compiles every block on first entry.
    let harness = new EmulatorHarness(elf, native.selectors, symbol(elf, 'collect'));
    for (const compiled of [false, true]) {
    if (compiled) harness = new EmulatorHarness(elf, native.selectors, symbol(elf, 'collect'));
    harness.machine.cpu.compileThreshold = compiled ? 0 : Number.POSITIVE_INFINITY;
    for (let k = 0; k < cases.length; k++) {
      const c = cases[k];
      const r = harness.runCase(c.init, symbol(elf, `case_${c.index}`), budget);
      result.executed += r.executed;
      let kind: FailureKind | null = null;
      let diffs: Difference[] = [];
      if (r.stop.kind === 'vector' || r.stop.kind === 'triple-fault') kind = 'exception';
      else if (r.stop.kind === 'crash') kind = 'crash';
      else if (!harness.reachedCollect(r.stop)) kind = 'lost';
      else {
        diffs = compareStates(native.states[k], r.state, c.undefMask);
        if (diffs.length) kind = 'mismatch';
      }
      if (kind) {
        if (compiled) diffs = [...diffs, { what: 'path', native: 'host CPU', emulator: 'compiled block (inline templates)' }];
        failed.push({ c, kind, stop: r.stop, diffs });
        harness.loadImage(); // a broken case may have written anywhere: start the next one clean
      }
    }
    }
    result.millis.emulate = Date.now() - t3;

    // Writes outside the windows that the per-case comparison cannot see.
    const stray = strayWrites(harness.machine, elf);
    if (stray.length) {
      const culprit = findStrayCulprit(harness, elf, cases, stray, budget);
      failed.push({
        c: culprit ?? cases[0], kind: 'stray-write', stop: { kind: 'budget' },
        diffs: stray.map((a) => ({ what: `memory @ ${hex32(a)} outside the windows`, native: 'unchanged', emulator: 'written' })),
      });
    }

    const failing = new Set(failed.map((f) => f.c.index));
    for (const c of cases) {
      for (const name of new Set(c.forms)) {
        const s = result.itemStats.get(name) ?? [0, 0];
        s[0]++;
        if (failing.has(c.index)) s[1]++;
        result.itemStats.set(name, s);
      }
    }
    if (failed.length) {
      const insns = instructionMap(elfPath);
      failed.forEach((f, n) => {
        const failure = describe(f.c, f.kind, f.stop, f.diffs, insns);
        if (n < (opts.detailed ?? 3)) failure.detail = detail(f.c, failure, native.states[cases.indexOf(f.c)], elf, elfPath, opts);
        result.failures.push(failure);
      });
    }
    if (opts.keepFiles) result.dir = dir;
    return result;
  } finally {
    if (!opts.keepFiles) removeDir(dir);
  }
}

/** Re-runs the batch from a clean image, watching the stray addresses, to name the case that wrote them. */
function findStrayCulprit(h: EmulatorHarness, elf: Elf32, cases: GeneratedCase[], addrs: number[], budget: number): GeneratedCase | null {
  h.loadImage();
  const ram = h.machine.mem.u8;
  for (const a of addrs) if (!elf.segments.some((s) => a >= s.vaddr && a < s.vaddr + s.memsz)) ram[a] = 0;
  const snapshot = addrs.map((a) => ram[a]);
  for (const c of cases) {
    h.runCase(c.init, symbol(elf, `case_${c.index}`), budget);
    if (addrs.some((a, k) => ram[a] !== snapshot[k])) return c;
  }
  return null;
}

function describe(c: GeneratedCase, kind: FailureKind, stop: EmuStop, diffs: Difference[], insns: Map<number, string>): CaseFailure {
  const base = { caseIndex: c.index, kind, differences: diffs, forms: c.forms };
  if (stop.kind === 'vector') {
    const e = stop.event;
    const at = insns.get(e.eip) ?? '(not an instruction boundary of the case)';
    const code = e.errorCode >= 0 ? ` error code ${hex32(e.errorCode)}` : '';
    return { ...base, headline: `${vectorName(e.vector)}${code} at ${hex32(e.eip)}: ${at}`, group: `${vectorName(e.vector)} at ${mnemonicOf(at)}` };
  }
  if (stop.kind === 'triple-fault') {
    const at = insns.get(stop.eip) ?? '';
    return { ...base, headline: `${stop.message} at ${hex32(stop.eip)} ${at}`, group: `triple fault at ${mnemonicOf(at)}` };
  }
  if (kind === 'crash' && stop.kind === 'crash') {
    return { ...base, headline: `emulator threw: ${stop.message.split('\n')[0]}`, group: `emulator threw ${stop.message.split('\n')[0]}` };
  }
  if (kind === 'lost') {
    const where = stop.kind === 'breakpoint' ? hex32(stop.eip) : stop.kind;
    return { ...base, headline: `did not reach collect (stopped: ${stop.kind} ${where})`, group: 'lost control flow' };
  }
  if (kind === 'stray-write') return { ...base, headline: `wrote outside the windows: ${diffs[0]?.what}`, group: 'stray write' };
  const d = diffs[0];
  return { ...base, headline: `${d.what}: native ${d.native}, emulator ${d.emulator}`, group: 'mismatch' };
}

function formatState(s: MachineState): string {
  const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  return names.map((n, r) => `${n}=${hex32(s.regs[r])}`).join(' ') + ` eflags=${hex32(s.eflags)} [${flagNames(s.eflags & 0xfd5)}]`;
}

function detail(c: GeneratedCase, f: CaseFailure, native: MachineState | undefined, elf: Elf32, elfPath: string, opts: BatchOptions): string {
  const start = symbol(elf, `case_${c.index}`), end = symbol(elf, `case_${c.index}_end`);
  const lines = [
    `case ${c.index} of seed ${opts.seed} (${opts.cases} cases${opts.only?.length ? `, only ${opts.only.join(',')}` : ''}): ${f.kind}`,
    `  first difference: ${f.headline}`,
    ...f.differences.slice(1).map((d) => `  also: ${d.what}: native ${d.native}, emulator ${d.emulator}`),
    `  undefined flags not compared: ${flagNames(c.undefMask) || 'none'}`,
    `  initial: ${formatState(c.init)}`,
    ...(native ? [`  native final: ${formatState(native)}`] : []),
    `  reproduce: npm run fuzz:cpu -- --seed ${opts.seed} --cases ${opts.cases} --case ${c.index}${opts.only?.length ? ` --only ${opts.only.join(',')}` : ''}` +
      `${opts.minItems !== undefined ? ` --min-items ${opts.minItems}` : ''}${opts.maxItems !== undefined ? ` --max-items ${opts.maxItems}` : ''}`,
    `  bytes (${hex32(start)}..${hex32(end)}): ${hexBytes(bytesAt(elf, start, end))}`,
    '  source:',
    ...c.asm.map((l) => '    ' + l),
    '  objdump:',
    ...caseDisassembly(elfPath, start, end).split('\n').map((l) => '    ' + l),
  ];
  return lines.join('\n');
}

/** A short text for a failed batch: counts, groups, the item names most tied to failures, details. */
export function formatBatch(r: BatchResult): string {
  if (r.failures.length === 0) return '';
  const groups = new Map<string, { n: number; example: CaseFailure }>();
  for (const f of r.failures) {
    const g = groups.get(f.group);
    if (g) g.n++;
    else groups.set(f.group, { n: 1, example: f });
  }
  const out = [`seed ${r.seed}: ${r.failures.length} of ${r.cases} cases failed`];
  for (const [name, g] of [...groups].sort((a, b) => b[1].n - a[1].n)) {
    out.push(`  ${g.n} x ${name} -- e.g. case ${g.example.caseIndex}: ${g.example.headline}`);
  }
  // Items in failing cases, most often failing first: with one item per case this names the form.
  const byRate = [...r.itemStats].filter(([, [, bad]]) => bad > 0).sort((a, b) => b[1][1] / b[1][0] - a[1][1] / a[1][0] || b[1][1] - a[1][1]);
  if (byRate.length) out.push(`  items in failing cases (failing/containing): ${byRate.slice(0, 12).map(([name, [n, bad]]) => `${name} ${bad}/${n}`).join(', ')}`);
  for (const f of r.failures) if (f.detail) out.push('', f.detail);
  return out.join('\n');
}
