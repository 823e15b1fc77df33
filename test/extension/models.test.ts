// The extension's view models against REAL adapter responses: the adapter (out/adapter/main.js)
// runs kernel_write until its page fault, and each custom request's body goes through the same
// pure model the VS Code views use. No VS Code needed.
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameRows } from '../../extension/model/frames.js';
import { gdtRows } from '../../extension/model/gdt.js';
import { idtRows } from '../../extension/model/idt.js';
import { pageTableEntryRows, pageTableRows, pathToPage, pdeRowId, pteRowId } from '../../extension/model/pagetables.js';
import { findRow } from '../../extension/model/row.js';
import { statusModel } from '../../extension/model/status.js';
import { trapLogRows } from '../../extension/model/traplog.js';
import { translationLines, translationRows, verdict } from '../../extension/model/translate.js';
import type {
  FramesResponse, GdtResponse, IdtResponse, PageTableEntriesResponse, PageTableFoldedResponse, PageTableResponse,
  StateResponse, TrapLogResponse, TranslateResponse, TssResponse,
} from '../../extension/model/wire.js';
import { readFileSync } from 'node:fs';
import { kernelSource, launch, sample, startClient, stoppedThread } from '../adapter/dap-helpers.js';

const CR2 = 0xf0100064;

describe('extension view models on kernel_write stopped at its #PF', () => {
  let dc: DebugClient;
  const ask = async <T>(command: string, args: Record<string, unknown> = {}): Promise<T> =>
    (await dc.customRequest(command, args)).body as T;

  beforeAll(async () => {
    dc = await startClient();
    await launch(dc, { program: sample('kernel_write') }, () => dc.setExceptionBreakpointsRequest({ filters: ['#PF'] }));
    const stop = await stoppedThread(dc);
    expect(stop.description).toMatch(/^#PF page fault from ring 3: .*cr2 0xf0100064/);
  });
  afterAll(async () => {
    await dc?.stop();
  });

  it('page tables: the folded kernel direct map is one row, and CR2 is marked and found', async () => {
    const dir = await ask<PageTableResponse>('pageTable');
    const folded = await ask<PageTableFoldedResponse>('pageTableFolded');
    const rows = pageTableRows(dir, folded, CR2);
    const labels = rows[0].children!.map((r) => r.label);
    expect(labels).toContain('0xf0000000-0xffffffff -> 0x00000000-0x0fffffff, kernel rw, 65536 pages');
    // User pages are told apart from kernel pages by icon.
    expect(rows[0].children!.some((r) => r.icon === 'person')).toBe(true);

    const pde = dir.directory.find((d) => d.index === CR2 >>> 22)!;
    expect(pde).toBeDefined();
    const pdeRow = findRow(rows, (r) => r.id === pdeRowId(pde.index))!;
    expect(pdeRow.description).toContain('CR2');
    // The teaching kernel maps KERNBASE with 4 MiB pages: CR2's page is the PDE row itself.
    expect(pde.kind).toBe('page4m');
    expect(pathToPage(dir, undefined, CR2)).toEqual(['pt:dir', pdeRowId(0x3c0)]);
    expect(pdeRow.label).toBe('PDE 0x3c0  0xf0000000-0xf03fffff');
    expect(pdeRow.description).toMatch(/-> 4 MiB page 0x00000000.*← CR2$/);
    expect(pdeRow.icon).toBe('debug-breakpoint-data');
    expect(pdeRow.lazy).toBeUndefined();

    // A user page goes through a page table: PDE 0x2, then the PTE of the faulting eip's page.
    const eip = 0x00800039;
    const userPde = dir.directory.find((d) => d.index === eip >>> 22)!;
    expect(userPde.kind).toBe('table');
    expect(findRow(rows, (r) => r.id === pdeRowId(2))!.lazy).toEqual({ kind: 'pageTable', pde: 2 });
    const table = await ask<PageTableEntriesResponse>('pageTable', { pde: 2 });
    const path = pathToPage(dir, table, eip)!;
    expect(path).toEqual(['pt:dir', pdeRowId(2), pteRowId(2, 0)]);
    const pte = pageTableEntryRows(table, eip).find((r) => r.id === path[2])!;
    expect(pte.label).toBe('PTE 0x0  0x00800000');
    expect(pte.description).toMatch(/^-> 0x[0-9a-f]{8} user r[w-].*← CR2$/);
  });

  it('translate: a ring 3 write to CR2 fails on "user access to a supervisor page"', async () => {
    const t = await ask<TranslateResponse>('translate', { address: CR2, access: 'write', cpl: 3 });
    const v = verdict(t);
    expect(v.ok).toBe(false);
    expect(v.headline).toBe('user access to a supervisor page');
    expect(v.detail).toContain('0x7 [user, write, protection]');
    const rows = translationRows(t);
    expect(rows[0].label).toMatch(/^1\. PDE\[0x3c0\] = /);
    expect(rows.at(-1)!.label).toBe('user access to a supervisor page');
    expect(rows.at(-1)!.icon).toBe('error');
    expect(translationLines(t).at(-2)).toBe('  => FAULT: user access to a supervisor page');

    const ok = await ask<TranslateResponse>('translate', { address: CR2, access: 'write', cpl: 0 });
    expect(verdict(ok)).toMatchObject({ ok: true, headline: '0xf0100064 -> 0x00100064' });
  });

  it('IDT: #PF is a DPL 0 gate with its handler symbol, 0x30 is callable from ring 3', async () => {
    const rows = idtRows(await ask<IdtResponse>('idt'));
    const pf = rows.find((r) => r.id === 'idt:14')!;
    expect(pf.label).toBe('0x0e #PF Page Fault');
    expect(pf.description).toMatch(/^\w+, DPL 0, (interrupt|trap) gate$/);
    expect(pf.description).not.toMatch(/^0x/); // a symbol, not a bare address
    expect(pf.icon).toBe('lock');
    expect(pf.contextValue).toBe('ringside.gate.kernel');
    expect(findRow(pf.children!, (r) => r.label === 'DPL')!.description).toContain('raises #GP');
    // A click opens the handler's source: the line of trapentry.S that defines the #PF stub.
    const stubLine = readFileSync(kernelSource('trapentry.S'), 'utf8').split('\n').findIndex((l) => l.includes('(page_fault, T_PGFLT)')) + 1;
    expect(pf.open).toEqual({ path: kernelSource('trapentry.S'), line: stubLine });
    const sys = rows.find((r) => r.id === 'idt:48')!;
    expect(sys.description).toContain('DPL 3');
    expect(sys.icon).toBe('unlock');
    expect(sys.contextValue).toBe('ringside.gate.user');
    // Unused vectors are hidden by default, listed on request.
    expect(rows.length).toBeLessThan(idtRows(await ask<IdtResponse>('idt'), true).length);
  });

  it('GDT & TSS: code/data segments for both rings and ss0:esp0 first', async () => {
    const rows = gdtRows(await ask<GdtResponse>('gdt'), await ask<TssResponse>('tss'));
    const gdt = rows[0].children!;
    expect(gdt[0].description).toBe('null descriptor');
    expect(gdt.some((r) => r.icon === 'symbol-method' && /DPL 3/.test(r.description ?? ''))).toBe(true);
    expect(gdt.some((r) => r.icon === 'symbol-method' && /DPL 0/.test(r.description ?? ''))).toBe(true);
    const tss = rows[1].children!;
    expect(tss.slice(0, 2).map((r) => r.label)).toEqual(['ss0', 'esp0']);
    expect(tss[0].description).toBe('0x0010');
  });

  it('trap log: a row for the #PF, newest first', async () => {
    const rows = trapLogRows(await ask<TrapLogResponse>('trapLog', { count: 50 }));
    const pf = rows.find((r) => r.label.startsWith('#PF'));
    expect(pf).toBeDefined();
    expect(pf!.label).toContain('cr2 0xf0100064');
    expect(pf!.description).toMatch(/^ring 3, eip 0x00800039/);
    expect(pf!.icon).toBe('error');
  });

  it('physical memory and status bar', async () => {
    const frames = frameRows(await ask<FramesResponse>('frames'));
    expect(frames.length).toBeGreaterThan(0);
    const user = findRow(frames, (r) => /kernel_write/.test(r.description ?? '') || /kernel_write/.test(r.label));
    expect(user).toBeDefined();
    // The stop is before the #PF is delivered: the CPU is still in ring 3.
    const status = statusModel(await ask<StateResponse>('state'));
    expect(status.text).toMatch(/ring 3 · paging on · kernel_write/);
    expect(status.warning).toBe(false);
  });
});

