// First pass over an assembly file: comments blanked out (columns kept, so every range still
// points into the real text), C preprocessor lines set apart, `#if 0` regions marked inactive.
//
// Two dialects: `.S` goes through the C preprocessor before gas (so `#include`/`#define` lines are
// cpp's, and `/* */` and `//` are C comments), `.s` goes to gas directly. In both, gas treats `#`
// as the start of a comment and understands `/* */` itself.

export type Dialect = 'S' | 's';

/** `.S` files are preprocessed (gcc does that for the upper-case extension only). */
export function dialectOf(uri: string): Dialect {
  return /\.S$/.test(uri) ? 'S' : 's';
}

export interface CppLine {
  /** The directive word: include, define, if, ... ('' for a `# 12 "file"` line marker). */
  directive: string;
  /** The logical line (continuations joined with their backslashes blanked), comments blanked. */
  text: string;
  /** Physical lines the logical line covers, first and last. */
  first: number;
  last: number;
}

export interface SourceLine {
  /** The line's text with comments replaced by spaces. */
  code: string;
  /** Set on every physical line of a preprocessor directive. */
  cpp?: CppLine;
  /** Inside `#if 0`: the assembler never sees it. */
  inactive?: boolean;
}

const CPP_DIRECTIVES = new Set([
  'include', 'include_next', 'define', 'undef', 'if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef',
  'else', 'endif', 'error', 'warning', 'pragma', 'line', 'ident',
]);

/** Skips a string or character constant starting at `i`; returns the index after it. */
export function skipLiteral(s: string, i: number): number {
  if (s[i] === '"') {
    let j = i + 1;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, s.length);
  }
  // gas character constant: 'c or '\n, sometimes closed by a second quote.
  let j = i + 1;
  j += s[j] === '\\' ? 2 : 1;
  if (s[j] === "'") j++;
  return Math.min(j, s.length);
}

interface Scan {
  code: string;
  /** Still inside a block comment at the end of the line. */
  inBlock: boolean;
}

/**
 * Blanks comments on one line. `hashComments`: `#` starts a comment (gas lines); off for cpp lines,
 * where `#` is stringizing. `slashSlash`: `//` starts a comment (preprocessed files).
 */
function blankComments(line: string, inBlock: boolean, hashComments: boolean, slashSlash: boolean): Scan {
  const out = line.split('');
  let i = 0;
  while (i < line.length) {
    if (inBlock) {
      const end = line.indexOf('*/', i);
      const stop = end < 0 ? line.length : end + 2;
      for (let k = i; k < stop; k++) out[k] = ' ';
      i = stop;
      inBlock = end < 0;
      continue;
    }
    const c = line[i];
    if (c === '"' || c === "'") {
      i = skipLiteral(line, i);
    } else if (c === '/' && line[i + 1] === '*') {
      inBlock = true;
    } else if ((c === '#' && hashComments) || (c === '/' && line[i + 1] === '/' && slashSlash)) {
      for (let k = i; k < line.length; k++) out[k] = ' ';
      break;
    } else {
      i++;
    }
  }
  return { code: out.join(''), inBlock };
}

function cppDirectiveOf(line: string): string | undefined {
  const m = /^\s*#\s*([A-Za-z_]\w*|\d+)?/.exec(line);
  if (!m) return undefined;
  const word = m[1] ?? '';
  if (/^\d+$/.test(word)) return ''; // line marker
  return CPP_DIRECTIVES.has(word) ? word : undefined;
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The first pass over a whole file. */
export function scanLines(lines: readonly string[], dialect: Dialect): SourceLine[] {
  const out: SourceLine[] = [];
  let inBlock = false;
  let ifZeroDepth = 0; // > 0 inside `#if 0`, counting nested conditionals
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const directive = dialect === 'S' && !inBlock ? cppDirectiveOf(raw) : undefined;
    if (directive === undefined) {
      const scan = blankComments(raw, inBlock, true, dialect === 'S');
      inBlock = scan.inBlock;
      out.push(ifZeroDepth > 0 ? { code: scan.code, inactive: true } : { code: scan.code });
      continue;
    }
    // A directive and its continuation lines form one logical line.
    const first = n;
    const parts: string[] = [];
    for (;;) {
      const scan = blankComments(lines[n], inBlock, false, true);
      inBlock = scan.inBlock;
      const continued = /\\\s*$/.test(scan.code) && n + 1 < lines.length;
      parts.push(continued ? scan.code.replace(/\\(\s*)$/, ' $1') : scan.code);
      if (!continued) break;
      n++;
    }
    const cpp: CppLine = { directive, text: parts.join('\n'), first, last: n };
    const inactive = ifZeroDepth > 0;
    if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
      if (ifZeroDepth > 0) ifZeroDepth++;
      else if (/^\s*#\s*if\s+0\s*$/.test(cpp.text)) ifZeroDepth = 1;
    } else if (directive === 'endif' && ifZeroDepth > 0) {
      ifZeroDepth--;
    } else if ((directive === 'else' || directive.startsWith('elif')) && ifZeroDepth === 1) {
      ifZeroDepth = 0;
    }
    for (let k = first; k <= n; k++) out.push({ code: parts[k - first], cpp, ...(inactive ? { inactive } : {}) });
  }
  return out;
}
