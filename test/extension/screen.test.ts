// The CGA screen view against the REAL adapter and teaching kernel: the kernel mirrors its
// console onto the CGA text screen (samples/kernel/console.c), so at the end of a run the screen
// must show what the serial console printed (the adapter's stdout output events), as a terminal
// of 80x25 would: long lines wrapped, old lines scrolled off the top, the cursor after the last
// character. Attribute bytes written by hand are decoded as IBM's CGA defines them.
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLANK_SCREEN_MESSAGE, CGA_PALETTE, screenLines, screenModel, type ScreenResponse } from '../../extension/model/screen.js';
import { screenHtml } from '../../extension/views/screen-html.js';
import { launch, sample, startClient, stoppedThread } from '../adapter/dap-helpers.js';

/** An 80x25 terminal fed the serial text: what its screen shows, and where its cursor is. */
function terminalOf(serial: string): { rows: string[]; cursor: { row: number; column: number } } {
  const rows: string[] = [''];
  for (const ch of serial) {
    if (ch === '\n') rows.push('');
    else {
      if (rows[rows.length - 1]!.length === 80) rows.push('');
      rows[rows.length - 1] += ch;
    }
  }
  // A full last row puts the cursor on the next one.
  if (rows[rows.length - 1]!.length === 80) rows.push('');
  const shown = rows.slice(-25);
  const cursor = { row: shown.length - 1, column: shown[shown.length - 1]!.length };
  // Compared with screenLines(), which drops trailing blanks as a copy off a screen would.
  return { rows: [...shown, ...Array<string>(25 - shown.length).fill('')].map((r) => r.trimEnd()), cursor };
}

describe('the CGA screen of the teaching kernel (real adapter)', () => {
  let dc: DebugClient;
  let serial: string;

  beforeEach(async () => {
    dc = await startClient();
    serial = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stdout') serial += e.body.output;
    });
  });
  afterEach(async () => {
    await dc?.stop();
  });

  const screen = async (): Promise<ScreenResponse> => (await dc.customRequest('screen')).body as ScreenResponse;

  /** Runs a sample until the kernel shuts the machine down (all environments exited). */
  async function runToShutdown(name: string): Promise<void> {
    await launch(dc, { program: sample(name) }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'shutdown' }] }));
    const stop = await stoppedThread(dc);
    expect(stop.reason).toBe('breakpoint');
    expect(serial).toContain('[kernel] all environments exited\n');
  }

  it('before the kernel runs, the screen is blank and the view says the kernel has not written to it', async () => {
    await launch(dc, { program: sample('hello'), stopAtKernelEntry: true });
    await stoppedThread(dc);
    const res = await screen();
    expect(res.used).toBe(false);
    expect(screenModel(res)).toEqual({ kind: 'blank', message: BLANK_SCREEN_MESSAGE });
    expect(screenHtml({ model: screenModel(res), cspSource: 'vscode-resource:', nonce: 'n0' })).toContain('The kernel has not written to the CGA screen.');
  });

  it('hello: the screen shows the serial console, the cursor after the last line', async () => {
    await runToShutdown('hello');
    const res = await screen();
    expect(res.used).toBe(true);
    expect(res.columns).toBe(80);
    expect(res.rows).toHaveLength(25);
    const term = terminalOf(serial);
    expect(screenLines(res)).toEqual(term.rows);
    expect(screenLines(res)).toContain('CS444');
    expect(res.cursor).toMatchObject({ ...term.cursor, visible: true });
    // The kernel writes light grey on black (attribute 0x07), as the BIOS leaves the screen.
    const model = screenModel(res);
    expect(model.kind).toBe('text');
    if (model.kind !== 'text') return;
    const cs444 = model.lines.find((spans) => spans.map((s) => s.text).join('').startsWith('CS444'))!;
    expect(cs444[0]).toMatchObject({ fg: 7, bg: 0, blink: false });
    expect(CGA_PALETTE[7]).toBe('#aaaaaa');
    // The cursor cell is its own span, marked.
    const cursorSpan = model.lines[term.cursor.row]!.find((s) => s.cursor);
    expect(cursorSpan?.text).toBe(' ');
    const html = screenHtml({ model, cspSource: 'vscode-resource:', nonce: 'n1' });
    expect(html).toContain('CS444');
    expect(html).toContain("style-src vscode-resource: 'nonce-n1'");
    expect(html).not.toMatch(/<script/);
  });

  it('privileged: 99 lines scroll, the screen keeps the last ones', async () => {
    await runToShutdown('privileged');
    expect(serial.split('\n').length).toBeGreaterThan(25);
    const res = await screen();
    const term = terminalOf(serial);
    expect(screenLines(res)).toEqual(term.rows);
    expect(res.cursor).toMatchObject(term.cursor);
  });

  it('cow_fork: a line longer than 80 characters wraps onto the next row', async () => {
    await runToShutdown('cow_fork');
    expect(serial.split('\n').some((l) => l.length > 80)).toBe(true);
    const res = await screen();
    expect(screenLines(res)).toEqual(terminalOf(serial).rows);
  });

  it('attribute bytes: colours and blink as the CGA defines them', async () => {
    await runToShutdown('hello');
    // 'H' yellow (14) on blue (1); 'i' white (15) on red (4), blinking (bit 7).
    await dc.customRequest('writeMemory', { memoryReference: 'phys:0xb8000', data: Buffer.from([0x48, 0x1e, 0x69, 0xcf]).toString('base64') });
    const res = await screen();
    expect(res.rows[0]!.slice(0, 2)).toBe('Hi');
    expect(res.attributes[0]!.slice(0, 2)).toEqual([0x1e, 0xcf]);
    const model = screenModel(res);
    if (model.kind !== 'text') throw new Error('screen not used');
    expect(model.lines[0]!.slice(0, 2)).toMatchObject([
      { text: 'H', fg: 14, bg: 1, blink: false },
      { text: 'i', fg: 15, bg: 4, blink: true },
    ]);
    // IBM's CGA colours: yellow is bright brown (#FFFF55), blue #0000AA, red #AA0000, white #FFFFFF.
    expect([CGA_PALETTE[14], CGA_PALETTE[1], CGA_PALETTE[4], CGA_PALETTE[15]]).toEqual(['#ffff55', '#0000aa', '#aa0000', '#ffffff']);
    const html = screenHtml({ model, cspSource: 'vscode-resource:', nonce: 'n2' });
    expect(html).toContain('<span class="f14 b1" title="yellow on blue">H</span>');
    expect(html).toContain('<span class="f15 b4 blink" title="white on red, blinking">i</span>');
  });
});
