// Kernels for the multiboot loader and CLI tests, built at test time with the host toolchain
// (gcc -m32, ld -m elf_i386), and binutils' view of them (objdump -h, nm) as outside truth.
import { execFileSync } from 'node:child_process';
import { cpSync, chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/bench-guest beside the repository (the test runs from test/emulator/ or out/test/emulator/). */
export function benchGuestDir(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 6; i++) {
    dir = join(dir, '..');
    const candidate = join(dir, 'shared', 'bench-guest');
    if (existsSync(join(candidate, 'build.sh'))) return candidate;
  }
  throw new Error('cannot find ../shared/bench-guest above ' + fileURLToPath(import.meta.url));
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The usual kernel layout: everything from 1 MiB, the multiboot header first. */
export const FLAT_LINKER_SCRIPT = `
ENTRY(_start)
SECTIONS {
  . = 0x100000;
  .text : { *(.multiboot) *(.text .text.*) }
  .rodata : { *(.rodata .rodata.*) }
  .data : { *(.data .data.*) }
  .bss : { *(.bss .bss.*) *(COMMON) }
}`;

/**
 * Assembles `source` (AT&T, with the C preprocessor) and links it with `script` into
 * dir/name.elf. Returns the path.
 */
export function buildKernel(dir: string, name: string, source: string, script = FLAT_LINKER_SCRIPT): string {
  const src = join(dir, `${name}.S`);
  const obj = join(dir, `${name}.o`);
  const ld = join(dir, `${name}.ld`);
  const elf = join(dir, `${name}.elf`);
  // The note keeps ld from warning about an executable stack.
  writeFileSync(src, `${source}\n.section .note.GNU-stack,"",@progbits\n`);
  writeFileSync(ld, script);
  run('gcc', ['-m32', '-c', src, '-o', obj]);
  run('ld', ['-m', 'elf_i386', '--build-id=none', '-T', ld, '-o', elf, obj]);
  return elf;
}

/** Builds ../shared/bench-guest with its own build.sh in a copy (the shared folder is read-only). */
export function buildBenchGuest(dir: string, scale: number): string {
  const copy = join(dir, 'bench-guest');
  cpSync(benchGuestDir(), copy, { recursive: true });
  chmodSync(copy, 0o755);
  for (const f of readdirSync(copy)) chmodSync(join(copy, f), 0o644);
  execFileSync('bash', ['build.sh', String(scale)], { cwd: copy, stdio: ['ignore', 'ignore', 'pipe'] });
  return join(copy, `bench_s${scale}.elf`);
}

export interface ObjdumpSection {
  name: string;
  size: number;
  vma: number;
  lma: number;
  fileOffset: number;
  flags: string[];
}

/** `objdump -h`: each section with its load address (LMA) and flags (CONTENTS, ALLOC, LOAD...). */
export function objdumpSections(path: string): ObjdumpSection[] {
  const lines = run('objdump', ['-h', path]).split('\n');
  const out: ObjdumpSection[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+2\*\*\d+/.exec(lines[i]!);
    if (!m) continue;
    const flags = (lines[i + 1] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    out.push({ name: m[1]!, size: parseInt(m[2]!, 16), vma: parseInt(m[3]!, 16), lma: parseInt(m[4]!, 16), fileOffset: parseInt(m[5]!, 16), flags });
  }
  return out;
}

/** `nm`: symbol name -> value. */
export function nmSymbols(path: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of run('nm', [path]).split('\n')) {
    const m = /^([0-9a-f]+)\s+\S\s+(\S+)$/.exec(line.trim());
    if (m) map.set(m[2]!, parseInt(m[1]!, 16));
  }
  return map;
}

export function symbol(symbols: Map<string, number>, name: string): number {
  const v = symbols.get(name);
  if (v === undefined) throw new Error(`no symbol ${name}`);
  return v;
}

/** A multiboot header with the given flags (checksum right), for the .multiboot section. */
export function headerAsm(flags: string, extra = ''): string {
  return `
  .section .multiboot, "a"
  .p2align 2
mb_header:
  .long 0x1BADB002
  .long ${flags}
  .long -(0x1BADB002 + (${flags}))
${extra}
`;
}

/**
 * An xv6/JOS-shaped kernel: an ELF multiboot header (flags 0), linked at 0xf0100000 and loaded
 * at 1 MiB. It stores EAX and EBX where the test can read them, then halts with interrupts off.
 * `entry` picks what e_entry holds: the physical address of the entry code (xv6, JOS), or its
 * linked virtual address (which the loader must translate).
 */
export function highKernelSource(): string {
  return `${headerAsm('0')}
  .text
  .globl entry
entry:
  movl %eax, (magic_seen - 0xf0000000)
  movl %ebx, (mbi_seen - 0xf0000000)
  movl %esp, (esp_seen - 0xf0000000)
  cli
1:hlt
  jmp 1b
  .globl _start
  .set _start, entry - 0xf0000000

  .data
  .globl magic_seen, mbi_seen, esp_seen
magic_seen: .long 0
mbi_seen:   .long 0
esp_seen:   .long 0
message:    .asciz "data after text"

  .bss
  .p2align 12
  .globl big_bss
big_bss: .skip 12288
`;
}

export function highLinkerScript(entrySymbol: '_start' | 'entry'): string {
  return `
ENTRY(${entrySymbol})
SECTIONS {
  . = 0xf0100000;
  .text : AT(0x100000) { *(.multiboot) *(.text .text.*) }
  .rodata : { *(.rodata .rodata.*) }
  . = ALIGN(0x1000);
  .data : { *(.data .data.*) }
  .bss : { *(.bss .bss.*) *(COMMON) }
  /DISCARD/ : { *(.note.gnu.property) }
}`;
}

/**
 * For --trace-traps: COM1 output, then int $0x80 in ring 0, a kernel #PF (not present), ring 3,
 * int $0x80 from ring 3, a user #PF (write to a read-only page), and int $0x81 through a DPL 0
 * gate (#GP with an IDT error code), whose handler halts with interrupts off.
 */
export const TRACE_KERNEL = `${headerAsm('0')}
  .text
  .globl _start
_start:
  lgdt gdt_desc
  ljmp $0x08, $1f
1:movw $0x10, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %ss
  movw %ax, %fs
  movw %ax, %gs
  movl $kstack_top, %esp

  movl $hello, %esi
  movw $0x3f8, %dx
2:lodsb
  testb %al, %al
  jz 3f
  outb %al, %dx
  jmp 2b
3:
  movl $tss, %eax            # TSS descriptor base, and ring 0 stack for traps from ring 3
  movw %ax, gdt + 0x28 + 2
  shrl $16, %eax
  movb %al, gdt + 0x28 + 4
  movb %ah, gdt + 0x28 + 7
  movl $kstack_top, tss + 4
  movl $0x10, tss + 8
  movw $0x28, %ax
  ltr %ax

  movl $gp_handler, %eax
  movl $13, %ecx
  movl $0x8e00, %edx
  call set_gate
  movl $pf_handler, %eax
  movl $14, %ecx
  call set_gate
  movl $sys_handler, %eax
  movl $0x81, %ecx
  call set_gate
  movl $sys_handler, %eax
  movl $0xee00, %edx         # DPL 3: int $0x80 allowed from ring 3
  movl $0x80, %ecx
  call set_gate
  lidt idt_desc

  int $0x80
  .globl after_int_ring0
after_int_ring0:

  movl $0, %ecx              # page table: identity, user, writable, except 0x300000 (read-only)
4:movl %ecx, %eax
  shll $12, %eax
  orl $7, %eax
  movl %eax, pt0(,%ecx,4)
  incl %ecx
  cmpl $1024, %ecx
  jne 4b
  movl $0x300005, pt0 + 0x300 * 4
  movl $pt0, %eax
  orl $7, %eax
  movl %eax, pgdir
  movl $pgdir, %eax
  movl %eax, %cr3
  movl %cr0, %eax
  orl $0x80000000, %eax
  movl %eax, %cr0

  movl $0x400000, %eax
  .globl kernel_fault
kernel_fault:
  movl $1, (%eax)            # 6 bytes; the #PF handler skips it

  movw $0x23, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %fs
  movw %ax, %gs
  pushl $0x23
  pushl $ustack_top
  pushl $0x002
  pushl $0x1b
  pushl $user
  iret

user:
  int $0x80
  .globl after_int_ring3
after_int_ring3:
  movl $0x300000, %eax
  .globl user_fault
user_fault:
  movl $1, (%eax)
  .globl user_int81
user_int81:
  int $0x81
5:jmp 5b

sys_handler:
  iret
pf_handler:
  addl $4, %esp              # the error code
  addl $6, (%esp)            # past the faulting movl $1, (%eax)
  iret
gp_handler:
  cli
  hlt
  jmp gp_handler

set_gate:                    # eax = handler, ecx = vector, edx = type and attributes << 8
  leal idt(,%ecx,8), %ecx
  movw %ax, (%ecx)
  movw $0x08, 2(%ecx)
  movw %dx, 4(%ecx)
  shrl $16, %eax
  movw %ax, 6(%ecx)
  ret

  .data
hello: .asciz "TRACE KERNEL\\n"
  .p2align 3
gdt:
  .quad 0
  .quad 0x00cf9a000000ffff
  .quad 0x00cf92000000ffff
  .quad 0x00cffa000000ffff
  .quad 0x00cff2000000ffff
  .quad 0x0000890000000067
gdt_desc:
  .word gdt_desc - gdt - 1
  .long gdt
idt_desc:
  .word 256 * 8 - 1
  .long idt

  .bss
  .p2align 12
pgdir: .skip 4096
pt0:   .skip 4096
idt:   .skip 2048
tss:   .skip 104
  .p2align 4
  .skip 4096
kstack_top:
  .skip 4096
ustack_top:
`;

/**
 * Prints its command line, then each module's string and contents, on COM1; exits through the
 * debug-exit port with the module count (status = count * 2 + 1).
 */
export const ECHO_KERNEL = `${headerAsm('3')}
  .text
  .globl _start
_start:
  movl $0x90000, %esp
  movl %ebx, %ebp            # the MBI
  movw $0x3f8, %dx
  movl 16(%ebp), %esi        # cmdline
  call puts
  call newline
  movl 24(%ebp), %ebx        # mods_addr
  movl 20(%ebp), %edi        # mods_count
1:testl %edi, %edi
  jz 3f
  movl 8(%ebx), %esi         # the module's string
  call puts
  movb $':', %al
  outb %al, %dx
  movl 0(%ebx), %esi         # its bytes, mod_start..mod_end
2:cmpl 4(%ebx), %esi
  jae 4f
  lodsb
  outb %al, %dx
  jmp 2b
4:call newline
  addl $16, %ebx
  decl %edi
  jmp 1b
3:movl 20(%ebp), %eax
  outb %al, $0xf4
  cli
  hlt

puts:
  lodsb
  testb %al, %al
  jz 1f
  outb %al, %dx
  jmp puts
1:ret
newline:
  movb $'\\n', %al
  outb %al, %dx
  ret
`;

/** Spins forever (for --max-instructions). */
export const SPIN_KERNEL = `${headerAsm('0')}
  .text
  .globl _start
_start:
  jmp _start
`;

/** int3 with an empty IDT: #GP, then #DF, then a triple fault. */
export const TRIPLE_FAULT_KERNEL = `${headerAsm('0')}
  .text
  .globl _start
_start:
  lidt idt_desc
  movl $0x12345678, %eax
  int3
  .data
idt_desc:
  .word 0
  .long 0
`;
