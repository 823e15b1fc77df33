// The VS Code workbench in headless Chromium, driven the way a user drives it: keyboard
// shortcuts, clicks in the gutter, the views and the command palette. Every wait is for
// something to appear on screen, never for a fixed time.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM } from './layout.js';

/** How long one user-visible thing may take to appear (a debug session start, a step, a view). */
const UI_TIMEOUT = 30_000;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

export class Workbench {
  private shotNumber = 0;

  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
    private readonly profile: string,
    private readonly shots: string,
  ) {}

  static async open(url: string, shots: string): Promise<Workbench> {
    mkdirSync(shots, { recursive: true });
    const profile = mkdtempSync(join(tmpdir(), 'ringside-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 960 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(UI_TIMEOUT);
    const wb = new Workbench(page, context, profile, shots);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
    return wb;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }

  /** Saves test-results/e2e/NN-name.png. */
  async shot(name: string): Promise<string> {
    const file = join(this.shots, `${String(++this.shotNumber).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // ------------------------------------------------------------------ editors

  /** Quick Open (Ctrl+P) on a workspace-relative path; waits for its editor tab to be active. */
  async openFile(relPath: string): Promise<void> {
    const name = relPath.split('/').pop()!;
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relPath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await this.activeTab(name).waitFor();
  }

  activeTab(name: string): Locator {
    return this.page.locator(`.part.editor .tab.active[aria-label^="${name}"]`);
  }

  /** Go to Line (Ctrl+G): brings the line into view and puts the cursor on it. */
  async goToLine(line: number): Promise<Locator> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await input.press('Enter');
    const number = this.page.locator('.part.editor .editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers', { hasText: new RegExp(`^${line}$`) });
    await number.waitFor();
    return number;
  }

  /** Clicks the gutter left of a line number, as a user sets a breakpoint. */
  async clickGutter(line: number): Promise<void> {
    const number = await this.goToLine(line);
    const box = (await number.boundingBox())!;
    await this.page.mouse.click(box.x - 8, box.y + box.height / 2);
  }

  /**
   * Waits for a breakpoint on file:line to show: its glyph in the active editor's gutter and its
   * row ("hello.c  user  21") in the Breakpoints view.
   */
  async waitForBreakpoint(file: string, line: number): Promise<void> {
    await this.page.locator('.part.editor .editor-group-container.active .monaco-editor .codicon-debug-breakpoint').first().waitFor();
    await this.rowWithText(this.page.locator('.debug-breakpoints'), new RegExp(`^${escapeRegExp(file)} .*\\b${line}$`));
  }

  /** The cursor's line as the status bar shows it ("Ln 21, Col 5"). */
  async cursorLine(): Promise<number> {
    const text = await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText();
    const m = /Ln (\d+)/.exec(text);
    if (!m) throw new Error(`no line in the status bar's cursor position: ${text}`);
    return Number(m[1]);
  }

  /** Hovers the first occurrence of `word` (as a whole word) on `line` of the active editor. */
  async hoverWord(line: number, word: string): Promise<Locator> {
    await this.goToLine(line);
    const top = await this.page.locator('.part.editor .editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers', { hasText: new RegExp(`^${line}$`) }).boundingBox();
    const point = await this.page.evaluate(({ y, word }) => {
      const lines = [...document.querySelectorAll('.part.editor .editor-group-container.active .monaco-editor .view-line')];
      const el = lines.find((l) => {
        const r = l.getBoundingClientRect();
        return y >= r.top && y < r.bottom;
      });
      if (!el) return undefined;
      const text = el.textContent ?? '';
      const at = new RegExp(`\\b${word}\\b`).exec(text)?.index;
      if (at === undefined) return undefined;
      // The text node and offset of character `at`, to measure it with a Range.
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let left = at;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.textContent?.length ?? 0;
        if (left < len) {
          const range = document.createRange();
          range.setStart(n, left);
          range.setEnd(n, Math.min(len, left + 1));
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        left -= len;
      }
      return undefined;
    }, { y: top!.y + top!.height / 2, word });
    if (!point) throw new Error(`"${word}" is not on line ${line} of the active editor`);
    await this.page.mouse.move(point.x, point.y);
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)');
    await hover.first().waitFor();
    return hover.first();
  }

  // ------------------------------------------------------------------ debugging

  async showRunAndDebug(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+D');
    await this.paneHeader('Breakpoints').waitFor();
  }

  /** Drags the sash between the side bar and the editors, so the views' rows fit on screen. */
  async widenSideBar(width: number): Promise<void> {
    const bar = (await this.page.locator('.part.sidebar').boundingBox())!;
    const x = bar.x + bar.width + 2;
    const y = bar.y + bar.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(bar.x + width, y, { steps: 5 });
    await this.page.mouse.up();
    await this.page.waitForFunction((w) => (document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0) >= w - 20, width);
  }

  readonly toolbar = (): Locator => this.page.locator('.debug-toolbar');

  /** Presses F5 with the focus in the active editor and waits for the debug toolbar. */
  async startDebugging(): Promise<void> {
    await this.page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines').click();
    await this.page.keyboard.press('F5');
    await this.toolbar().waitFor();
  }

  async stopDebugging(): Promise<void> {
    await this.page.locator('.debug-toolbar .codicon-debug-stop').click();
    await this.toolbar().waitFor({ state: 'hidden' });
  }

  /** The Call Stack view's rows, whitespace collapsed ("main hello.c 21:2"). */
  async callStack(): Promise<string[]> {
    return (await this.page.locator('.debug-call-stack .monaco-list-row').allInnerTexts()).map(oneLine);
  }

  /** Waits until the top of the call stack (as the user reads it) matches `re` while paused. */
  async waitForTopFrame(re: RegExp, timeout = UI_TIMEOUT): Promise<string> {
    await this.page.waitForFunction(([source, flags]) => {
      const top = document.querySelector<HTMLElement>('.debug-call-stack .monaco-list-row');
      const text = top?.innerText.replace(/\s+/g, ' ').trim() ?? '';
      return !!document.querySelector('.debug-toolbar .codicon-debug-continue') && new RegExp(source!, flags).test(text);
    }, [re.source, re.flags], { timeout });
    return oneLine(await this.page.locator('.debug-call-stack .monaco-list-row').first().innerText());
  }

  /**
   * Presses a stepping key and waits for the stop it causes: paused again (the toolbar shows
   * Continue) with a different top frame.
   */
  async step(key: 'F10' | 'F11' | 'Shift+F11'): Promise<string> {
    const before = oneLine(await this.page.locator('.debug-call-stack .monaco-list-row').first().innerText());
    await this.page.keyboard.press(key);
    await this.page.waitForFunction((prev) => {
      const top = document.querySelector<HTMLElement>('.debug-call-stack .monaco-list-row');
      const text = top?.innerText.replace(/\s+/g, ' ').trim();
      return !!document.querySelector('.debug-toolbar .codicon-debug-continue') && !!text && text !== prev;
    }, before, { timeout: UI_TIMEOUT });
    return oneLine(await this.page.locator('.debug-call-stack .monaco-list-row').first().innerText());
  }

  /** The status bar item of the extension (ring, paging, environment). */
  ringStatus(): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: /ring [03]/ });
  }

  // ------------------------------------------------------------------ views

  /** The header of a view (its title bar, which expands and collapses it). */
  paneHeader(title: string): Locator {
    return this.page.locator('.part.sidebar').locator(this.headerOf(title));
  }

  /** The whole view: header and body. */
  pane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane', { has: this.headerOf(title) });
  }

  private headerOf(title: string): Locator {
    return this.page.locator('.pane-header', { has: this.page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  }

  /** Expands a view of the Run and Debug container (clicking its header) if it is collapsed. */
  async expandView(title: string): Promise<Locator> {
    const header = this.paneHeader(title);
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await this.page.locator('.part.sidebar .pane-header[aria-expanded="true"]', { has: this.page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).waitFor();
    return this.viewRows(title);
  }

  async collapseView(title: string): Promise<void> {
    const header = this.paneHeader(title);
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }

  viewRows(title: string): Locator {
    return this.pane(title).locator('.monaco-list-row');
  }

  /**
   * The row of `list` whose text, as the user reads it (whitespace collapsed), matches `re`.
   * Lists render only the rows in view (the Breakpoints view's twenty-odd exception filters, the
   * IDT): the list is scrolled with the mouse wheel until the row is on screen.
   */
  async rowWithText(list: Locator, re: RegExp): Promise<Locator> {
    const find = (): Promise<string | undefined> => list.evaluate((el, [source, flags]) => {
      const want = new RegExp(source!, flags);
      const rows = [...el.querySelectorAll<HTMLElement>('.monaco-list-row')];
      return rows.find((r) => want.test(r.innerText.replace(/\s+/g, ' ').trim()))?.id || undefined;
    }, [re.source, re.flags]);
    /** Where the list is scrolled to (its rows container moves up as it scrolls down). */
    const offset = (): Promise<string | undefined> => list.evaluate((el) => el.querySelector<HTMLElement>('.monaco-list-rows')?.style.top);
    const settle = (): Promise<unknown> => this.page.evaluate(() => new Promise(requestAnimationFrame));
    let id = await find();
    if (!id) {
      await list.hover();
      // Down to the bottom; then, once, from the top down again (the row may have been above).
      for (let pass = 0; pass < 2 && !id; pass++) {
        if (pass === 1) {
          await this.page.mouse.wheel(0, -1_000_000);
          await settle();
          id = await find();
        }
        for (let before = await offset(); !id;) {
          await this.page.mouse.wheel(0, 66);
          await settle();
          id = await find();
          const after = await offset();
          if (after === before) break;
          before = after;
        }
      }
    }
    if (!id) throw new Error(`no row matching ${re} in the list (rows in view: ${(await list.locator('.monaco-list-row').allInnerTexts()).map(oneLine).join(' | ')})`);
    const row = list.locator(`[id="${id}"]`);
    await row.waitFor();
    return row;
  }

  /** Ticks (or unticks) an exception filter in the Breakpoints view. */
  async setExceptionFilter(label: string, checked: boolean): Promise<void> {
    const row = await this.rowWithText(this.page.locator('.debug-breakpoints'), new RegExp(`^${escapeRegExp(label)}$`));
    if ((await row.getAttribute('aria-checked')) !== String(checked)) await row.locator('.monaco-checkbox').click();
    await this.page.locator(`.debug-breakpoints .monaco-list-row[aria-checked="${checked}"]`, { hasText: label }).waitFor();
  }

  /** Runs a command from the Command Palette (F1) by its exact title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
    await row.first().click();
  }
}
