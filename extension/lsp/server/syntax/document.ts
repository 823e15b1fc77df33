// A whole assembly file, parsed once per version: its statements, the symbols it defines, declares
// and refers to, its numeric local labels, the macros it defines and the headers it includes.
// Pure: the caller supplies the macros of included headers (the workspace resolves them).
import { analyseBody, gasMacroParams, type MacroDef, parseDefineHead, sectionSwitch } from './macros.js';
import { type Dialect, scanLines, type SourceLine, splitLines } from './lines.js';
import { parseStatement, type Span, type Statement, statementSpans } from './statements.js';
import { splitOperands, symbolRefs, type Token, tokenize } from './tokens.js';

export type SymbolRole = 'definition' | 'declaration' | 'reference';
export type DefinitionKind = 'label' | 'assignment' | 'common';

export interface SymbolOccurrence extends Span {
  name: string;
  line: number;
  role: SymbolRole;
  /** For definitions. */
  kind?: DefinitionKind;
  /** For definitions: the section in effect ('.text', '.data', ...). */
  section?: string;
  /** Defined by a macro invocation: the macro's name. */
  viaMacro?: string;
}

export interface LocalLabel extends Span {
  /** The digits of `1:`. */
  label: string;
  line: number;
}

export interface LocalRef extends Span {
  label: string;
  line: number;
  direction: 'b' | 'f';
  /** Index into `locals` of the label it resolves to, if any. */
  target?: number;
}

/** A statement that names an instruction (or a macro the document could not see). */
export interface InstructionSite {
  statement: Statement;
  line: number;
  prefixes: Token[];
  mnemonic?: Token;
  hint?: Token;
  operands: string[];
  operandSpans: Span[];
  /** Set when the word is a macro (cpp or gas) known to this file: not an instruction. */
  macro?: MacroDef;
  /** `NAME(...)`: a function-like cpp macro invocation, known or not. */
  call: boolean;
  /** Inside a `.macro` body: parameters (`\x`) may stand for anything. */
  inGasMacro: boolean;
}

export interface Include extends Span {
  path: string;
  line: number;
  /** `<...>` rather than `"..."`. */
  system: boolean;
}

export interface ParsedDocument {
  uri: string;
  dialect: Dialect;
  lines: readonly string[];
  sourceLines: readonly SourceLine[];
  instructions: InstructionSite[];
  symbols: SymbolOccurrence[];
  locals: LocalLabel[];
  localRefs: LocalRef[];
  /** Macros defined in this file, by name. */
  macros: Map<string, MacroDef>;
  includes: Include[];
  /** Names declared .globl/.global/.weak (or .comm) here. */
  globals: Set<string>;
  /** `.type name, @function` / `@object`. */
  types: Map<string, 'function' | 'object'>;
  /** Registers written in operands, for hovers. */
  registers: { line: number; token: Token }[];
}

/** Directives whose arguments are not symbol expressions (section names, CPU names, strings, CFI). */
const NO_SYMBOL_ARGS = /^\.(text|data|bss|section|pushsection|popsection|previous|subsection|file|ident|loc|loc_mark_labels|cfi_\w+|arch|code16|code16gcc|code32|att_syntax|intel_syntax|include|incbin|ascii|asciz|string\d*|err|error|warning|print|title|sbttl|psize|nolist|list|macro|endm|exitm|purge|altmacro|noaltmacro|type|globl|global|weak|hidden|local|protected|internal|extern|comm|lcomm|set|equ|equiv|eqv|size|p2align\w*|balign\w*|align|nops|linefile|func|endfunc|end)$/i;

/** Lines of the `#include` directives of a preprocessed file (before any parsing). */
export function findIncludes(text: string): { path: string; system: boolean }[] {
  const out: { path: string; system: boolean }[] = [];
  for (const m of text.matchAll(/^[ \t]*#[ \t]*include(?:_next)?[ \t]*([<"])([^>"\n]+)[>"]/gm)) {
    out.push({ path: m[2], system: m[1] === '<' });
  }
  return out;
}

/** `#define` macros of a header (or any preprocessed text), for files that include it. */
export function headerMacros(text: string, uri: string): Map<string, MacroDef> {
  return parseDocument(text, uri, 'S', new Map()).macros;
}

export function parseDocument(text: string, uri: string, dialect: Dialect, included: ReadonlyMap<string, MacroDef>): ParsedDocument {
  const lines = splitLines(text);
  const sourceLines = scanLines(lines, dialect);
  const doc: ParsedDocument = {
    uri, dialect, lines, sourceLines, instructions: [], symbols: [], locals: [], localRefs: [],
    macros: new Map(), includes: [], globals: new Set(), types: new Map(), registers: [],
  };
  const macroNamed = (name: string): MacroDef | undefined => doc.macros.get(name) ?? included.get(name);
  let section = '.text';
  const sectionStack: string[] = [];
  let previousSection = '.text';
  let gasMacro: { def: MacroDef; body: { code: string; line: number; from: number }[] } | undefined;

  /** Symbol references in [from, to) of a line; `params` are a macro's own parameters. */
  const addRefs = (code: string, line: number, from: number, to: number, params?: readonly string[]): void => {
    const tokens = tokenize(code, from, to);
    for (const t of tokens) {
      if (t.type === 'register') doc.registers.push({ line, token: t });
      if (t.type === 'localRef') doc.localRefs.push({ label: t.text.slice(0, -1), direction: t.text.endsWith('b') ? 'b' : 'f', line, start: t.start, end: t.end });
    }
    for (const t of symbolRefs(tokens, (n) => n === '.' || params?.includes(n) === true || macroNamed(n) !== undefined)) {
      doc.symbols.push({ name: t.text, line, start: t.start, end: t.end, role: 'reference' });
    }
  };

  const define = (name: string, line: number, start: number, kind: DefinitionKind, via?: MacroDef): void => {
    const where = via?.sectionAtLabel ?? section;
    doc.symbols.push({ name, line, start, end: start + name.length, role: 'definition', kind, section: where, ...(via ? { viaMacro: via.name } : {}) });
  };
  const declare = (name: string, line: number, start: number): void => {
    doc.symbols.push({ name, line, start, end: start + name.length, role: 'declaration' });
  };

  for (let n = 0; n < sourceLines.length; n++) {
    const src = sourceLines[n];
    if (src.inactive) continue;
    if (src.cpp) {
      n = cppLine(doc, src, n, addRefs);
      continue;
    }
    const code = src.code;
    if (gasMacro) {
      if (/^\s*\.endm\b/i.test(code)) {
        analyseBody(gasMacro.def, gasMacro.body);
        gasMacro = undefined;
      } else {
        gasMacro.body.push({ code, line: n, from: 0 });
      }
    }
    for (const span of statementSpans(code)) {
      const st = parseStatement(code, n, span, (a, b) => splitOperands(code, a, b));
      for (const l of st.labels) {
        if (l.numeric) doc.locals.push({ label: l.name, line: n, start: l.start, end: l.end });
        else if (!gasMacro) define(l.name, n, l.start, 'label');
      }
      const body = st.body;
      if (!body) continue;
      const switched = sectionSwitch(code, st);
      if (switched) {
        if (body.kind === 'directive' && body.name.text.toLowerCase() === '.pushsection') sectionStack.push(section);
        previousSection = section;
        section = switched;
      }
      if (body.kind === 'assignment') {
        if (!gasMacro) define(body.name.text, n, body.name.start, 'assignment');
        addRefs(code, n, body.expr.start, body.expr.end);
      } else if (body.kind === 'directive') {
        const dir = body.name.text.toLowerCase();
        if (dir === '.popsection') {
          previousSection = section;
          section = sectionStack.pop() ?? section;
        } else if (dir === '.previous') {
          [section, previousSection] = [previousSection, section];
        } else if (dir === '.macro' && !gasMacro) {
          const { name, params } = gasMacroParams(code.slice(body.args.start, body.args.end));
          if (name) {
            const at = code.indexOf(name, body.args.start);
            const def: MacroDef = { name, kind: 'gas', params, uri, line: n, start: at, end: at + name.length, labelParams: [], globalParams: [], functionParams: [] };
            doc.macros.set(name, def);
            gasMacro = { def, body: [] };
          }
        }
        if (!gasMacro || dir === '.macro') directiveSymbols(doc, code, n, st, dir, define, declare, addRefs);
      } else {
        const macro = instructionStatement(doc, code, n, st, macroNamed, gasMacro !== undefined, define, declare, addRefs);
        if (macro?.sectionAfter) {
          previousSection = section;
          section = macro.sectionAfter;
        }
      }
    }
  }
  resolveLocals(doc);
  return doc;
}

type AddRefs = (code: string, line: number, from: number, to: number, params?: readonly string[]) => void;
type Define = (name: string, line: number, start: number, kind: DefinitionKind, via?: MacroDef) => void;
type Declare = (name: string, line: number, start: number) => void;

/** A preprocessor line: #include is remembered, #define becomes a macro (its body's references count). */
function cppLine(doc: ParsedDocument, src: SourceLine, n: number, addRefs: AddRefs): number {
  const cpp = src.cpp!;
  if (n !== cpp.first) return n;
  if (cpp.directive === 'include' || cpp.directive === 'include_next') {
    const m = /^(\s*#\s*include(?:_next)?\s*)([<"])([^>"]+)[>"]/.exec(doc.sourceLines[n].code);
    if (m) doc.includes.push({ path: m[3], system: m[2] === '<', line: n, start: m[1].length + 1, end: m[1].length + 1 + m[3].length });
  } else if (cpp.directive === 'define') {
    const code = doc.sourceLines[n].code;
    const head = parseDefineHead(code);
    if (head) {
      const def: MacroDef = {
        name: head.name, kind: 'cpp', ...(head.params ? { params: head.params } : {}), uri: doc.uri, line: n,
        start: head.start, end: head.start + head.name.length, labelParams: [], globalParams: [], functionParams: [],
      };
      const body = [];
      for (let k = cpp.first; k <= cpp.last; k++) body.push({ code: doc.sourceLines[k].code, line: k, from: k === cpp.first ? head.bodyFrom : 0 });
      const statements = analyseBody(def, body);
      doc.macros.set(def.name, def);
      // References written in the body count where they are written (once, not per expansion).
      const params = head.params ?? [];
      const bodyText = body.map((b) => b.code.slice(b.from)).join('\n');
      const isStatements = bodyText.includes(';') || /^\s*\./.test(bodyText) || statements.some((st) => st.labels.length > 0);
      if (!isStatements) {
        // An expression macro (`#define RELOC(x) ((x) - KERNBASE)`): every name in it is a reference.
        for (const b of body) addRefs(b.code, b.line, b.from, b.code.length, params);
        return cpp.last;
      }
      for (const st of statements) {
        const line = doc.sourceLines[st.line].code;
        const b = st.body;
        if (b?.kind === 'instruction') addRefs(line, st.line, b.rest.start, b.rest.end, params);
        else if (b?.kind === 'assignment') addRefs(line, st.line, b.expr.start, b.expr.end, params);
        else if (b?.kind === 'directive' && !NO_SYMBOL_ARGS.test(b.name.text)) addRefs(line, st.line, b.args.start, b.args.end, params);
      }
    }
  }
  return cpp.last;
}

function directiveSymbols(doc: ParsedDocument, code: string, n: number, st: Statement, dir: string, define: Define, declare: Declare, addRefs: AddRefs): void {
  if (st.body?.kind !== 'directive') return;
  const args = st.body.args;
  const names = (): Token[] => tokenize(code, args.start, args.end).filter((t) => t.type === 'symbol');
  switch (dir) {
    case '.globl': case '.global': case '.weak': case '.hidden': case '.local': case '.protected': case '.internal': case '.extern':
      for (const t of names()) {
        declare(t.text, n, t.start);
        if (dir === '.globl' || dir === '.global' || dir === '.weak') doc.globals.add(t.text);
      }
      return;
    case '.type': {
      const [t] = names();
      if (!t) return;
      declare(t.text, n, t.start);
      const rest = code.slice(t.end, args.end);
      if (/function/.test(rest)) doc.types.set(t.text, 'function');
      else if (/object/.test(rest)) doc.types.set(t.text, 'object');
      return;
    }
    case '.size': {
      const ops = splitOperands(code, args.start, args.end);
      const [t] = ops[0] ? tokenize(code, ops[0].start, ops[0].end) : [];
      if (t?.type === 'symbol') declare(t.text, n, t.start);
      if (ops[1]) addRefs(code, n, ops[1].start, args.end);
      return;
    }
    case '.set': case '.equ': case '.equiv': case '.eqv': {
      const ops = splitOperands(code, args.start, args.end);
      const [t] = ops[0] ? tokenize(code, ops[0].start, ops[0].end) : [];
      if (t?.type === 'symbol') define(t.text, n, t.start, 'assignment');
      if (ops[1]) addRefs(code, n, ops[1].start, args.end);
      return;
    }
    case '.comm': case '.lcomm': {
      const [t] = names();
      if (!t) return;
      define(t.text, n, t.start, 'common');
      if (dir === '.comm') doc.globals.add(t.text);
      return;
    }
    default:
      if (!NO_SYMBOL_ARGS.test(dir)) addRefs(code, n, args.start, args.end);
  }
}

function instructionStatement(
  doc: ParsedDocument, code: string, n: number, st: Statement, macroNamed: (name: string) => MacroDef | undefined,
  inGasMacro: boolean, define: Define, declare: Declare, addRefs: AddRefs,
): MacroDef | undefined {
  if (st.body?.kind !== 'instruction') return undefined;
  const b = st.body;
  const macro = b.mnemonic ? macroNamed(b.mnemonic.text) : undefined;
  doc.instructions.push({
    statement: st, line: n, prefixes: b.prefixes, mnemonic: b.mnemonic, hint: b.hint,
    operands: b.operands.map((o) => code.slice(o.start, o.end)), operandSpans: b.operands,
    ...(macro ? { macro } : {}), call: b.call, inGasMacro,
  });
  if (!macro) {
    addRefs(code, n, b.rest.start, b.rest.end);
    return undefined;
  }
  // A macro invocation: its arguments, inside (...) for cpp, comma separated for gas.
  let args = b.operands;
  if (b.call) {
    const close = code.lastIndexOf(')', b.rest.end);
    args = close > b.rest.start ? splitOperands(code, b.rest.start + 1, close) : [];
  }
  args.forEach((a, k) => {
    const tokens = tokenize(code, a.start, a.end);
    const name = tokens.length === 1 && tokens[0].type === 'symbol' ? tokens[0] : undefined;
    if (name && macro.labelParams.includes(k) && !inGasMacro) {
      define(name.text, n, name.start, 'label', macro);
      if (macro.globalParams.includes(k)) {
        declare(name.text, n, name.start);
        doc.globals.add(name.text);
      }
      if (macro.functionParams.includes(k)) doc.types.set(name.text, 'function');
    } else {
      addRefs(code, n, a.start, a.end);
    }
  });
  return macro;
}

/** `1b` is the nearest `1:` before the reference, `1f` the nearest after it. */
function resolveLocals(doc: ParsedDocument): void {
  const before = (a: { line: number; start: number }, b: { line: number; start: number }): boolean =>
    a.line < b.line || (a.line === b.line && a.start < b.start);
  for (const r of doc.localRefs) {
    let found: number | undefined;
    doc.locals.forEach((l, k) => {
      if (l.label !== r.label) return;
      if (r.direction === 'b' && before(l, r)) found = k;
      else if (r.direction === 'f' && found === undefined && before(r, l)) found = k;
    });
    if (found !== undefined) r.target = found;
  }
}

/** Whether a position is inside a span of a line. */
export function within(line: number, character: number, at: { line: number; start: number; end: number }): boolean {
  return at.line === line && character >= at.start && character <= at.end;
}

export type { MacroDef };
