// The hovers' "Ring 3" line against what ring 3 really gets: each instruction runs in ring 3 on the
// host CPU (trap number and error code from the Linux signal frame) and on the emulator (CPL 3,
// IOPL 0 and IOPL 3). The hover must name #GP(0) exactly where the hardware raises it, and say
// "allowed" where it does not.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, ROOT, uriOf } from './lsp/client.js';
import { outcomeText, type Outcome, type Ring3Case, runOnEmulator, runOnHost } from './lsp/ring3.js';

const CASES: Ring3Case[] = [
  { name: 'cli', insn: 'cli' },
  { name: 'sti', insn: 'sti' },
  { name: 'hlt', insn: 'hlt' },
  { name: 'lgdt', insn: 'lgdt (%esp)' },
  { name: 'lidt', insn: 'lidt (%esp)' },
  { name: 'sgdt', insn: 'sgdt (%esp)' },
  { name: 'sidt', insn: 'sidt (%esp)' },
  { name: 'ltr', setup: ['mov $0x28,%ax'], insn: 'ltr %ax' },
  { name: 'lldt', setup: ['xor %eax,%eax'], insn: 'lldt %ax' },
  { name: 'str', insn: 'str %eax' },
  { name: 'sldt', insn: 'sldt %eax' },
  { name: 'smsw', insn: 'smsw %eax' },
  { name: 'lmsw', setup: ['mov $1,%ax'], insn: 'lmsw %ax' },
  { name: 'invlpg', insn: 'invlpg (%esp)' },
  { name: 'mov_to_cr3', setup: ['xor %eax,%eax'], insn: 'mov %eax,%cr3' },
  { name: 'mov_from_cr3', insn: 'mov %cr3,%eax' },
  { name: 'mov_to_cr0', setup: ['xor %eax,%eax'], insn: 'movl %eax,%cr0' },
  { name: 'mov_from_cr0', insn: 'mov %cr0,%eax' },
  { name: 'mov_from_cr2', insn: 'mov %cr2,%eax' },
  { name: 'mov_to_cr4', setup: ['xor %eax,%eax'], insn: 'mov %eax,%cr4' },
  { name: 'mov_to_dr7', setup: ['xor %eax,%eax'], insn: 'mov %eax,%dr7' },
  { name: 'mov_from_dr0', insn: 'mov %dr0,%eax' },
  { name: 'rdmsr', setup: ['mov $0x10,%ecx'], insn: 'rdmsr' },
  { name: 'wrmsr', setup: ['mov $0x10,%ecx'], insn: 'wrmsr' },
  { name: 'clts', insn: 'clts' },
  { name: 'invd', insn: 'invd' },
  { name: 'wbinvd', insn: 'wbinvd' },
  { name: 'in_imm', insn: 'in $0x80,%al' },
  { name: 'out_imm', insn: 'out %al,$0x80' },
  { name: 'in_dx', setup: ['mov $0x80,%dx'], insn: 'inb (%dx),%al' },
  { name: 'out_dx', setup: ['mov $0x80,%dx'], insn: 'outl %eax,(%dx)' },
  { name: 'insb', setup: ['mov $0x80,%dx', 'mov %esp,%edi'], insn: 'insb' },
  { name: 'outsb', setup: ['mov $0x80,%dx', 'mov %esp,%esi'], insn: 'outsb' },
  { name: 'sysexit', insn: 'sysexit' },
  { name: 'int14', insn: 'int $14' },
  { name: 'int3', insn: 'int3' },
  { name: 'ud2', insn: 'ud2' },
  { name: 'into', setup: ['xor %eax,%eax'], insn: 'into' },
  { name: 'pushf', insn: 'pushfl' },
  { name: 'popf', setup: ['pushfl'], insn: 'popfl' },
  { name: 'rdtsc', insn: 'rdtsc' },
  { name: 'cpuid', setup: ['xor %eax,%eax'], insn: 'cpuid' },
  { name: 'mov_gpr', insn: 'mov %eax,%ebx' },
  { name: 'mov_from_ds', insn: 'mov %ds,%eax' },
  { name: 'lar', setup: ['xor %eax,%eax'], insn: 'lar %eax,%eax' },
  { name: 'verr', setup: ['xor %eax,%eax'], insn: 'verr %ax' },
];

/** The hover's "Ring 3" section: from its heading to the next blank line. */
function ring3Section(hover: string): string {
  const from = hover.indexOf('**Ring 3:**');
  if (from < 0) return '';
  const end = hover.indexOf('\n\n', from);
  return hover.slice(from, end < 0 ? undefined : end);
}

let client: LspClient;
let host: Map<string, Outcome>;
let emu: Map<string, Outcome>;
let emuIopl3: Map<string, Outcome>;
const hovers = new Map<string, string>();

beforeAll(async () => {
  host = runOnHost(CASES);
  emu = runOnEmulator(CASES, 0);
  emuIopl3 = runOnEmulator(CASES, 3);
  client = await LspClient.start([]);
  const lines: string[] = [];
  const at: { name: string; line: number; col: number }[] = [];
  for (const c of CASES) {
    for (const s of c.setup ?? []) lines.push('\t' + s);
    at.push({ name: c.name, line: lines.length, col: 2 });
    lines.push('\t' + c.insn);
  }
  const uri = uriOf(join(ROOT, 'test-results', 'lsp', 'ring3.S'));
  await client.open(uri, lines.join('\n') + '\n');
  expect(await client.diagnostics(uri)).toEqual([]);
  for (const a of at) hovers.set(a.name, (await client.hover(uri, a.line, a.col)) ?? '');
});
afterAll(async () => {
  await client?.stop();
});

describe('language server: what ring 3 gets, against the host CPU and the emulator', () => {
  for (const c of CASES) it(c.insn, () => {
    const h = host.get(c.name)!;
    const e = emu.get(c.name)!;
    const section = ring3Section(hovers.get(c.name)!);
    expect(section, `hover of ${c.insn}`).not.toBe('');
    // The emulator agrees with the CPU (the hover describes both).
    expect(outcomeText(e), `emulator vs host for ${c.insn}`).toBe(outcomeText(h));
    if (h.kind === 'trap' && h.vector === 13 && h.errorCode === 0) {
      expect(section, `${c.insn}: the CPU raises #GP(0) in ring 3`).toContain('#GP(0)');
    } else if (h.kind === 'trap' && h.vector === 13) {
      // int n through a DPL 0 gate: the error code names the gate, (vector << 3) | 2 (IDT bit).
      const vector = Number(/\$(\d+)/.exec(c.insn)?.[1]);
      expect(h.errorCode).toBe(vector * 8 + 2);
      expect(section).toContain('#GP(vector*8+2)');
    } else {
      expect(section, `${c.insn}: the CPU lets ring 3 run it (${outcomeText(h)})`).toContain('allowed');
    }
    if (/IOPL/.test(section) && /#GP/.test(section)) {
      // IOPL-sensitive: with IOPL 3 ring 3 may run it.
      expect(outcomeText(emuIopl3.get(c.name)!), `${c.insn} with IOPL 3`).toBe('ok');
      expect(h.kind, `${c.insn} with IOPL 0 on the host`).toBe('trap');
    }
  });

  it('found privileged and unprivileged instructions among the cases (the test can fail both ways)', () => {
    const gp0 = CASES.filter((c) => { const h = host.get(c.name)!; return h.kind === 'trap' && h.vector === 13 && h.errorCode === 0; });
    const ok = CASES.filter((c) => host.get(c.name)!.kind === 'ok');
    console.info(`lsp ring 3: ${gp0.length} instructions #GP(0) on the host, ${ok.length} run, ${CASES.length - gp0.length - ok.length} other traps`);
    expect(gp0.length).toBeGreaterThan(20);
    expect(ok.length).toBeGreaterThan(10);
  });
});
