// Builds a small real ELF with the host toolchain and reads binutils' view of it, so the
// loader is checked against outside truth rather than against itself.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Text, data with an object and a local word, a weak alias, and a bss bigger than a page. */
export const FIXTURE_ASM = `
        .text
        .globl _start
        .type _start, @function
_start:
        movl $counter, %eax
        call helper
        int $0x30
1:      jmp 1b
        .size _start, . - _start

        .globl helper
        .type helper, @function
helper:
        incl (%eax)
        ret
        .size helper, . - helper
        .weak helper_alias
        .set helper_alias, helper

        .data
        .globl message
        .type message, @object
message:
        .asciz "hello, ring 3"
        .size message, . - message
        .align 4
local_word:
        .long 0x12345678

        .bss
        .globl counter
        .type counter, @object
        .align 4
counter:
        .zero 4
        .size counter, 4
buffer:
        .zero 8192
`;

/** Assembles and links `source` as the brief's user programs are: static, no libc, at 1 MiB. */
export function buildElf(dir: string, source: string): { path: string; bytes: Uint8Array } {
  const src = join(dir, 'fixture.S');
  const path = join(dir, 'fixture.elf');
  writeFileSync(src, source);
  execFileSync('gcc', ['-m32', '-nostdlib', '-static', '-Wl,-Ttext-segment=0x100000', '-o', path, src], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { path, bytes: new Uint8Array(readFileSync(path)) };
}

export function readelf(args: string[], path: string): string {
  return execFileSync('readelf', [...args, path], { encoding: 'utf8' });
}

const num = (s: string): number => (s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10));

export interface ReadelfLoad {
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

/**
 * `readelf -lW`: the entry point, the type of every program header in order (so LOAD lines can
 * be matched to program header indices) and the LOAD lines.
 */
export function readelfProgramHeaders(text: string): { entry: number; types: string[]; loads: ReadelfLoad[] } {
  const entry = /Entry point (0x[0-9a-f]+)/.exec(text);
  if (!entry?.[1]) throw new Error(`no entry point in readelf output:\n${text}`);
  const loads: ReadelfLoad[] = [];
  const line = /^\s*LOAD\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+([RWE ]+?)\s+(0x\S+)\s*$/gm;
  for (const m of text.matchAll(line)) {
    const [, offset, vaddr, paddr, filesz, memsz, flg, align] = m as unknown as string[];
    const flags = (flg!.includes('R') ? 4 : 0) | (flg!.includes('W') ? 2 : 0) | (flg!.includes('E') ? 1 : 0);
    loads.push({ offset: num(offset!), vaddr: num(vaddr!), paddr: num(paddr!), filesz: num(filesz!), memsz: num(memsz!), flags, align: num(align!) });
  }
  const table = text.slice(text.indexOf('Program Headers:'), text.indexOf('Section to Segment mapping'));
  const types = [...table.matchAll(/^\s+([A-Z][A-Z_]*)\s+0x/gm)].map((m) => m[1]!);
  return { entry: num(entry[1]), types, loads };
}

export interface ReadelfSymbol {
  num: number;
  value: number;
  size: number;
  type: string;
  bind: string;
  ndx: number;
  name: string;
}

const SPECIAL_NDX: Record<string, number> = { UND: 0, ABS: 0xfff1, COM: 0xfff2 };

/** `readelf -sW`: the .symtab lines (readelf prints sizes in decimal, large ones in hex). */
export function readelfSymbols(text: string): ReadelfSymbol[] {
  const out: ReadelfSymbol[] = [];
  const line = /^\s*(\d+):\s+([0-9a-f]{8})\s+(\d+|0x[0-9a-f]+)\s+(\w+)\s+(\w+)\s+\w+\s+(\w+)(?: (.*))?$/gm;
  for (const m of text.matchAll(line)) {
    const [, n, value, size, type, bind, ndx, name] = m as unknown as (string | undefined)[];
    out.push({
      num: Number(n),
      value: parseInt(value!, 16),
      size: num(size!),
      type: type!,
      bind: bind!,
      ndx: SPECIAL_NDX[ndx!] ?? Number(ndx),
      name: name ?? '',
    });
  }
  return out;
}

export interface ReadelfSection {
  index: number;
  name: string;
  type: string;
  addr: number;
  offset: number;
  size: number;
}

/** `readelf -SW`: one line per section; section 0 has an empty name column. */
export function readelfSections(text: string): ReadelfSection[] {
  const out: ReadelfSection[] = [];
  for (const m of text.matchAll(/^\s*\[\s*(\d+)\]\s+(.*)$/gm)) {
    const index = Number(m[1]);
    const fields = m[2]!.trim().split(/\s+/);
    if (index === 0) fields.unshift('');
    const [name, type, addr, offset, size] = fields;
    out.push({ index, name: name!, type: type!, addr: parseInt(addr!, 16), offset: parseInt(offset!, 16), size: parseInt(size!, 16) });
  }
  return out;
}

/** Section header table offset from `readelf -SW` ("starting at offset 0x...") */
export function readelfSectionTableOffset(text: string): number {
  const m = /starting at offset (0x[0-9a-f]+)/.exec(text);
  if (!m?.[1]) throw new Error('no section table offset in readelf output');
  return num(m[1]);
}
