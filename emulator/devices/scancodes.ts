// Scan code set 1 (the "XT" codes an AT keyboard controller delivers with translation on, which
// is what PC kernels' keyboard drivers decode: xv6's kbd.h, JOS's kbdreg.h) for a US keyboard:
// a key's make code when pressed, make | 0x80 when released (IBM PC AT technical reference,
// keyboard scan codes; the same table as the "set 1" column of Microsoft's scan code list).

export const SC_ESC = 0x01;
export const SC_BACKSPACE = 0x0e;
export const SC_TAB = 0x0f;
export const SC_ENTER = 0x1c;
export const SC_LCTRL = 0x1d;
export const SC_LSHIFT = 0x2a;
export const SC_SPACE = 0x39;
export const BREAK = 0x80;

/** Keys on the main block, row by row: [make code, unshifted character, shifted character]. */
const KEYS: readonly [number, string, string][] = [
  [0x02, '1', '!'], [0x03, '2', '@'], [0x04, '3', '#'], [0x05, '4', '$'], [0x06, '5', '%'],
  [0x07, '6', '^'], [0x08, '7', '&'], [0x09, '8', '*'], [0x0a, '9', '('], [0x0b, '0', ')'],
  [0x0c, '-', '_'], [0x0d, '=', '+'],
  [0x10, 'q', 'Q'], [0x11, 'w', 'W'], [0x12, 'e', 'E'], [0x13, 'r', 'R'], [0x14, 't', 'T'],
  [0x15, 'y', 'Y'], [0x16, 'u', 'U'], [0x17, 'i', 'I'], [0x18, 'o', 'O'], [0x19, 'p', 'P'],
  [0x1a, '[', '{'], [0x1b, ']', '}'],
  [0x1e, 'a', 'A'], [0x1f, 's', 'S'], [0x20, 'd', 'D'], [0x21, 'f', 'F'], [0x22, 'g', 'G'],
  [0x23, 'h', 'H'], [0x24, 'j', 'J'], [0x25, 'k', 'K'], [0x26, 'l', 'L'], [0x27, ';', ':'],
  [0x28, "'", '"'], [0x29, '`', '~'], [0x2b, '\\', '|'],
  [0x2c, 'z', 'Z'], [0x2d, 'x', 'X'], [0x2e, 'c', 'C'], [0x2f, 'v', 'V'], [0x30, 'b', 'B'],
  [0x31, 'n', 'N'], [0x32, 'm', 'M'], [0x33, ',', '<'], [0x34, '.', '>'], [0x35, '/', '?'],
  [SC_SPACE, ' ', ' '],
];

interface Stroke {
  code: number;
  shift: boolean;
  ctrl: boolean;
}

const STROKES = new Map<number, Stroke>();
for (const [code, plain, shifted] of KEYS) {
  STROKES.set(plain.charCodeAt(0), { code, shift: false, ctrl: false });
  if (shifted !== plain) STROKES.set(shifted.charCodeAt(0), { code, shift: true, ctrl: false });
}
STROKES.set(0x0a, { code: SC_ENTER, shift: false, ctrl: false }); // \n
STROKES.set(0x0d, { code: SC_ENTER, shift: false, ctrl: false }); // \r
STROKES.set(0x08, { code: SC_BACKSPACE, shift: false, ctrl: false }); // \b
STROKES.set(0x7f, { code: SC_BACKSPACE, shift: false, ctrl: false }); // DEL, what terminals send for backspace
STROKES.set(0x09, { code: SC_TAB, shift: false, ctrl: false });
STROKES.set(0x1b, { code: SC_ESC, shift: false, ctrl: false });
// Ctrl-A .. Ctrl-Z (those not taken above): ctrl held with the letter key.
for (let c = 1; c <= 26; c++) {
  if (!STROKES.has(c)) STROKES.set(c, { code: STROKES.get(0x60 + c)!.code, shift: false, ctrl: true });
}

/** The make code of the key that types `ch` (ignoring shift), or undefined for characters with no key. */
export function makeCode(ch: string): number | undefined {
  return STROKES.get(ch.charCodeAt(0))?.code;
}

/**
 * The set-1 scan codes of typing `text` on a US keyboard: each character's key pressed and
 * released, inside left shift for capitals and shifted symbols and inside left ctrl for control
 * characters. Characters with no key (non-ASCII) are skipped.
 */
export function scanCodesFor(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const s = STROKES.get(ch.codePointAt(0)!);
    if (!s) continue;
    if (s.shift) out.push(SC_LSHIFT);
    if (s.ctrl) out.push(SC_LCTRL);
    out.push(s.code, s.code | BREAK);
    if (s.ctrl) out.push(SC_LCTRL | BREAK);
    if (s.shift) out.push(SC_LSHIFT | BREAK);
  }
  return out;
}
