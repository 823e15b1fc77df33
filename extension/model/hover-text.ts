// What is under the mouse in a C or assembly line: the expression a debugger would evaluate for
// a hover (a name, or a member chain `curenv->env_tf` cut at the hovered name), or a number
// literal. Text only: no vscode, no adapter.

export interface TextSpan {
  /** Character offsets in the line: [start, end). */
  start: number;
  end: number;
}

export interface HoverExpression extends TextSpan {
  expression: string;
  /** The hovered name itself (the last part of the chain). */
  name: string;
}

export interface NumberLiteral extends TextSpan {
  text: string;
  value: number;
}

const C_KEYWORDS = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float',
  'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static',
  'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false', 'NULL',
]);

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9_]/.test(ch);

/**
 * True when `character` is inside a // or /* comment or a string/char literal that starts on this
 * line, or (assembly) after a `#` that is not a preprocessor directive.
 */
export function inCommentOrString(line: string, character: number, asm = false, blockAtStart = false): boolean {
  let quote: string | undefined;
  let block = blockAtStart;
  for (let i = 0; i < character && i < line.length; i++) {
    const ch = line[i];
    if (block) {
      if (ch === '*' && line[i + 1] === '/') {
        block = false;
        i++;
      }
    } else if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '/' && line[i + 1] === '/') return true;
    else if (ch === '/' && line[i + 1] === '*') {
      block = true;
      i++;
    } else if (asm && ch === '#') {
      const directive = line.slice(0, i).trim() === '' && /^#\s*(include|define|undef|if|ifdef|ifndef|elif|else|endif)\b/.test(line.slice(i));
      if (!directive) return true;
    }
  }
  return block || quote !== undefined;
}

/** True when a /* comment is still open at `offset` of `text` (the start of a line, usually). */
export function inBlockComment(text: string, offset: number): boolean {
  let block = false;
  let quote: string | undefined;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text[i];
    if (block) {
      if (ch === '*' && text[i + 1] === '/') {
        block = false;
        i++;
      }
    } else if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote || ch === '\n') quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '/' && text[i + 1] === '/') {
      while (i < offset && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      block = true;
      i++;
    }
  }
  return block;
}

export interface LineContext {
  /** Assembly rules: `#` starts a comment (unless it is a preprocessor directive). */
  asm?: boolean;
  /** The line starts inside a /* comment opened on an earlier line. */
  inComment?: boolean;
}

/**
 * The name under `character` with the member accesses before it: in `tf->tf_regs.reg_eax` a hover
 * on `tf_regs` gives `tf->tf_regs`, on `tf` gives `tf`. Undefined on keywords, numbers, comments.
 */
export function expressionAt(line: string, character: number, ctx: LineContext = {}): HoverExpression | undefined {
  const asm = ctx.asm ?? false;
  if (inCommentOrString(line, character, asm, ctx.inComment)) return undefined;
  let start = character;
  let end = character;
  while (start > 0 && isWordChar(line[start - 1])) start--;
  while (isWordChar(line[end])) end++;
  const name = line.slice(start, end);
  if (!/^[A-Za-z_]\w*$/.test(name) || C_KEYWORDS.has(name)) return undefined;
  // A register in AT&T syntax: the adapter's expressions call %eax $eax.
  if (line[start - 1] === '%') return asm ? { expression: '$' + name, name, start: start - 1, end } : undefined;
  let chainStart = start;
  for (;;) {
    let k = chainStart;
    while (k > 0 && line[k - 1] === ' ') k--;
    let op = 0;
    if (line[k - 1] === '.') op = 1;
    else if (line[k - 1] === '>' && line[k - 2] === '-') op = 2;
    if (!op) break;
    k -= op;
    while (k > 0 && line[k - 1] === ' ') k--;
    let w = k;
    while (w > 0 && isWordChar(line[w - 1])) w--;
    // Only plain names chain: `a[i].b` or `f().b` stop at the name after the bracket.
    if (w === k || !/^[A-Za-z_]/.test(line.slice(w, k))) break;
    chainStart = w;
  }
  const expression = line.slice(chainStart, end).replace(/\s+/g, '');
  return { expression, name, start: chainStart, end };
}

/**
 * The integer literal under `character`: 0x... (hex), 0... (octal, as C and GNU as read it) or
 * decimal, with C's u/l suffixes; 32-bit values only. An AT&T immediate `$0x30` counts.
 */
export function numberAt(line: string, character: number, ctx: LineContext = {}): NumberLiteral | undefined {
  if (inCommentOrString(line, character, ctx.asm ?? false, ctx.inComment)) return undefined;
  const re = /0[xX][0-9a-fA-F]+|\d+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    let end = m.index + m[0].length;
    const suffix = /^[uUlL]{0,3}/.exec(line.slice(end))![0];
    end += suffix.length;
    if (character < m.index || character >= end) continue;
    // Part of a name (r2d2, x86) or of a longer token (1.5, 0x12g): not an integer literal.
    if (isWordChar(line[m.index - 1]) || line[m.index - 1] === '.' || isWordChar(line[end]) || line[end] === '.') return undefined;
    const text = m[0];
    let value: number;
    if (/^0[xX]/.test(text)) value = Number(text);
    else if (text.length > 1 && text.startsWith('0')) {
      if (!/^[0-7]+$/.test(text)) return undefined;
      value = parseInt(text, 8);
    } else value = Number(text);
    if (!Number.isSafeInteger(value) || value > 0xffffffff) return undefined;
    return { text: text + suffix, value, start: m.index, end };
  }
  return undefined;
}

/**
 * Whether `name` is declared in `text` (before `offset`) as a struct Trapframe or a pointer to
 * one: `struct Trapframe *tf`, `struct Trapframe tf`, `const struct Trapframe *tf`. Used when
 * the name cannot be evaluated (the trap frame is not built yet) to decide whether the hover is
 * about a trap frame at all.
 */
export function declaresTrapFrame(text: string, name: string, offset = text.length): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name)) return false;
  const decl = new RegExp(`struct\\s+Trapframe\\s*(?:\\*\\s*)*(?:const\\s+)?\\b${name}\\b\\s*[,;)=\\[]`, 'g');
  for (let m = decl.exec(text); m; m = decl.exec(text)) if (m.index < offset) return true;
  return false;
}
