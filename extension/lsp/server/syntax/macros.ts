// Macros that define labels. Kernel assembly often makes its entry points with a macro, e.g.
//   #define TRAPHANDLER(name, num)  .globl name; name: pushl $(num); jmp _alltraps
//   TRAPHANDLER(divide_error, T_DIVIDE)
// and the assembler's symbol table then has `divide_error`, defined on the invocation line. This
// module reads a macro body (cpp #define or gas .macro) for the parameters it turns into labels.
import { type LabelDef, parseStatement, type Statement, statementSpans } from './statements.js';
import { splitOperands, tokenize } from './tokens.js';

export interface MacroDef {
  name: string;
  kind: 'cpp' | 'gas';
  /** Parameter names; undefined for an object-like cpp macro. */
  params?: string[];
  /** Where the name is written (a header's macros carry their own uri). */
  uri: string;
  line: number;
  start: number;
  end: number;
  /** Parameters the body defines as labels (`name:`), by index. */
  labelParams: number[];
  /** Parameters the body declares global (`.globl name`). */
  globalParams: number[];
  /** Parameters the body declares `@function` (`.type name, @function`). */
  functionParams: number[];
  /** The section in effect where the body defines a parameter label, when the body chose it. */
  sectionAtLabel?: string;
  /** The section the body leaves in effect, when it switches (`.data`). */
  sectionAfter?: string;
}

/** A parameter reference in a body: `name` in cpp, `\name` in gas. */
function paramIndex(word: string, params: readonly string[], kind: 'cpp' | 'gas'): number {
  const w = kind === 'gas' ? (word.startsWith('\\') ? word.slice(1) : undefined) : word;
  return w === undefined ? -1 : params.indexOf(w);
}

export const SECTION_DIRECTIVES: ReadonlyMap<string, string | null> = new Map([
  ['.text', '.text'], ['.data', '.data'], ['.bss', '.bss'], ['.section', null], ['.pushsection', null],
]);

/** The section a directive switches to, if it is a section directive. */
export function sectionSwitch(code: string, st: Statement): string | undefined {
  if (st.body?.kind !== 'directive') return undefined;
  const d = st.body.name.text.toLowerCase();
  if (!SECTION_DIRECTIVES.has(d)) return undefined;
  const fixed = SECTION_DIRECTIVES.get(d);
  if (fixed) return fixed;
  const args = code.slice(st.body.args.start, st.body.args.end);
  return /^\s*([^\s,]+)/.exec(args)?.[1];
}

/** Reads the body statements of a macro and fills in what its parameters become. */
export function analyseBody(def: MacroDef, body: readonly { code: string; line: number; from: number }[]): Statement[] {
  const params = def.params ?? [];
  const statements: Statement[] = [];
  for (const { code, line, from } of body) {
    const text = code.slice(0, from).replace(/[^\t]/g, ' ') + code.slice(from);
    for (const span of statementSpans(text)) {
      const st = parseStatement(text, line, span, (a, b) => splitOperands(text, a, b));
      statements.push(st);
      const section = sectionSwitch(text, st);
      if (section) def.sectionAfter = section;
      const labels: LabelDef[] = gasParamLabels(text, st, def.kind) ?? st.labels;
      for (const l of labels) {
        const k = paramIndex(l.name, params, def.kind);
        if (k < 0 || def.labelParams.includes(k)) continue;
        def.labelParams.push(k);
        if (def.sectionAfter) def.sectionAtLabel = def.sectionAfter;
      }
      if (st.body?.kind !== 'directive') continue;
      const dir = st.body.name.text.toLowerCase();
      const args = tokenize(text, st.body.args.start, st.body.args.end);
      const first = args[0]?.text === '\\' ? '\\' + (args[1]?.text ?? '') : args[0]?.text ?? '';
      const k = paramIndex(first, params, def.kind);
      if (k < 0) continue;
      if ((dir === '.globl' || dir === '.global' || dir === '.weak') && !def.globalParams.includes(k)) def.globalParams.push(k);
      if (dir === '.type' && /function/.test(text.slice(st.body.args.start, st.body.args.end)) && !def.functionParams.includes(k)) def.functionParams.push(k);
    }
  }
  return statements;
}

/** gas bodies write a parameter label as `\name:`, which the label syntax does not cover. */
function gasParamLabels(text: string, st: Statement, kind: 'cpp' | 'gas'): LabelDef[] | undefined {
  if (kind !== 'gas') return undefined;
  const m = /^\s*\\([A-Za-z_][\w]*)\s*:/.exec(text.slice(st.start, st.end));
  if (!m) return undefined;
  return [{ name: '\\' + m[1], start: st.start, end: st.start + m[1].length + 1, numeric: false }];
}

/** `#define NAME(a, b) body` on a cpp logical line: the name, parameters and where the body starts. */
export function parseDefineHead(firstLine: string): { name: string; start: number; params?: string[]; bodyFrom: number } | undefined {
  const m = /^(\s*#\s*define\s+)([A-Za-z_]\w*)(\(([^)]*)\))?/.exec(firstLine);
  if (!m) return undefined;
  const start = m[1].length;
  const params = m[3] !== undefined ? m[4].split(',').map((p) => p.trim()).filter((p) => p !== '') : undefined;
  return { name: m[2], start, ...(params ? { params } : {}), bodyFrom: m[0].length };
}

/** Parameters of `.macro name a, b=1, c:req` (gas also separates them by spaces). */
export function gasMacroParams(args: string): { name?: string; params: string[] } {
  const words = args.trim().split(/[\s,]+/).filter((w) => w !== '');
  const [name, ...rest] = words;
  return { name, params: rest.map((p) => p.replace(/[:=].*$/, '')).filter((p) => p !== '') };
}
