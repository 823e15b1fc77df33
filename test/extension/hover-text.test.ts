// What the hovers read off a line: names and member chains, number literals (their values as the
// host's C compiler reads them), comments, and which names the kernel declares as trap frames.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaresTrapFrame, expressionAt, inBlockComment, numberAt } from '../../extension/model/hover-text.js';
import { kernelSource, userSource } from '../adapter/dap-helpers.js';

const at = (line: string, word: string, k = 0): number => line.indexOf(word) + k;

describe('expressionAt', () => {
  it('a name, and the member chain before a member', () => {
    const line = '\tprint_regs(&tf->tf_regs.reg_eax);';
    expect(expressionAt(line, at(line, 'tf->'))).toMatchObject({ expression: 'tf', name: 'tf' });
    expect(expressionAt(line, at(line, 'tf_regs', 3))).toMatchObject({ expression: 'tf->tf_regs', name: 'tf_regs' });
    expect(expressionAt(line, at(line, 'reg_eax', 2))).toMatchObject({ expression: 'tf->tf_regs.reg_eax', start: at(line, 'tf->'), end: line.indexOf(')') });
    expect(expressionAt(line, at(line, 'print_regs'))).toMatchObject({ expression: 'print_regs' });
  });

  it('nothing on keywords, numbers, comments and strings', () => {
    const line = '\tif (x == 14) cprintf("tf %d", tf); /* tf */ // tf';
    expect(expressionAt(line, at(line, 'if'))).toBeUndefined();
    expect(expressionAt(line, at(line, '14'))).toBeUndefined();
    expect(expressionAt(line, at(line, '"tf') + 1)).toBeUndefined();
    expect(expressionAt(line, at(line, '/* tf') + 3)).toBeUndefined();
    expect(expressionAt(line, line.lastIndexOf('tf'))).toBeUndefined();
    expect(expressionAt(line, at(line, ', tf') + 2)).toMatchObject({ expression: 'tf' });
    // A line inside a /* comment opened on an earlier line.
    expect(expressionAt(' * on the same KSTACKTOP. the saved state is curenv->env_tf.', 45, { inComment: true })).toBeUndefined();
  });

  it('assembly: %eax is the register $eax, # starts a comment, #include does not', () => {
    const line = '\tmovl %eax, tf_eax(%esp)  # save eax';
    expect(expressionAt(line, at(line, 'eax'), { asm: true })).toMatchObject({ expression: '$eax', start: at(line, '%eax') });
    expect(expressionAt(line, line.lastIndexOf('eax'), { asm: true })).toBeUndefined();
    expect(expressionAt('#define SYS_write 4', 10, { asm: true })).toMatchObject({ expression: 'SYS_write' });
  });

  it('inBlockComment follows /* */ across lines of a real kernel source', () => {
    const text = readFileSync(kernelSource('trap.c'), 'utf8');
    const lines = text.split('\n');
    const offsetOf = (i: number): number => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
    const inside = lines.findIndex((l) => l.includes('on the same KSTACKTOP'));
    const code = lines.findIndex((l) => l.includes('curenv->env_tf = *tf;'));
    expect(inBlockComment(text, offsetOf(inside))).toBe(true);
    expect(inBlockComment(text, offsetOf(code))).toBe(false);
  });
});

describe('numberAt', () => {
  it('reads literals as the C compiler does', () => {
    const literals = ['0x30', '010', '4096', '0xf0100064u', '0755', '2147483648UL', '0', '0XEEBFE000'];
    const dir = mkdtempSync(join(tmpdir(), 'ringside-literals-'));
    try {
      writeFileSync(join(dir, 'l.c'), `#include <stdio.h>\nint main(void) {\n${literals.map((l) => `\tprintf("%llu\\n", (unsigned long long) (${l}));`).join('\n')}\n\treturn 0;\n}\n`);
      execFileSync('gcc', ['-o', join(dir, 'l'), join(dir, 'l.c')]);
      const values = execFileSync(join(dir, 'l'), { encoding: 'utf8' }).trim().split('\n').map(Number);
      literals.forEach((l, i) => {
        const line = `x = ${l};`;
        expect(numberAt(line, 4 + l.length - 1), l).toMatchObject({ text: l, value: values[i], start: 4, end: 4 + l.length });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an AT&T immediate counts; names, floats and comments do not', () => {
    const lines = readFileSync(userSource('hello_asm.S'), 'utf8').split('\n');
    const int80 = lines.find((l) => /^\s*int\s+\$0x80/.test(l))!;
    expect(numberAt(int80, int80.indexOf('0x80') + 1, { asm: true })).toMatchObject({ value: 0x80, text: '0x80' });
    // The same instruction in a string of C inline assembly is text, not a number.
    const c = readFileSync(userSource('lib/syscall.c'), 'utf8').split('\n').find((l) => l.includes('asm volatile("int $0x30"'))!;
    expect(numberAt(c, c.indexOf('0x30') + 1)).toBeUndefined();
    expect(numberAt('x86_64 r2d2', 1)).toBeUndefined();
    expect(numberAt('x86_64 r2d2', 9)).toBeUndefined();
    expect(numberAt('f = 1.5;', 4)).toBeUndefined();
    expect(numberAt('x = 0x100000000;', 6)).toBeUndefined(); // beyond 32 bits
    expect(numberAt('mov $1, %eax # 0x30', 17, { asm: true })).toBeUndefined();
    expect(numberAt('a = 09;', 4)).toBeUndefined(); // not an octal number
  });
});

describe('declaresTrapFrame, on the kernel sources', () => {
  it('finds the struct Trapframe parameters and variables', () => {
    const trap = readFileSync(kernelSource('trap.c'), 'utf8');
    expect(declaresTrapFrame(trap, 'tf')).toBe(true);
    expect(declaresTrapFrame(trap, 'last_tf')).toBe(true);
    expect(declaresTrapFrame(trap, 'curenv')).toBe(false);
    expect(declaresTrapFrame(trap, 'tf_trapno')).toBe(false);
    expect(declaresTrapFrame(readFileSync(kernelSource('fault.c'), 'utf8'), 'tf')).toBe(true);
    // Only declarations before the hover count.
    expect(declaresTrapFrame('int x; struct Trapframe *tf;', 'tf', 3)).toBe(false);
  });
});
