// Runs GNU as/objdump (the outside truth for the disassembler) and parses objdump's listing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ObjdumpLine {
  addr: number;
  bytes: number[];
  /** The instruction column, `<symbol+off>` annotations removed, branch targets as 0x... */
  text: string;
}

/** One objdump line: "  addr:\tbytes \tinstruction". */
const LINE = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/;

/**
 * Normalises the instruction column: objdump prints a symbolized target as `jmp 12 <f+0x2>`
 * (no 0x); the disassembler prints every target as 0x12.
 */
export function normalise(text: string): string {
  const m = /^(.*?)([0-9a-f]+) <[^>]*>$/.exec(text);
  return m ? `${m[1]}0x${m[2]}` : text.replace(/\s+$/, '');
}

export function parseObjdump(out: string): ObjdumpLine[] {
  const lines: ObjdumpLine[] = [];
  for (const l of out.split('\n')) {
    const m = LINE.exec(l);
    if (!m) continue;
    lines.push({
      addr: parseInt(m[1], 16),
      bytes: m[2].trim().split(/\s+/).map((h) => parseInt(h, 16)),
      text: normalise(m[3]),
    });
  }
  return lines;
}

function withTempDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-disasm-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const OBJDUMP_ARGS = ['--insn-width=16'];

/** Assembles 32-bit AT&T source; returns the .text bytes and objdump's listing of them. */
export function assembleAndDump(source: string): { text: Uint8Array; lines: ObjdumpLine[] } {
  return withTempDir((dir) => {
    const src = join(dir, 'corpus.s');
    const obj = join(dir, 'corpus.o');
    const bin = join(dir, 'corpus.bin');
    writeFileSync(src, source);
    execFileSync('as', ['--32', '-o', obj, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('objcopy', ['-O', 'binary', '--only-section=.text', obj, bin]);
    const out = execFileSync('objdump', ['-d', ...OBJDUMP_ARGS, obj], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return { text: new Uint8Array(readFileSync(bin)), lines: parseObjdump(out) };
  });
}

/** objdump's listing of raw 32-bit code loaded at `vma`. */
export function dumpBinary(code: Uint8Array, vma: number): ObjdumpLine[] {
  return withTempDir((dir) => {
    const bin = join(dir, 'code.bin');
    writeFileSync(bin, code);
    const out = execFileSync(
      'objdump',
      ['-D', '-b', 'binary', '-m', 'i386', `--adjust-vma=0x${vma.toString(16)}`, ...OBJDUMP_ARGS, bin],
      { encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    return parseObjdump(out);
  });
}
