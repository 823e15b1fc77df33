// The server as a process and a protocol peer: it refuses to start without a transport, pushes
// diagnostics to clients that cannot pull them, survives requests about documents it does not
// have, and answers "Go to Definition" from C code with the assembly label the linker resolved.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LspClient, ROOT, SERVER, uriOf } from './lsp/client.js';
import { lineTable, rowAt, run } from './lsp/toolchain.js';

const SAMPLES = join(ROOT, 'samples');
const DOC = ['\t.text', 'f:\tfldl\t4(%esp)', '\tfstpl\t(%esp)', '\tmovl\t%eax, %cr3', '\tbogus\t%eax', '\tret', ''].join('\n');

describe('language server process and protocol', () => {
  it('refuses to start without a transport, saying which ones it takes', () => {
    const r = spawnSync(process.execPath, [SERVER], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--stdio.*--node-ipc/);
  });

  it('pushes the same diagnostics to a client without pull support', async () => {
    const pull = await LspClient.start([]);
    const push = await LspClient.start([], false);
    try {
      expect(pull.capabilities.diagnosticProvider).toBeDefined();
      expect(push.capabilities.diagnosticProvider).toBeUndefined();
      const uri = uriOf('/nonexistent/ringside-lsp/push.s');
      await pull.open(uri, DOC);
      const pulled = await pull.diagnostics(uri);
      const pushed = push.pushedDiagnostics(uri);
      await push.open(uri, DOC);
      expect(await pushed).toEqual(pulled);
      expect(pulled.map((d) => [d.range.start.line, d.code])).toEqual([[1, 'not-implemented'], [2, 'not-implemented'], [4, 'unknown-instruction']]);
      console.info(`lsp: server start to initialize response ${pull.startMs.toFixed(0)} ms and ${push.startMs.toFixed(0)} ms`);
    } finally {
      await pull.stop();
      await push.stop();
    }
  });

  it('answers requests about unknown documents and positions with nothing, and keeps working', async () => {
    const c = await LspClient.start([]);
    try {
      const ghost = uriOf('/nonexistent/ringside-lsp/ghost.S');
      expect(await c.hover(ghost, 0, 0)).toBeUndefined();
      expect(await c.definition(ghost, 3, 3)).toEqual([]);
      expect(await c.references(ghost, 3, 3)).toEqual([]);
      expect(await c.documentSymbols(ghost)).toEqual([]);
      const uri = uriOf('/nonexistent/ringside-lsp/real.S');
      await c.open(uri, DOC);
      expect(await c.hover(uri, 99, 99)).toBeUndefined();
      expect(await c.hover(uri, 0, 9999)).toBeUndefined();
      expect(await c.hover(uri, 3, 2)).toContain('MOV to CRn');
      expect(c.stderr).not.toMatch(/failed/);
    } finally {
      await c.stop();
    }
  });

  it('Go to Definition in a C file lands on the assembly label the linker resolved', async () => {
    const kernel = join(SAMPLES, 'build', 'kernel', 'kernel.elf');
    const rows = lineTable(kernel);
    const address = new Map<string, number>();
    for (const l of run('nm', [kernel]).split('\n')) {
      const m = /^([0-9a-f]+) [Tt] (\w+)$/.exec(l);
      if (m) address.set(m[2], parseInt(m[1], 16));
    }
    const env = join(SAMPLES, 'kernel', 'env.c');
    const text = readFileSync(env, 'utf8');
    const lines = text.split('\n');
    const c = await LspClient.start([SAMPLES]);
    try {
      await c.open(uriOf(env), text, 'c');
      let checked = 0;
      for (const name of ['trapret_iret', 'trapret_sysexit']) {
        const row = rowAt(rows, address.get(name)!)!;
        expect(row.file).toBe('trapentry.S');
        const line = lines.findIndex((l) => new RegExp(`\\b${name}\\s*\\(`).test(l) && !/^\s*(void|extern)/.test(l));
        expect(line, `a call of ${name} in env.c`).toBeGreaterThanOrEqual(0);
        const defs = await c.definition(uriOf(env), line, lines[line].indexOf(name) + 1);
        expect(defs.map((d) => basename(d.uri))).toEqual(['trapentry.S']);
        const src = readFileSync(join(SAMPLES, 'kernel', 'trapentry.S'), 'utf8').split('\n');
        expect(defs[0].range.start.line + 1).toBeLessThanOrEqual(row.line);
        expect(src[defs[0].range.start.line].slice(defs[0].range.start.character, defs[0].range.end.character)).toBe(name);
        checked++;
      }
      expect(checked).toBe(2);
      // A C identifier that no assembly file exports: nothing (the C extension answers that one).
      const own = lines.findIndex((l) => /\benv_pop_tf\b/.test(l));
      expect(await c.definition(uriOf(env), own, lines[own].indexOf('env_pop_tf') + 1)).toEqual([]);
      expect(await c.hover(uriOf(env), own, lines[own].indexOf('env_pop_tf') + 1)).toBeUndefined();
    } finally {
      await c.stop();
    }
  });
});
