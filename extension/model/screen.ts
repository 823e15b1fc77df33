// The CGA screen view's model: the adapter's 'screen' response (adapter/screen.ts) turned into
// rows of runs that share one attribute, with the cursor cell marked. The attribute byte is the
// PC's: foreground colour in bits 0-3, background in bits 4-6, blink in bit 7 (IBM CGA).

import type { ScreenBody } from '../../adapter/screen.js';

/** The 'screen' custom request's body: the adapter's own type (extension -> adapter is allowed). */
export type ScreenResponse = ScreenBody;

/** The 16 CGA colours (RGBI), in attribute order; brown is the CGA's, not dark yellow. */
export const CGA_PALETTE: readonly string[] = [
  '#000000', '#0000aa', '#00aa00', '#00aaaa', '#aa0000', '#aa00aa', '#aa5500', '#aaaaaa',
  '#555555', '#5555ff', '#55ff55', '#55ffff', '#ff5555', '#ff55ff', '#ffff55', '#ffffff',
];

export const CGA_COLOUR_NAMES: readonly string[] = [
  'black', 'blue', 'green', 'cyan', 'red', 'magenta', 'brown', 'light grey',
  'dark grey', 'light blue', 'light green', 'light cyan', 'light red', 'light magenta', 'yellow', 'white',
];

export interface CellStyle {
  fg: number;
  bg: number;
  blink: boolean;
}

export function attributeStyle(attribute: number): CellStyle {
  return { fg: attribute & 0x0f, bg: (attribute >> 4) & 0x07, blink: (attribute & 0x80) !== 0 };
}

/** Consecutive cells of one attribute; the cursor's cell is a span of its own. */
export interface ScreenSpan extends CellStyle {
  text: string;
  cursor?: boolean;
}

export const BLANK_SCREEN_MESSAGE = 'The kernel has not written to the CGA screen.';

export type ScreenModel =
  | { kind: 'blank'; message: string }
  | { kind: 'text'; lines: ScreenSpan[][]; cursor: ScreenResponse['cursor'] };

export function screenModel(res: ScreenResponse): ScreenModel {
  if (!res.used) return { kind: 'blank', message: BLANK_SCREEN_MESSAGE };
  const lines = res.rows.map((row, r) => {
    const spans: ScreenSpan[] = [];
    const attrs = res.attributes[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      const style = attributeStyle(attrs[c] ?? 0x07);
      const isCursor = res.cursor.visible && res.cursor.row === r && res.cursor.column === c;
      const last = spans[spans.length - 1];
      if (!isCursor && last && !last.cursor && last.fg === style.fg && last.bg === style.bg && last.blink === style.blink) {
        last.text += row[c];
      } else {
        spans.push({ ...style, text: row[c]!, ...(isCursor ? { cursor: true } : {}) });
      }
    }
    return spans;
  });
  return { kind: 'text', lines, cursor: res.cursor };
}

/** The screen as plain text, trailing blanks dropped (what a person would copy off it). */
export function screenLines(res: ScreenResponse): string[] {
  return res.rows.map((r) => r.replace(/[ \u00a0]+$/, ''));
}
