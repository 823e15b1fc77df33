// Hand-written DWARF 5 (fixtures/forms.S) in the forms other producers use: indexed strings
// and addresses, indexed range and location lists, data16, ref_addr, indirect, implicit_const,
// and a line table with inline strings and MD5 checksums.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatExpr, loadSymbols, typeName, type Scope } from '../../../adapter/symbols/index.js';
import { objdumpLines } from './binutils.js';
import { formsFixture } from './toolchain.js';

const { path, bytes } = formsFixture();
const syms = loadSymbols(bytes, path);
const start = syms.elf.symbols.find((s) => s.name === '_start')!.value;
const hits = syms.elf.symbols.find((s) => s.name === 'hits')!.value;

describe('hand-written DWARF 5 forms', () => {
  it('resolves strx/strx2 strings and rnglistx ranges of the unit', () => {
    expect(syms.units).toHaveLength(1);
    const cu = syms.units[0]!;
    expect([cu.producer, cu.name, cu.compDir]).toEqual(['handmade DWARF 5', 'forms.c', '/src']);
    expect(cu.ranges).toEqual([{ start, end: start + 4 }]);
    expect(cu.files).toEqual(['/src/forms.c', '/src/lib/util.h']);
  });

  it('reads a function through addrx1, strx1, implicit_const and ref_addr', () => {
    const fn = syms.functionNamed('_start')!;
    expect([fn.lowPc, fn.highPc, fn.declFile, fn.declLine, fn.external]).toEqual([start, start + 4, '/src/lib/util.h', 7, true]);
    expect(typeName(fn.type)).toBe('int ()');
  });

  it('reads loclistx lists with every entry kind, and a default entry', () => {
    const counter = syms.functionNamed('_start')!.body.variables.find((v) => v.name === 'counter')!;
    expect(counter.location.kind).toBe('list');
    const entries = counter.location.kind === 'list' ? counter.location.entries : [];
    expect(entries.map((e) => [e.start - (e.isDefault ? 0 : start), e.end - (e.isDefault ? 0 : start), formatExpr(e.expr), e.isDefault ?? false])).toEqual([
      [0, 1, 'DW_OP_reg0 (eax)', false],
      [1, 2, 'DW_OP_reg1 (ecx)', false],
      [2, 3, 'DW_OP_fbreg: -4', false],
      [0, 0, 'DW_OP_reg3 (ebx)', true],
    ]);
    const m = { reg: () => 0, readMemory: () => undefined };
    expect(syms.locate(counter, start + 1, m)).toEqual({ kind: 'register', reg: 1 });
    expect(syms.locate(counter, start + 3, m)).toEqual({ kind: 'register', reg: 3 }); // the default
  });

  it('reads a data16 constant through DW_FORM_indirect', () => {
    const wide = syms.functionNamed('_start')!.body.variables.find((v) => v.name === 'wide')!;
    expect(wide.location).toEqual({ kind: 'const', value: Uint8Array.from({ length: 16 }, (_, i) => i + 1) });
    expect(syms.locate(wide, start, { reg: () => 0, readMemory: () => undefined })).toMatchObject({ kind: 'implicit' });
  });

  it('scopes a block by its rnglistx ranges and evaluates DW_OP_addrx', () => {
    const block: Scope = syms.functionNamed('_start')!.body.children[0]!;
    expect(block.ranges).toEqual([{ start: start + 1, end: start + 2 }, { start: start + 2, end: start + 3 }]);
    const v = block.variables[0]!;
    expect([v.name, v.isStatic]).toEqual(['hits', true]);
    const m = { reg: () => 0, readMemory: () => undefined };
    expect(syms.locate(v, start + 1, m)).toEqual({ kind: 'memory', addr: hits });
    expect(syms.scopeAt(start + 2)!.locals.map((x) => x.name)).toEqual(['hits', 'counter', 'wide']);
    expect(syms.scopeAt(start)!.locals.map((x) => x.name)).toEqual(['counter', 'wide']);
  });

  it('runs a line table with inline paths, directory indices and MD5s as objdump does', () => {
    const ours = syms.lines.rows.map((r) => ({ file: basename(r.file), line: r.endSequence ? undefined : r.line, address: r.address, isStmt: r.endSequence ? false : r.isStmt }));
    expect(ours).toEqual(objdumpLines(path));
    expect(syms.lines.rows.map((r) => `${r.file}:${r.line}:${r.column}${r.isStmt ? '' : ' (not stmt)'}`).slice(0, 4)).toEqual([
      '/src/forms.c:7:3', '/src/lib/util.h:8:3', '/src/forms.c:8:3 (not stmt)', '/src/forms.c:10:3',
    ]);
    expect(syms.lineForAddress(start + 2)).toEqual({ file: '/src/forms.c', line: 8, column: 3 });
    expect(syms.isStatementStart(start + 2)).toBe(false);
    expect(syms.resolveBreakpoint('/src/forms.c', 8)).toEqual({ line: 10, addresses: [start + 3] });
  });
});
