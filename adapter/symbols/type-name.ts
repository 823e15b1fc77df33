import type { CType, Member } from './types.js';

/**
 * Walking a type graph: C names, sizes, stripping typedefs. Legitimate cycles only run through
 * struct members, which none of these walks enter; a cycle elsewhere (a pointer to itself)
 * can only come from a corrupt file, and the depth limit turns it into a finite answer.
 */
const MAX_WALK = 64;

/** The C spelling of a type: "struct point *", "unsigned char[16]", "int (*)(int, char *)". */
export function typeName(t: CType): string {
  return render(t, '', 0);
}

/** A C declaration of `name` with type `t`: "int (*handler)(int, char *)", "char buf[16]". */
export function declaration(t: CType, name: string): string {
  return render(t, name, 0);
}

/** gcc names base types the long way ("short unsigned int"); C programmers (and gdb) say this. */
const C_NAMES: Record<string, string> = {
  'short int': 'short',
  'short unsigned int': 'unsigned short',
  'long int': 'long',
  'long unsigned int': 'unsigned long',
  'long long int': 'long long',
  'long long unsigned int': 'unsigned long long',
};

function named(name: string, inner: string): string {
  if (inner === '') return name;
  return inner.startsWith('[') ? name + inner : `${name} ${inner}`;
}

/** A declarator that starts with '*' binds looser than [] and (): parenthesise it. */
function wrap(inner: string): string {
  return inner.startsWith('*') ? `(${inner})` : inner;
}

function render(t: CType, inner: string, depth: number): string {
  if (depth > MAX_WALK) return named('<type nested too deeply>', inner);
  const next = depth + 1;
  switch (t.kind) {
    case 'void':
      return named('void', inner);
    case 'base':
      return named(C_NAMES[t.name] ?? t.name, inner);
    case 'typedef':
    case 'unknown':
      return named(t.name, inner);
    case 'struct':
    case 'union':
    case 'enum':
      return named(`${t.kind} ${t.name ?? '{...}'}`, inner);
    case 'pointer':
      return render(t.target, `*${inner}`, next);
    case 'const':
    case 'volatile':
    case 'restrict':
    case 'atomic': {
      // gcc may nest them in any order (volatile -> const -> short); C spells them in one.
      const quals = new Set<string>();
      let target: CType = t;
      for (let i = 0; i < MAX_WALK && isQualifier(target); i++) {
        quals.add(target.kind);
        target = target.target;
      }
      const q = QUALIFIER_ORDER.filter((k) => quals.has(k)).map((k) => (k === 'atomic' ? '_Atomic' : k)).join(' ');
      // A qualified pointer is spelled after its star: "char *const p".
      if (target.kind === 'pointer') return render(target.target, `*${q}${inner === '' ? '' : ` ${inner}`}`, next + 1);
      return `${q} ${render(target, inner, next)}`;
    }
    case 'array':
      return render(t.element, `${wrap(inner)}[${t.count ?? ''}]`, next);
    case 'function': {
      let params: string;
      if (!t.prototyped && t.params.length === 0) params = '';
      else if (t.params.length === 0) params = t.variadic ? '...' : 'void';
      else params = t.params.map((p) => render(p, '', next)).join(', ') + (t.variadic ? ', ...' : '');
      return render(t.returns, `${wrap(inner)}(${params})`, next);
    }
  }
}

const QUALIFIER_ORDER = ['const', 'volatile', 'restrict', 'atomic'] as const;

function isQualifier(t: CType): t is Extract<CType, { kind: 'const' | 'volatile' | 'restrict' | 'atomic' }> {
  return t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic';
}

/** The type without typedefs and qualifiers: what the bytes really are. */
export function strip(t: CType): CType {
  for (let i = 0; i < MAX_WALK; i++) {
    if (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic') t = t.target;
    else return t;
  }
  return { kind: 'unknown', name: '<type nested too deeply>' };
}

/** sizeof(t) in bytes; undefined for void, functions and arrays of unknown bound. */
export function sizeOf(t: CType): number | undefined {
  let factor = 1;
  for (let i = 0; i < MAX_WALK; i++) {
    t = strip(t);
    switch (t.kind) {
      case 'base':
      case 'pointer':
      case 'struct':
      case 'union':
      case 'enum':
        return t.size * factor;
      case 'array':
        if (t.count === undefined) return undefined;
        factor *= t.count;
        t = t.element;
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The member of a struct or union (after stripping) named `name`, searching anonymous members too. */
export function findMember(t: CType, name: string): { member: Member; offset: number } | undefined {
  const search = (s: CType, base: number, depth: number): { member: Member; offset: number } | undefined => {
    s = strip(s);
    if ((s.kind !== 'struct' && s.kind !== 'union') || depth > MAX_WALK) return undefined;
    for (const m of s.members) {
      if (m.name === name) return { member: m, offset: base + m.offset };
      if (m.name === undefined) {
        const found = search(m.type, base + m.offset, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(t, 0, 0);
}
